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
import type { BBox } from '../contracts/screen-state';
import { embedState, type ImageEncoder } from '../state/state-embedding';
import { analyzeLayout, detectElements, glyphBoxes, splitTextBoxesAtEdges, type PixelLayout } from './elements/element-detector';
import { changedBox, grow, intersects } from './change-regions';
import { hashImage, loadImage } from './image';
import { boxesAround, couldHoldText, locateIn, textTheTargetNames } from './locate';
import { OcrEngine, readable } from './ocr/ocr-engine';
import type { RecognitionPlan } from './ocr/text-recognizer';
import { activeProfile, stage, stageAsync } from './stage-profile';
import { loadElementDetector, loadImageEncoder, type ElementDetectorPlugin } from './plugins';
import { mergeDetectorBoxes } from './elements/plugin-merge';
import type { ImageInput, LocateResult, LocateTarget, ScreenAnalysis, StateEmbedding, VisionOptions } from './types';

export * from './types';
export { normalizeText, textSimilarity } from './text-match';
export { LocateError, normalizeElementType } from './locate';
export { ImageLoadError, loadImage } from './image';
export { cosineSimilarity } from '../state/state-embedding';

export interface VisionEngine {
  /** Full analysis of one screenshot: OCR lines/words, UI elements, timings. */
  analyze(image: ImageInput, options?: { windowTitle?: string; previous?: ScreenAnalysis; scaleFactor?: number }): Promise<ScreenAnalysis>;
  /** Where to click for a target described by meaning. */
  locate(image: ImageInput | ScreenAnalysis, target: LocateTarget): Promise<LocateResult>;
  /** State embedding (unit Float32Array) of a screenshot. */
  embed(image: ImageInput | ScreenAnalysis, options?: { title?: string }): Promise<StateEmbedding>;
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
  /** The last frame of each screen shape and its text boxes, for change-region detection. */
  private readonly lastFrame = new Map<string, { image: RgbaImage; boxes: BBox[] }>();
  /** Screens whose analysis a cold locate started (text partly read), by image hash. */
  private readonly started = new Map<string, StartedAnalysis>();
  private encoder: (ImageEncoder & { close(): Promise<void> }) | null = null;

  constructor(
    private readonly ocr: OcrEngine,
    private readonly detector: ElementDetectorPlugin | null,
    encoder: (ImageEncoder & { close(): Promise<void> }) | null,
    private readonly options: VisionOptions,
  ) {
    this.encoder = encoder;
  }

  async analyze(input: ImageInput, options: { windowTitle?: string; previous?: ScreenAnalysis; scaleFactor?: number } = {}): Promise<ScreenAnalysis> {
    const t0 = performance.now();
    const image = await stageAsync('decode', () => loadImage(input, options.scaleFactor ?? 1));
    const t1 = performance.now();
    // The scale changes how the screen is read, so it is part of the cache key.
    const imageHash = stage('hash', () => `${hashImage(image)}@${image.scaleFactor}`);
    const t2 = performance.now();
    const known = options.previous?.imageHash === imageHash ? options.previous : this.cache.get(imageHash);
    if (known) {
      const timings = { decode: t1 - t0, hash: t2 - t1, ocr_detect: 0, ocr_recognize: 0, elements: 0, total: performance.now() - t0, reused: 1 };
      return withImage({ ...known, timings }, image, known.boxes);
    }
    // A cold locate may have read part of this screen's text already: the rest is read now.
    const started = this.started.get(imageHash) ?? (await this.start(image, imageHash, { decode: t1 - t0, hash: t2 - t1 }, t0));
    return this.finish(started);
  }

  /**
   * The first part of an analysis: text boxes and pixel layout, and the plan that recognises
   * the boxes' text (run all at once by finish(), or partly first by a cold locate).
   */
  private async start(image: RgbaImage, imageHash: string, timings: Record<string, number>, t0: number): Promise<StartedAnalysis> {
    const t2 = performance.now();
    // Text detection (after a small change on the same screen, only where the pixels changed)
    // runs in the OCR helper thread while the pixel layout is analysed here. Under stage
    // profiling the two run one after the other, so that CPU time is attributed to each.
    const detecting = this.detectText(image);
    if (activeProfile()) await detecting;
    const layout = stage('layout', () => analyzeLayout(image));
    const t3 = performance.now();
    const found = await detecting;
    const boxes = stage('layout', () => {
      const detected = splitTextBoxesAtEdges(found, layout);
      return [...detected, ...glyphBoxes(layout, detected, image)];
    });
    const t4 = performance.now();
    const started: StartedAnalysis = { image, imageHash, layout, boxes, plan: this.ocr.plan(image, boxes), timings: { ...timings, layout: t3 - t2, ocr_detect: t4 - t2 }, t0 };
    if (this.started.size >= 4) this.started.delete(this.started.keys().next().value as string);
    if (this.cacheSize > 0) this.started.set(imageHash, started);
    return started;
  }

