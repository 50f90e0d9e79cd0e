/**
 * Optional learned models a user drops into models/: an ONNX UI element detector (e.g. a
 * YOLO-style or UI-DETR model they exported) and an ONNX image encoder (e.g. a CLIP visual
 * model) for the state embedding. The engine works without either; when present they are
 * loaded once, lazily, with the same thread budget.
 *
 * models/ui-detector.json  {"file": "ui-detector.onnx", "inputSize": 640, "classes": ["button", ...], "scoreThreshold": 0.4}
 *   The model takes [1,3,S,S] RGB in 0–1 and returns [1, N, 4 + classes] rows of
 *   (cx, cy, w, h, class scores…) in input pixels (the YOLOv8 export layout, transposed or not).
 * models/image-encoder.json  {"file": "image-encoder.onnx", "inputSize": 224, "mean": [...], "std": [...]}
 */
import * as fs from 'fs';
import * as path from 'path';
import type { RgbaImage } from '../platform/types';
import type { BBox, ElementType } from '../contracts/screen-state';
import type { ImageEncoder } from './state-embedding';
import { rgbaPipeline } from '../image/codec';
import { sessionOptions } from './ocr/models';

export interface DetectedBox {
  bbox: BBox;
  type: ElementType;
  score: number;
}

export interface ElementDetectorPlugin {
  readonly name: string;
  detect(image: RgbaImage): Promise<DetectedBox[]>;
  close(): Promise<void>;
}

export class PluginConfigError extends Error {
  override name = 'PluginConfigError';
}

function readManifest<T>(modelsDir: string, name: string): (T & { file: string }) | null {
  const manifest = path.join(modelsDir, name);
  if (!fs.existsSync(manifest)) return null;
  let config: T & { file: string };
  try {
    config = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  } catch (err) {
    throw new PluginConfigError(`${manifest} is not valid JSON: ${(err as Error).message}`);
  }
  const file = path.resolve(modelsDir, config.file ?? '');
  if (!config.file || !fs.existsSync(file))
    throw new PluginConfigError(`${manifest} names model file "${config.file}", which does not exist in ${modelsDir}`);
  return { ...config, file };
}

async function rgbTensor(image: RgbaImage, size: number, mean = [0, 0, 0], std = [1, 1, 1]): Promise<Float32Array> {
  const px = await rgbaPipeline(image).resize(size, size, { fit: 'fill' }).removeAlpha().raw().toBuffer();
  const out = new Float32Array(3 * size * size);
  for (let i = 0; i < size * size; i++)
    for (let c = 0; c < 3; c++) out[c * size * size + i] = (px[i * 3 + c] / 255 - mean[c]) / std[c];
  return out;
}

export async function loadElementDetector(modelsDir: string, threads: number): Promise<ElementDetectorPlugin | null> {
  const config = readManifest<{ inputSize?: number; classes: ElementType[]; scoreThreshold?: number }>(
    modelsDir,
    'ui-detector.json',
  );
  if (!config) return null;
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(config.file, sessionOptions(threads));
  const size = config.inputSize ?? 640;
  const threshold = config.scoreThreshold ?? 0.4;
  return {
    name: path.basename(config.file),
    async detect(image) {
      const input = await rgbTensor(image, size);
      const out = (
        await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, size, size]) })
      )[session.outputNames[0]];
      const [, a, b] = out.dims as number[];
      const stride = 4 + config.classes.length;
      const transposed = a === stride; // YOLOv8 exports [1, 4+C, N]
      const n = transposed ? b : a;
      const data = out.data as Float32Array;
      const at = (i: number, k: number): number => (transposed ? data[k * n + i] : data[i * stride + k]);
      const boxes: DetectedBox[] = [];
      for (let i = 0; i < n; i++) {
        let best = 0;
        for (let k = 1; k < config.classes.length; k++) if (at(i, 4 + k) > at(i, 4 + best)) best = k;
        const score = at(i, 4 + best);
        if (score < threshold) continue;
        const sx = image.width / size;
        const sy = image.height / size;
        const [cx, cy, w, h] = [at(i, 0) * sx, at(i, 1) * sy, at(i, 2) * sx, at(i, 3) * sy];
        boxes.push({
          bbox: [Math.round(cx - w / 2), Math.round(cy - h / 2), Math.round(cx + w / 2), Math.round(cy + h / 2)],
          type: config.classes[best],
          score,
        });
      }
      return boxes;
    },
    close: () => session.release(),
  };
}

export async function loadImageEncoder(
  modelsDir: string,
  threads: number,
): Promise<(ImageEncoder & { close(): Promise<void> }) | null> {
  const config = readManifest<{ inputSize?: number; mean?: number[]; std?: number[] }>(modelsDir, 'image-encoder.json');
  if (!config) return null;
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(config.file, sessionOptions(threads));
  const size = config.inputSize ?? 224;
  // CLIP's normalisation unless the manifest says otherwise.
  const mean = config.mean ?? [0.4815, 0.4578, 0.4082];
  const std = config.std ?? [0.2686, 0.2613, 0.2758];
  const probe = (session.outputMetadata as unknown as { shape?: (number | string)[] }[])[0]?.shape;
  const dims = typeof probe?.[probe.length - 1] === 'number' ? (probe[probe.length - 1] as number) : 0;
  return {
    name: path.basename(config.file),
    dimensions: dims,
    async encode(image) {
      const input = await rgbTensor(image, size, mean, std);
      const out = (
        await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, size, size]) })
      )[session.outputNames[0]];
      return Float32Array.from(out.data as Float32Array);
    },
    close: () => session.release(),
  };
}
