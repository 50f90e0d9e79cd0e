/**
 * Speed of the vision engine per 1920×1080 screen on this machine, models loaded once:
 *  - where the time of a cold ScreenState goes, stage by stage (CPU and wall, see
 *    lib/vision/stage-profile), on the 1920×1080 screens of the grounding set and on the two below,
 *  - analyze() cold (no cache: every text crop recognised),
 *  - ScreenState (analyze + embed + buildScreenState) cold,
 *  - locate() on a fresh screen (analysis included) and on an analysed one,
 *  - a screen with one small change (crop cache warm: only the changed line is re-read),
 *  - an unchanged screen (answered from the analysis cache),
 *  - resident memory of one engine, models loaded and after 40 screens (see vision-memory).
 * Screens are rendered by headless Chromium from the vision test fixtures.
 *
 *   npm run build && node dist/bench/vision-speed.js [--runs N]
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildScreenState } from '../lib/state';
import { createVisionEngine, type VisionEngine } from '../lib/vision';
import { profileStages, StageProfile } from '../lib/vision/stage-profile';
import { decodeImage } from '../lib/image/codec';
import { CHROMIUM_ARGS, DEFAULT_OUT_DIR, generateSet, readManifest } from './screens/generate';
import type { RgbaImage } from '../lib/platform/types';
import type { Benchmark, BenchOptions, BenchResult } from './types';
import { measureMemory } from './vision-memory';

const FIXTURE = path.resolve(__dirname, '..', 'test', 'fixtures', 'vision', 'invoice-form.html');
const VARS: Record<string, string> = {
  bg: '#f0f0f0',
  fg: '#222222',
  number: '2024-0153',
  patient: 'DUPONT Jean',
  row1: 'MARTIN Élodie',
  amount1: '120,00 €',
  row2: 'LEFÈVRE François',
  amount2: '45,50 €',
  dialog: '',
};

function renderScreen(dir: string, name: string, extraRows: number, scale: number): string {
  let html = fs.readFileSync(FIXTURE, 'utf8');
  for (const [k, v] of Object.entries(VARS)) html = html.split(`{{${k}}}`).join(v);
  // A busier screen than the form alone: a long table of invoices on the right.
  const rows = Array.from(
    { length: extraRows },
    (_, i) =>
      `<tr><td>Patient ${i + 1} NOM${i}</td><td>${(i * 37.5).toFixed(2)} €</td><td>${i % 3 ? 'Validée' : 'À valider'}</td><td>2024-11-${String((i % 28) + 1).padStart(2, '0')}</td></tr>`,
  ).join('');
  html = html
    .replace('{{dialog}}', '')
    .replace(
      '</body>',
      `<table border="1" cellpadding="4" style="position:absolute;left:960px;top:300px;border-collapse:collapse;font-size:14px"><tr><th>Patient</th><th>Montant</th><th>Statut</th><th>Date</th></tr>${rows}</table></body>`,
    );
  const htmlPath = path.join(dir, `${name}.html`);
  const png = path.join(dir, `${name}.png`);
  fs.writeFileSync(htmlPath, html);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-bench-chromium-'));
  execFileSync(
    '/usr/bin/chromium',
    [
      '--headless',
      ...CHROMIUM_ARGS,
      '--hide-scrollbars',
      `--user-data-dir=${profile}`,
      `--force-device-scale-factor=${scale}`,
      `--window-size=${1920 / scale},${1080 / scale}`,
      `--screenshot=${png}`,
      `file://${htmlPath}`,
    ],
    { stdio: 'ignore', timeout: 60_000 },
  );
  fs.rmSync(profile, { recursive: true, force: true });
  return png;
}

/** Screens analysed for the memory figure: more than the analysis cache holds. */
const MEMORY_SCREENS = 40;

/** A copy of the image with one pixel changed: a new hash, so nothing is served from the analysis cache. */
function perturbed(image: RgbaImage, k: number): RgbaImage {
  const data = Buffer.from(image.data);
  data[(k % (image.width * image.height)) * 4] ^= 1;
  return { ...image, data };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** CPU milliseconds of the last timeIt call (all threads of this process): on a shared, loaded machine the wall time says little. */
let lastCpuMs = 0;

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const c = process.cpuUsage(c0);
  lastCpuMs = (c.user + c.system) / 1000;
  return performance.now() - t0;
}

