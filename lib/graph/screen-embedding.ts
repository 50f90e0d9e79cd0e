/**
 * The one convention for the state embeddings a workflow's prototypes are compared with: the
 * screen is cropped to the window the user works in (its bounds, when known) before it is
 * analysed and embedded. Learned prototypes are made this way, so whoever matches a live
 * screen against them (match-node, the runner) must embed it this way too: a whole-screen
 * embedding of the same window measures only ~0.7 against its window-crop prototype, while a
 * window crop stays the same wherever the window is and whatever is open beside it.
 */
import type { BBox } from '../contracts/screen-state';
import type { RgbaImage } from '../platform/types';
import { decodeImage } from '../image/codec';
import { crop } from '../image/pixels';
import type { ImageInput, ScreenAnalysis, StateEmbedding, VisionEngine } from '../vision';

/** Recorded in `workflow.metadata.embedding_frame` of learned workflows. */
export const EMBEDDING_FRAME = 'active_window';

export interface ScreenWindow {
  title?: string;
  /** [x1, y1, x2, y2] in screen pixels. */
  bounds?: BBox | null;
  /** Values known to be data on the screen (what the person typed): see VisionEngine.embed. */
  data?: readonly string[];
}

export interface WindowScreen {
  analysis: ScreenAnalysis;
  vector: Float32Array;
  provider: string;
  /** The whole embedding (provider, fusion, weights), for a ScreenState. */
  embedding: StateEmbedding;
  /** The crop in screen pixels (the whole screen when the window bounds are unknown or off-screen). */
  frame: BBox;
}

/** The window's bounds clipped to the screen, or the whole screen. */
export function windowFrame(width: number, height: number, bounds?: BBox | null): BBox {
  if (!bounds) return [0, 0, width, height];
  const frame: BBox = [
    Math.max(0, bounds[0]),
    Math.max(0, bounds[1]),
    Math.min(width, bounds[2]),
    Math.min(height, bounds[3]),
  ];
  return frame[2] - frame[0] >= 32 && frame[3] - frame[1] >= 32 ? frame : [0, 0, width, height];
}

/** Analyses and embeds the window's part of a screenshot; boxes in the analysis are relative to `frame`. */
export async function embedWindowScreen(
  vision: VisionEngine,
  screenshot: ImageInput,
  window: ScreenWindow = {},
  options: { scaleFactor?: number } = {},
): Promise<WindowScreen> {
  const full: RgbaImage = await decodeImage(screenshot);
  const frame = windowFrame(full.width, full.height, window.bounds);
  const whole = frame[0] === 0 && frame[1] === 0 && frame[2] === full.width && frame[3] === full.height;
  const image = whole ? full : crop(full, frame[0], frame[1], frame[2], frame[3]);
  const analysis = await vision.analyze(image, {
    windowTitle: window.title,
    scaleFactor: options.scaleFactor ?? full.scaleFactor,
  });
  const embedding = await vision.embed(analysis, { title: window.title ?? '', data: window.data });
  return { analysis, vector: embedding.vector, provider: embedding.provider, embedding, frame };
}
