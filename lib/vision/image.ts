/**
 * Pixel access for the vision engine: decoding screenshots into RGBA with sharp, grey levels,
 * crops and resizes on plain typed arrays, and a fast content hash for caching.
 */
import { createHash } from 'crypto';
import sharp from 'sharp';
import type { RgbaImage } from '../platform/types';
import type { ImageInput } from './types';

export class ImageLoadError extends Error {
  override name = 'ImageLoadError';
}

/** Decodes a PNG/JPEG path or buffer into tightly packed RGBA; passes RgbaImage through. */
export async function loadImage(input: ImageInput, scaleFactor = 1): Promise<RgbaImage> {
  if (typeof input !== 'string' && !Buffer.isBuffer(input)) return input;
  try {
    const { data, info } = await sharp(input).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, data, scaleFactor };
  } catch (err) {
    const what = typeof input === 'string' ? `"${input}"` : `a ${input.length}-byte buffer`;
    throw new ImageLoadError(`could not decode ${what} as an image: ${(err as Error).message}`);
  }
}

/** Encodes RGBA as PNG (for the CLI, tests and debugging). */
export function encodePng(image: RgbaImage): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } }).png().toBuffer();
}

/** Luma 0–255 per pixel (BT.601 integer weights). */
export function toGrey(image: RgbaImage): Uint8Array {
  const { data, width, height } = image;
  const out = new Uint8Array(width * height);
  for (let i = 0, p = 0; i < out.length; i++, p += 4) out[i] = (data[p] * 77 + data[p + 1] * 150 + data[p + 2] * 29) >> 8;
  return out;
}

/** Copies a rectangle (clamped to the image) into a new RgbaImage. */
export function crop(image: RgbaImage, x1: number, y1: number, x2: number, y2: number): RgbaImage {
  const left = Math.max(0, Math.floor(x1));
  const top = Math.max(0, Math.floor(y1));
  const right = Math.min(image.width, Math.ceil(x2));
  const bottom = Math.min(image.height, Math.ceil(y2));
  const width = Math.max(1, right - left);
  const height = Math.max(1, bottom - top);
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height && top + y < image.height; y++) {
    const from = ((top + y) * image.width + left) * 4;
    image.data.copy(data, y * width * 4, from, from + Math.min(width, image.width - left) * 4);
  }
  return { width, height, data, scaleFactor: image.scaleFactor };
}

/** Resizes RGBA with sharp (bilinear-quality area filter), returning RGBA. */
export async function resize(image: RgbaImage, width: number, height: number): Promise<RgbaImage> {
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
  return { width, height, data, scaleFactor: image.scaleFactor * (width / image.width) };
}

/** Content hash of an image or of a sub-rectangle of it (rows hashed in place, no copy). */
export function hashImage(image: RgbaImage, box?: [number, number, number, number]): string {
  const h = createHash('sha1');
  const [x1, y1, x2, y2] = box ?? [0, 0, image.width, image.height];
  h.update(`${x2 - x1}x${y2 - y1}:`);
  if (!box) h.update(image.data);
  else for (let y = y1; y < y2; y++) h.update(image.data.subarray((y * image.width + x1) * 4, (y * image.width + x2) * 4));
  return h.digest('hex');
}

/** "#rrggbb" for an RGB triple. */
export function hexColor(r: number, g: number, b: number): string {
  return '#' + [r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
}
