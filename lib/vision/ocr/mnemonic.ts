/**
 * Mnemonic underlines. Swing, Wine and other toolkits underline one letter of a label (the
 * access key: "_Oui", "_Non"); the recognizer takes the line under an "O" for the tail of a "Q".
 * A thin straight line just below the text, about one glyph wide, with a blank row between it
 * and the letters, is that mark: the label is read with those rows painted as the background.
 */
import type { RgbaImage } from '../../platform/types';
import type { BBox, TextLine } from '../../contracts/screen-state';

/** A pixel this far from its row's background (|dR|+|dG|+|dB|) is ink. */
const INK = 120;

/** Each row's most frequent colour (to 4 bits a channel), as the row's background. */
function rowBackground(image: RgbaImage, y: number, x1: number, x2: number): [number, number, number] {
  const counts = new Map<number, number>();
  let best = 0;
  let bestKey = 0;
  for (let x = x1; x < x2; x++) {
    const p = (y * image.width + x) * 4;
    const key = ((image.data[p] >> 4) << 8) | ((image.data[p + 1] >> 4) << 4) | (image.data[p + 2] >> 4);
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    if (n > best) [best, bestKey] = [n, key];
  }
  return [((bestKey >> 8) << 4) + 8, (((bestKey >> 4) & 15) << 4) + 8, ((bestKey & 15) << 4) + 8];
}

/**
 * The ink of one row as [start, end) runs; a run touching the box's side or spanning most of it is
 * the frame of the control around the text (a button's border, its focus ring), not ink.
 */
function inkRuns(
  image: RgbaImage,
  y: number,
  x1: number,
  x2: number,
  bg: [number, number, number],
): [number, number][] {
  const runs: [number, number][] = [];
  for (let x = x1; x < x2; x++) {
    const p = (y * image.width + x) * 4;
    const d =
      Math.abs(image.data[p] - bg[0]) + Math.abs(image.data[p + 1] - bg[1]) + Math.abs(image.data[p + 2] - bg[2]);
    if (d <= INK) continue;
    const last = runs[runs.length - 1];
    if (last && last[1] === x) last[1] = x + 1;
    else runs.push([x, x + 1]);
  }
  return runs.filter(([s, e]) => s >= x1 + 2 && e <= x2 - 2 && e - s < (x2 - x1) * 0.8);
}

/**
 * Removes the columns of a control's side drawn inside the box: a bare vertical line near a side,
 * with ink on many rows.
 */
function dropFrameColumns(rows: { runs: [number, number][] }[], x1: number, x2: number): void {
  const side = Math.max(3, Math.round((x2 - x1) * 0.15));
  const frame = new Set<number>();
  for (let x = x1; x < x2; x++) {
    if (x >= x1 + side && x < x2 - side) continue;
    const runs = rows.flatMap((r) => r.runs.filter(([s, e]) => x >= s && x < e));
    // A bare vertical line: no stroke leaves it sideways, as a letter's bars leave its stem.
    if (runs.length >= rows.length * 0.45 && runs.every(([s, e]) => e - s <= 2)) frame.add(x);
  }
  if (!frame.size) return;
  for (const r of rows)
    r.runs = r.runs.flatMap(([s, e]) => {
      const kept: [number, number][] = [];
      let start = -1;
      for (let x = s; x <= e; x++) {
        const ink = x < e && !frame.has(x);
        if (ink && start < 0) start = x;
        if (!ink && start >= 0) {
          kept.push([start, x]);
          start = -1;
        }
      }
      return kept;
    });
}

