/**
 * The state embedding: the seed's weighted fusion of image, text, window title and UI elements
 * (0.5 / 0.3 / 0.1 / 0.1 by default) into one unit vector, computed offline from what the
 * project ships.
 *
 * Each component is a fixed-size descriptor, normalised, then scaled by √weight and
 * concatenated; the cosine similarity of two fused vectors is therefore the weighted mean of
 * the components' cosine similarities (for components both screens have).
 *
 * - image: a layout descriptor — a 16×9 grid of brightness, edge density and distance from the
 *   dominant brightness, over the content's bounding box shrunk to a fixed size, each channel
 *   standardised over the grid (so resolution and window size do not matter, layout does);
 * - text: hashed character trigrams of the screen's fixed text (labels, buttons, headings) with
 *   numbers and dates masked and data (field values, table rows) left out, so the same screen
 *   with other data gives the same vector;
 * - title: hashed trigrams of the window title, numbers masked;
 * - ui: counts of element types per cell of a 3×3 grid of the screen.
 */
import { createHash } from 'crypto';
import sharp from 'sharp';
import type { RgbaImage } from '../platform/types';
import type { BBox, UIElement } from '../contracts/screen-state';
import { crop } from '../vision/image';
import { normalizeText } from '../vision/text-match';
import type { EmbeddingWeights, ScreenAnalysis, StateEmbedding } from '../vision/types';

export const DEFAULT_WEIGHTS: EmbeddingWeights = { image: 0.5, text: 0.3, title: 0.1, ui: 0.1 };
const GRID_W = 16;
const GRID_H = 9;
const TEXT_DIMS = 256;
const TITLE_DIMS = 64;
const UI_TYPES = ['button', 'text_input', 'checkbox', 'radio', 'dropdown', 'tab', 'link', 'icon', 'table_row', 'menu_item', 'text', 'dialog'];
export const IMAGE_DIMS = GRID_W * GRID_H * 3;
export const EMBEDDING_DIMS = IMAGE_DIMS + TEXT_DIMS + TITLE_DIMS + UI_TYPES.length * 9;

/** An image encoder a user plugs in (e.g. an exported CLIP visual model); replaces the layout descriptor. */
export interface ImageEncoder {
  readonly name: string;
  readonly dimensions: number;
  encode(image: RgbaImage): Promise<Float32Array>;
}

export async function layoutDescriptor(image: RgbaImage): Promise<Float32Array> {
  // Shrink to 4 pixels a cell, then per cell: mean luma, mean gradient, mean chroma.
  const w = GRID_W * 4;
  const h = GRID_H * 4;
  const small = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
    .resize(w, h, { fit: 'fill', kernel: 'linear' })
    .removeAlpha()
    .raw()
    .toBuffer();
  const luma = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) luma[i] = 0.299 * small[i * 3] + 0.587 * small[i * 3 + 1] + 0.114 * small[i * 3 + 2];
  // Distance from the screen's dominant brightness instead of brightness itself: a dark theme
  // of the same screen then looks like its light theme, while a dimmed backdrop still stands out.
  const median = [...luma].sort((a, b) => a - b)[luma.length >> 1];
  const chroma = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) chroma[i] = Math.abs(luma[i] - median);
  const out = new Float32Array(IMAGE_DIMS);
  const cells = GRID_W * GRID_H;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const c = Math.floor(y / 4) * GRID_W + Math.floor(x / 4);
      const gx = x + 1 < w ? Math.abs(luma[i + 1] - luma[i]) : 0;
      const gy = y + 1 < h ? Math.abs(luma[i + w] - luma[i]) : 0;
      out[c] += 0; // brightness itself depends on the theme
      out[cells + c] += (gx + gy) / 16;
      out[2 * cells + c] += chroma[i] / 16;
    }
  }
  for (let k = 0; k < 3; k++) standardize(out.subarray(k * cells, (k + 1) * cells));
  return out;
}

function standardize(v: Float32Array): void {
  let mean = 0;
  for (const x of v) mean += x;
  mean /= v.length;
  let sd = 0;
  for (const x of v) sd += (x - mean) ** 2;
  sd = Math.sqrt(sd / v.length);
  // A flat channel (e.g. no colour at all) carries no layout: leave it at zero.
  for (let i = 0; i < v.length; i++) v[i] = sd > 1 ? (v[i] - mean) / sd : 0;
}

/** Numbers, dates, amounts become '#': other data, same screen. */
export function maskVariableText(text: string): string {
  return normalizeText(text)
    .split(' ')
    .map((w) => (/\d/.test(w) ? '#' : w))
    .join(' ');
}

