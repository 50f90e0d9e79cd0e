/**
 * The state embedding: the seed's weighted fusion of image, text, window title and UI elements,
 * plus a modal component, into one unit vector, computed offline from what the project ships.
 *
 * Each component is a fixed-size descriptor, normalised, then scaled by √weight and
 * concatenated; the cosine similarity of two fused vectors is therefore the weighted mean of
 * the components' cosine similarities.
 *
 * - image: a layout descriptor — edge density on a 16×9 grid over the content's bounding box
 *   (so window size and resolution do not matter, layout does), each cell blended with its
 *   neighbours (so a window whose parts grow unevenly stays alike), standardised over the grid
 *   (so contrast and theme matter less); or a user-supplied encoder's vector;
 * - text: the screen's fixed words — OCR lines minus data (table rows, field values, names
 *   inside a sentence, numbers) — as hashed character trigrams of each line's words run
 *   together, each counted once at the weight of its largest occurrence: taller text (headings)
 *   and the text of a modal panel weigh more; how many rows a table has does not matter, nor how
 *   the OCR split a line into words (see textDescriptor);
 * - title: hashed trigrams of the window title, numbers masked;
 * - ui: counts of elements per kind (labelled box, field, mark, row, dialog) per cell of a 3×3
 *   grid of the content;
 * - modal: whether a dialog covers the content, and its title and button words
 *   (lib/vision/modal-panel.ts): the list and the same list with a confirmation on top differ by
 *   this whole component, while the rest of their descriptors are alike.
 *
 * Default weights, measured on the grounding benchmark's 240 screens (8 states × 5 themes ×
 * 100–200 % × 4 resolutions, `npm run bench -- grounding`): image 0.15, text 0.45, title 0.1,
 * ui 0.1, modal 0.2. The seed's 0.5 for the image assumes a learned encoder (CLIP); the layout
 * descriptor alone recognises only 3 screens in 4 across themes and scales, the text 100 %.
 * With a learned image encoder, give the image more weight (`embeddingWeights`).
 */
import type { RgbaImage } from '../platform/types';
import type { BBox, UIElement } from '../contracts/screen-state';
import { crop } from '../image/pixels';
import { normalizeText } from './text-match';
import type { EmbeddingWeights, ScreenAnalysis, StateEmbedding } from './types';
import { findModalPanel, textUnit, type ModalPanel } from './modal-panel';
import { dataTextBoxes, inAnyBox, screenData, type ScreenData } from './screen-data';

export const DEFAULT_WEIGHTS: EmbeddingWeights = { image: 0.15, text: 0.45, title: 0.1, ui: 0.1, modal: 0.2 };
/**
 * Changes whenever the vector's layout or meaning does: prototypes of another version do not
 * compare. v3 (text as trigrams of lines, element kinds instead of types) has fewer dimensions
 * than v2, so a workflow learned with v2 still loads: match-node says its prototypes come from
 * another provider, the runner recognises its screens by their template evidence; learn it again.
 * v4 leaves data out (list items, field values, typed text: lib/vision/screen-data.ts); v3
 * prototypes have its size and still compare, a little lower on screens with lists or fields.
 */
export const EMBEDDING_PROVIDER = 'rpa-vision-layout-v4';
const GRID_W = 16;
const GRID_H = 9;
const TEXT_DIMS = 512;
const TITLE_DIMS = 64;
const MODAL_WORD_DIMS = 64;
/**
 * Element types counted together in the layout histogram. Whether a labelled box reads as a
 * button, a menu item or plain text depends on its size and the theme — galculator's keys are
 * text in its 331 px wide window and buttons at 470 px, its menu bar menu items or one line of
 * text — while where the labelled boxes, fields, marks, rows and dialogs are is the screen's.
 */
const UI_KINDS: Readonly<Record<string, number>> = {
  button: 0,
  text: 0,
  menu_item: 0,
  tab: 0,
  link: 0,
  icon: 0,
  text_input: 1,
  dropdown: 1,
  checkbox: 2,
  radio: 2,
  table_row: 3,
  dialog: 4,
};
const UI_KIND_COUNT = 5;
export const IMAGE_DIMS = GRID_W * GRID_H;
export const EMBEDDING_DIMS = IMAGE_DIMS + TEXT_DIMS + TITLE_DIMS + UI_KIND_COUNT * 9 + 2 + MODAL_WORD_DIMS;

