/**
 * Text detection with the PP-OCRv4 DB model: the network gives a text probability map; the
 * DB post-processing thresholds it, takes connected components as text boxes, scores them by
 * mean probability and "unclips" them (the network predicts shrunk kernels, the box is grown
 * back by area * ratio / perimeter, as in PaddleOCR's DBPostProcess).
 */
import * as ort from 'onnxruntime-node';
import type { RgbaImage } from '../../platform/types';
import type { BBox } from '../../contracts/screen-state';
import { stage, stageAsync } from '../stage-profile';
import { loadOcrSession } from './models';
import { area, intersection } from '../elements/geometry';
import { pixelWords } from '../../image/pixels';

export interface DetectedTextBox {
  bbox: BBox;
  score: number;
}

export interface TextDetectorOptions {
  /** Pixel threshold on the probability map (PaddleOCR: 0.3). */
  binaryThreshold: number;
  /** Minimum mean probability of a box (PaddleOCR: 0.6). */
  boxThreshold: number;
  unclipRatio: number;
  /**
   * Run the network only on the parts of the image with ink (see detect). On by default; the
   * boxes then differ by a pixel or two from a whole-frame reading.
   */
  inkOnly: boolean;
}

const DEFAULTS: TextDetectorOptions = { binaryThreshold: 0.3, boxThreshold: 0.5, unclipRatio: 1.6, inkOnly: true };
// ImageNet statistics in the model's BGR channel order (PaddleOCR reads images with OpenCV).
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

