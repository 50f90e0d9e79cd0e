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
}

const DEFAULTS: TextDetectorOptions = { binaryThreshold: 0.3, boxThreshold: 0.5, unclipRatio: 1.6 };
// ImageNet statistics in the model's BGR channel order (PaddleOCR reads images with OpenCV).
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

export class TextDetector {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly options: TextDetectorOptions,
  ) {}

  static async load(modelPath: string, threads: number, options: Partial<TextDetectorOptions> = {}): Promise<TextDetector> {
    const session = await loadOcrSession(modelPath, threads);
    return new TextDetector(session, { ...DEFAULTS, ...options });
  }

  /**
   * Text boxes in image coordinates. `scale` (≤ 1) shrinks the image before detection: UI text
   * at 200 % display scale is twice as big as the network needs, so it is detected at half size.
   */
  async detect(image: RgbaImage, scale: number, region?: BBox): Promise<DetectedTextBox[]> {
    const [rx1, ry1, rx2, ry2] = region ?? [0, 0, image.width, image.height];
    const srcW = rx2 - rx1;
    const srcH = ry2 - ry1;
    const w = Math.max(32, Math.round((srcW * scale) / 32) * 32);
    const h = Math.max(32, Math.round((srcH * scale) / 32) * 32);
    const input = stage('det_preprocess', () => toDetectionTensor(image, rx1, ry1, srcW, srcH, w, h));
    const result = await stageAsync('det_inference', () => this.session.run({ x: new ort.Tensor('float32', input, [1, 3, h, w]) }));
    const prob = result[this.session.outputNames[0]].data as Float32Array;
    const sx = srcW / w;
    const sy = srcH / h;
    return stage('det_postprocess', () => dbBoxes(prob, w, h, this.options)).map(({ bbox, score }) => ({
      score,
      bbox: [
        Math.max(0, Math.floor(rx1 + bbox[0] * sx)),
        Math.max(0, Math.floor(ry1 + bbox[1] * sy)),
        Math.min(image.width, Math.ceil(rx1 + bbox[2] * sx)),
        Math.min(image.height, Math.ceil(ry1 + bbox[3] * sy)),
      ] as BBox,
    }));
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

/** Bilinear resample of a region into a normalised CHW (BGR) float tensor. */
function toDetectionTensor(image: RgbaImage, x0: number, y0: number, srcW: number, srcH: number, w: number, h: number): Float32Array {
  const out = new Float32Array(3 * w * h);
  const plane = w * h;
  const { data, width } = image;
  // Channel c of the tensor is BGR: source channel 2 - c.
  const [k0, k1, k2] = [0, 1, 2].map((c) => 1 / (255 * STD[c]));
  const [m0, m1, m2] = [0, 1, 2].map((c) => MEAN[c] / STD[c]);
  // Source columns and weights are the same on every row: computed once.
  const cols = samplePoints(srcW, w);
  const rows = samplePoints(srcH, h);
  for (let y = 0; y < h; y++) {
    const wy = rows.weight[y];
    const rowA = (y0 + rows.a[y]) * width + x0;
    const rowB = (y0 + rows.b[y]) * width + x0;
    for (let x = 0, o = y * w; x < w; x++, o++) {
      const wx = cols.weight[x];
      const pAA = (rowA + cols.a[x]) * 4;
      const pAB = (rowA + cols.b[x]) * 4;
      const pBA = (rowB + cols.a[x]) * 4;
      const pBB = (rowB + cols.b[x]) * 4;
      const wAA = (1 - wx) * (1 - wy);
      const wAB = wx * (1 - wy);
      const wBA = (1 - wx) * wy;
      const wBB = wx * wy;
      out[o] = (data[pAA + 2] * wAA + data[pAB + 2] * wAB + data[pBA + 2] * wBA + data[pBB + 2] * wBB) * k0 - m0;
      out[plane + o] = (data[pAA + 1] * wAA + data[pAB + 1] * wAB + data[pBA + 1] * wBA + data[pBB + 1] * wBB) * k1 - m1;
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
    let x1 = w, y1 = h, x2 = 0, y2 = 0, sum = 0, count = 0;
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
      if (x > 0 && labels[p - 1] === 0 && prob[p - 1] > options.binaryThreshold) { labels[p - 1] = next; stack[top++] = p - 1; }
      if (x < w - 1 && labels[p + 1] === 0 && prob[p + 1] > options.binaryThreshold) { labels[p + 1] = next; stack[top++] = p + 1; }
      if (y > 0 && labels[p - w] === 0 && prob[p - w] > options.binaryThreshold) { labels[p - w] = next; stack[top++] = p - w; }
      if (y < h - 1 && labels[p + w] === 0 && prob[p + w] > options.binaryThreshold) { labels[p + w] = next; stack[top++] = p + w; }
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