  /** Reads the text not read yet, detects the elements and keeps the complete analysis. */
  private async finish(started: StartedAnalysis): Promise<ScreenAnalysis> {
    const { image, imageHash, layout, plan } = started;
    const t4 = performance.now();
    await plan.read();
    const lines = readable(plan.lines());
    const t5 = performance.now();
    let elements = stage('elements', () => detectElements(image, lines, { layout }));
    if (this.detector) elements = mergeDetectorBoxes(elements, await this.detector.detect(image), image);
    const t6 = performance.now();
    const analysis: ScreenAnalysis = {
      width: image.width,
      height: image.height,
      scaleFactor: image.scaleFactor,
      imageHash,
      text: lines,
      elements,
      timings: { ...started.timings, ocr_recognize: t5 - t4, ocr_cache_hits: plan.cacheHits, elements: t6 - t5, total: t6 - started.t0 },
    };
    const stored = withImage(analysis, image, layout.rects.map((r) => r.bbox));
    this.started.delete(imageHash);
    this.remember(imageHash, stored);
    return stored;
  }

  /** The analysis as far as the text read so far goes (for a cold locate; never cached). */
  private partial(started: StartedAnalysis): ScreenAnalysis {
    const { image, imageHash, layout, plan } = started;
    const lines = readable(plan.lines());
    const elements = stage('elements', () => detectElements(image, lines, { layout }));
    const analysis: ScreenAnalysis = { width: image.width, height: image.height, scaleFactor: image.scaleFactor, imageHash, text: lines, elements, timings: {} };
    return withImage(analysis, image, layout.rects.map((r) => r.bbox));
  }

  /** Text boxes of the image, reusing the previous frame's boxes outside the region that changed. */
  private async detectText(image: RgbaImage): Promise<BBox[]> {
    const shape = `${image.width}x${image.height}@${image.scaleFactor}`;
    const reuse = this.options.frameReuse ?? this.options.recognitionCacheSize !== 0;
    const last = reuse ? this.lastFrame.get(shape) : undefined;
    let boxes: BBox[];
    const changed = last ? changedBox(last.image, image) : undefined;
    if (last && changed && area(changed) < image.width * image.height * 0.4) {
      // Grow the region so text cut by its edge is detected whole, and replace the old boxes it touches.
      let region = grow(changed, Math.round(48 * (image.scaleFactor || 1)), image.width, image.height);
      // Take in the old text lines the region cuts, so the re-detection sees them whole.
      for (const b of last.boxes) if (intersects(b, region)) region = [Math.min(region[0], b[0]), Math.min(region[1], b[1]), Math.max(region[2], b[2]), Math.max(region[3], b[3])];
      region = grow(region, 8, image.width, image.height);
      const fresh = await this.ocr.detect(image, undefined, region);
      const cut = fresh.some((b) => (b[0] <= region[0] + 1 && region[0] > 0) || (b[2] >= region[2] - 1 && region[2] < image.width) || (b[1] <= region[1] + 1 && region[1] > 0) || (b[3] >= region[3] - 1 && region[3] < image.height));
      // Text running across the region's edge would be read in halves: detect the whole screen then.
      boxes = cut ? await this.ocr.detect(image) : [...last.boxes.filter((b) => !intersects(b, region)), ...fresh];
    } else if (last && changed === null) {
      boxes = last.boxes;
    } else {
      boxes = await this.ocr.detect(image);
    }
    if (reuse) this.lastFrame.set(shape, { image, boxes });
    if (this.lastFrame.size > 4) this.lastFrame.delete(this.lastFrame.keys().next().value as string);
    return boxes;
  }

  private get cacheSize(): number {
    return this.options.analysisCacheSize ?? ANALYSIS_CACHE;
  }