/** A capitalised word inside a sentence is most often a name (a patient, a customer): data. */
const NAME_WEIGHT = 0.3;
/** What a dialog says defines the state more than the screen behind it. */
const MODAL_TEXT_WEIGHT = 2;
/** How much more a button's words weigh than other words. */
const BUTTON_TEXT_WEIGHT = 2;

/** An image encoder a user plugs in (e.g. an exported CLIP visual model); replaces the layout descriptor. */
export interface ImageEncoder {
  readonly name: string;
  readonly dimensions: number;
  encode(image: RgbaImage): Promise<Float32Array>;
}

/**
 * Mean luma of each cell of a w×h grid over `box`, from a regular sample of its pixels (about 64
 * per cell); a sample inside an erased box reads as that box's colour (the last box over it).
 */
function lumaGrid(image: RgbaImage, box: BBox, w: number, h: number, erased: ErasedBox[] = []): Float32Array {
  const [x1, y1, x2, y2] = box.map(Math.round);
  const bw = Math.max(1, x2 - x1);
  const bh = Math.max(1, y2 - y1);
  const sum = new Float32Array(w * h);
  const count = new Float32Array(w * h);
  const step = Math.max(1, Math.floor(Math.min(bw / w, bh / h) / 8));
  const d = image.data;
  // Per sample, the colour painted over it, or -1.
  const nx = Math.max(0, Math.ceil((x2 - x1) / step));
  const ny = Math.max(0, Math.ceil((y2 - y1) / step));
  const painted = erased.length ? new Int32Array(nx * ny).fill(-1) : null;
  for (const e of erased) {
    const i1 = Math.max(0, Math.ceil((e.box[0] - x1) / step));
    const i2 = Math.min(nx, Math.ceil((e.box[2] - x1) / step));
    const j1 = Math.max(0, Math.ceil((e.box[1] - y1) / step));
    const j2 = Math.min(ny, Math.ceil((e.box[3] - y1) / step));
    for (let j = j1; j < j2; j++) painted!.fill(e.colour, j * nx + i1, j * nx + Math.max(i1, i2));
  }
  // Each sample column's grid column, the same on every row.
  const column = new Int32Array(nx);
  for (let x = x1, i = 0; x < x2; x += step, i++) column[i] = Math.min(w - 1, Math.floor(((x - x1) * w) / bw));
  for (let y = y1, j = 0; y < y2; y += step, j++) {
    const row = Math.min(h - 1, Math.floor(((y - y1) * h) / bh)) * w;
    for (let x = x1, i = 0; x < x2; x += step, i++) {
      const c = row + column[i];
      const over = painted ? painted[j * nx + i] : -1;
      if (over >= 0) {
        sum[c] += (over >> 16) * 0.299 + ((over >> 8) & 255) * 0.587 + (over & 255) * 0.114;
      } else {
        const p = (y * image.width + x) * 4;
        sum[c] += d[p] * 0.299 + d[p + 1] * 0.587 + d[p + 2] * 0.114;
      }
      count[c]++;
    }
  }
  for (let i = 0; i < sum.length; i++) sum[i] /= count[i] || 1;
  return sum;
}

/**
 * Edge density per cell of a 16×9 grid over `box` (brightness gradients on a 64×36 sampling),
 * blended with the neighbouring cells, standardised: where the screen has structure, not what
 * colour it is.
 */
export function layoutDescriptor(
  image: RgbaImage,
  box: BBox = [0, 0, image.width, image.height],
  data: BBox[] = [],
): Float32Array {
  const w = GRID_W * 4;
  const h = GRID_H * 4;
  const luma = lumaGrid(image, box, w, h, erasedBoxes(image, data));
  const out = new Float32Array(IMAGE_DIMS);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const gx = x + 1 < w ? Math.abs(luma[i + 1] - luma[i]) : 0;
      const gy = y + 1 < h ? Math.abs(luma[i + w] - luma[i]) : 0;
      out[Math.floor(y / 4) * GRID_W + Math.floor(x / 4)] += gx + gy;
    }
  }
  return standardize(blendNeighbours(out));
}

interface ErasedBox {
  box: BBox;
  /** 0xRRGGBB. */
  colour: number;
}

