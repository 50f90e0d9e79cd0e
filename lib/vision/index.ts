/**
 * The vision engine's library API: analyse a screenshot (OCR + UI elements), locate a target by
 * meaning, compute a state embedding. Models load once per engine; analyses are cached by
 * image hash, and recognised text by crop hash, so an unchanged screen costs almost nothing.
 *
 *   const vision = await createVisionEngine();
 *   const screen = await vision.analyze('shot.png');
 *   const hit = await vision.locate(screen, { text: 'Montant', type: 'text_input' });
 *   const emb = await vision.embed(screen, { title: 'Factures - Clinique Demo' });
 *   await vision.close();
 */
import * as fs from 'fs';
import * as path from 'path';
import type { RgbaImage } from '../platform/types';
import type { BBox, TextLine } from '../contracts/screen-state';
import { embedState, type ImageEncoder } from './state-embedding';
import {
  analyzeLayout,
  detectElements,
  glyphBoxes,
  keyAround,
  splitTextBoxesAtEdges,
  textBoxesInsideFrames,
  type PixelLayout,
} from './elements/element-detector';
import {
  controlsWithTextCut,
  listsWithLinesMissed,
  regionsByRow,
  withMissedLines,
  withTextDetectedAgain,
} from './elements/cut-text';
import { grow, intersects } from './change-regions';
import { keepUnchangedBoxes, RecentFrames } from './recent-frames';
import { decodeImage } from '../image/codec';
import { hashImage } from '../image/pixels';
import { locateIn } from './locate';
import { inReadingOrder, OcrEngine } from './ocr/ocr-engine';
import { activeProfile, stage, stageAsync } from './stage-profile';
import { loadElementDetector, loadImageEncoder, type ElementDetectorPlugin } from './plugins';
import { mergeDetectorBoxes } from './elements/plugin-merge';
import { textOffCapsuleEnds } from './elements/capsules';
import { dialogActionsAsButtons } from './modal-panel';
import type { ImageInput, LocateResult, LocateTarget, ScreenAnalysis, StateEmbedding, VisionOptions } from './types';

export * from './types';
export { normalizeText, textSimilarity } from './text-match';
export { LocateError, normalizeElementType } from './locate';
export { ImageLoadError, decodeImage } from '../image/codec';
export { cosineSimilarity } from './state-embedding';

export interface AnalyzeOptions {
  windowTitle?: string;
  previous?: ScreenAnalysis;
  scaleFactor?: number;
  /**
   * Read the whole frame, never re-detecting only where it changed since the previous one: the
   * screen is then read as one read on its own (as the learner reads its screenshots).
   */
  wholeFrame?: boolean;
}

export interface VisionEngine {
  /** Full analysis of one screenshot: OCR lines/words, UI elements, timings. */
  analyze(image: ImageInput, options?: AnalyzeOptions): Promise<ScreenAnalysis>;
  /** Where to click for a target described by meaning. */
  locate(image: ImageInput | ScreenAnalysis, target: LocateTarget): Promise<LocateResult>;
  /** State embedding (unit Float32Array) of a screenshot. */
  /** `data`: values known to be data on this screen (typed text, a run's parameter values), left out like a list's items. */
  embed(
    image: ImageInput | ScreenAnalysis,
    options?: { title?: string; data?: readonly string[] },
  ): Promise<StateEmbedding>;
  close(): Promise<void>;
}

const ANALYSIS_CACHE = 16;

function isAnalysis(x: unknown): x is ScreenAnalysis {
  return typeof x === 'object' && x !== null && 'elements' in x && 'imageHash' in x;
}

function defaultModelsDir(): string {
  // dist/lib/vision → package root /models
  return path.resolve(__dirname, '..', '..', '..', 'models');
}