export function hashedTrigrams(text: string, dims: number): Float32Array {
  const v = new Float32Array(dims);
  for (const word of text.split(' ').filter(Boolean)) {
    const padded = ` ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) {
      const h = createHash('md5').update(padded.slice(i, i + 3)).digest();
      const idx = h.readUInt32LE(0) % dims;
      v[idx] += h[4] & 1 ? 1 : -1;
    }
  }
  return v;
}

/** The screen's fixed text: labels, buttons, tabs, menus, headings; not field values or table data. */
export function structuralText(elements: UIElement[]): string {
  // What a dialog says defines the state more than the screen behind it: its text counts thrice.
  const dialogs = elements.filter((e) => e.type === 'dialog');
  const inDialog = (e: UIElement): boolean => dialogs.some((d) => e.center[0] >= d.bbox[0] && e.center[0] < d.bbox[2] && e.center[1] >= d.bbox[1] && e.center[1] < d.bbox[3]);
  return elements
    .filter((e) => e.type !== 'table_row' && e.type !== 'text_input' && e.type !== 'dialog')
    .flatMap((e) => (inDialog(e) ? [e.label, e.label, e.label] : [e.label]))
    .filter(Boolean)
    .map(maskVariableText)
    .filter((t) => t.replace(/[# ]/g, '').length > 0)
    .join(' ');
}

/** Union of the elements' boxes with a small margin, or null when there are none. */
export function contentBox(elements: UIElement[], width: number, height: number): BBox | null {
  if (!elements.length) return null;
  const margin = Math.round(Math.max(width, height) * 0.01);
  const x1 = Math.max(0, Math.min(...elements.map((e) => e.bbox[0])) - margin);
  const y1 = Math.max(0, Math.min(...elements.map((e) => e.bbox[1])) - margin);
  const x2 = Math.min(width, Math.max(...elements.map((e) => e.bbox[2])) + margin);
  const y2 = Math.min(height, Math.max(...elements.map((e) => e.bbox[3])) + margin);
  return x2 - x1 >= 32 && y2 - y1 >= 32 ? [x1, y1, x2, y2] : null;
}

export function uiLayoutHistogram(elements: UIElement[], frame: BBox): Float32Array {
  const v = new Float32Array(UI_TYPES.length * 9);
  const [fx, fy, fx2, fy2] = frame;
  for (const e of elements) {
    const t = UI_TYPES.indexOf(e.type);
    if (t < 0) continue;
    const cx = Math.max(0, Math.min(2, Math.floor(((e.center[0] - fx) / (fx2 - fx)) * 3)));
    const cy = Math.max(0, Math.min(2, Math.floor(((e.center[1] - fy) / (fy2 - fy)) * 3)));
    v[t * 9 + cy * 3 + cx] += 1;
  }
  for (let i = 0; i < v.length; i++) v[i] = Math.sqrt(v[i]);
  return v;
}

function unit(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] /= n;
  return v;
}

export async function embedState(
  analysis: ScreenAnalysis,
  image: RgbaImage,
  options: { title?: string; weights?: Partial<EmbeddingWeights>; imageEncoder?: ImageEncoder },
): Promise<StateEmbedding> {
  const t0 = performance.now();
  const weights = { ...DEFAULT_WEIGHTS, ...options.weights };
  // The layout is described inside the content's bounding box, so a bigger window or a moved
  // window around the same content gives the same descriptor.
  const content = contentBox(analysis.elements, image.width, image.height);
  const view = content ? crop(image, ...content) : image;
  const imageVec = options.imageEncoder ? await options.imageEncoder.encode(view) : await layoutDescriptor(view);
  const sourceText = structuralText(analysis.elements);
  const parts = [
    { v: unit(imageVec), w: weights.image },
    { v: unit(hashedTrigrams(sourceText, TEXT_DIMS)), w: weights.text },
    { v: unit(hashedTrigrams(maskVariableText(options.title ?? ''), TITLE_DIMS)), w: weights.title },
    { v: unit(uiLayoutHistogram(analysis.elements, content ?? [0, 0, analysis.width, analysis.height])), w: weights.ui },
  ];
  const vector = new Float32Array(parts.reduce((n, p) => n + p.v.length, 0));
  let offset = 0;
  for (const p of parts) {
    const k = Math.sqrt(Math.max(0, p.w));
    for (let i = 0; i < p.v.length; i++) vector[offset + i] = p.v[i] * k;
    offset += p.v.length;
  }
  unit(vector);
  return {
    vector,
    dimensions: vector.length,
    provider: options.imageEncoder ? `fusion(${options.imageEncoder.name})` : 'rpa-vision-layout-v1',
    fusion_method: 'weighted',
    weights,
    source_text: sourceText,
    timing_ms: performance.now() - t0,
  };
}

/** Cosine similarity of two unit vectors (the fused embeddings are unit length). */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`embeddings of different sizes (${a.length} vs ${b.length}) cannot be compared`);
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