  private remember(hash: string, analysis: ScreenAnalysis): void {
    if (this.cacheSize <= 0) return;
    if (this.cache.size >= this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(hash, analysis);
  }

  private async analysisOf(input: ImageInput | ScreenAnalysis): Promise<ScreenAnalysis> {
    return isAnalysis(input) ? input : this.analyze(input);
  }

  async locate(input: ImageInput | ScreenAnalysis, target: LocateTarget): Promise<LocateResult> {
    const t0 = performance.now();
    const result = isAnalysis(input) ? await locateIn(input, target) : await this.locateOnNewScreen(input, target);
    return { ...result, timing_ms: round(performance.now() - t0) };
  }

  /**
   * A locate on a screen not analysed yet reads first only the text boxes whose shape can hold
   * the target's text or its near text, then the boxes around the candidates found (a label's
   * field, a row's other cells, a competing label), until the candidates' surroundings are all
   * read. With no candidate, or a target not described by text, the whole screen is read. The
   * rest of the text is read when the screen's analysis is asked for (analyze, embed). Each box
   * is read in the batch a full analysis gives it, so its text is the same; the answer was the
   * full analysis's on every grounding bench target (bench/cold-locate-ab.ts). On short queries
   * the gain is small: any line longer than the query may hold it.
   */
  private async locateOnNewScreen(input: ImageInput, target: LocateTarget): Promise<Omit<LocateResult, 'timing_ms'>> {
    const t0 = performance.now();
    const image = await stageAsync('decode', () => loadImage(input));
    const t1 = performance.now();
    const imageHash = stage('hash', () => `${hashImage(image)}@${image.scaleFactor}`);
    const known = this.cache.get(imageHash);
    const texts = textTheTargetNames(target);
    if (known || !texts.length || target.anchorImage || this.detector) return locateIn(known ? withImage(known, image, known.boxes) : await this.analyze(image), target);
    const started = this.started.get(imageHash) ?? (await this.start(image, imageHash, { decode: t1 - t0, hash: performance.now() - t1 }, t0));
    const { boxes, plan } = started;
    await plan.read((i) => couldHoldText(boxes[i], texts));
    for (let round = 0; round < 4; round++) {
      // Everything read already: the complete analysis costs no more, and is kept for later calls.
      if (boxes.every((_, i) => plan.isRead(i))) break;
      const result = await locateIn(this.partial(started), target);
      if (!result.found && !result.ambiguous) break;
      const around = boxesAround([...result.candidates.map((c) => c.bbox), ...(result.bbox ? [result.bbox] : [])], boxes);
      const unread = around.filter((i) => !plan.isRead(i));
      if (!unread.length) return result;
      const wanted = new Set(unread);
      await plan.read((i) => wanted.has(i));
    }
    return locateIn(await this.finish(started), target);
  }

  async embed(input: ImageInput | ScreenAnalysis, options: { title?: string } = {}): Promise<StateEmbedding> {
    const t0 = performance.now();
    const analysis = await this.analysisOf(input);
    const key = `${analysis.imageHash}|${options.title ?? ''}`;
    const known = this.embeddings.get(key);
    if (known) return { ...known, timing_ms: round(performance.now() - t0) };
    const image = analysis.image ?? (isAnalysis(input) ? null : await loadImage(input));
    if (!image) throw new Error('embed needs the pixels of the screen, but the analysis given has none (analyse the image with this engine first)');
    const embedding = await stageAsync('embedding', () => embedState(analysis, image, { title: options.title, weights: this.options.embeddingWeights, imageEncoder: this.encoder ?? undefined }));
    if (this.embeddings.size >= ANALYSIS_CACHE) this.embeddings.delete(this.embeddings.keys().next().value as string);
    this.embeddings.set(key, embedding);
    return { ...embedding, timing_ms: round(performance.now() - t0) };
  }

  async close(): Promise<void> {
    this.cache.clear();
    this.started.clear();
    this.embeddings.clear();
    this.lastFrame.clear();
    await Promise.all([this.ocr.close(), this.detector?.close(), this.encoder?.close()]);
  }
}

/** An analysis under way: boxes and layout known, text read as far as `plan` went. */
interface StartedAnalysis {
  image: RgbaImage;
  imageHash: string;
  layout: PixelLayout;
  boxes: BBox[];
  plan: RecognitionPlan;
  timings: Record<string, number>;
  t0: number;
}

/** Keeps the pixels (and the raw boxes) with the analysis without serialising them. */
function withImage(analysis: ScreenAnalysis, image: RgbaImage, boxes?: BBox[]): ScreenAnalysis {
  const copy = { ...analysis };
  Object.defineProperty(copy, 'image', { value: image, enumerable: false });
  Object.defineProperty(copy, 'boxes', { value: boxes ?? analysis.boxes ?? [], enumerable: false });
  return copy;
}

function area(b: BBox): number {
  return (b[2] - b[0]) * (b[3] - b[1]);
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

/** Runs `fn` with an engine that is closed afterwards, whatever happens (the CLI's pattern). */
export async function withVisionEngine<T>(fn: (vision: VisionEngine) => Promise<T>, options?: VisionOptions): Promise<T> {
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
