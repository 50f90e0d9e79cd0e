/**
 * OCR = text detection + recognition, with the models loaded once. Boxes are sorted in reading
 * order; tiny and empty results are dropped.
 */
import type { RgbaImage } from '../../platform/types';
import type { BBox, TextLine } from '../../contracts/screen-state';
import { ocrModelPaths } from './models';
import { TextDetector } from './text-detector';
import { TextRecognizer } from './text-recognizer';
import { OcrHelper } from './ocr-helper';
import {
  charactersRead,
  fuller,
  glyphsLeftOut,
  inkCrops,
  labelCrop,
  needsSecondLook,
  surer,
  withMarkWord,
} from './second-look';
import { withoutMnemonics } from './mnemonic';

/** Readings at or below this confidence are not kept as text. */
const KEPT = 0.5;
/** How much surer a label read again without its mark must be to replace a reading that saw no mark. */
const SURER = 0.05;
/** Short readings from here up to KEPT are kept aside as what a key may say (see `unsure`). */
const UNSURE = 0.3;

export interface OcrResult {
  lines: TextLine[];
  timings: { ocr_detect: number; ocr_recognize: number };
  cacheHits: number;
}

export class OcrEngine {
  private constructor(
    /** Detection on this thread, or in the helper thread (then null). */
    private readonly detector: TextDetector | null,
    private readonly recognizer: TextRecognizer,
    private readonly helper: OcrHelper | null,
  ) {}

  /**
   * With two threads or more, a helper thread detects text (with `threads` intra-op threads)
   * while this one analyses the layout, and recognition runs on this thread and the helper at
   * once (half the threads each); with one thread, everything runs here.
   */
  static async load(threads = 2, cacheSize?: number): Promise<OcrEngine> {
    const paths = ocrModelPaths();
    if (threads < 2) {
      const [detector, recognizer] = await Promise.all([
        TextDetector.load(paths.detection, threads),
        TextRecognizer.load(paths.recognition, paths.dictionary, threads, cacheSize),
      ]);
      return new OcrEngine(detector, recognizer, null);
    }
    const half = Math.floor(threads / 2);
    const [helper, recognizer] = await Promise.all([
      OcrHelper.start(paths, { detection: threads, recognition: half }),
      TextRecognizer.load(paths.recognition, paths.dictionary, half, cacheSize),
    ]);
    recognizer.useHelper(helper);
    return new OcrEngine(null, recognizer, helper);
  }

  /**
   * Reads the text of an image. `detectScale` is the resize factor for detection (see
   * defaultDetectScale).
   */
  async read(image: RgbaImage, options: { detectScale?: number } = {}): Promise<OcrResult> {
    const t0 = performance.now();
    const boxes = await this.detect(image, options.detectScale);
    const t1 = performance.now();
    const { lines, cacheHits } = await this.recognize(image, boxes);
    return { lines, timings: { ocr_detect: t1 - t0, ocr_recognize: performance.now() - t1 }, cacheHits };
  }

  /** Text boxes in reading order. */
  async detect(image: RgbaImage, detectScale?: number, region?: BBox): Promise<BBox[]> {
    const scale = detectScale ?? defaultDetectScale(image);
    const detected = this.helper
      ? await this.helper.detect(image, scale, region)
      : await this.detector!.detect(image, scale, region);
    return inReadingOrder(detected.map((d) => d.bbox).filter(([x1, y1, x2, y2]) => x2 - x1 >= 4 && y2 - y1 >= 6));
  }

  /**
   * Recognised lines for the boxes; unreadable boxes are dropped. A label read with the mark
   * before it is read again without it (`labelCrop`). A short reading on a key (`keyOf` gives
   * the key around a box) gets a second look when unsure; one still too unsure to keep comes
   * back in `unsure`: a key whose "0" is read "o" at 0.45 may still be the "0" a user asks for.
   * Elsewhere a short blot is more often an icon, whose second reading would be noise. A short
   * reading on a key that still leaves glyphs of the box out is read once more with a line's
   * margin (`glyphsLeftOut`).
   */
  async recognize(
    image: RgbaImage,
    boxes: BBox[],
    keyOf: (box: BBox) => BBox | null = () => null,
  ): Promise<{ lines: TextLine[]; unsure: TextLine[]; cacheHits: number }> {
    // Every reading below is of the image without its access-key underlines: a label read again
    // without the mark before it is still a label with its key underlined.
    const clean = withoutMnemonics(image, boxes);
    const first = await this.recognizer.recognize(clean, boxes);
    const lines = first.lines;
    const keys = boxes.map((box) => keyOf(box));
    const keyed = keys.map((key) => key !== null);
    const again = boxes.flatMap((box, i) => {
      const key = keys[i];
      return key && needsSecondLook(lines[i], box) ? inkCrops(image, box, key).map((crop) => ({ i, crop })) : [];
    });
    const marked = boxes.flatMap((box, i) => {
      const found = keyed[i] ? null : labelCrop(image, lines[i], box);
      return found ? [{ i, ...found }] : [];
    });
    const crops = [...again.map((a) => a.crop), ...marked.map((m) => m.crop)];
    const second = crops.length ? await this.recognizer.recognize(clean, crops) : { lines: [], cacheHits: 0 };
    again.forEach((a, k) => (lines[a.i] = surer(lines[a.i], second.lines[k])));
    marked.forEach((m, k) => {
      const label = second.lines[again.length + k];
      if (!label || label.confidence <= KEPT) return;
      if (m.markRead) lines[m.i] = withMarkWord(lines[m.i]!, boxes[m.i], m.markEnd, label);
      // The mark not read: the surer reading of the letters replaces the garbled one, in the box.
      else if (label.confidence > lines[m.i]!.confidence + SURER) lines[m.i] = { ...label, bbox: boxes[m.i] };
    });
    // Still fewer characters than glyphs standing apart in the box: once more, with a line's margin.
    const wider = boxes.flatMap((box, i) => {
      const key = keys[i];
      const glyphs = key ? glyphsLeftOut(image, lines[i], box, key) : 0;
      return key && glyphs ? inkCrops(image, box, key, true).map((crop) => ({ i, crop, glyphs })) : [];
    });
    const third = wider.length
      ? await this.recognizer.recognize(
          clean,
          wider.map((w) => w.crop),
        )
      : null;
    wider.forEach((w, k) => (lines[w.i] = fuller(lines[w.i], third!.lines[k], w.glyphs, KEPT)));
    return {
      lines: lines.filter((l): l is TextLine => l !== null && l.confidence > KEPT),
      unsure: lines.filter(
        (l, i): l is TextLine =>
          l !== null && keyed[i] && l.confidence > UNSURE && l.confidence <= KEPT && charactersRead(l) <= 2,
      ),
      cacheHits: first.cacheHits + second.cacheHits + (third?.cacheHits ?? 0),
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.detector?.close(), this.recognizer.close(), this.helper?.close()]);
  }
}

/** Boxes sorted by line, then left to right. */
export function inReadingOrder(boxes: BBox[]): BBox[] {
  return boxes.sort((a, b) => (Math.abs(a[1] - b[1]) < (a[3] - a[1]) / 2 ? a[0] - b[0] : a[1] - b[1]));
}

/**
 * Detection runs at 0.75 of logical (100 %) size: measured on rendered French forms, UI text
 * is still fully found there and detection takes less than half the time of full size.
 */
export const DETECT_SCALE = 0.75;

export function defaultDetectScale(image: RgbaImage): number {
  const logical = DETECT_SCALE / Math.max(1, image.scaleFactor || 1);
  return Math.min(logical, 1440 / Math.max(image.width, image.height));
}
