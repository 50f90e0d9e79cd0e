/**
 * Text detection on the parts of a screen with ink (TextDetector option inkOnly) against the
 * whole frame, over the grounding set's 1920×1080 screens: CPU time of detection per screen
 * (pre-processing, inference and DB post-processing, all threads), share of the whole-frame
 * boxes found again (IoU ≥ 0.9), words read again, and words of the DOM's labels read by each.
 *
 *   npm run build && node dist/bench/text-detection.js [--quick]
 */
import * as path from 'path';
import type { BBox } from '../lib/contracts/screen-state';
import type { RgbaImage } from '../lib/platform/types';
import { decodeImage } from '../lib/image/codec';
import { defaultDetectScale } from '../lib/vision/ocr/ocr-engine';
import { ocrModelPaths } from '../lib/vision/ocr/models';
import { TextDetector } from '../lib/vision/ocr/text-detector';
import { TextRecognizer } from '../lib/vision/ocr/text-recognizer';
import { normalizeText } from '../lib/vision/text-match';
import { DEFAULT_OUT_DIR, generateSet, readManifest } from './screens/generate';
import type { ScreenTruth } from './screens/types';
import type { Benchmark, BenchOptions, BenchResult } from './types';
import { iou } from './grounding';

/** Boxes as the OCR engine keeps them (tiny ones dropped). */
async function boxesOf(detector: TextDetector, image: RgbaImage): Promise<{ boxes: BBox[]; cpuMs: number }> {
  const c0 = process.cpuUsage();
  const found = await detector.detect(image, defaultDetectScale(image));
  const c = process.cpuUsage(c0);
  return {
    boxes: found.map((d) => d.bbox).filter(([x1, y1, x2, y2]) => x2 - x1 >= 4 && y2 - y1 >= 6),
    cpuMs: (c.user + c.system) / 1000,
  };
}

/** How many words of reading `a` (one text per box) reading `b` has too, each word counted once. */
function wordsFoundIn(
  a: string[],
  b: string[],
  form: (text: string) => string,
): { words: number; found: number; missing: string[] } {
  const split = (texts: string[]): string[] => texts.map(form).join(' ').split(/\s+/).filter(Boolean);
  const left = new Map<string, number>();
  for (const w of split(b)) left.set(w, (left.get(w) ?? 0) + 1);
  const missing: string[] = [];
  let words = 0;
  for (const w of split(a)) {
    words++;
    const n = left.get(w) ?? 0;
    if (n > 0) left.set(w, n - 1);
    else missing.push(w);
  }
  return { words, found: words - missing.length, missing };
}

/** The text drawn on a screen as its DOM says (labels, and the text inside controls), with where it is. */
function truthTexts(screen: ScreenTruth): { text: string; box: BBox }[] {
  const out: { text: string; box: BBox }[] = [];
  for (const e of screen.elements) {
    if (e.ignore || e.type === 'icon') continue;
    if (e.label_bbox) out.push({ text: e.label, box: e.label_bbox as BBox });
    else if (e.content_bbox && e.text) out.push({ text: e.text, box: e.content_bbox as BBox });
  }
  return out;
}

/** Words of the drawn text read by OCR lines over it: [words, read]. */
function truthWordsRead(screen: ScreenTruth, boxes: BBox[], texts: string[]): [number, number] {
  let words = 0,
    read = 0;
  for (const { text, box } of truthTexts(screen)) {
    const [x1, y1, x2, y2] = box;
    const over = new Set(
      boxes.flatMap((b, i) =>
        b[0] < x2 + 6 && x1 - 6 < b[2] && b[1] < y2 + 6 && y1 - 6 < b[3] ? normalizeText(texts[i]).split(' ') : [],
      ),
    );
    for (const w of normalizeText(text).split(' ').filter(Boolean)) {
      words++;
      if (over.has(w)) read++;
    }
  }
  return [words, read];
}

