/**
 * Learn benchmark (issue 5): node matching time against a workflow store of 1,000 nodes
 * (target ≤ 5 ms per match; the seed allows 100 ms), and learning time per session screenshot
 * on real demonstrations of the order application recorded on Xvfb with the real recorder.
 *
 *   npm run bench -- learning [--quick]
 */
import type { Workflow } from '../lib/contracts/workflow';
import { learnWorkflow, lastLearnReport, matchNode } from '../lib/graph';
import { EMBEDDING_DIMS } from '../lib/vision/state-embedding';
import { createVisionEngine } from '../lib/vision';
import { VirtualDesktop } from '../test/helpers/desktop';
import { clickPage, fillOrder, launchApp, PAGE, recordWith, serveApp } from '../test/graph/helpers/order-app';
import { stats } from './platform';
import type { Benchmark, BenchResult } from './types';

/** Deterministic pseudo-random numbers (mulberry32), so every run matches the same store. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function unit(next: () => number, dims: number): number[] {
  const v = Array.from({ length: dims }, () => next() - 0.5);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

/** A store of `count` screens with prototypes of the real embedding size. */
function store(count: number, next: () => number): Workflow {
  return {
    workflow_id: 'WF_bench',
    name: 'Bench',
    nodes: Array.from({ length: count }, (_, i) => ({
      node_id: `N${i + 1}`,
      label: `Screen ${i + 1}`,
      screen_template: {
        embedding_prototype: {
          provider: 'rpa-vision-layout-v1',
          vector: unit(next, EMBEDDING_DIMS),
          min_cosine_similarity: 0.85,
          sample_count: 5,
        },
      },
    })),
    edges: [],
  };
}

export function matching(quick: boolean): BenchResult[] {
  const next = random(42);
  const workflow = store(1000, next);
  const queries = Array.from({ length: quick ? 100 : 1000 }, (_, i) => {
    // Half the queries are a stored screen seen again (with noise), half are unknown screens.
    const base =
      i % 2 === 0
        ? workflow.nodes[Math.floor(next() * 1000)].screen_template.embedding_prototype!.vector!
        : unit(next, EMBEDDING_DIMS);
    return Float32Array.from(base, (x) => x + (next() - 0.5) * 0.01);
  });
  let t = performance.now();
  matchNode(workflow, queries[0]);
  const firstMs = performance.now() - t;
  const times: number[] = [];
  let recognised = 0;
  for (const q of queries) {
    t = performance.now();
    const m = matchNode(workflow, q);
    times.push(performance.now() - t);
    if (!m.unknown) recognised++;
  }
  const s = stats(times);
  return [
    {
      benchmark: 'learning',
      metric: 'node matching, 1,000-node store (median)',
      subject: 'matchNode',
      value: s.median,
      unit: 'ms',
      n: times.length,
      target: '<= 5 ms',
      pass: s.median <= 5,
    },
    {
      benchmark: 'learning',
      metric: 'node matching, 1,000-node store (p95)',
      subject: 'matchNode',
      value: s.p95,
      unit: 'ms',
      n: times.length,
      target: '<= 5 ms',
      pass: s.p95 <= 5,
    },
    {
      benchmark: 'learning',
      metric: 'first match (builds the prototype index)',
      subject: 'matchNode',
      value: firstMs,
      unit: 'ms',
      n: 1,
    },
    {
      benchmark: 'learning',
      metric: 'queries recognised (half are stored screens)',
      subject: 'matchNode',
      value: (100 * recognised) / times.length,
      unit: '%',
      n: times.length,
      target: '50 %',
      pass: recognised === times.length / 2,
    },
  ];
}

async function learning(quick: boolean, log: (l: string) => void): Promise<BenchResult[]> {
  const vd = await VirtualDesktop.start({ width: 1280, height: 800 });
  const server = await serveApp();
  const vision = await createVisionEngine();
  try {
    const app = await launchApp(vd, server.url);
    const data = [
      { nom: 'Martin Dupont', ville: 'Paris', montant: '1250' },
      { nom: 'Claire Petit', ville: 'Lyon', montant: '87,50' },
      { nom: 'Jean Moreau', ville: 'Brest', montant: '310' },
    ].slice(0, quick ? 2 : 3);
    const dirs: string[] = [];
    for (const d of data) {
      dirs.push(await recordWith(vd, () => fillOrder(vd, app, d)));
      await clickPage(vd, app, PAGE.nouvelle);
    }
    log(`recorded ${dirs.length} demonstrations`);
    const cold = await learnWorkflow(dirs, { vision });
    const coldReport = lastLearnReport.get(cold)!;
    // Again with the same engine: OCR of text already seen is cached, as when sessions of one application pile up.
    const warm = await learnWorkflow(dirs, { vision });
    const warmReport = lastLearnReport.get(warm)!;
    return [
      {
        benchmark: 'learning',
        metric: 'learning time per session screenshot (first look)',
        subject: 'learnWorkflow',
        value: coldReport.elapsedMs / coldReport.screenshotsAnalysed,
        unit: 'ms',
        n: coldReport.screenshotsAnalysed,
      },
      {
        benchmark: 'learning',
        metric: 'learning time per session screenshot (recognition cache warm)',
        subject: 'learnWorkflow',
        value: warmReport.elapsedMs / warmReport.screenshotsAnalysed,
        unit: 'ms',
        n: warmReport.screenshotsAnalysed,
      },
      {
        benchmark: 'learning',
        metric: 'learning time per demonstration',
        subject: 'learnWorkflow',
        value: coldReport.elapsedMs / coldReport.instances,
        unit: 'ms',
        n: coldReport.instances,
      },
      {
        benchmark: 'learning',
        metric: 'screens learned (one per distinct screen)',
        subject: 'learnWorkflow',
        value: cold.nodes.length,
        unit: 'nodes',
        n: 1,
      },
    ];
  } finally {
    await vision.close();
    await server.close();
    await vd.stop();
  }
}

export const learningBench: Benchmark = {
  name: 'learning',
  description: 'node matching time with 1,000 nodes (≤ 5 ms) and learning time per session screenshot',
  async run({ quick, log }) {
    return [...matching(quick), ...(await learning(quick, log))];
  },
};
