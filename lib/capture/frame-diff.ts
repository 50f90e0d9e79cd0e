/**
 * How much two screenshots differ, pixel by pixel. The recorder asks this for every frame it
 * grabs (is the screen still moving? did it change without input? is this shot a duplicate?),
 * so it compares 32-bit words instead of bytes: a 1920×1080 pair takes about 3 ms.
 */
import type { RgbaImage } from '../platform/types';

export interface FrameDifference {
  /** Pixels whose colour differs at all. */
  changedPixels: number;
  /** 1 − changedPixels / pixels: 1 is identical, 0.9 means a tenth of the screen changed. */
  similarity: number;
}

function words(image: RgbaImage): Uint32Array {
  const { data } = image;
  if (data.byteOffset % 4 === 0) return new Uint32Array(data.buffer, data.byteOffset, image.width * image.height);
  return new Uint32Array(Uint8Array.prototype.slice.call(data).buffer);
}

export function compareImages(a: RgbaImage, b: RgbaImage): FrameDifference {
  const pixels = a.width * a.height;
  if (a.width !== b.width || a.height !== b.height) return { changedPixels: pixels, similarity: 0 };
  if (a.data.equals(b.data)) return { changedPixels: 0, similarity: 1 };
  const x = words(a);
  const y = words(b);
  let changed = 0;
  for (let i = 0; i < pixels; i++) if (x[i] !== y[i]) changed++;
  return { changedPixels: changed, similarity: Math.round((1 - changed / pixels) * 1e6) / 1e6 };
}

/**
 * "Nothing changed" for the recorder: at most `maxChangedFraction` of the pixels differ, which
 * lets a blinking text caret (about 20 pixels) through but not a typed character.
 */
export function nearlyIdentical(diff: FrameDifference, pixels: number, maxChangedFraction: number): boolean {
  return diff.changedPixels <= pixels * maxChangedFraction;
}
