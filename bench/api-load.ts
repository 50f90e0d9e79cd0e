/**
 * The product's HTTP API under load: the real Node-RED runtime (as `npm start` boots it, on
 * 127.0.0.1, a free port, fresh user and data dirs, the journal executor standing in for the
 * desktop) seeded with workflows, chains, triggers and logs, then N concurrent clients for S
 * seconds (50 clients, 30 s; `--quick` 10 clients, 5 s; `--clients=N --duration=S`) sending the
 * mix a dashboard and a few integrations would: reads of every list, status, /metrics, logs and
 * analytics, batches of log entries, manual trigger fires.
 *
 * Figures: requests tried, failures (network errors, time-outs, any status >= 400: nothing in
 * the mix should be refused), throughput, latency p50/p95/p99 overall and per route, the slowest
 * answer of a probe asking the automation status every 100 ms (an upper bound of the longest
 * event-loop stall, queueing included), the Node-RED process's RSS before and after.
 * Targets (issue 17): 0 failures, p99 <= 500 ms.
 */
import fs from 'fs';
import path from 'path';
import { NodeRedRuntime } from '../test/helpers/runtime';
import { readJournal, workflowDoc } from '../test/automation/helpers/journal-executor';
import type { Benchmark, BenchResult } from './types';
import { seededRandom } from './screens/templates';

const EXECUTOR = path.join(__dirname, '..', 'test', 'automation', 'helpers', 'journal-executor.js');
const REQUEST_TIMEOUT_MS = 10_000;
const PROBE_INTERVAL_MS = 100;
const P99_TARGET_MS = 500;
// Flags are clamped so a typo cannot turn the bench into a soak test of a shared machine.
const MAX_CLIENTS = 500;
const MAX_DURATION_S = 600;

interface Route {
  name: string;
  /** Relative share of the mix. */
  weight: number;
  request(ctx: LoadContext): { path: string; init?: RequestInit };
}

interface LoadContext {
  manualTriggerId: string;
  batch: number;
}

const JSON_POST = { method: 'POST', headers: { 'Content-Type': 'application/json' } } as const;

const ROUTES: Route[] = [
  { name: 'GET /api/workflows', weight: 12, request: () => ({ path: '/api/workflows' }) },
  { name: 'GET /api/chains', weight: 10, request: () => ({ path: '/api/chains' }) },
  { name: 'GET /api/triggers', weight: 10, request: () => ({ path: '/api/triggers' }) },
  { name: 'GET /api/automation/status', weight: 12, request: () => ({ path: '/api/automation/status' }) },
  { name: 'GET /metrics', weight: 6, request: () => ({ path: '/metrics' }) },
  { name: 'GET /api/logs?limit=50', weight: 12, request: () => ({ path: '/api/logs?limit=50' }) },
  { name: 'GET /api/analytics/executions', weight: 10, request: () => ({ path: '/api/analytics/executions' }) },
  { name: 'GET /api/health', weight: 10, request: () => ({ path: '/api/health' }) },
  {
    name: 'POST /api/logs (20 entries)',
    weight: 12,
    request: (ctx) => ({
      path: '/api/logs',
      init: { ...JSON_POST, body: JSON.stringify(logBatch(ctx.batch++, 20)) },
    }),
  },
  {
    name: 'POST /api/triggers/:id/fire',
    weight: 4,
    request: (ctx) => ({
      path: `/api/triggers/${ctx.manualTriggerId}/fire`,
      init: { ...JSON_POST, body: JSON.stringify({ params: { source: 'load' } }) },
    }),
  },
];

const LEVELS = ['INFO', 'INFO', 'INFO', 'DEBUG', 'WARNING', 'ERROR'];

function logBatch(batch: number, size: number): Array<Record<string, string>> {
  return Array.from({ length: size }, (_, i) => ({
    level: LEVELS[(batch + i) % LEVELS.length],
    component: `client_${batch % 10}`,
    workflow_id: `wf_load_${i % 5}`,
    message: `batch ${batch} entry ${i}: step verified in ${(i * 37) % 700} ms`,
  }));
}

function quantile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN;
}

