/**
 * Rows of bullets: the round dots a password field draws instead of the characters typed into it
 * (GTK, Qt, browsers: "●●●●"). Found from the pixels alone, so a secret field is recognised
 * whatever the window is called.
 *
 * A bullet is a filled round blob, a few pixels across, standing out from the background; a row
 * is three or more of them of the same size, on one line, at an even pitch, with only background
 * between them. Letters do not pass: "o" is hollow (and its holes have the letters' gaps between
 * them), "." is too small, and no word repeats one filled glyph at an even pitch.
 */
import type { RgbaImage } from '../platform/types';

export interface BulletRow {
  /** How many bullets. */
  count: number;
  /** [x1, y1, x2, y2] in image pixels, x2/y2 exclusive. */
  box: [number, number, number, number];
  /** Bullet size in pixels. */
  diameter: number;
}

interface Blob {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  pixels: number;
}

const MIN_DIAMETER = 4;
const MAX_DIAMETER = 24;
/**
 * Glyph pixels: dark ones (a light theme) and light ones (a dark theme), each looked at on its
 * own, so a dark bullet on a white field is an island in the first mask and the field a large
 * block in the second, whatever the rest of the screen looks like.
 */
const DARK_BELOW = 110;
const LIGHT_ABOVE = 150;
/** A disc fills π/4 ≈ 0.785 of its box; anti-aliasing and thresholding move it a little. */
const MIN_FILL = 0.6;
const MAX_FILL = 0.92;

/** Connected groups (4-neighbours) of glyph pixels; those larger than a bullet are dropped early. */
function blobs(ink: Uint8Array, width: number, height: number): Blob[] {
  const seen = new Uint8Array(ink.length);
  const stack = new Int32Array(ink.length);
  const out: Blob[] = [];
  for (let start = 0; start < ink.length; start++) {
    if (!ink[start] || seen[start]) continue;
    let x1 = width;
    let y1 = height;
    let x2 = 0;
    let y2 = 0;
    let pixels = 0;
    let top = 0;
    seen[start] = 1;
    stack[top++] = start;
    while (top > 0) {
      const i = stack[--top];
      const x = i % width;
      const y = (i - x) / width;
      pixels++;
      if (x < x1) x1 = x;
      if (y < y1) y1 = y;
      if (x >= x2) x2 = x + 1;
      if (y >= y2) y2 = y + 1;
      for (const j of [
        x > 0 ? i - 1 : -1,
        x + 1 < width ? i + 1 : -1,
        y > 0 ? i - width : -1,
        y + 1 < height ? i + width : -1,
      ])
        if (j >= 0 && ink[j] && !seen[j]) {
          seen[j] = 1;
          stack[top++] = j;
        }
    }
    // Only blobs the size of a bullet are kept: the rest (fields, panels, words) can be large.
    if (x2 - x1 <= MAX_DIAMETER && y2 - y1 <= MAX_DIAMETER) out.push({ x1, y1, x2, y2, pixels });
  }
  return out;
}

/**
 * Clears horizontal runs of glyph pixels wider than a bullet: backgrounds, panels and rules are
 * no part of one, and leaving them out spares flood-filling most of the screen.
 */
function dropLongRuns(ink: Uint8Array, width: number): void {
  for (let row = 0; row < ink.length; row += width) {
    let x = 0;
    while (x < width) {
      if (!ink[row + x]) {
        x++;
        continue;
      }
      let end = x;
      while (end < width && ink[row + end]) end++;
      if (end - x > MAX_DIAMETER) ink.fill(0, row + x, row + end);
      x = end;
    }
  }
}

function isBullet(b: Blob): boolean {
  const w = b.x2 - b.x1;
  const h = b.y2 - b.y1;
  if (w < MIN_DIAMETER || h < MIN_DIAMETER || w > MAX_DIAMETER || h > MAX_DIAMETER) return false;
  if (Math.abs(w - h) > 1) return false;
  const fill = b.pixels / (w * h);
  return fill >= MIN_FILL && fill <= MAX_FILL;
}

