/** Pixel access on plain RGBA buffers: crops and a fast content hash for caching. */
import { createHash } from 'crypto';
import type { RgbaImage } from '../platform/types';

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

/** Content hash of an image or of a sub-rectangle of it (rows hashed in place, no copy). */
export function hashImage(image: RgbaImage, box?: [number, number, number, number]): string {
  const h = createHash('sha1');
  const [x1, y1, x2, y2] = box ?? [0, 0, image.width, image.height];
  h.update(`${x2 - x1}x${y2 - y1}:`);
  if (!box) h.update(image.data);
  else
    for (let y = y1; y < y2; y++) h.update(image.data.subarray((y * image.width + x1) * 4, (y * image.width + x2) * 4));
  return h.digest('hex');
}

/**
 * The pixels as 32-bit words (one per RGBA pixel), to tell two pixels equal in one comparison;
 * null when the buffer does not start on a word boundary (a view cannot be made without a copy).
 */
export function pixelWords(data: Buffer): Uint32Array | null {
  return data.byteOffset % 4 === 0 ? new Uint32Array(data.buffer, data.byteOffset, data.length >> 2) : null;
}