function pickRoute(random: () => number): Route {
  const total = ROUTES.reduce((s, r) => s + r.weight, 0);
  let x = random() * total;
  for (const r of ROUTES) if ((x -= r.weight) < 0) return r;
  return ROUTES[ROUTES.length - 1];
}

function flag(args: string[], name: string, fallback: number, max: number): number {
  const raw = args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`api-load: --${name}=${raw} must be a positive number`);
  return Math.min(max, value);
}

/** RSS in MiB of Node-RED itself: the `npm start` script's child process. */
function nodeRedRssMiB(startScriptPid: number | undefined): number {
  if (!startScriptPid) return NaN;
  try {
    const child = fs
      .readFileSync(`/proc/${startScriptPid}/task/${startScriptPid}/children`, 'utf8')
      .trim()
      .split(' ')[0];
    const status = fs.readFileSync(`/proc/${child}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Math.round((kb / 1024) * 10) / 10;
  } catch {
    return NaN;
  }
}

async function seed(rt: NodeRedRuntime): Promise<LoadContext> {
  const post = async (pathname: string, body: unknown): Promise<{ [k: string]: unknown }> => {
    const r = await rt.json<{ [k: string]: unknown }>(pathname, { method: 'POST', body: JSON.stringify(body) });
    if (r.status >= 300)
      throw new Error(`api-load: seeding ${pathname} answered ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const workflows = ['wf_load_0', 'wf_load_1', 'wf_load_2', 'wf_load_3', 'wf_load_4'];
  for (const id of workflows) await post('/api/workflows', workflowDoc(id));
  await post('/api/chains', { chain_id: 'chain_load_a', name: 'Load A', workflows: workflows.slice(0, 3) });
  await post('/api/chains', { chain_id: 'chain_load_b', name: 'Load B', workflows: workflows.slice(2) });
  const manual = await post('/api/triggers', { trigger_type: 'manual', workflow_id: 'wf_load_0' });
  await post('/api/triggers', { trigger_type: 'manual', workflow_id: 'chain_load_a' });
  // Enabled but due in an hour: listed with a next fire time, never firing during the bench.
  await post('/api/triggers', {
    trigger_type: 'schedule',
    workflow_id: 'chain_load_b',
    config: { interval_seconds: 3600 },
  });
  for (let b = 0; b < 10; b++) await post('/api/logs', logBatch(b, 50));
  return { manualTriggerId: String(manual.trigger_id), batch: 10 };
}

interface Sample {
  route: string;
  ms: number;
  ok: boolean;
  outcome: string;
}

async function timed(
  rt: NodeRedRuntime,
  pathname: string,
  init?: RequestInit,
): Promise<{ ms: number; outcome: string }> {
  const t = process.hrtime.bigint();
  let outcome: string;
  try {
    const res = await rt.fetch(pathname, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    await res.arrayBuffer();
    outcome = String(res.status);
  } catch (e) {
    outcome = (e as Error).name === 'TimeoutError' ? 'timeout' : `network error (${(e as Error).message})`;
  }
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, outcome };
}

async function client(
  rt: NodeRedRuntime,
  ctx: LoadContext,
  seedNo: number,
  until: number,
  out: Sample[],
): Promise<void> {
  const random = seededRandom(seedNo);
  while (Date.now() < until) {
    const route = pickRoute(random);
    const { path: p, init } = route.request(ctx);
    const { ms, outcome } = await timed(rt, p, init);
    out.push({ route: route.name, ms, outcome, ok: /^[23]\d\d$/.test(outcome) });
  }
}

async function probe(rt: NodeRedRuntime, until: number): Promise<number[]> {
  const times: number[] = [];
  while (Date.now() < until) {
    const started = Date.now();
    times.push((await timed(rt, '/api/automation/status')).ms);
    await new Promise((r) => setTimeout(r, Math.max(0, PROBE_INTERVAL_MS - (Date.now() - started))));
  }
  return times;
}

function result(
  metric: string,
  subject: string,
  value: number,
  unit: string,
  extra: Partial<BenchResult> = {},
): BenchResult {
  return { benchmark: 'api-load', metric, subject, value, unit, ...extra };
}

function latencies(subject: string, samples: Sample[], withTarget: boolean): BenchResult[] {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const r1 = (v: number) => Math.round(v * 10) / 10;
  const p99 = quantile(sorted, 0.99);
  return [
    result('latency p50', subject, r1(quantile(sorted, 0.5)), 'ms', { n: sorted.length }),
    result('latency p95', subject, r1(quantile(sorted, 0.95)), 'ms', { n: sorted.length }),
    result('latency p99', subject, r1(p99), 'ms', {
      n: sorted.length,
      ...(withTarget ? { target: `<= ${P99_TARGET_MS} ms`, pass: p99 <= P99_TARGET_MS } : {}),
    }),
  ];
}

export const apiLoad: Benchmark = {
  name: 'api-load',
  description: 'HTTP API under N clients for S s: failures, req/s, p50/p95/p99 per route, stall, RSS',
  async run({ quick, args, log }) {
    const clients = Math.round(flag(args, 'clients', quick ? 10 : 50, MAX_CLIENTS));
    const durationS = flag(args, 'duration', quick ? 5 : 30, MAX_DURATION_S);
    const rt = await NodeRedRuntime.start({ env: { RPA_VISION_EXECUTOR_MODULE: EXECUTOR } });
    try {
      const ctx = await seed(rt);
      const rssStart = nodeRedRssMiB(rt.pid);
      const journalBefore = readJournal(rt.dataDir).length;
      log(`${clients} clients for ${durationS} s on ${rt.url}; Node-RED RSS ${rssStart} MiB after seeding`);
      const samples: Sample[] = [];
      const started = Date.now();
      const until = started + durationS * 1000;
      const [probeTimes] = await Promise.all([
        probe(rt, until),
        ...Array.from({ length: clients }, (_, i) => client(rt, ctx, i + 1, until, samples)),
      ]);
      const elapsedS = (Date.now() - started) / 1000;
      const rssEnd = nodeRedRssMiB(rt.pid);
      const failures = samples.filter((s) => !s.ok);
      const fires = samples.filter((s) => s.route === 'POST /api/triggers/:id/fire' && s.ok).length;
      const fireRuns = readJournal(rt.dataDir).length - journalBefore;
      const byOutcome = new Map<string, number>();
      for (const f of failures)
        byOutcome.set(`${f.route} → ${f.outcome}`, (byOutcome.get(`${f.route} → ${f.outcome}`) ?? 0) + 1);
      for (const [what, count] of byOutcome) log(`failure: ${what} ×${count}`);
      log(
        `${samples.length} requests in ${elapsedS.toFixed(1)} s, ${failures.length} failed; ${fires} fires accepted, ${fireRuns} run by the executor by the end; RSS ${rssStart} → ${rssEnd} MiB`,
      );
      const maxProbe = Math.max(...probeTimes);
      return [
        result('requests tried', `${clients} clients, ${durationS} s`, samples.length, 'requests'),
        result('failures (network, time-out, status >= 400)', 'all routes', failures.length, 'requests', {
          n: samples.length,
          target: '0',
          pass: failures.length === 0,
        }),
        result('throughput', 'all routes', Math.round((samples.length / elapsedS) * 10) / 10, 'req/s', {
          n: samples.length,
        }),
        ...latencies('all routes', samples, true),
        ...ROUTES.flatMap((r) =>
          latencies(
            r.name,
            samples.filter((s) => s.route === r.name),
            false,
          ),
        ),
        result(
          'slowest status probe (every 100 ms, stall bound)',
          'GET /api/automation/status',
          Math.round(maxProbe),
          'ms',
          {
            n: probeTimes.length,
          },
        ),
        result('fired jobs run by the journal executor', 'POST /api/triggers/:id/fire', fireRuns, 'runs', { n: fires }),
        result('Node-RED RSS at start', 'VmRSS', rssStart, 'MiB'),
        result('Node-RED RSS at end', 'VmRSS', rssEnd, 'MiB'),
      ];
    } finally {
      await rt.stop();
      fs.rmSync(rt.userDir, { recursive: true, force: true });
    }
  },
};