/**
 * Chains of same-sized bullets on one line at an even pitch, three or more long, with nothing
 * of their own colour between them: the holes of "ooo" are light dots in a row too, but the
 * light gaps between the letters sit between them.
 */
function rowsOf(bullets: Blob[], ink: Uint8Array, width: number): BulletRow[] {
  const clearBetween = (a: Blob, b: Blob) => {
    const y = Math.floor((a.y1 + a.y2) / 2);
    for (let x = a.x2; x < b.x1; x++) if (ink[y * width + x]) return false;
    return true;
  };
  const sorted = [...bullets].sort((a, b) => a.x1 - b.x1);
  const used = new Set<Blob>();
  const rows: BulletRow[] = [];
  const cy = (b: Blob) => (b.y1 + b.y2) / 2;
  const size = (b: Blob) => b.x2 - b.x1;
  for (const first of sorted) {
    if (used.has(first)) continue;
    const row = [first];
    let pitch: number | undefined;
    for (const next of sorted) {
      const last = row[row.length - 1];
      if (next.x1 <= last.x1 || used.has(next)) continue;
      if (Math.abs(cy(next) - cy(first)) > 1.5 || Math.abs(size(next) - size(first)) > 1) continue;
      const step = next.x1 - last.x1;
      if (step < size(first) * 1.1 || step > size(first) * 4) continue;
      if (pitch !== undefined && Math.abs(step - pitch) > 2) continue;
      if (!clearBetween(last, next)) continue;
      pitch ??= step;
      row.push(next);
    }
    if (row.length < 3) continue;
    for (const b of row) used.add(b);
    rows.push({
      count: row.length,
      box: [row[0].x1, Math.min(...row.map((b) => b.y1)), row[row.length - 1].x2, Math.max(...row.map((b) => b.y2))],
      diameter: size(first),
    });
  }
  return rows;
}

/** The rows of bullets inside `region` ([x1, y1, x2, y2], default the whole image). */
export function findBulletRows(image: RgbaImage, region?: [number, number, number, number]): BulletRow[] {
  const x1 = Math.max(0, Math.floor(region?.[0] ?? 0));
  const y1 = Math.max(0, Math.floor(region?.[1] ?? 0));
  const x2 = Math.min(image.width, Math.ceil(region?.[2] ?? image.width));
  const y2 = Math.min(image.height, Math.ceil(region?.[3] ?? image.height));
  const width = x2 - x1;
  const height = y2 - y1;
  if (width <= 0 || height <= 0) return [];
  const grey = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = ((y1 + y) * image.width + x1 + x) * 4;
      grey[y * width + x] = (image.data[i] + image.data[i + 1] + image.data[i + 2]) / 3;
    }
  const rows: BulletRow[] = [];
  for (const dark of [true, false]) {
    const ink = new Uint8Array(grey.length);
    for (let i = 0; i < grey.length; i++) ink[i] = (dark ? grey[i] < DARK_BELOW : grey[i] > LIGHT_ABOVE) ? 1 : 0;
    dropLongRuns(ink, width);
    rows.push(...rowsOf(blobs(ink, width, height).filter(isBullet), ink, width));
  }
  // The gaps between dark bullets can pass for light ones: of two overlapping rows, the longer.
  const overlap = (a: BulletRow, b: BulletRow) =>
    a.box[0] < b.box[2] && b.box[0] < a.box[2] && a.box[1] < b.box[3] && b.box[1] < a.box[3];
  const kept = rows.filter(
    (r, i) => !rows.some((o, j) => j !== i && overlap(r, o) && (o.count > r.count || (o.count === r.count && j < i))),
  );
  return kept.map((r) => ({
    ...r,
    box: [r.box[0] + x1, r.box[1] + y1, r.box[2] + x1, r.box[3] + y1],
  }));
}