export const visionSpeed: Benchmark = {
  name: 'vision-speed',
  description: 'median analyze / ScreenState / locate time per 1920x1080 screen, cold, one change, unchanged',
  async run(options: BenchOptions): Promise<BenchResult[]> {
    const runs = options.quick ? 3 : 7;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-vision-speed-'));
    const screens = [
      { name: 'form+table 100%', png: renderScreen(dir, 'form100', 25, 1), scale: 1 },
      { name: 'form+table 200%', png: renderScreen(dir, 'form200', 8, 2), scale: 2 },
    ];
    const cold: VisionEngine = await createVisionEngine({ threads: 2, recognitionCacheSize: 0 });
    const warm: VisionEngine = await createVisionEngine({ threads: 2 });
    const results: BenchResult[] = [];
    const add = (metric: string, subject: string, values: number[], target?: number): void => {
      const value = Math.round(median(values) * 10) / 10;
      results.push({
        benchmark: 'vision-speed',
        metric,
        subject,
        value,
        unit: 'ms',
        n: values.length,
        ...(target ? { target: `<= ${target} ms`, pass: value <= target } : {}),
      });
    };
    try {
      // Per-stage breakdown over the grounding set's 1920×1080 screens (every 4th of the full set).
      const full = readManifest('full');
      const set = full
        ? { manifest: full, dir: path.join(DEFAULT_OUT_DIR, 'full') }
        : { manifest: await generateSet('quick', { log: options.log }), dir: path.join(DEFAULT_OUT_DIR, 'quick') };
      const hd = set.manifest.screens
        .filter((s) => s.width === 1920 && s.height === 1080)
        .filter((_, i) => !full || i % (options.quick ? 12 : 4) === 0);
      const images = await Promise.all(hd.map((s) => decodeImage(path.join(set.dir, s.file), s.scale)));
      await cold.analyze(perturbed(images[0], 7)); // warm-up
      const profile = new StageProfile();
      const stateCpu: number[] = [];
      const stateWall: number[] = [];
      // Profiled runs do their stages one after the other (see stage-profile); the totals come
      // from a second, unprofiled run on the same screens (a pixel changed: no cache hit).
      profileStages(profile);
      try {
        for (const [k, image] of images.entries()) {
          const analysis = await cold.analyze(image);
          buildScreenState({ analysis, embedding: await cold.embed(analysis, { title: hd[k].title }) });
        }
      } finally {
        profileStages(null);
      }
      for (const [k, image] of images.entries()) {
        stateWall.push(
          await timeIt(async () => {
            const analysis = await cold.analyze(perturbed(image, 300 + k));
            buildScreenState({ analysis, embedding: await cold.embed(analysis, { title: hd[k].title }) });
          }),
        );
        stateCpu.push(lastCpuMs);
      }
      const subject = `${set.manifest.set} set, ${images.length} screens`;
      options.log(
        `per-stage breakdown over ${subject} (mean per screen; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores):`,
      );
      for (const row of profile.table(images.length)) {
        options.log(
          `  ${row.stage.padEnd(16)} CPU ${row.cpuMs.toFixed(1).padStart(7)} ms   wall ${row.wallMs.toFixed(1).padStart(7)} ms   calls ${row.calls.toFixed(1)}`,
        );
        results.push({
          benchmark: 'vision-speed',
          metric: `stage ${row.stage}: CPU per screen (mean)`,
          subject,
          value: Math.round(row.cpuMs * 10) / 10,
          unit: 'ms',
          n: images.length,
        });
        results.push({
          benchmark: 'vision-speed',
          metric: `stage ${row.stage}: wall per screen (mean)`,
          subject,
          value: Math.round(row.wallMs * 10) / 10,
          unit: 'ms',
          n: images.length,
        });
      }
      add('ScreenState (analyze + embed), cold', subject, stateWall, 300);
      add('ScreenState, cold: CPU time (both cores)', subject, stateCpu);
      results.push({
        benchmark: 'vision-speed',
        metric: `machine load average (${os.cpus().length} cores)`,
        subject,
        value: Math.round(os.loadavg()[0] * 100) / 100,
        unit: '',
      });
      // Every screen of the set, all sizes: onnxruntime's memory grows with the shapes it sees.
      const memory = await measureMemory(
        set.manifest.screens.map((s) => ({ path: path.join(set.dir, s.file), scale: s.scale })),
        MEMORY_SCREENS,
      );
      options.log(
        `resident memory of one engine: ${memory.loadedMiB} MiB with the models loaded, ${memory.afterMiB} MiB after ${memory.screens} screens (peak ${memory.peakMiB})`,
      );
      const memoryResult = (metric: string, value: number, target?: number): BenchResult => ({
        benchmark: 'vision-speed',
        metric,
        subject: `one engine, ${set.manifest.set} set`,
        value,
        unit: 'MiB',
        ...(target ? { target: `<= ${target} MiB`, pass: value <= target } : {}),
      });
      results.push(
        memoryResult('resident memory, models loaded', memory.loadedMiB),
        memoryResult(`resident memory after ${memory.screens} screens (peak)`, memory.peakMiB, 600),
      );

      for (const screen of screens) {
        const image = await decodeImage(screen.png, screen.scale);
        options.log(`${screen.name}: ${image.width}x${image.height}`);
        await cold.analyze(perturbed(image, 999)); // warm-up: first inference of each shape is slow
        const analyzeMs: number[] = [];
        const analyzeCpuMs: number[] = [];
        const stateMs: number[] = [];
        const locateFreshMs: number[] = [];
        const locateMs: number[] = [];
        const locateFreshCpuMs: number[] = [];
        for (let k = 0; k < runs; k++) {
          analyzeMs.push(await timeIt(() => cold.analyze(perturbed(image, k))));
          analyzeCpuMs.push(lastCpuMs);
          stateMs.push(
            await timeIt(async () => {
              const analysis = await cold.analyze(perturbed(image, 100 + k));
              buildScreenState({
                analysis,
                embedding: await cold.embed(analysis, { title: 'Factures - Clinique Demo' }),
              });
            }),
          );
          locateFreshMs.push(
            await timeIt(() =>
              cold.locate(perturbed(image, 200 + k), { text: 'Montant à régler', type: 'text_input' }),
            ),
          );
          locateFreshCpuMs.push(lastCpuMs);
          const analysis = await cold.analyze(perturbed(image, 200 + k));
          locateMs.push(await timeIt(() => cold.locate(analysis, { text: 'Valider la facture' })));
        }
        add('analyze (OCR + elements), cold', screen.name, analyzeMs);
        add('analyze, cold: CPU time (both cores)', screen.name, analyzeCpuMs);
        add('ScreenState (analyze + embed), cold', screen.name, stateMs, 300);
        add('locate on a new screen (analysis included)', screen.name, locateFreshMs, 250);
        add('locate on a new screen: CPU time (both cores)', screen.name, locateFreshCpuMs);
        add('locate on an analysed screen', screen.name, locateMs);
        // Crop cache: the screen seen once, then again with one pixel changed.
        await warm.analyze(image);
        const changedMs: number[] = [];
        const unchangedMs: number[] = [];
        for (let k = 0; k < runs; k++) {
          changedMs.push(
            await timeIt(() => warm.analyze(perturbed(image, image.width * (image.height >> 1) + 300 + k))),
          );
          unchangedMs.push(await timeIt(() => warm.analyze(image)));
        }
        add('re-analysis, one pixel changed (crop cache)', screen.name, changedMs);
        add('re-analysis, unchanged screen', screen.name, unchangedMs);
      }
    } finally {
      await Promise.all([cold.close(), warm.close()]);
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return results;
  },
};

if (require.main === module) {
  const runsArg = process.argv.indexOf('--runs');
  const quick = process.argv.includes('--quick') || (runsArg > 0 && Number(process.argv[runsArg + 1]) <= 3);
  visionSpeed.run({ quick, args: process.argv.slice(2), log: (l) => process.stderr.write(`${l}\n`) }).then(
    (results) => {
      for (const r of results)
        process.stdout.write(
          `${r.metric.padEnd(46)} ${r.subject.padEnd(22)} ${String(r.value).padStart(8)} ${r.unit.padEnd(2)}  n=${r.n ?? '-'}${r.target ? `  target ${r.target} ${r.pass ? 'PASS' : 'MISS'}` : ''}\n`,
        );
    },
    (err) => {
      process.stderr.write(`vision-speed: ${(err as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
