/**
 * Text recognition with the PP-OCRv4 CRNN/SVTR model: each text box is cropped, resized to
 * height 48 and batched with crops of similar width; the output is CTC-decoded greedily.
 * Results are cached by the crop's ink (ink-key.ts), so an unchanged line costs one hash on the next frame.
 */
import * as fs from 'fs';
import * as ort from 'onnxruntime-node';
import type { RgbaImage } from '../../platform/types';
import type { BBox, TextLine, TextRegion } from '../../contracts/screen-state';
import { inkKey, movedSpans, type InkKey } from './ink-key';
import { stage, stageAsync } from '../stage-profile';
import { startsWordInside } from '../text-match';
import { loadOcrSession, recognitionRewrite } from './models';
import { samplePoints } from './text-detector';
import { runSession, type BatchInput, type BatchOutput, type OcrHelper } from './ocr-helper';

const HEIGHT = 48;
/** The network emits one CTC timestep per 8 input columns. */
const STEP = 8;
const MAX_BATCH = 12;
/**
 * A batch padded wider than this (crops × columns) runs in parts: the network's early feature
 * maps of a wide batch outgrow the CPU's cache, and each column then costs more (figures in the
 * README, *Reading the screen*, Speed). Every part keeps the batch's padded width, so every crop is
 * read exactly as in one run.
 */
const RUN_COLUMNS = 1024;
/** Crops wider than this (in network pixels) are recognised alone rather than padding a batch. */
const MAX_WIDTH = 48 * 40;

export interface Recognised {
  text: string;
  confidence: number;
  /** Per character: [start, end) as fractions of the crop width. */
  spans: [number, number][];
}

export type Crop = { box: BBox; width: number };
/** Crops run through the network at once, padded to `width` columns. */
export type Run = { crops: Crop[]; width: number };

