/**
 * Public value types of the vision engine: what analyze() returns, what locate() takes and
 * returns, what embed() returns. Other layers (execute, learn, the benchmark) build on these.
 */
import type { RgbaImage } from '../platform/types';
import type { BBox, ElementType, Point2, TextLine, UIElement } from '../contracts/screen-state';

export type { BBox, ElementType, Point2, TextLine, UIElement };

/** An image given by value, by PNG/JPEG path, or as an encoded PNG/JPEG buffer. */
export type ImageInput = RgbaImage | string | Buffer;

/** Everything one look at a screenshot found. */
export interface ScreenAnalysis {
  width: number;
  height: number;
  /** Physical pixels per logical pixel (1 at 100 %, 2 at 200 %), estimated from text height when unknown. */
  scaleFactor: number;
  /** Hash of the pixels: equal hashes mean an identical screen. */
  imageHash: string;
  /** OCR lines, each with its words. */
  text: TextLine[];
  elements: UIElement[];
  /** Milliseconds per stage (decode, ocr_detect, ocr_recognize, elements, total). */
  timings: Record<string, number>;
  /** The pixels analysed; not serialised (non-enumerable). */
  readonly image?: RgbaImage;
  /** Every control-sized box the pixels show, classified or not (for late label → field pairing); not serialised. */
  readonly boxes?: BBox[];
  /**
   * Short readings on keys too unsure to be text ("o" at 0.45 on a key that shows "0"): a query
   * they may be is not settled elsewhere without them; not serialised.
   */
  readonly unsure?: TextLine[];
}

/** A target described by meaning, never by pixels alone (Playwright locator idea). */
export interface LocateTarget {
  /** Visible text or label; fuzzy, accent- and case-insensitive. */
  text?: string;
  /** Alias of text for fields: the label next to or above the control. */
  label?: string;
  type?: ElementType;
  role?: string;
  /** Text of something close to the target; the nearest candidate wins. */
  near?: string;
  /** A crop of the target as it looked once; matched across scales 0.5–2. */
  anchorImage?: ImageInput;
  /** 0-based index among candidates ordered top-to-bottom, left-to-right; opts out of strict mode. */
  nth?: number;
  /** Minimum text similarity (0–1) for a candidate; 0.75 by default. */
  minScore?: number;
}

export interface LocateCandidate {
  element_id: string | null;
  type: ElementType | null;
  label: string;
  bbox: BBox;
  center: Point2;
  score: number;
}

export interface LocateResult {
  found: boolean;
  center: Point2 | null;
  bbox: BBox | null;
  score: number;
  /** How it was found, e.g. "label->control", "text", "anchor_image", "element". */
  strategy: string;
  /** Every candidate above threshold, best first. */
  candidates: LocateCandidate[];
  /** True when several candidates matched equally and no nth/near disambiguated them (strict mode). */
  ambiguous: boolean;
  /** The matched element, when the target is a detected element. */
  element: UIElement | null;
  timing_ms: number;
}

export interface EmbeddingWeights {
  image: number;
  text: number;
  title: number;
  ui: number;
  /** A dialog over the content (its presence, title and buttons): the list vs the list with a confirmation on top. */
  modal: number;
}

export interface StateEmbedding {
  /** Unit-length fused vector. */
  vector: Float32Array;
  dimensions: number;
  provider: string;
  fusion_method: 'weighted';
  weights: EmbeddingWeights;
  /** The words the text component was computed from (data left out: numbers, table rows, field values). */
  source_text: string;
  /** The dialog found over the screen's content, or null. */
  modal: { bbox: BBox; title: string; buttons: string[] } | null;
  timing_ms: number;
}

export interface VisionOptions {
  /** Threads for onnxruntime; 2 by default (the target machine has 2 cores). */
  threads?: number;
  /** Weights of the embedding fusion (image, text, title, ui, modal); 0.15/0.45/0.1/0.1/0.2 by default (lib/vision/state-embedding.ts says why). */
  embeddingWeights?: Partial<EmbeddingWeights>;
  /** Directory with optional user models (ONNX element detector, image encoder); "models/" of the package by default. */
  modelsDir?: string;
  /** Entries kept in the recognition cache (crop hash → text); 0 turns it off. */
  recognitionCacheSize?: number;
  /**
   * Reuse work between frames: after a small change on a screen of the same size, text detection
   * only re-runs where the pixels changed. On by default; off when recognitionCacheSize is 0, so
   * a "cold" engine measures each screen on its own.
   */
  frameReuse?: boolean;
}
