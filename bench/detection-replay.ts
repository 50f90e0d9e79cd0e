/**
 * Detection replay: scores the element detector alone on the grounding benchmark's rendered
 * screens, with each screen's OCR lines read once and kept in bench/out/ocr-cache/<set>/ (the OCR
 * is the slow part and does not change when the detector does). A tool for working on
 * lib/vision/elements: a full-set run takes seconds once the cache is filled, and prints the same
 * detection figures as the grounding benchmark plus, per type, the misses and false positives.
 *
 *   node dist/bench/detection-replay.js [--quick] [--type=table_row] [--fp=tab] [--screens=REGEX] [--refresh] [--dump=FILE] [--cached-only]
 *
 * --dump writes each screen's interactive detections as the grounding details file does.
 * The cached lines are what VisionEngine.analyze reads (text boxes cut at box edges, lone glyphs):
 * after changing splitTextBoxesAtEdges or glyphBoxes, pass --refresh.
 */
import * as fs from 'fs';
import * as path from 'path';
import { decodeImage } from '../lib/image/codec';
import { createVisionEngine, type VisionEngine } from '../lib/vision';
import { detectElements } from '../lib/vision/elements/element-detector';
import type { TextLine } from '../lib/contracts/screen-state';
import { DEFAULT_OUT_DIR, generateSet, type SetName } from './screens/generate';
import { Box, ELEMENT_TYPES, type TruthElement } from './screens/types';
import { addCounts, matchDetections, median, noDetections, pairDetections } from './grounding';

const INTERACTIVE: ReadonlySet<string> = new Set(ELEMENT_TYPES);

function arg(name: string): string | undefined {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a?.slice(name.length + 3);
}

async function main(): Promise<void> {
  const set: SetName = process.argv.includes('--quick') ? 'quick' : 'full';
  const only = arg('screens') ? new RegExp(arg('screens')!) : undefined;
  const showType = arg('type');
  const showFp = arg('fp');
  const manifest = await generateSet(set, { log: (l) => process.stderr.write(`${l}\n`) });
  const cacheDir = path.join(DEFAULT_OUT_DIR, '..', 'ocr-cache', set);
  fs.mkdirSync(cacheDir, { recursive: true });
  let engine: VisionEngine | null = null;
  const total = noDetections();
  const fpByType: Record<string, number> = {};
  const detByType: Record<string, number> = {};
  const typedFoundByType: Record<string, number> = {};
  const cpuFullHd: number[] = [];
  const report: string[] = [];
  const dumped: Record<string, Array<[string, ...Box]>> = {};
  try {
    for (const truth of manifest.screens) {
      if (only && !only.test(truth.id)) continue;
      const file = path.join(DEFAULT_OUT_DIR, set, truth.file);
      const image = await decodeImage(file, truth.scale);
      const cached = path.join(cacheDir, `${truth.id}.json`);
      let lines: TextLine[];
      if (process.argv.includes('--cached-only') && !fs.existsSync(cached)) continue;
      if (fs.existsSync(cached) && !process.argv.includes('--refresh'))
        lines = JSON.parse(fs.readFileSync(cached, 'utf8')) as TextLine[];
      else {
        engine ??= await createVisionEngine({ threads: 2, recognitionCacheSize: 0 });
        lines = (await engine.analyze(image)).text;
        fs.writeFileSync(cached, JSON.stringify(lines));
      }
      const cpu0 = process.cpuUsage();
      const elements = detectElements(image, lines);
      const cpu = process.cpuUsage(cpu0);
      if (truth.width === 1920 && truth.height === 1080) cpuFullHd.push((cpu.user + cpu.system) / 1000);
      const found = elements
        .filter((e) => INTERACTIVE.has(e.type))
        .map((e) => ({ type: e.type as string, bbox: e.bbox as Box, label: e.label }));
      dumped[truth.id] = found.map((d) => [d.type, ...d.bbox]);
      const c = matchDetections(truth.elements, found);
      addCounts(total, c);
      // Which detections and truths went unmatched (same greedy rule as matchDetections).
      const { unmatchedTruth, unmatchedDet } = unmatched(truth.elements, found);
      for (const d of found) detByType[d.type] = (detByType[d.type] ?? 0) + 1;
      for (const d of unmatchedDet) fpByType[d.type] = (fpByType[d.type] ?? 0) + 1;
      for (const t of truth.elements) if (!t.ignore) typedFoundByType[t.type] ??= 0;
      for (const t of unmatchedTruth)
        if (showType === t.type || showType === 'all')
          report.push(
            `MISS ${truth.id} ${t.type} "${t.label}" [${t.bbox.join(',')}]${t.content_bbox ? ` content [${t.content_bbox.join(',')}]` : ''}`,
          );
      for (const d of unmatchedDet)
        if (showFp === d.type || showFp === 'all')
          report.push(`FP   ${truth.id} ${d.type} "${d.label}" [${d.bbox.join(',')}]`);
      if (showType)
        for (const [k] of Object.entries(c.confusions))
          if (k.startsWith(`${showType} ->`)) report.push(`CONF ${truth.id} ${k}`);
    }
  } finally {
    await engine?.close();
  }
  if (arg('dump')) fs.writeFileSync(arg('dump')!, JSON.stringify({ detected: dumped }));
  const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(1) : 'n/a');
  const t = total;
  process.stdout.write(report.join('\n') + (report.length ? '\n' : ''));
  process.stdout.write(
    `precision ${pct(t.truePositives, t.truePositives + t.falsePositives)} %  recall ${pct(t.truePositives, t.truePositives + t.falseNegatives)} %  ` +
      `same-type precision ${pct(t.typedTruePositives, t.truePositives + t.falsePositives)} %  recall ${pct(t.typedTruePositives, t.truePositives + t.falseNegatives)} %  (TP ${t.truePositives}, FP ${t.falsePositives}, FN ${t.falseNegatives})\n`,
  );
  for (const type of ELEMENT_TYPES) {
    const f = t.foundByType[type] ?? 0;
    const m = t.missedByType[type] ?? 0;
    process.stdout.write(
      `  ${type.padEnd(11)} recall ${pct(f, f + m).padStart(5)} % (${f}/${f + m})   detections ${detByType[type] ?? 0}, unmatched ${fpByType[type] ?? 0}\n`,
    );
  }
  const conf = Object.entries(t.confusions).sort((a, b) => b[1] - a[1]);
  process.stdout.write(`confusions: ${conf.map(([k, v]) => `${k} ×${v}`).join(', ')}\n`);
  if (cpuFullHd.length)
    process.stdout.write(
      `detectElements CPU per 1920x1080 screen: median ${median(cpuFullHd).toFixed(1)} ms over ${cpuFullHd.length} screens\n`,
    );
}

function unmatched(
  truth: TruthElement[],
  dets: Array<{ type: string; bbox: Box; label: string }>,
): { unmatchedTruth: TruthElement[]; unmatchedDet: Array<{ type: string; bbox: Box; label: string }> } {
  const { usedT, usedD } = pairDetections(truth, dets);
  return {
    unmatchedTruth: truth.filter((t, i) => !t.ignore && !usedT.has(i)),
    unmatchedDet: dets.filter((_, i) => !usedD.has(i)),
  };
}

main().catch((e: Error) => {
  process.stderr.write(`detection-replay: ${e.message}\n`);
  process.exit(1);
});