export class TextDetector {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly options: TextDetectorOptions,
  ) {}

  static async load(
    modelPath: string,
    threads: number,
    options: Partial<TextDetectorOptions> = {},
  ): Promise<TextDetector> {
    const session = await loadOcrSession(modelPath, threads);
    return new TextDetector(session, { ...DEFAULTS, ...options });
  }

  /**
   * Text boxes in image coordinates. `scale` (≤ 1) shrinks the image before detection: UI text
   * at 200 % display scale is twice as big as the network needs, so it is detected at half size.
   *
   * With `inkOnly`, only the parts of the image with ink are run through the network (see
   * inkCrops): most of an application screen is blank background, and the network costs in
   * proportion to the pixels it sees. On the 1920×1080 benchmark screens it is run on 56 % of the
   * pixels on average and detection takes a third less CPU (`node dist/bench/text-detection.js`).
   * Each part is a piece of the whole-frame input, cut on the network's 32-pixel grid, so the
   * text in it is sampled as in the whole frame. The boxes still move by a pixel or two (only
   * 73 % of them stay within IoU 0.9): the network's squeeze-and-excitation blocks weigh its
   * channels by their average over the whole input, so every box edge depends on how much blank
   * surrounds the text (dropping one blank 32-pixel row at the bottom of a whole frame already
   * moves 4 % of the boxes past IoU 0.9; the whole frame has no better claim to the "right"
   * boxes). As many words are read (98.6 % of the DOM's label words vs 98.7 %), grounding and
   * detection figures stay within 0.2 point, so it is on by default; `inkOnly: false` reads the
   * whole frame.
   *
   * Below logical full size, the ink no box covers is looked at again at full size (see the
   * README, *Reading the screen*): some small text is not found at all at the reduced size.
   */
  async detect(image: RgbaImage, scale: number, region?: BBox): Promise<DetectedTextBox[]> {
    const coarse = inputGrid(image, scale, region);
    const crops = this.options.inkOnly
      ? stage('det_preprocess', () => inkCrops(image, coarse.grid, coarse.w, coarse.h))
      : [[0, 0, coarse.w, coarse.h] as BBox];
    const boxes = await this.detectCrops(image, coarse, crops);
    const full = 1 / Math.max(1, image.scaleFactor || 1);
    if (!this.options.inkOnly || scale >= full * 0.95) return boxes;
    // Small text missed at the reduced scale (a list of one-digit sizes in an 8-point font): the
    // ink no box covers is looked at again at full size, and only what it adds is kept.
    const fine = inputGrid(image, full, region);
    const rest = stage('det_preprocess', () =>
      mergedRects(
        inkCrops(image, coarse.grid, coarse.w, coarse.h, coveredMask(coarse.grid, coarse.w, coarse.h, boxes)).map((c) =>
          onGrid(fine, toImagePixels(coarse.grid, coarse.w, coarse.h, c)),
        ),
      ),
    );
    if (!rest.length) return boxes;
    // A box found again adds nothing; a whole word found where the first look saw a piece of it
    // replaces that piece.
    const added = (await this.detectCrops(image, fine, rest)).filter(
      (b) => !boxes.some((o) => intersection(o.bbox, b.bbox) > 0.3 * area(b.bbox)),
    );
    const pieces = new Set(boxes.filter((o) => added.some((b) => intersection(o.bbox, b.bbox) > 0.5 * area(o.bbox))));
    return [...boxes.filter((o) => !pieces.has(o)), ...added];
  }

  /** Boxes the network finds in the crops (input-grid rectangles), in image pixels. */
  private async detectCrops(
    image: RgbaImage,
    { grid, w, h }: { grid: SampleGrid; w: number; h: number },
    crops: BBox[],
  ): Promise<DetectedTextBox[]> {
    const boxes: DetectedTextBox[] = [];
    for (const [cx1, cy1, cx2, cy2] of crops) {
      const cw = cx2 - cx1;
      const ch = cy2 - cy1;
      const input = stage('det_preprocess', () => toDetectionTensor(image, grid, cx1, cy1, cw, ch));
      const result = await stageAsync('det_inference', () =>
        this.session.run({ x: new ort.Tensor('float32', input, [1, 3, ch, cw]) }),
      );
      const prob = result[this.session.outputNames[0]].data as Float32Array;
      for (const { bbox, score } of stage('det_postprocess', () => dbBoxes(prob, cw, ch, this.options))) {
        const [x1, y1, x2, y2] = toImagePixels(grid, w, h, [
          cx1 + bbox[0],
          cy1 + bbox[1],
          cx1 + bbox[2],
          cy1 + bbox[3],
        ]);
        boxes.push({
          score,
          bbox: [Math.max(0, x1), Math.max(0, y1), Math.min(image.width, x2), Math.min(image.height, y2)],
        });
      }
    }
    return boxes;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

/** How the network's input samples a region of the image: per input column and row, the source pixels to blend. */
interface SampleGrid {
  /** The sampled region of the image. */
  x0: number;
  y0: number;
  width: number;
  height: number;
  cols: ReturnType<typeof samplePoints>;
  rows: ReturnType<typeof samplePoints>;
}

/** The network's input for a region of the image: its size (multiples of 32) and how it samples the image. */
function inputGrid(image: RgbaImage, scale: number, region?: BBox): { grid: SampleGrid; w: number; h: number } {
  const [x0, y0, x2, y2] = region ?? [0, 0, image.width, image.height];
  const width = x2 - x0;
  const height = y2 - y0;
  const w = Math.max(32, Math.round((width * scale) / 32) * 32);
  const h = Math.max(32, Math.round((height * scale) / 32) * 32);
  // Source columns and weights are the same on every row: computed once for the whole grid.
  return { w, h, grid: { x0, y0, width, height, cols: samplePoints(width, w), rows: samplePoints(height, h) } };
}

/**
 * The rectangles of the image the detection network is run on (see inkCrops), in image pixels,
 * and the share of the whole input's pixels they add up to.
 */
export function detectionCrops(image: RgbaImage, scale: number, region?: BBox): { crops: BBox[]; share: number } {
  const { grid, w, h } = inputGrid(image, scale, region);
  const crops = inkCrops(image, grid, w, h);
  return {
    crops: crops.map((c) => toImagePixels(grid, w, h, c)),
    share: crops.reduce((a, [x1, y1, x2, y2]) => a + (x2 - x1) * (y2 - y1), 0) / (w * h),
  };
}

/** A box of the w×h network input in image pixels (outward to whole pixels). */
function toImagePixels(grid: SampleGrid, w: number, h: number, [x1, y1, x2, y2]: BBox): BBox {
  const sx = grid.width / w;
  const sy = grid.height / h;
  return [
    Math.floor(grid.x0 + x1 * sx),
    Math.floor(grid.y0 + y1 * sy),
    Math.ceil(grid.x0 + x2 * sx),
    Math.ceil(grid.y0 + y2 * sy),
  ];
}

/** Side of the network's grid (its deepest feature map is 1/32 of the input): crops are cut on it. */
const CELL = 32;
/** A colour step between neighbour pixels (|dR|+|dG|+|dB|) that can be the edge of a glyph. */
const EDGE_STEP = 48;
/** Input pixels that steps across and steps down must each spread over for a cell to hold ink. */
const INK_SPREAD = 3;

/**
 * The parts of the (network input) grid worth running the network on, as rectangles of whole
 * 32×32 cells: cells with ink and one cell around them (so every glyph keeps real pixels around
 * it, as in the whole frame), in as few rectangles as keep them apart.
 *
 * A cell has ink when its source pixels have both horizontal and vertical colour steps: text has
 * both, while a blank background, a gradient, or the long straight rules and borders that cross
 * application screens (a sidebar's edge, a table's lines) have steps in one direction only, and
 * do not keep the empty space around them in the crops.
 *
 * With `covered` (per input pixel, 1 inside a box already found), steps there are not counted:
 * the cells left hold ink no box covers.
 */
function inkCrops(image: RgbaImage, grid: SampleGrid, w: number, h: number, covered?: Uint8Array): BBox[] {
  const gw = w / CELL;
  const gh = h / CELL;
  const ink = inkCells(image, grid, gw, gh, covered);
  // Grow by one cell (not for a second look: its cells sit among text already found), then take
  // 8-connected groups of cells.
  const grown = covered ? ink : new Uint8Array(gw * gh);
  for (let y = 0; y < gh && !covered; y++) {
    for (let x = 0; x < gw; x++) {
      if (!ink[y * gw + x]) continue;
      for (let yy = Math.max(0, y - 1); yy <= Math.min(gh - 1, y + 1); yy++)
        for (let xx = Math.max(0, x - 1); xx <= Math.min(gw - 1, x + 1); xx++) grown[yy * gw + xx] = 1;
    }
  }
  let rects: BBox[] = [];
  const seen = new Uint8Array(gw * gh);
  const stack: number[] = [];
  for (let start = 0; start < gw * gh; start++) {
    if (!grown[start] || seen[start]) continue;
    seen[start] = 1;
    stack.push(start);
    let x1 = gw,
      y1 = gh,
      x2 = 0,
      y2 = 0;
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % gw;
      const y = (p - x) / gw;
      x1 = Math.min(x1, x);
      x2 = Math.max(x2, x + 1);
      y1 = Math.min(y1, y);
      y2 = Math.max(y2, y + 1);
      for (let yy = Math.max(0, y - 1); yy <= Math.min(gh - 1, y + 1); yy++) {
        for (let xx = Math.max(0, x - 1); xx <= Math.min(gw - 1, x + 1); xx++) {
          const q = yy * gw + xx;
          if (grown[q] && !seen[q]) {
            seen[q] = 1;
            stack.push(q);
          }
        }
      }
    }
    rects.push([x1, y1, x2, y2]);
  }
  // Bounding rectangles of separate groups may overlap: merged, so no text is detected twice.
  rects = mergedRects(rects);
  return rects.map(([x1, y1, x2, y2]) => [x1 * CELL, y1 * CELL, x2 * CELL, y2 * CELL] as BBox);
}