/** The rows [top, bottom) of a mnemonic underline in the box, or null. */
export function underlineRows(image: RgbaImage, box: BBox): [number, number] | null {
  const x1 = Math.max(0, Math.round(box[0]));
  const x2 = Math.min(image.width, Math.round(box[2]));
  const y1 = Math.max(0, Math.round(box[1]));
  const y2 = Math.min(image.height, Math.round(box[3]));
  if (x2 - x1 < 8 || y2 - y1 < 8) return null;
  const rows: { bg: [number, number, number]; runs: [number, number][] }[] = [];
  for (let y = y1; y < y2; y++) {
    const bg = rowBackground(image, y, x1, x2);
    rows.push({ bg, runs: inkRuns(image, y, x1, x2, bg) });
  }
  dropFrameColumns(rows, x1, x2);
  let bottom = rows.length - 1;
  while (bottom >= 0 && !rows[bottom].runs.length) bottom--;
  if (bottom < 0) return null;
  const [a, b] = rows[bottom].runs[0];
  // One straight run, the same on each of its rows, a stroke thick.
  const sameRun = (r: number) =>
    rows[r].runs.length === 1 && Math.abs(rows[r].runs[0][0] - a) <= 1 && Math.abs(rows[r].runs[0][1] - b) <= 1;
  // Clear of the box's bottom edge: ink cut there is the top of the next line, not a mark.
  if (bottom === rows.length - 1 || !sameRun(bottom)) return null;
  let top = bottom;
  while (top > 0 && sameRun(top - 1)) top--;
  if (bottom - top + 1 > Math.max(2, Math.round((y2 - y1) * 0.08))) return null;
  // A blank row, then the letters, right above it.
  if (top < 2 || rows[top - 1].runs.length) return null;
  let textBottom = top - 1;
  while (textBottom >= 0 && !rows[textBottom].runs.length) textBottom--;
  if (textBottom < 0) return null;
  let textTop = textBottom;
  let left = Infinity;
  let right = -Infinity;
  for (let r = textBottom; r >= 0 && rows[r].runs.length; r--) {
    textTop = r;
    left = Math.min(left, rows[r].runs[0][0]);
    right = Math.max(right, rows[r].runs[rows[r].runs.length - 1][1]);
  }
  const textHeight = textBottom - textTop + 1;
  const gap = top - textBottom - 1;
  if (gap > Math.max(2, textHeight * 0.3)) return null;
  // About one glyph wide, under the text and shorter than it: not a link's underline nor a border.
  const width = b - a;
  const slack = Math.max(2, textHeight * 0.3);
  if (width < textHeight * 0.3 || width > textHeight * 1.5 || a < left - slack || b > right + slack) return null;
  if (right - left < width * 1.5) return null;
  // Under a letter: an underscore between two words has no ink above it.
  let covered = 0;
  for (let x = a; x < b; x++)
    if (rows.slice(textTop, textBottom + 1).some((r) => r.runs.some(([s, e]) => x >= s && x < e))) covered++;
  if (covered < width * 0.5) return null;
  return [y1 + top, y1 + bottom + 1];
}

/**
 * The boxes with a mnemonic underline, copied one under the other onto a sheet with the
 * underline painted as its row's background; `at` tells where each box (`source`, the
 * `index`-th) lies on the sheet.
 */
export function unmarkedSheet(
  image: RgbaImage,
  boxes: BBox[],
): { sheet: RgbaImage; at: { index: number; box: BBox; source: BBox }[] } | null {
  const found = boxes.flatMap((box, index) => {
    const rows = underlineRows(image, box);
    return rows ? [{ index, rows, box: box.map(Math.round) as BBox }] : [];
  });
  if (!found.length) return null;
  const width = Math.max(...found.map((f) => f.box[2] - f.box[0]));
  const height = found.reduce((h, f) => h + f.box[3] - f.box[1], 0);
  const data = Buffer.alloc(width * height * 4, 255);
  const at: { index: number; box: BBox; source: BBox }[] = [];
  let top = 0;
  for (const f of found) {
    const [x1, y1, x2, y2] = f.box;
    for (let y = y1; y < y2; y++) {
      const to = (top + y - y1) * width * 4;
      if (y >= f.rows[0] && y < f.rows[1]) {
        const bg = rowBackground(image, y, x1, x2);
        for (let x = 0; x < x2 - x1; x++) data.set([bg[0], bg[1], bg[2], 255], to + x * 4);
      } else image.data.copy(data, to, (y * image.width + x1) * 4, (y * image.width + x2) * 4);
    }
    at.push({ index: f.index, box: [0, top, x2 - x1, top + y2 - y1], source: f.box });
    top += y2 - y1;
  }
  return { sheet: { width, height, data, scaleFactor: image.scaleFactor }, at };
}

/** A line read on the sheet, moved back to where its box is on the screen. */
export function movedLine(line: TextLine, from: BBox, to: BBox): TextLine {
  const dx = to[0] - from[0];
  const dy = to[1] - from[1];
  const move = (b: BBox): BBox => [b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy];
  return { ...line, bbox: to, words: line.words.map((w) => ({ ...w, bbox: move(w.bbox) })) };
}