export class TextRecognizer {
  private readonly cache = new Map<string, { reading: Recognised; crop: InkKey }>();
  private helper: OcrHelper | null = null;

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly charset: string[],
    private readonly cacheSize: number,
  ) {}

  /** `int8` false: the float model (to compare); by default as recognitionRewrite says. */
  static async load(
    modelPath: string,
    dictionaryPath: string,
    threads: number,
    cacheSize = 5000,
    int8?: boolean,
  ): Promise<TextRecognizer> {
    const session = await loadOcrSession(modelPath, threads, recognitionRewrite(int8));
    // Index 0 is the CTC blank, then the dictionary, then the space PaddleOCR appends (use_space_char).
    const keys = fs
      .readFileSync(dictionaryPath, 'utf8')
      .split(/\r?\n/)
      .filter((k, i, all) => k !== '' || i < all.length - 1);
    return new TextRecognizer(session, ['', ...keys, ' '], cacheSize);
  }

  /** From now on about half of the recognition runs in the helper thread, at the same time as this thread's half. */
  useHelper(helper: OcrHelper): void {
    this.helper = helper;
  }

  /** Recognises every box; returns lines with words, in the order of `boxes`. */
  async recognize(image: RgbaImage, boxes: BBox[]): Promise<{ lines: (TextLine | null)[]; cacheHits: number }> {
    const results: (Recognised | null)[] = new Array(boxes.length).fill(null);
    const pending: { index: number; key: InkKey; width: number }[] = [];
    let cacheHits = 0;
    boxes.forEach((box, index) => {
      const key = inkKey(image, box);
      const hit = this.cache.get(key.key);
      if (hit) {
        results[index] = movedSpans(hit.reading, hit.crop, key);
        cacheHits++;
        return;
      }
      pending.push({ index, key, width: networkWidth(box) });
    });
    pending.sort((a, b) => a.width - b.width);
    // Batches of similar width: padding a short crop to a long one wastes compute. (Padding to
    // the right also helps the model, which was trained on crops padded to 320 columns: run
    // alone, unpadded, short words lose more accents; measured on the bench screens.)
    const batches: (typeof pending)[] = [];
    let i = 0;
    while (i < pending.length) {
      let j = i + 1;
      while (j < pending.length && j - i < MAX_BATCH && pending[j].width <= pending[i].width * 1.4 + 32) j++;
      batches.push(pending.slice(i, j));
      i = j;
    }
    const runs = batches.flatMap((batch) => {
      const width = Math.max(...batch.map((p) => p.width));
      const size = Math.max(1, Math.floor(RUN_COLUMNS / width));
      const parts: Run[] = [];
      for (let k = 0; k < batch.length; k += size)
        parts.push({ crops: batch.slice(k, k + size).map((p) => ({ box: boxes[p.index], width: p.width })), width });
      return parts;
    });
    const decoded = (await this.runBatches(image, runs)).flat();
    pending.forEach((p, k) => {
      results[p.index] = decoded[k];
      this.remember(p.key, decoded[k]);
    });
    return { lines: results.map((r, k) => (r ? toLine(r, boxes[k]) : null)), cacheHits };
  }

  private remember(crop: InkKey, reading: Recognised): void {
    if (this.cacheSize <= 0) return;
    if (this.cache.size >= this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(crop.key, { reading, crop });
  }

  /**
   * Runs the batches, about half of the work (in columns) in the helper thread while this thread
   * runs the rest.
   */
  private async runBatches(image: RgbaImage, batches: Run[]): Promise<Recognised[][]> {
    const out: Recognised[][] = new Array(batches.length);
    const mine: number[] = [];
    const theirs: number[] = [];
    if (this.helper && batches.length > 1) {
      const cost = batches.map((b) => b.crops.length * b.width);
      let load = [0, 0];
      for (const b of [...batches.keys()].sort((x, y) => cost[y] - cost[x])) {
        const side = load[0] <= load[1] ? 0 : 1;
        (side === 0 ? mine : theirs).push(b);
        load = side === 0 ? [load[0] + cost[b], load[1]] : [load[0], load[1] + cost[b]];
      }
    } else mine.push(...batches.keys());
    const helping: Promise<BatchOutput[]> = theirs.length
      ? this.helper!.recognize(theirs.map((b) => this.input(image, batches[b])))
      : Promise.resolve([]);
    helping.catch(() => undefined); // awaited below; not an unhandled rejection if this thread fails first
    for (const b of mine) {
      const input = this.input(image, batches[b]);
      out[b] = this.decode(batches[b], await stageAsync('rec_inference', () => runSession(this.session, input)));
    }
    const helped = await stageAsync('rec_inference', () => helping);
    theirs.forEach((b, k) => (out[b] = this.decode(batches[b], helped[k])));
    return out;
  }

  private input(image: RgbaImage, run: Run): BatchInput {
    return stage('rec_preprocess', () => recognitionInput(image, run.crops, run.width));
  }

  private decode(run: Run, out: BatchOutput): Recognised[] {
    const { best, bestProb, steps } = out;
    return stage('rec_decode', () =>
      run.crops.map((c, k) =>
        ctcDecode(best, bestProb, k * steps, Math.min(steps, Math.ceil(c.width / STEP)), this.charset, c.width / STEP),
      ),
    );
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

/** Width of a box once resized to the network's height (a multiple of its step). */
export function networkWidth(box: BBox): number {
  const h = box[3] - box[1];
  return Math.min(MAX_WIDTH, Math.max(STEP * 2, Math.ceil((HEIGHT * (box[2] - box[0])) / h / STEP) * STEP));
}

/** One batch's input tensor: the crops resized to the network's height, padded to `width` (the widest's). */
export function recognitionInput(
  image: RgbaImage,
  crops: Crop[],
  width = Math.max(...crops.map((c) => c.width)),
): BatchInput {
  const n = crops.length;
  const data = new Float32Array(n * 3 * HEIGHT * width);
  crops.forEach((c, k) => fillCrop(image, c.box, c.width, data, k * 3 * HEIGHT * width, width));
  return { data, dims: [n, 3, HEIGHT, width] };
}

/** Bilinear resize of a box to HEIGHT × width, normalised to [-1, 1], BGR CHW; the rest of the padded row stays 0. */
function fillCrop(
  image: RgbaImage,
  box: BBox,
  width: number,
  out: Float32Array,
  offset: number,
  rowWidth: number,
): void {
  const [x1, y1, x2, y2] = box;
  const plane = HEIGHT * rowWidth;
  const { data, width: imgW } = image;
  const cols = samplePoints(x2 - x1, width);
  const rows = samplePoints(y2 - y1, HEIGHT);
  for (let y = 0; y < HEIGHT; y++) {
    const wy = rows.weight[y];
    const rowA = (y1 + rows.a[y]) * imgW + x1;
    const rowB = (y1 + rows.b[y]) * imgW + x1;
    for (let x = 0; x < width; x++) {
      const wx = cols.weight[x];
      const pAA = (rowA + cols.a[x]) * 4;
      const pAB = (rowA + cols.b[x]) * 4;
      const pBA = (rowB + cols.a[x]) * 4;
      const pBB = (rowB + cols.b[x]) * 4;
      const o = offset + y * rowWidth + x;
      for (let c = 0; c < 3; c++) {
        const ch = 2 - c;
        const v =
          (data[pAA + ch] * (1 - wx) + data[pAB + ch] * wx) * (1 - wy) +
          (data[pBA + ch] * (1 - wx) + data[pBB + ch] * wx) * wy;
        out[o + c * plane] = v / 127.5 - 1;
      }
    }
  }
}

/** Greedy CTC: best class per step, repeats collapsed, blanks dropped; keeps each character's step span. */
function ctcDecode(
  bestClass: BigInt64Array,
  bestProb: Float32Array,
  offset: number,
  steps: number,
  charset: string[],
  totalSteps: number,
): Recognised {
  let text = '';
  let confSum = 0;
  let count = 0;
  const spans: [number, number][] = [];
  let prev = 0;
  for (let t = 0; t < steps; t++) {
    const best = Number(bestClass[offset + t]);
    const bestP = bestProb[offset + t];
    if (best !== 0 && best === prev && spans.length) {
      spans[spans.length - 1][1] = (t + 1) / totalSteps;
    } else if (best !== 0) {
      text += charset[best] ?? '';
      spans.push([t / totalSteps, (t + 1) / totalSteps]);
      confSum += bestP;
      count++;
    }
    prev = best;
  }
  return { text, confidence: count ? confSum / count : 0, spans };
}

/** Geometric shapes (○ ● □ ■ …) and the CJK characters the model reads a square mark as. */
const MARK_GLYPH = /^[\u25a0-\u25ff\u2610-\u2612口回]$/u;

/**
 * The gap between two characters' steps beyond which they are not of one word: several times
 * the line's median character pitch (a space the model writes is about one pitch).
 */
function wordGap(spans: [number, number][]): number {
  if (spans.length < 4) return Infinity;
  const pitches = spans
    .slice(1)
    .map((sp, i) => sp[0] - spans[i][0])
    .sort((a, b) => a - b);
  return 1.6 * pitches[Math.floor(pitches.length / 2)];
}

/** A recognised box as a line with words split at spaces; word boxes come from the CTC steps. */
export function toLine(r: Recognised, box: BBox): TextLine | null {
  const trimmed = r.text.trim();
  if (!trimmed) return null;
  const [x1, y1, x2, y2] = box;
  const w = x2 - x1;
  const words: TextRegion[] = [];
  let start = -1;
  const chars = [...r.text];
  const wideGap = wordGap(r.spans);
  for (let i = 0; i <= chars.length; i++) {
    // A radio's or checkbox's mark read glued to its label ("○oui") is a word of its own.
    const afterMark =
      start >= 0 && i === start + 1 && MARK_GLYPH.test(chars[start]) && i < chars.length && /\p{L}/u.test(chars[i]);
    // The model drops the space of a gap far wider than its training text's ("FileEditSearch" in
    // a menu bar): such a gap between two characters is a word break all the same.
    const afterGap = start >= 0 && i > start && i < chars.length && r.spans[i][0] - r.spans[i - 1][1] > wideGap;
    const afterCase = start >= 0 && startsWordInside(chars, start, i);
    // A bar read between two letters is the edge drawn between two tabs or cells ("Summary|Details").
    const edge = chars[i] === '|' && start >= 0 && i + 1 < chars.length && /[\p{L}\p{N}]/u.test(chars[i + 1]);
    const blank = i === chars.length || chars[i] === ' ';
    const isSpace = blank || edge || afterMark || afterGap || afterCase;
    if (!isSpace && start < 0) start = i;
    if (isSpace && start >= 0) {
      const a = r.spans[start][0];
      const b = r.spans[i - 1][1];
      // A character's visible ink starts a little before its CTC peak: widen by half a step.
      const pad = 0.5 / Math.max(1, r.spans.length * 2);
      words.push({
        text: chars.slice(start, i).join(''),
        bbox: [Math.max(x1, Math.floor(x1 + (a - pad) * w)), y1, Math.min(x2, Math.ceil(x1 + (b + pad) * w)), y2],
        confidence: r.confidence,
      });
      // A break read before a space (a wide gap, then the space) starts no word at the space.
      start = !blank && (afterMark || afterGap || afterCase) ? i : -1;
    }
  }
  return { text: words.map((wd) => wd.text).join(' '), bbox: box, confidence: r.confidence, words };
}