/**
 * Per grid cell, 1 when it holds ink: colour steps across (between neighbour columns) spread over
 * more than 3 pixels of width, and steps down spread over more than 3 pixels of height. A glyph
 * or a word has both; a blank cell, a gradient, a straight rule, or the corner or crossing of
 * thin borders (steps across in the one or two columns of a vertical line) do not.
 * Tested on the input grid's sample points (the pixels the network sees), not every pixel.
 */
function inkCells(image: RgbaImage, grid: SampleGrid, gw: number, gh: number, covered?: Uint8Array): Uint8Array {
  const { data, width } = image;
  const { cols, rows, x0, y0 } = grid;
  const w = gw * CELL;
  const h = gh * CELL;
  // Per cell: the extent of its steps across (x) and down (y), in input pixels.
  const minX = new Int32Array(gw * gh).fill(CELL);
  const maxX = new Int32Array(gw * gh).fill(-1);
  const minY = new Int32Array(gw * gh).fill(CELL);
  const maxY = new Int32Array(gw * gh).fill(-1);
  // Whole pixels as words where the buffer allows: equal neighbours need no distance.
  const words = pixelWords(data);
  let below = (y0 + rows.a[0]) * width + x0;
  for (let y = 0; y < h; y++) {
    const row = below;
    below = y + 1 < h ? (y0 + rows.a[y + 1]) * width + x0 : -1;
    const cellRow = (y >> 5) * gw;
    const cy = y & (CELL - 1);
    let p = (row + cols.a[0]) * 4;
    for (let x = 0; x < w; x++) {
      const cell = cellRow + (x >> 5);
      const cx = x & (CELL - 1);
      if (x + 1 < w && covered?.[y * w + x]) p = (row + cols.a[x + 1]) * 4;
      else if (x + 1 < w) {
        const q = (row + cols.a[x + 1]) * 4;
        if (
          !(words && words[p >> 2] === words[q >> 2]) &&
          Math.abs(data[p] - data[q]) + Math.abs(data[p + 1] - data[q + 1]) + Math.abs(data[p + 2] - data[q + 2]) >=
            EDGE_STEP
        ) {
          if (cx < minX[cell]) minX[cell] = cx;
          if (cx > maxX[cell]) maxX[cell] = cx;
        }
        if (below >= 0) {
          const r = (below + cols.a[x]) * 4;
          if (
            !(words && words[p >> 2] === words[r >> 2]) &&
            Math.abs(data[p] - data[r]) + Math.abs(data[p + 1] - data[r + 1]) + Math.abs(data[p + 2] - data[r + 2]) >=
              EDGE_STEP
          ) {
            if (cy < minY[cell]) minY[cell] = cy;
            if (cy > maxY[cell]) maxY[cell] = cy;
          }
        }
        p = q;
      }
    }
  }
  const ink = new Uint8Array(gw * gh);
  for (let i = 0; i < ink.length; i++)
    ink[i] = maxX[i] - minX[i] >= INK_SPREAD && maxY[i] - minY[i] >= INK_SPREAD ? 1 : 0;
  return ink;
}

