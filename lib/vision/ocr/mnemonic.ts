/**
 * Mnemonic underlines. Swing, Wine and other toolkits underline one letter of a label (the
 * access key: "_Oui", "_Non"); the recognizer takes the line under an "O" for the tail of a "Q".
 * A thin straight line just below the text, about one glyph wide, with a blank row between it
 * and the letters, is that mark: the label is read with those rows painted as the background.
 */
import type { RgbaImage } from '../../platform/types';
import type { BBox } from '../../contracts/screen-state';

/** A pixel this far from its row's background (|dR|+|dG|+|dB|) is ink. */
const INK = 120;

/** Per 12-bit colour, its count on the row being read (zeroed again after each row). */
const rowCounts = new Uint32Array(4096);

/** Each row's most frequent colour (to 4 bits a channel), as the row's background. */
function rowBackground(image: RgbaImage, y: number, x1: number, x2: number): [number, number, number] {
  let best = 0;
  let bestKey = 0;
  const d = image.data;
  for (let x = x1; x < x2; x++) {
    const p = (y * image.width + x) * 4;
    const key = ((d[p] >> 4) << 8) | ((d[p + 1] >> 4) << 4) | (d[p + 2] >> 4);
    const n = ++rowCounts[key];
    if (n > best) {
      best = n;
      bestKey = key;
    }
  }
  for (let x = x1; x < x2; x++) {
    const p = (y * image.width + x) * 4;
    rowCounts[((d[p] >> 4) << 8) | ((d[p + 1] >> 4) << 4) | (d[p + 2] >> 4)] = 0;
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
  // A row's runs are in order and apart: one at most covers x, found by a cursor per row.
  const cursor = new Int32Array(rows.length);
  for (let x = x1; x < x2; x++) {
    if (x >= x1 + side && x < x2 - side) continue;
    let covering = 0;
    let bare = true;
    for (let r = 0; r < rows.length; r++) {
      const runs = rows[r].runs;
      let k = cursor[r];
      while (k < runs.length && runs[k][1] <= x) k++;
      cursor[r] = k;
      if (k === runs.length || runs[k][0] > x) continue;
      covering++;
      // A bare vertical line: no stroke leaves it sideways, as a letter's bars leave its stem.
      if (runs[k][1] - runs[k][0] > 2) bare = false;
    }
    if (covering >= rows.length * 0.45 && bare) frame.add(x);
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

/** A mnemonic underline: rows [top, bottom) and columns [left, right) on the screen. */
export interface Underline {
  rows: [number, number];
  columns: [number, number];
}

/** Whether a row has ink in columns [a, b). */
function inkIn(runs: [number, number][], a: number, b: number): boolean {
  return runs.some(([s, e]) => s < b && e > a);
}

/**
 * The mnemonic underlines in the box: one per underlined key, so a menu bar read as one line
 * ("File Edit Search View Help", each with its key underlined) has several. Each is judged on its
 * own columns, since the other words' descenders may share its rows.
 */
export function underlinesIn(image: RgbaImage, box: BBox): Underline[] {
  const x1 = Math.max(0, Math.round(box[0]));
  const x2 = Math.min(image.width, Math.round(box[2]));
  const y1 = Math.max(0, Math.round(box[1]));
  const y2 = Math.min(image.height, Math.round(box[3]));
  if (x2 - x1 < 8 || y2 - y1 < 8) return [];
  const rows: { bg: [number, number, number]; runs: [number, number][] }[] = [];
  for (let y = y1; y < y2; y++) {
    const bg = rowBackground(image, y, x1, x2);
    rows.push({ bg, runs: inkRuns(image, y, x1, x2, bg) });
  }
  dropFrameColumns(rows, x1, x2);
  const inked = rows.flatMap((r) => r.runs);
  if (!inked.length) return [];
  const inkWidth = Math.max(...inked.map(([, e]) => e)) - Math.min(...inked.map(([s]) => s));
  const thickest = Math.max(2, Math.round((y2 - y1) * 0.08));
  const marks: Underline[] = [];
  for (let top = 2; top < rows.length - 1; top++)
    for (const [a, b] of rows[top].runs) {
      // One straight run, the same on each of its rows, a stroke thick, alone in its columns.
      const sameRun = (r: number) => {
        const near = rows[r].runs.filter(([s, e]) => s < b + 2 && e > a - 2);
        return near.length === 1 && Math.abs(near[0][0] - a) <= 1 && Math.abs(near[0][1] - b) <= 1;
      };
      if (inkIn(rows[top - 1].runs, a - 1, b + 1) || !sameRun(top)) continue;
      let bottom = top;
      while (bottom + 1 < rows.length && sameRun(bottom + 1)) bottom++;
      // Clear of the box's bottom edge: ink cut there is the top of the next line, not a mark.
      if (bottom - top + 1 > thickest || bottom === rows.length - 1) continue;
      if (rows.slice(bottom + 1).some((r) => inkIn(r.runs, a, b))) continue;
      // The letters right above it, after a blank row.
      let textBottom = top - 1;
      while (textBottom >= 0 && !inkIn(rows[textBottom].runs, a, b)) textBottom--;
      if (textBottom < 0) continue;
      // The line's height, over all its columns: a key in lower case is shorter than the line.
      let textTop = textBottom;
      while (textTop > 0 && rows[textTop - 1].runs.length) textTop--;
      const textHeight = textBottom - textTop + 1;
      if (top - textBottom - 1 > Math.max(2, textHeight * 0.3)) continue;
      // About one glyph wide and shorter than the text: not a link's underline nor a border.
      const width = b - a;
      if (width < textHeight * 0.3 || width > textHeight * 1.5 || inkWidth < width * 1.5) continue;
      // Under a letter: an underscore between two words has no ink above it.
      let covered = 0;
      for (let x = a; x < b; x++)
        if (rows.slice(textTop, textBottom + 1).some((r) => inkIn(r.runs, x, x + 1))) covered++;
      if (covered < width * 0.5) continue;
      marks.push({ rows: [y1 + top, y1 + bottom + 1], columns: [a, b] });
    }
  return belowBaseline(rows, marks, y1);
}

/**
 * The marks that lie below the line's letters. The bottom stroke of an "e" or an "s" drawn in
 * grey may stand apart from the rest of its letter, but it rests on the baseline, where most
 * letters end: the last row still inked over a good share of the other columns.
 */
function belowBaseline(rows: { runs: [number, number][] }[], marks: Underline[], y1: number): Underline[] {
  if (!marks.length) return marks;
  const marked = (x: number) => marks.some(({ columns }) => x >= columns[0] - 1 && x < columns[1] + 1);
  const counts = rows.map((r) => {
    let n = 0;
    for (const [s, e] of r.runs) for (let x = s; x < e; x++) if (!marked(x)) n++;
    return n;
  });
  const most = Math.max(...counts);
  let baseline = counts.length - 1;
  while (baseline > 0 && counts[baseline] < most * 0.35) baseline--;
  return marks.filter((m) => m.rows[0] - y1 > baseline);
}

/**
 * The image with the mnemonic underlines of the boxes painted as their rows' background (a copy;
 * the image itself when there are none). Every box is still read from one image, in the same
 * batches: the recognizer's readings depend on what a crop is batched with.
 */
export function withoutMnemonics(image: RgbaImage, boxes: BBox[]): RgbaImage {
  const marks = boxes.flatMap((box) => underlinesIn(image, box));
  if (!marks.length) return image;
  const data = Buffer.from(image.data);
  for (const { rows, columns } of marks)
    for (let y = rows[0]; y < rows[1]; y++) {
      const bg = rowBackground(image, y, Math.max(0, columns[0] - 8), Math.min(image.width, columns[1] + 8));
      for (let x = columns[0]; x < columns[1]; x++) data.set([bg[0], bg[1], bg[2], 255], (y * image.width + x) * 4);
    }
  return { ...image, data };
}