/**
 * The data boxes, to be read as painted over in their own background (their most common colour),
 * field boxes kept: two lists of other lengths, or a field holding another value, leave the same
 * edges. The edge kept grows with the box: a field's border is 2 px thick at 200 %.
 */
function erasedBoxes(image: RgbaImage, boxes: BBox[]): ErasedBox[] {
  const out: ErasedBox[] = [];
  for (const b of boxes) {
    const inset = Math.max(2, Math.round(Math.min(b[2] - b[0], b[3] - b[1]) * 0.1));
    const x1 = Math.max(0, Math.round(b[0]) + inset);
    const y1 = Math.max(0, Math.round(b[1]) + inset);
    const x2 = Math.min(image.width, Math.round(b[2]) - inset);
    const y2 = Math.min(image.height, Math.round(b[3]) - inset);
    if (x2 <= x1 || y2 <= y1) continue;
    const [r, g, bl] = commonColour(image, [x1, y1, x2, y2]);
    out.push({ box: [x1, y1, x2, y2], colour: (r << 16) | (g << 8) | bl });
  }
  return out;
}

/** The most common colour of a box, from a grid of up to 32×32 of its pixels. */
function commonColour(image: RgbaImage, [x1, y1, x2, y2]: BBox): [number, number, number] {
  const counts = new Map<number, number>();
  const sx = Math.max(1, Math.floor((x2 - x1) / 32));
  const sy = Math.max(1, Math.floor((y2 - y1) / 32));
  for (let y = y1; y < y2; y += sy)
    for (let x = x1; x < x2; x += sx) {
      const p = (y * image.width + x) * 4;
      const key = (image.data[p] << 16) | (image.data[p + 1] << 8) | image.data[p + 2];
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  const key = [...counts].sort((a, b) => b[1] - a[1])[0][0];
  return [(key >> 16) & 255, (key >> 8) & 255, key & 255];
}

/** Weight of the 8 neighbouring cells against the cell's own 1 in blendNeighbours. */
const NEIGHBOUR_WEIGHT = 0.5;

/**
 * Each cell of the grid as the weighted mean of itself and its neighbours. A window resized
 * unevenly (galculator's keypad grows, its display does not) moves edges into the next cell;
 * blended, such a shift costs little (galculator 140 px wider: 0.85 → 0.89 for this
 * component, 0.64 → 0.74 taller too), and the grounding set's screens keep apart better
 * (lowest margin of its state recognition 0.113 → 0.121).
 */
function blendNeighbours(grid: Float32Array): Float32Array {
  const out = new Float32Array(grid.length);
  for (let y = 0; y < GRID_H; y++) {
    for (let x = 0; x < GRID_W; x++) {
      let sum = 0;
      let weight = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= GRID_W || ny >= GRID_H) continue;
          const w = dx === 0 && dy === 0 ? 1 : NEIGHBOUR_WEIGHT;
          sum += grid[ny * GRID_W + nx] * w;
          weight += w;
        }
      }
      out[y * GRID_W + x] = sum / weight;
    }
  }
  return out;
}

function standardize(v: Float32Array): Float32Array {
  let mean = 0;
  for (const x of v) mean += x;
  mean /= v.length;
  let sd = 0;
  for (const x of v) sd += (x - mean) ** 2;
  sd = Math.sqrt(sd / v.length);
  // A flat screen carries no layout: leave it at zero.
  for (let i = 0; i < v.length; i++) v[i] = sd > 1 ? (v[i] - mean) / sd : 0;
  return v;
}

/** Numbers, dates, amounts become '#': other data, same screen. */
export function maskVariableText(text: string): string {
  return normalizeText(text)
    .split(' ')
    .map((w) => (/\d/.test(w) ? '#' : w))
    .join(' ');
}

/** FNV-1a: a fast, stable 32-bit string hash (the same feature lands on the same index everywhere). */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Signed feature hashing; `once` keeps a feature's largest weight instead of summing (set semantics). */
function addFeature(v: Float32Array, key: string, weight: number, once: boolean): void {
  const h = hash32(key);
  const index = h % v.length;
  const signed = h & 0x80000000 ? -weight : weight;
  if (!once) v[index] += signed;
  else if (Math.abs(v[index]) < weight) v[index] = signed;
}

