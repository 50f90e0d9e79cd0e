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
  const fx = srcW / w;
  const fy = srcH / h;
  const k = [0, 1, 2].map((c) => 1 / (255 * STD[c]));
  const m = [0, 1, 2].map((c) => MEAN[c] / STD[c]);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(srcH - 1, Math.max(0, (y + 0.5) * fy - 0.5));
    const yA = Math.floor(sy);
    const yB = Math.min(srcH - 1, yA + 1);
    const wy = sy - yA;
    for (let x = 0; x < w; x++) {
      const sx = Math.min(srcW - 1, Math.max(0, (x + 0.5) * fx - 0.5));
      const xA = Math.floor(sx);
      const xB = Math.min(srcW - 1, xA + 1);
      const wx = sx - xA;
      const pAA = ((y0 + yA) * width + x0 + xA) * 4;
      const pAB = ((y0 + yA) * width + x0 + xB) * 4;
      const pBA = ((y0 + yB) * width + x0 + xA) * 4;
      const pBB = ((y0 + yB) * width + x0 + xB) * 4;
      const o = y * w + x;
      for (let c = 0; c < 3; c++) {
        const ch = 2 - c; // BGR
        const top = data[pAA + ch] * (1 - wx) + data[pAB + ch] * wx;
        const bottom = data[pBA + ch] * (1 - wx) + data[pBB + ch] * wx;
        out[c * plane + o] = (top * (1 - wy) + bottom * wy) * k[c] - m[c];
      }
    }
  }
  return out;
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
