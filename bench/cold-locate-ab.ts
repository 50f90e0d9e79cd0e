/**
 * A/B of the cold locate (text read only where the target can be, then around its candidates)
 * against a locate on the full analysis, over the grounding targets of the 1920x1080 screens:
 * same found/not found, same point (±2 px), same ambiguity, same candidates. Also the CPU time
 * of a cold locate and of a full analysis + locate, in the same process.
 *
 *   node dist/bench/cold-locate-ab.js [every-nth-screen [offset]]
 */
import { decodeImage } from '../lib/image/png';
import { createVisionEngine, type LocateResult } from '../lib/vision';
import { comparable } from '../lib/vision/text-match';
import { generateSet } from './screens/generate';
import { isTarget } from './screens/types';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_OUT_DIR } from './screens/generate';

function cpuMs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

function same(a: LocateResult, b: LocateResult): string | null {
  if (a.found !== b.found) return `found ${a.found} vs ${b.found}`;
  if (a.ambiguous !== b.ambiguous) return `ambiguous ${a.ambiguous} vs ${b.ambiguous}`;
  if (a.center && b.center && (Math.abs(a.center[0] - b.center[0]) > 2 || Math.abs(a.center[1] - b.center[1]) > 2)) return `point ${a.center} vs ${b.center}`;
  const ca = a.candidates.map((c) => `${c.center}:${c.score}`).join(' ');
  const cb = b.candidates.map((c) => `${c.center}:${c.score}`).join(' ');
  if (ca !== cb) return `candidates differ: ${ca} | ${cb}`;
  return null;
}

async function main(): Promise<void> {
  const every = Number(process.argv[2] ?? 1);
  const offset = Number(process.argv[3] ?? 0);
  const manifest = await generateSet('full', { log: () => undefined });
  const screens = manifest.screens.filter((s) => s.width === 1920 && s.height === 1080).filter((_, i) => i % every === offset % every);
  const options = { threads: 2, recognitionCacheSize: 0, frameReuse: false, analysisCacheSize: 0 };
  const full = await createVisionEngine(options);
  const cold = await createVisionEngine(options);
  let targets = 0;
  let pointMismatches = 0;
  let candidateMismatches = 0;
  const coldCpu: number[] = [];
  const fullCpu: number[] = [];
  const coldWall: number[] = [];
  const fullWall: number[] = [];
  const loads: number[] = [];
  let charsPerRatio = 0;
  try {
    for (const truth of screens) {
      const image = await decodeImage(path.join(DEFAULT_OUT_DIR, 'full', truth.file), truth.scale);
      for (const t of truth.elements.filter(isTarget)) {
        targets++;
        let c0 = cpuMs();
        let w0 = performance.now();
        const analysis = await full.analyze(image);
        for (const l of analysis.text) charsPerRatio = Math.max(charsPerRatio, comparable(l.text).length / ((l.bbox[2] - l.bbox[0]) / (l.bbox[3] - l.bbox[1])));
        const a = await full.locate(analysis, t.target);
        fullCpu.push(cpuMs() - c0);
        fullWall.push(performance.now() - w0);
        c0 = cpuMs();
        w0 = performance.now();
        const b = await cold.locate(image, t.target);
        coldCpu.push(cpuMs() - c0);
        coldWall.push(performance.now() - w0);
        loads.push(os.loadavg()[0]);
        const diff = same(a, b);
        if (diff) {
          if (/^candidates/.test(diff)) candidateMismatches++;
          else pointMismatches++;
          console.log(`MISMATCH ${truth.id} ${JSON.stringify(t.target)}: ${diff}`);
        }
      }
      console.log(`${truth.id}: ${targets} targets so far, ${pointMismatches} result mismatches, ${candidateMismatches} candidate-only`);
    }
  } finally {
    await Promise.all([full.close(), cold.close()]);
  }
  const med = (v: number[]): number => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)] ?? NaN;
  console.log(JSON.stringify({ screens: screens.length, targets, resultMismatches: pointMismatches, candidateOnlyMismatches: candidateMismatches, medianCpuMs: { full: med(fullCpu), cold: med(coldCpu) }, medianWallMs: { full: med(fullWall), cold: med(coldWall) }, load1: med(loads), charsPerRatio }));
}

void main();