export const textDetection: Benchmark = {
  name: 'text-detection',
  description:
    'text detection on the parts with ink vs the whole frame: CPU per 1920x1080 screen, same boxes and words',
  async run(options: BenchOptions): Promise<BenchResult[]> {
    const full = readManifest('full');
    const set = full
      ? { manifest: full, dir: path.join(DEFAULT_OUT_DIR, 'full') }
      : { manifest: await generateSet('quick', { log: options.log }), dir: path.join(DEFAULT_OUT_DIR, 'quick') };
    const hd = set.manifest.screens
      .filter((s) => s.width === 1920 && s.height === 1080)
      .filter((_, i) => !options.quick || i % 8 === 0);
    const paths = ocrModelPaths();
    // Two intra-op threads, as in the OCR helper thread.
    const whole = await TextDetector.load(paths.detection, 2, { inkOnly: false });
    const inked = await TextDetector.load(paths.detection, 2, { inkOnly: true });
    const reader = await TextRecognizer.load(paths.recognition, paths.dictionary, 1, 0);
    let wholeCpu = 0,
      inkedCpu = 0,
      boxes = 0,
      found = 0,
      sameWords = 0,
      extra = 0,
      overlapping = 0,
      words = 0,
      wordsFound = 0,
      normWords = 0,
      normFound = 0,
      truthWords = 0,
      truthWhole = 0,
      truthInked = 0;
    const misses: string[] = [];
    try {
      const first = await decodeImage(path.join(set.dir, hd[0].file), hd[0].scale);
      await boxesOf(whole, first); // warm-up
      await boxesOf(inked, first);
      for (const s of hd) {
        const image = await decodeImage(path.join(set.dir, s.file), s.scale);
        const a = await boxesOf(whole, image);
        const b = await boxesOf(inked, image);
        wholeCpu += a.cpuMs;
        inkedCpu += b.cpuMs;
        const textA = (await reader.recognize(image, a.boxes)).lines.map((l) => l?.text ?? '');
        const textB = (await reader.recognize(image, b.boxes)).lines.map((l) => l?.text ?? '');
        const used = new Set<number>();
        for (const [i, box] of a.boxes.entries()) {
          boxes++;
          let best = -1,
            bestIou = 0;
          for (const [j, other] of b.boxes.entries()) {
            const v = iou(box, other);
            if (v > bestIou) {
              bestIou = v;
              best = j;
            }
          }
          if (bestIou >= 0.9) {
            found++;
            used.add(best);
            if (textA[i] === textB[best]) sameWords++;
            else misses.push(`${s.file}: "${textA[i]}" read "${textB[best]}"`);
          } else
            misses.push(
              `${s.file}: ${JSON.stringify(box)} "${textA[i]}" best IoU ${bestIou.toFixed(2)}${best >= 0 ? ` ${JSON.stringify(b.boxes[best])} "${textB[best]}"` : ''}`,
            );
        }
        extra += b.boxes.length - used.size;
        for (const box of a.boxes) if (b.boxes.some((o) => iou(box, o) >= 0.5)) overlapping++;
        // Words as a user reads them: each word of the whole-frame reading found in the other one,
        // as written and as locate compares them (case, accents and punctuation aside).
        const a1 = wordsFoundIn(textA, textB, (t) => t);
        const a2 = wordsFoundIn(textA, textB, normalizeText);
        words += a1.words;
        wordsFound += a1.found;
        normWords += a2.words;
        normFound += a2.found;
        const [n, readWhole] = truthWordsRead(s, a.boxes, textA);
        truthWords += n;
        truthWhole += readWhole;
        truthInked += truthWordsRead(s, b.boxes, textB)[1];
        for (const w of a2.missing) misses.push(`${s.file}: word "${w}" not read`);
      }
    } finally {
      await Promise.all([whole.close(), inked.close(), reader.close()]);
    }
    for (const m of misses.slice(0, 400)) options.log(m);
    const subject = `${set.manifest.set} set, ${hd.length} screens`;
    const r = (v: number, d = 1): number => Math.round(v * 10 ** d) / 10 ** d;
    return [
      {
        benchmark: 'text-detection',
        metric: 'detection CPU per screen, whole frame',
        subject,
        value: r(wholeCpu / hd.length),
        unit: 'ms',
        n: hd.length,
      },
      {
        benchmark: 'text-detection',
        metric: 'detection CPU per screen, parts with ink',
        subject,
        value: r(inkedCpu / hd.length),
        unit: 'ms',
        n: hd.length,
      },
      {
        benchmark: 'text-detection',
        metric: 'detection CPU saved',
        subject,
        value: r((100 * (wholeCpu - inkedCpu)) / wholeCpu),
        unit: '%',
        n: hd.length,
        target: '>= 15 %',
        pass: wholeCpu - inkedCpu >= 0.15 * wholeCpu,
      },
      {
        benchmark: 'text-detection',
        metric: 'whole-frame boxes found again (IoU >= 0.9)',
        subject,
        value: r((100 * found) / boxes, 2),
        unit: '%',
        n: boxes,
        target: '>= 99.5 %',
        pass: found >= 0.995 * boxes,
      },
      {
        benchmark: 'text-detection',
        metric: 'whole-frame boxes overlapped (IoU >= 0.5)',
        subject,
        value: r((100 * overlapping) / boxes, 2),
        unit: '%',
        n: boxes,
      },
      {
        benchmark: 'text-detection',
        metric: 'whole-frame words read again',
        subject,
        value: r((100 * wordsFound) / words, 2),
        unit: '%',
        n: words,
      },
      {
        benchmark: 'text-detection',
        metric: 'whole-frame words read again (as locate compares)',
        subject,
        value: r((100 * normFound) / normWords, 2),
        unit: '%',
        n: normWords,
        target: '>= 99.5 %',
        pass: normFound >= 0.995 * normWords,
      },
      {
        benchmark: 'text-detection',
        metric: 'words of the DOM labels and control texts read, whole frame',
        subject,
        value: r((100 * truthWhole) / truthWords, 2),
        unit: '%',
        n: truthWords,
      },
      {
        benchmark: 'text-detection',
        metric: 'words of the DOM labels and control texts read, parts with ink',
        subject,
        value: r((100 * truthInked) / truthWords, 2),
        unit: '%',
        n: truthWords,
      },
      {
        benchmark: 'text-detection',
        metric: 'boxes found again: words read the same',
        subject,
        value: r((100 * sameWords) / Math.max(1, found), 2),
        unit: '%',
        n: found,
      },
      {
        benchmark: 'text-detection',
        metric: 'boxes of the parts with ink matching no whole-frame box (IoU >= 0.9)',
        subject,
        value: extra,
        unit: 'boxes',
        n: boxes,
      },
    ];
  },
};

if (require.main === module) {
  textDetection
    .run({
      quick: process.argv.includes('--quick'),
      args: process.argv.slice(2),
      log: (l) => process.stderr.write(`${l}\n`),
    })
    .then(
      (results) => {
        for (const r of results)
          process.stdout.write(
            `${r.metric.padEnd(46)} ${r.subject.padEnd(22)} ${String(r.value).padStart(8)} ${r.unit.padEnd(5)}  n=${r.n ?? '-'}${r.target ? `  target ${r.target} ${r.pass ? 'PASS' : 'MISS'}` : ''}\n`,
          );
      },
      (err) => {
        process.stderr.write(`text-detection: ${(err as Error).message}\n`);
        process.exitCode = 1;
      },
    );
}