class Engine implements VisionEngine {
  private readonly cache = new Map<string, ScreenAnalysis>();
  private readonly embeddings = new Map<string, StateEmbedding>();
  /** The last frame of each size and its text boxes, for change-region detection. */
  private readonly recentFrames = new RecentFrames();
  /** Hashes of cached analyses whose text boxes were re-detected only where the frame changed. */
  private readonly partlyRead = new Set<string>();
  private encoder: (ImageEncoder & { close(): Promise<void> }) | null = null;

  constructor(
    private readonly ocr: OcrEngine,
    private readonly detector: ElementDetectorPlugin | null,
    encoder: (ImageEncoder & { close(): Promise<void> }) | null,
    private readonly options: VisionOptions,
  ) {
    this.encoder = encoder;
  }

  async analyze(input: ImageInput, options: AnalyzeOptions = {}): Promise<ScreenAnalysis> {
    const t0 = performance.now();
    const image = await stageAsync('decode', () => decodeImage(input, options.scaleFactor ?? 1));
    const t1 = performance.now();
    // The scale changes how the screen is read, so it is part of the cache key.
    const imageHash = stage('hash', () => `${hashImage(image)}@${image.scaleFactor}`);
    const t2 = performance.now();
    const known = options.previous?.imageHash === imageHash ? options.previous : this.cache.get(imageHash);
    if (known && !(options.wholeFrame && this.partlyRead.has(imageHash))) {
      const timings = {
        decode: t1 - t0,
        hash: t2 - t1,
        ocr_detect: 0,
        ocr_recognize: 0,
        elements: 0,
        total: performance.now() - t0,
        reused: 1,
      };
      return withImage({ ...known, timings }, image, known.boxes, known.unsure);
    }
    // Text detection (after a small change on the same screen, only where the pixels changed)
    // runs in the OCR helper thread while the pixel layout is analysed here. Under stage
    // profiling the two run one after the other, so that CPU time is attributed to each.
    const detecting = this.detectText(image, imageHash, !options.wholeFrame);
    if (activeProfile()) await detecting;
    const layout = stage('layout', () => analyzeLayout(image));
    const t3 = performance.now();
    const found = await detecting;
    const boxes = textOffCapsuleEnds(
      textBoxesInsideFrames(
        await this.detectCutTextAgain(image, layout, splitTextBoxesAtEdges(found, layout, image)),
        layout,
        image.scaleFactor || 1,
      ),
      layout.rects,
      image,
    );
    const glyphs = stage('layout', () => glyphBoxes(layout, boxes, image));
    const pieces = new Set(glyphs.map((g) => g.replaces));
    const t4 = performance.now();
    // Short labels on keys get a second look and, when still unsure, are kept aside (see OcrEngine).
    const ocr = await this.ocr.recognize(
      image,
      [...boxes.filter((b) => !pieces.has(b)), ...glyphs.filter((g) => !g.text).map((g) => g.bbox)],
      (b) => keyAround(layout, image, b),
    );
    ocr.lines.push(...glyphs.filter((g) => g.text).map((g) => glyphLine(g.text!, g.bbox)));
    const t5 = performance.now();
    let elements = stage('elements', () =>
      dialogActionsAsButtons(image, ocr.lines, detectElements(image, ocr.lines, { layout })),
    );
    if (this.detector) elements = mergeDetectorBoxes(elements, await this.detector.detect(image), image);
    const t6 = performance.now();
    const analysis: ScreenAnalysis = {
      width: image.width,
      height: image.height,
      scaleFactor: image.scaleFactor,
      imageHash,
      text: ocr.lines,
      elements,
      timings: {
        decode: t1 - t0,
        hash: t2 - t1,
        layout: t3 - t2,
        ocr_detect: t4 - t2,
        ocr_recognize: t5 - t4,
        ocr_cache_hits: ocr.cacheHits,
        elements: t6 - t5,
        total: t6 - t0,
      },
    };
    const stored = withImage(
      analysis,
      image,
      layout.rects.map((r) => r.bbox),
      ocr.unsure,
    );
    // The cache keeps no pixels (8 MB a screen): a hit comes with the image just decoded, the same.
    this.remember(imageHash, withImage(analysis, null, stored.boxes, stored.unsure));
    return stored;
  }

