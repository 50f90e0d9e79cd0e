/**
 * Operators drawn as separate strokes, told by their shape on a key: "=" is two bars of the same
 * span one above the other, "÷" a bar with a dot centred above it and one below. The recognizer
 * reads them apart from their context ("÷" as "+", "=" as "二" or nothing): a keypad whose "÷" is
 * read "+" has two "+" keys, and a query for "+" a tie or, with the real "+" unread, the wrong key.
 */
import type { RgbaImage } from '../../platform/types';
import type { BBox } from '../../contracts/screen-state';
import { distanceAt, type Rgb } from './pixels';
import { center, height, width } from './geometry';

/** Colour distance from the key's face above which a pixel is ink (low: a small dot is antialiased). */
const INK = 60;

/** The bounding boxes of the 8-connected groups of ink pixels in the box, top to bottom. */
export function inkParts(image: RgbaImage, box: BBox, face: Rgb, threshold = INK): BBox[] {
  const [x1, y1, x2, y2] = box.map(Math.round);
  const w = x2 - x1;
  const h = y2 - y1;
  if (w <= 0 || h <= 0) return [];
  const ink = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) ink[y * w + x] = distanceAt(image, x1 + x, y1 + y, face) > threshold ? 1 : 0;
  const parts: BBox[] = [];
  const stack: number[] = [];
  for (let start = 0; start < ink.length; start++) {
    if (ink[start] !== 1) continue;
    ink[start] = 2;
    stack.push(start);
    const part: BBox = [w, h, 0, 0];
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % w;
      const y = (p - x) / w;
      part[0] = Math.min(part[0], x);
      part[1] = Math.min(part[1], y);
      part[2] = Math.max(part[2], x + 1);
      part[3] = Math.max(part[3], y + 1);
      for (let yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++)
        for (let xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++)
          if (ink[yy * w + xx] === 1) {
            ink[yy * w + xx] = 2;
            stack.push(yy * w + xx);
          }
    }
    parts.push([x1 + part[0], y1 + part[1], x1 + part[2], y1 + part[3]]);
  }
  return parts.sort((a, b) => a[1] - b[1]);
}

const isBar = (b: BBox): boolean => width(b) >= height(b) * 2.5;

/**
 * "=" or "÷" when the glyph's ink (`glyph`, its strong ink, inside `key`, the key's face of colour
 * `face`) is drawn as one, else null. A "÷"'s dots may be too faint to count as strong ink: they
 * are looked for above and below the glyph, as far as it is wide.
 */
export function operatorByShape(image: RgbaImage, glyph: BBox, key: BBox, face: Rgb): '=' | '÷' | null {
  const reach = Math.round(width(glyph) * 0.6);
  const parts = inkParts(
    image,
    [
      Math.max(key[0], glyph[0] - 2),
      Math.max(key[1], glyph[1] - reach),
      Math.min(key[2], glyph[2] + 2),
      Math.min(key[3], glyph[3] + reach),
    ],
    face,
  );
  if (parts.length === 2) {
    const [a, b] = parts;
    const slack = Math.max(2, width(a) * 0.15);
    const sameSpan = Math.abs(a[0] - b[0]) <= slack && Math.abs(a[2] - b[2]) <= slack;
    return isBar(a) && isBar(b) && sameSpan && b[1] >= a[3] + 1 ? '=' : null;
  }
  if (parts.length === 3) {
    const [top, bar, bottom] = parts;
    const dot = (d: BBox) =>
      !isBar(d) &&
      width(d) <= width(bar) * 0.5 &&
      height(d) <= width(bar) * 0.5 &&
      Math.abs(center(d)[0] - center(bar)[0]) <= Math.max(2, width(bar) * 0.15);
    return isBar(bar) && dot(top) && dot(bottom) && top[3] <= bar[1] && bottom[1] >= bar[3] ? '÷' : null;
  }
  return null;
}