/** The rectangles, with those that overlap merged into their bounding rectangle. */
function mergedRects(rects: BBox[]): BBox[] {
  for (let merged = true; merged;) {
    merged = false;
    const out: BBox[] = [];
    for (const r of rects) {
      const o = out.find((q) => r[0] < q[2] && q[0] < r[2] && r[1] < q[3] && q[1] < r[3]);
      if (o) {
        o[0] = Math.min(o[0], r[0]);
        o[1] = Math.min(o[1], r[1]);
        o[2] = Math.max(o[2], r[2]);
        o[3] = Math.max(o[3], r[3]);
        merged = true;
      } else out.push([...r] as BBox);
    }
    rects = out;
  }
  return rects;
}

/** An image rectangle as the input-grid rectangle of whole cells that holds it. */
function onGrid({ grid, w, h }: { grid: SampleGrid; w: number; h: number }, [x1, y1, x2, y2]: BBox): BBox {
  const sx = w / grid.width;
  const sy = h / grid.height;
  const snap = (v: number, max: number, up: boolean) =>
    Math.max(0, Math.min(max, (up ? Math.ceil(v / CELL) : Math.floor(v / CELL)) * CELL));
  return [
    snap((x1 - grid.x0) * sx, w, false),
    snap((y1 - grid.y0) * sy, h, false),
    snap((x2 - grid.x0) * sx, w, true),
    snap((y2 - grid.y0) * sy, h, true),
  ];
}

/** Per input pixel of the grid, 1 inside one of the boxes (image pixels). */
function coveredMask(grid: SampleGrid, w: number, h: number, boxes: DetectedTextBox[]): Uint8Array {
  const mask = new Uint8Array(w * h);
  const sx = w / grid.width;
  const sy = h / grid.height;
  for (const { bbox } of boxes) {
    const x1 = Math.max(0, Math.floor((bbox[0] - grid.x0) * sx));
    const x2 = Math.min(w, Math.ceil((bbox[2] - grid.x0) * sx));
    const y1 = Math.max(0, Math.floor((bbox[1] - grid.y0) * sy));
    const y2 = Math.min(h, Math.ceil((bbox[3] - grid.y0) * sy));
    for (let y = y1; y < y2; y++) mask.fill(1, y * w + x1, y * w + x2);
  }
  return mask;
}