  /**
   * The boxes, with a box for each line of a list that detection missed, and the text of controls
   * it cuts detected again at full size (see cut-text.ts).
   */
  private async detectCutTextAgain(image: RgbaImage, layout: PixelLayout, detected: BBox[]): Promise<BBox[]> {
    const lists = stage('layout', () => listsWithLinesMissed(layout, detected, image));
    const boxes = lists.length ? inReadingOrder(withMissedLines(detected, lists)) : detected;
    const cut = stage('layout', () => controlsWithTextCut(layout, boxes, image));
    if (!cut.length) return boxes;
    const fullSize = 1 / Math.max(1, image.scaleFactor || 1);
    const regions = regionsByRow(
      cut.map((c) => c.control),
      image,
    );
    // A box touching its region's edge runs out of it: read in part, it would replace a whole one.
    const again = (
      await Promise.all(
        regions.map(async (r) => (await this.ocr.detect(image, fullSize, r)).filter((b) => !touchesEdge(b, r, image))),
      )
    ).flat();
    return inReadingOrder(withTextDetectedAgain(boxes, cut, splitTextBoxesAtEdges(again, layout, image)));
  }

  /** Text boxes of the image, reusing the previous frame's boxes outside the region that changed. */
  private async detectText(image: RgbaImage, imageHash: string, mayReuse: boolean): Promise<BBox[]> {
    const reuse = this.options.frameReuse ?? this.options.recognitionCacheSize !== 0;
    const near = reuse && mayReuse ? this.recentFrames.previous(image) : undefined;
    this.partlyRead.delete(imageHash);
    let boxes: BBox[];
    const changed = near?.changed;
    if (near && changed && area(changed) < image.width * image.height * 0.4) {
      const last = near.frame;
      // Grow the region so text cut by its edge is detected whole, and replace the old boxes it touches.
      let region = grow(changed, Math.round(48 * (image.scaleFactor || 1)), image.width, image.height);
      // Take in the old text lines the region cuts, so the re-detection sees them whole.
      for (const b of last.boxes)
        if (intersects(b, region))
          region = [
            Math.min(region[0], b[0]),
            Math.min(region[1], b[1]),
            Math.max(region[2], b[2]),
            Math.max(region[3], b[3]),
          ];
      region = grow(region, 8, image.width, image.height);
      const fresh = await this.ocr.detect(image, undefined, region);
      const cut = fresh.some((b) => touchesEdge(b, region, image));
      // Text running across the region's edge would be read in halves: detect the whole screen then.
      boxes = cut
        ? await this.ocr.detect(image)
        : [...last.boxes.filter((b) => !intersects(b, region)), ...keepUnchangedBoxes(fresh, last, image)];
      if (!cut) this.partlyRead.add(imageHash);
    } else if (near && changed === null) {
      boxes = near.frame.boxes;
      this.partlyRead.add(imageHash); // as read as that frame was
    } else {
      boxes = await this.ocr.detect(image);
    }
    if (reuse) this.recentFrames.remember({ image, boxes });
    return boxes;
  }

