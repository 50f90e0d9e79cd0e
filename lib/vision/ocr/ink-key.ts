/**
 * The recognition cache's key for a text crop: the crop's ink, without the blank margin around
 * it. The detector places the box of an unchanged line a pixel or two differently from one frame
 * to the next (and elsewhere when the line moved with the rows around it); the ink is the same,
 * so is the text, and the cached reading serves with its character spans moved to the new box.
 */
import type { RgbaImage } from '../../platform/types';
import type { BBox } from '../../contracts/screen-state';
import { hashImage } from '../../image/pixels';

export interface InkKey {
  key: string;
  /** Columns of blank margin left of the ink in the crop. */
  inkLeft: number;
  /** The crop's width. */
  width: number;
}

/** Readings keep their spans as fractions of the crop's width. */
export interface Spanned {
  spans: [number, number][];
}

/**
 * The key of the ink inside `box`: rows and columns at the box's edges that are all of the
 * top-left pixel's colour are margin. A crop with no such margin is keyed whole.
 */
export function inkKey(image: RgbaImage, box: BBox): InkKey {
  const [x1, y1, x2, y2] = box.map(Math.round);
  const pixel = (p: number) => image.data.readUInt32LE(p * 4);
  const bg = pixel(y1 * image.width + x1);
  const blankRow = (y: number, a: number, b: number) => {
    for (let x = a, p = y * image.width + a; x < b; x++, p++) if (pixel(p) !== bg) return false;
    return true;
  };
  const blankCol = (x: number, a: number, b: number) => {
    for (let y = a, p = a * image.width + x; y < b; y++, p += image.width) if (pixel(p) !== bg) return false;
    return true;
  };
  let top = y1;
  while (top < y2 && blankRow(top, x1, x2)) top++;
  if (top === y2) return { key: `blank:${bg}:${hashImage(image, [x1, y1, x2, y2])}`, inkLeft: 0, width: x2 - x1 };
  let bottom = y2;
  while (bottom > top && blankRow(bottom - 1, x1, x2)) bottom--;
  let left = x1;
  while (left < x2 && blankCol(left, top, bottom)) left++;
  let right = x2;
  while (right > left && blankCol(right - 1, top, bottom)) right--;
  // The margin's colour is part of the key: the same glyphs on another background are another
  // crop. For a glyph or two, so is the ink's share of the crop's height (10 % steps): the network
  // sees every crop at one height, and a lone "0" in a tall box reads "o" where fitted to its ink
  // it reads "0" (the second look at a key's label, ./second-look.ts). In a word, the letters
  // around a glyph tell its size, wherever the box's edges fall.
  const short = right - left <= 2.5 * (bottom - top);
  const share = short ? Math.round(((bottom - top) / (y2 - y1)) * 10) : '';
  return { key: `${bg}:${share}:${hashImage(image, [left, top, right, bottom])}`, inkLeft: left - x1, width: x2 - x1 };
}

/** A reading of the crop keyed `from`, its spans moved to the crop keyed `to` (same ink). */
export function movedSpans<T extends Spanned>(reading: T, from: InkKey, to: InkKey): T {
  if (from.inkLeft === to.inkLeft && from.width === to.width) return reading;
  const move = (f: number) => (f * from.width - from.inkLeft + to.inkLeft) / to.width;
  return { ...reading, spans: reading.spans.map(([a, b]) => [move(a), move(b)] as [number, number]) };
}