/** Bilinear resample of the input rectangle (tx, ty, tw, th) of a grid into a normalised CHW (BGR) float tensor. */
function toDetectionTensor(
  image: RgbaImage,
  grid: SampleGrid,
  tx: number,
  ty: number,
  w: number,
  h: number,
): Float32Array {
  const out = new Float32Array(3 * w * h);
  const plane = w * h;
  const { data, width } = image;
  // Channel c of the tensor is BGR: source channel 2 - c.
  const [k0, k1, k2] = [0, 1, 2].map((c) => 1 / (255 * STD[c]));
  const [m0, m1, m2] = [0, 1, 2].map((c) => MEAN[c] / STD[c]);
  const { cols, rows, x0, y0 } = grid;
  for (let y = 0; y < h; y++) {
    const wy = rows.weight[ty + y];
    const rowA = (y0 + rows.a[ty + y]) * width + x0;
    const rowB = (y0 + rows.b[ty + y]) * width + x0;
    for (let x = 0, o = y * w; x < w; x++, o++) {
      const wx = cols.weight[tx + x];
      const pAA = (rowA + cols.a[tx + x]) * 4;
      const pAB = (rowA + cols.b[tx + x]) * 4;
      const pBA = (rowB + cols.a[tx + x]) * 4;
      const pBB = (rowB + cols.b[tx + x]) * 4;
      const wAA = (1 - wx) * (1 - wy);
      const wAB = wx * (1 - wy);
      const wBA = (1 - wx) * wy;
      const wBB = wx * wy;
      out[o] = (data[pAA + 2] * wAA + data[pAB + 2] * wAB + data[pBA + 2] * wBA + data[pBB + 2] * wBB) * k0 - m0;
      out[plane + o] =
        (data[pAA + 1] * wAA + data[pAB + 1] * wAB + data[pBA + 1] * wBA + data[pBB + 1] * wBB) * k1 - m1;
      out[2 * plane + o] = (data[pAA] * wAA + data[pAB] * wAB + data[pBA] * wBA + data[pBB] * wBB) * k2 - m2;
    }
  }
  return out;
}

/**
 * For resampling `src` pixels to `dst` (pixel centres aligned): per output index, the two source
 * indices to blend and the weight of the second.
 */
export function samplePoints(src: number, dst: number): { a: Int32Array; b: Int32Array; weight: Float64Array } {
  const a = new Int32Array(dst);
  const b = new Int32Array(dst);
  const weight = new Float64Array(dst);
  const f = src / dst;
  for (let i = 0; i < dst; i++) {
    const s = Math.min(src - 1, Math.max(0, (i + 0.5) * f - 0.5));
    a[i] = Math.floor(s);
    b[i] = Math.min(src - 1, a[i] + 1);
    weight[i] = s - a[i];
  }
  return { a, b, weight };
}

/** DB post-processing: connected components of the thresholded map, scored and unclipped. */
export function dbBoxes(prob: Float32Array, w: number, h: number, options: TextDetectorOptions): DetectedTextBox[] {
  const labels = new Int32Array(w * h);
  const stack = new Int32Array(w * h);
  const boxes: DetectedTextBox[] = [];
  let next = 0;
  for (let start = 0; start < prob.length; start++) {
    if (labels[start] !== 0 || prob[start] <= options.binaryThreshold) continue;
    next++;
    let top = 0;
    stack[top++] = start;
    labels[start] = next;
    let x1 = w,
      y1 = h,
      x2 = 0,
      y2 = 0,
      sum = 0,
      count = 0;
    while (top > 0) {
      const p = stack[--top];
      const x = p % w;
      const y = (p - x) / w;
      sum += prob[p];
      count++;
      if (x < x1) x1 = x;
      if (x > x2) x2 = x;
      if (y < y1) y1 = y;
      if (y > y2) y2 = y;
      if (x > 0 && labels[p - 1] === 0 && prob[p - 1] > options.binaryThreshold) {
        labels[p - 1] = next;
        stack[top++] = p - 1;
      }
      if (x < w - 1 && labels[p + 1] === 0 && prob[p + 1] > options.binaryThreshold) {
        labels[p + 1] = next;
        stack[top++] = p + 1;
      }
      if (y > 0 && labels[p - w] === 0 && prob[p - w] > options.binaryThreshold) {
        labels[p - w] = next;
        stack[top++] = p - w;
      }
      if (y < h - 1 && labels[p + w] === 0 && prob[p + w] > options.binaryThreshold) {
        labels[p + w] = next;
        stack[top++] = p + w;
      }
    }
    const bw = x2 - x1 + 1;
    const bh = y2 - y1 + 1;
    if (Math.min(bw, bh) < 2 || count < 4) continue;
    const score = sum / count;
    if (score < options.boxThreshold) continue;
    const d = (bw * bh * options.unclipRatio) / (2 * (bw + bh));
    boxes.push({ score, bbox: [x1 - d, y1 - d, x2 + 1 + d, y2 + 1 + d] });
  }
  return boxes;
}