/** Hashed character trigrams of a text (for the window title). */
export function hashedTrigrams(text: string, dims: number): Float32Array {
  const v = new Float32Array(dims);
  for (const word of text.split(' ').filter(Boolean)) {
    const padded = ` ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) addFeature(v, padded.slice(i, i + 3), 1, false);
  }
  return v;
}

export interface WeightedWord {
  word: string;
  weight: number;
  /** Index of the OCR line it was read in: the text descriptor runs a line's words together. */
  line: number;
}

const inBox = (p: readonly number[], b: BBox): boolean => inAnyBox(p, [b]);
const centreOf = (b: BBox): [number, number] => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];

/**
 * The screen's fixed words with their weights: every OCR line except data (inside a table row,
 * a field, a dropdown or a list pane's item, lib/vision/screen-data.ts — unless it is in the
 * modal panel, whose text a detector may have merged into the rows behind), numbers left out, names inside a sentence weighing less, text taller
 * than the screen's usual text (headings) more, the modal panel's text more.
 *
 * A sentence is a line with a word in lower case ("Rendez-vous avec Jean Martin"); a line of
 * capitalised words only is a row of labels or a title ("File Edit View Calculator Help", read
 * as one line in a wide window and as four in a narrow one), whose words are the screen's.
 */
export function structuralWords(
  analysis: Pick<ScreenAnalysis, 'text' | 'elements' | 'scaleFactor'>,
  panel: ModalPanel | null,
  data: ScreenData = screenData(analysis),
): WeightedWord[] {
  const unit = textUnit(analysis.text, analysis.scaleFactor);
  const dataBoxes = dataTextBoxes(data);
  const words: WeightedWord[] = [];
  const buttons = analysis.elements.filter((e) => e.type === 'button').map((e) => e.bbox);
  analysis.text.forEach((line, index) => {
    const c = centreOf(line.bbox);
    const inPanel = panel !== null && inBox(c, panel.bbox);
    if (!inPanel && inAnyBox(c, dataBoxes)) return;
    // What a screen's buttons do tells it from a screen that looks alike (Save against Open).
    const action = inAnyBox(c, buttons) ? BUTTON_TEXT_WEIGHT : 1;
    const size = Math.min(2.5, Math.max(0.7, (line.bbox[3] - line.bbox[1]) / unit));
    // Elisions split off ("l'historique" → "historique"): OCR often reads the apostrophe as a letter or not at all.
    const raws = line.text.split(/[\s'’`´]+/);
    const sentence = raws.some((raw) => /^\p{Ll}/u.test(raw));
    raws.forEach((raw, i) => {
      const word = normalizeText(raw);
      if (/\d/.test(word) || word.replace(/[^a-z]/g, '').length < 2) return;
      const name = sentence && i > 0 && /^\p{Lu}\p{Ll}/u.test(raw) ? NAME_WEIGHT : 1;
      words.push({ word, weight: size * name * action * (inPanel ? MODAL_TEXT_WEIGHT : 1), line: index });
    });
  });
  return words;
}

/**
 * Hashed character trigrams of each line's letters run together, without spaces or line ends,
 * each feature once at its largest weight (a trigram weighs what the lightest of its letters'
 * words weighs). OCR splits a line into words and lines differently as a window's size changes:
 * galculator's menu bar reads "File | Edit View | CalculatorH | Help" at 331 px and "FileEdit View
 * Calculator Help" at 470 px. As whole words and their padded trigrams these two readings
 * shared few features (the text component of galculator 140 px wider measured 0.49; 0.58 with
 * the menu bar's words no longer taken for names); run together they share most (0.83), and a
 * letter read in or out ("CalculatorH", the H of "Help" read twice) costs a trigram, not a word.
 * A line of fewer than three letters ("OK") is one feature.
 */
export function textDescriptor(words: WeightedWord[]): Float32Array {
  const v = new Float32Array(TEXT_DIMS);
  const lines = new Map<number, { letters: string[]; weights: number[] }>();
  for (const { word, weight, line } of words) {
    let run = lines.get(line);
    if (!run) lines.set(line, (run = { letters: [], weights: [] }));
    for (const ch of word.replace(/[^\p{L}]/gu, '')) {
      run.letters.push(ch);
      run.weights.push(weight);
    }
  }
  for (const { letters, weights } of lines.values()) {
    if (letters.length > 0 && letters.length < 3) addFeature(v, letters.join(''), weights[0], true);
    for (let i = 0; i + 3 <= letters.length; i++)
      addFeature(v, letters.slice(i, i + 3).join(''), Math.min(weights[i], weights[i + 1], weights[i + 2]), true);
  }
  return v;
}

