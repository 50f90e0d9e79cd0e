/**
 * Builds the calibration table for 8-bit text recognition (lib/vision/ocr/recognition-int8.json,
 * see lib/vision/ocr/model-quantize) from the grounding benchmark's rendered screens, then checks
 * it: on held-out screens, how many lines the 8-bit model reads as the float model does, and the
 * recognition CPU of each.
 *
 *   node dist/bench/ocr-int8-calibration.js [--check-only]
 *
 * Calibration uses the full set's screens other than 1920×1080 (the speed and accuracy figures
 * are taken at 1920×1080); the check uses every 4th 1920×1080 screen (vision-speed's screens).
 * Activation ranges are the smallest and largest values seen: measured against percentile and
 * entropy ranges on the same crops, min/max read as many lines the same.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ort from 'onnxruntime-node';
import { decodeImage } from '../lib/image/codec';
import type { RgbaImage } from '../lib/platform/types';
import type { TextLine } from '../lib/contracts/screen-state';
import { normalizeText } from '../lib/vision/text-match';
import { rewriteModel } from '../lib/vision/ocr/model-rewrite';
import type { Int8Range, Int8Table } from '../lib/vision/ocr/model-quantize';
import { INT8_TABLE_PATH, ocrModelPaths, sessionOptions } from '../lib/vision/ocr/models';
import { OcrEngine } from '../lib/vision/ocr/ocr-engine';
import { networkWidth, recognitionInput, TextRecognizer, type Crop } from '../lib/vision/ocr/text-recognizer';
import { DEFAULT_OUT_DIR, generateSet } from './screens/generate';

const BATCH = 12;
/** The table is written next to the sources (it is committed) and copied into dist by the build. */
const SOURCE_TABLE = path.join(__dirname, '..', '..', 'lib', 'vision', 'ocr', path.basename(INT8_TABLE_PATH));

async function calibrate(images: RgbaImage[], ocr: OcrEngine): Promise<Int8Table> {
  const paths = ocrModelPaths();
  const installed = fs.readFileSync(paths.recognition);
  const { model, report } = rewriteModel(installed, { bestClassOutputs: true, exposeQuantizable: true });
  const session = await ort.InferenceSession.create(model, sessionOptions(2));
  const seen = new Map<string, [number, number]>();
  let crops = 0;
  for (const [k, image] of images.entries()) {
    const boxes = await ocr.detect(image);
    const all: Crop[] = boxes.map((box) => ({ box, width: networkWidth(box) })).sort((a, b) => a.width - b.width);
    for (let i = 0; i < all.length; i += BATCH) {
      const input = recognitionInput(image, all.slice(i, i + BATCH));
      const out = await session.run({ x: new ort.Tensor('float32', input.data, input.dims) });
      for (const name of new Set(report.quantizable.flatMap((c) => [c.input, c.output]))) {
        const data = out[name].data as Float32Array;
        const range = seen.get(name) ?? [Infinity, -Infinity];
        for (const v of data) {
          if (v < range[0]) range[0] = v;
          if (v > range[1]) range[1] = v;
        }
        seen.set(name, range);
      }
    }
    crops += all.length;
    process.stderr.write(`\rcalibration: ${k + 1}/${images.length} screens, ${crops} crops`);
  }
  process.stderr.write('\n');
  await session.release();
  const round = (r: [number, number]): [number, number] => [Number(r[0].toPrecision(6)), Number(r[1].toPrecision(6))];
  const convs: Record<string, Int8Range> = {};
  for (const c of report.quantizable)
    convs[c.output] = { input: round(seen.get(c.input)!), output: round(seen.get(c.output)!) };
  return {
    model: { file: path.basename(paths.recognition), bytes: installed.byteLength },
    screens: images.length,
    crops,
    convs,
  };
}

async function check(images: RgbaImage[], ocr: OcrEngine): Promise<void> {
  const paths = ocrModelPaths();
  const [float, int8] = await Promise.all(
    [false, true].map((q) => TextRecognizer.load(paths.recognition, paths.dictionary, 1, 0, q)),
  );
  let lines = 0;
  let same = 0;
  let folded = 0;
  const cpu = [0, 0];
  const examples: string[] = [];
  for (const image of images) {
    const boxes = await ocr.detect(image);
    const read: (TextLine | null)[][] = [];
    for (const [i, r] of [float, int8].entries()) {
      const c0 = process.cpuUsage();
      read.push((await r.recognize(image, boxes)).lines);
      const c = process.cpuUsage(c0);
      cpu[i] += (c.user + c.system) / 1000;
    }
    read[0].forEach((a, i) => {
      const b = read[1][i];
      const [ta, tb] = [a?.text ?? '', b?.text ?? ''];
      lines++;
      if (ta === tb) same++;
      if (normalizeText(ta) === normalizeText(tb)) folded++;
      else if (examples.length < 12) examples.push(`${JSON.stringify(ta)} → ${JSON.stringify(tb)}`);
    });
  }
  await Promise.all([float.close(), int8.close()]);
  const pct = (n: number): string => `${((100 * n) / lines).toFixed(1)} %`;
  console.log(`check on ${images.length} held-out 1920×1080 screens, ${lines} lines:`);
  console.log(`  read the same as the float model: ${pct(same)} exactly, ${pct(folded)} ignoring accents and case`);
  console.log(
    `  recognition CPU per screen, one thread: float ${(cpu[0] / images.length).toFixed(1)} ms, int8 ${(cpu[1] / images.length).toFixed(1)} ms (${((100 * cpu[1]) / cpu[0] - 100).toFixed(1)} %)`,
  );
  if (examples.length) console.log(`  read differently (float → int8): ${examples.join('; ')}`);
}

async function main(): Promise<void> {
  const manifest = await generateSet('full', { log: (l) => process.stderr.write(`${l}\n`) });
  const dir = path.join(DEFAULT_OUT_DIR, 'full');
  const load = (screens: typeof manifest.screens): Promise<RgbaImage[]> =>
    Promise.all(screens.map((s) => decodeImage(path.join(dir, s.file), s.scale)));
  const hd = manifest.screens.filter((s) => s.width === 1920 && s.height === 1080);
  const ocr = await OcrEngine.load(1, 0);
  try {
    if (!process.argv.includes('--check-only')) {
      const others = manifest.screens
        .filter((s) => !(s.width === 1920 && s.height === 1080))
        .filter((_, i) => i % 4 === 1);
      const table = await calibrate(await load(others), ocr);
      fs.writeFileSync(SOURCE_TABLE, `${JSON.stringify(table, null, 1)}\n`);
      fs.writeFileSync(INT8_TABLE_PATH, `${JSON.stringify(table, null, 1)}\n`);
      console.log(
        `wrote ${SOURCE_TABLE}: ${Object.keys(table.convs).length} convolutions, ${table.crops} crops from ${table.screens} screens`,
      );
    }
    await check(await load(hd.filter((_, i) => i % 4 === 0)), ocr);
  } finally {
    await ocr.close();
  }
}

main().catch((err: Error) => {
  console.error(`ocr-int8-calibration: ${err.message}`, process.env.DEBUG ? err.stack : '');
  process.exit(1);
});