/**
 * A zero on a key, when the recognizer is unsure of it: one ring of ink, taller than wide, round
 * on both sides (a "D" has a straight stem), around one hole centred in it and most of its height
 * ("6", "9" and "4" have a smaller hole off centre, "8" two). The ring is judged on faint ink too:
 * a thin stroke's antialiased pixels must not open it, nor lie just outside the glyph's box (a
 * box taken at a stricter threshold cuts the faint top of a small "0" at 100 %: Lightning's keys).
 */
export function zeroByShape(image: RgbaImage, glyph: BBox, face: Rgb): boolean {
  const [x1, y1, x2, y2] = faintInkBox(image, glyph, face);
  const w = x2 - x1;
  const h = y2 - y1;
  if (w < 4 || h < 7 || h < w * 1.05) return false;
  const ink = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) ink[y * w + x] = distanceAt(image, x1 + x, y1 + y, face) > FAINT_INK ? 1 : 0;
  // Round on both sides: the outermost columns have ink on the curve's middle rows only (a
  // narrow "0" at 100 % has straight sides over three quarters of its height; a "D" is a stem).
  for (const x of [0, w - 1]) {
    let rows = 0;
    for (let y = 0; y < h; y++) rows += ink[y * w + x];
    if (rows > h * 0.85) return false;
  }
  // The background reached from the glyph box's edge; what is left unreached is a hole.
  const outside = new Uint8Array(w * h);
  const stack: number[] = [];
  const reach = (p: number) => {
    if (ink[p] || outside[p]) return;
    outside[p] = 1;
    stack.push(p);
  };
  for (let x = 0; x < w; x++) {
    reach(x);
    reach((h - 1) * w + x);
  }
  for (let y = 0; y < h; y++) {
    reach(y * w);
    reach(y * w + w - 1);
  }
  const flood = (seen: Uint8Array, box: BBox | null): number => {
    let n = 0;
    while (stack.length) {
      const p = stack.pop()!;
      n++;
      const x = p % w;
      const y = (p - x) / w;
      if (box) {
        box[0] = Math.min(box[0], x);
        box[1] = Math.min(box[1], y);
        box[2] = Math.max(box[2], x + 1);
        box[3] = Math.max(box[3], y + 1);
      }
      for (const [dx, dy] of NEIGHBOURS) {
        const xx = x + dx;
        const yy = y + dy;
        if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
        const q = yy * w + xx;
        if (!ink[q] && !seen[q]) {
          seen[q] = 1;
          stack.push(q);
        }
      }
    }
    return n;
  };
  flood(outside, null);
  const holes: BBox[] = [];
  for (let p = 0; p < w * h; p++) {
    if (ink[p] || outside[p]) continue;
    const box: BBox = [w, h, 0, 0];
    outside[p] = 1;
    stack.push(p);
    // A pixel or two left between antialiased strokes is no hole.
    if (flood(outside, box) > 2) holes.push(box);
  }
  if (holes.length !== 1) return false;
  const [hole] = holes;
  const [hx, hy] = center(hole);
  return height(hole) >= h * 0.45 && Math.abs(hx - w / 2) <= w * 0.15 && Math.abs(hy - h / 2) <= h * 0.12;
}

/** Colour distance from the face above which a pixel closes a ring (a thin stroke's edge is faint). */
const FAINT_INK = 40;
const NEIGHBOURS: ReadonlyArray<[number, number]> = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
];

/** The box of the faint ink within a pixel around a glyph's box. */
function faintInkBox(image: RgbaImage, glyph: BBox, face: Rgb): BBox {
  const [gx1, gy1, gx2, gy2] = glyph.map(Math.round);
  let box: BBox | null = null;
  for (let y = Math.max(0, gy1 - 1); y < Math.min(image.height, gy2 + 1); y++)
    for (let x = Math.max(0, gx1 - 1); x < Math.min(image.width, gx2 + 1); x++)
      if (distanceAt(image, x, y, face) > FAINT_INK)
        box = box
          ? [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x + 1), Math.max(box[3], y + 1)]
          : [x, y, x + 1, y + 1];
  return box ?? [gx1, gy1, gx2, gy2];
}