/**
 * [no dialog, dialog] one-hot, half the component; the dialog's title and button words the other
 * half. Two screens without a dialog measure 1, a screen with one against a screen without 0,
 * two dialogs 0.5–1 depending on their words.
 */
export function modalDescriptor(panel: ModalPanel | null): Float32Array {
  const v = new Float32Array(2 + MODAL_WORD_DIMS);
  if (!panel) {
    v[0] = 1;
    return v;
  }
  v[1] = 1;
  const words = new Float32Array(MODAL_WORD_DIMS);
  for (const text of [panel.title, ...panel.buttons])
    for (const word of normalizeText(text).split(' '))
      if (word.length >= 2 && !/\d/.test(word)) addFeature(words, word, 1, true);
  unit(words);
  v.set(words, 2);
  return v;
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

/** Elements of each kind (UI_KINDS) per cell of a 3×3 grid over `frame`, square-rooted counts. */
export function uiLayoutHistogram(
  elements: UIElement[],
  frame: BBox,
  listItems?: ReadonlySet<UIElement>,
): Float32Array {
  const v = new Float32Array(UI_KIND_COUNT * 9);
  const [fx, fy, fx2, fy2] = frame;
  for (const e of elements) {
    if (listItems?.has(e)) continue; // how many items a list holds is data
    const t = UI_KINDS[e.type];
    if (t === undefined) continue;
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

/** The dialog covering the screen's content, if any (a centred card that is the page itself, such as a login form, is not one). */
export function modalPanelOf(analysis: Pick<ScreenAnalysis, 'text' | 'elements'>, image: RgbaImage): ModalPanel | null {
  const panel = findModalPanel(image, analysis.text, analysis.elements);
  return panel?.overContent ? panel : null;
}

export async function embedState(
  analysis: ScreenAnalysis,
  image: RgbaImage,
  options: {
    title?: string;
    weights?: Partial<EmbeddingWeights>;
    imageEncoder?: ImageEncoder;
    /** Values known to be data on this screen (lib/vision/screen-data.ts). */
    data?: readonly string[];
  },
): Promise<StateEmbedding> {
  const t0 = performance.now();
  const weights = { ...DEFAULT_WEIGHTS, ...options.weights };
  // The layout is described inside the content's bounding box, so a bigger window or a moved
  // window around the same content gives the same descriptor.
  const content = contentBox(analysis.elements, image.width, image.height);
  const frame: BBox = content ?? [0, 0, image.width, image.height];
  const data = screenData(analysis, image, options.data);
  const imageVec = options.imageEncoder
    ? await options.imageEncoder.encode(content ? crop(image, ...content) : image)
    : layoutDescriptor(image, frame, [...data.elements.map((e) => e.bbox), ...data.knownLines]);
  const panel = modalPanelOf(analysis, image);
  const words = structuralWords(analysis, panel, data);
  const parts = [
    { v: unit(imageVec), w: weights.image },
    { v: unit(textDescriptor(words)), w: weights.text },
    { v: unit(hashedTrigrams(maskVariableText(options.title ?? ''), TITLE_DIMS)), w: weights.title },
    { v: unit(uiLayoutHistogram(analysis.elements, frame, data.listItems)), w: weights.ui },
    { v: unit(modalDescriptor(panel)), w: weights.modal },
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
    provider: options.imageEncoder ? `${EMBEDDING_PROVIDER}+${options.imageEncoder.name}` : EMBEDDING_PROVIDER,
    fusion_method: 'weighted',
    weights,
    source_text: [...new Set(words.map((w) => w.word))].join(' '),
    modal: panel && { bbox: panel.bbox, title: panel.title, buttons: panel.buttons },
    timing_ms: performance.now() - t0,
  };
}

/** Cosine similarity of two unit vectors (the fused embeddings are unit length). */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length)
    throw new RangeError(`embeddings of different sizes (${a.length} vs ${b.length}) cannot be compared`);
  let dot = 0,
    na = 0,
    nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