  private remember(hash: string, analysis: ScreenAnalysis): void {
    if (this.cache.size >= ANALYSIS_CACHE) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
      this.partlyRead.delete(oldest);
    }
    this.cache.set(hash, analysis);
  }

  private async analysisOf(input: ImageInput | ScreenAnalysis): Promise<ScreenAnalysis> {
    return isAnalysis(input) ? input : this.analyze(input);
  }

  async locate(input: ImageInput | ScreenAnalysis, target: LocateTarget): Promise<LocateResult> {
    const t0 = performance.now();
    const analysis = await this.analysisOf(input);
    const result = await locateIn(analysis, target);
    return { ...result, timing_ms: round(performance.now() - t0) };
  }

  async embed(
    input: ImageInput | ScreenAnalysis,
    options: { title?: string; data?: readonly string[] } = {},
  ): Promise<StateEmbedding> {
    const t0 = performance.now();
    const analysis = await this.analysisOf(input);
    const key = `${analysis.imageHash}|${options.title ?? ''}|${(options.data ?? []).join('\u0000')}`;
    const known = this.embeddings.get(key);
    if (known) return { ...known, timing_ms: round(performance.now() - t0) };
    const image = analysis.image ?? (isAnalysis(input) ? null : await decodeImage(input));
    if (!image)
      throw new Error(
        'embed needs the pixels of the screen, but the analysis given has none (analyse the image with this engine first)',
      );
    const embedding = await stageAsync('embedding', () =>
      embedState(analysis, image, {
        title: options.title,
        data: options.data,
        weights: this.options.embeddingWeights,
        imageEncoder: this.encoder ?? undefined,
      }),
    );
    if (this.embeddings.size >= ANALYSIS_CACHE) this.embeddings.delete(this.embeddings.keys().next().value as string);
    this.embeddings.set(key, embedding);
    return { ...embedding, timing_ms: round(performance.now() - t0) };
  }

  async close(): Promise<void> {
    this.cache.clear();
    this.partlyRead.clear();
    this.embeddings.clear();
    this.recentFrames.clear();
    await Promise.all([this.ocr.close(), this.detector?.close(), this.encoder?.close()]);
  }
}

/** Keeps the pixels (and the raw boxes) with the analysis without serialising them. */
function withImage(
  analysis: ScreenAnalysis,
  image: RgbaImage | null,
  boxes?: BBox[],
  unsure?: TextLine[],
): ScreenAnalysis {
  const copy = { ...analysis };
  if (image) Object.defineProperty(copy, 'image', { value: image, enumerable: false });
  Object.defineProperty(copy, 'boxes', { value: boxes ?? analysis.boxes ?? [], enumerable: false });
  Object.defineProperty(copy, 'unsure', { value: unsure ?? analysis.unsure ?? [], enumerable: false });
  return copy;
}

/** A glyph told by its shape, as a recognised line of one word. */
function glyphLine(text: string, bbox: BBox): TextLine {
  const confidence = 0.8;
  return { text, bbox, confidence, words: [{ text, bbox, confidence }] };
}

function area(b: BBox): number {
  return (b[2] - b[0]) * (b[3] - b[1]);
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

/** Runs `fn` with an engine that is closed afterwards, whatever happens (the CLI's pattern). */
export async function withVisionEngine<T>(
  fn: (vision: VisionEngine) => Promise<T>,
  options?: VisionOptions,
): Promise<T> {
  const vision = await createVisionEngine(options);
  try {
    return await fn(vision);
  } finally {
    await vision.close();
  }
}

export async function createVisionEngine(options: VisionOptions = {}): Promise<VisionEngine> {
  const threads = options.threads ?? 2;
  const modelsDir = options.modelsDir ?? defaultModelsDir();
  const hasModels = fs.existsSync(modelsDir);
  const [ocr, detector, encoder] = await Promise.all([
    OcrEngine.load(threads, options.recognitionCacheSize),
    hasModels ? loadElementDetector(modelsDir, threads) : null,
    hasModels ? loadImageEncoder(modelsDir, threads) : null,
  ]);
  return new Engine(ocr, detector, encoder, options);
}

/** Whether a box detected in `region` reaches one of its edges inside the image. */
function touchesEdge(b: BBox, region: BBox, image: RgbaImage): boolean {
  return (
    (b[0] <= region[0] + 1 && region[0] > 0) ||
    (b[2] >= region[2] - 1 && region[2] < image.width) ||
    (b[1] <= region[1] + 1 && region[1] > 0) ||
    (b[3] >= region[3] - 1 && region[3] < image.height)
  );
}
