/**
 * A check box or radio circle read with its label as one word ("OMs" for "○ Mrs"): told apart from
 * a first letter by the gap after it, a word space that no two letters of one word leave.
 */
import type { RgbaImage } from '../../platform/types';
import type { BBox, TextRegion } from '../../contracts/screen-state';
import { height, width } from './geometry';
import { inkStats, pixel, type Rgb } from './pixels';

/** What OCR reads a check box or a radio circle as (a checked radio's dot makes it "①" or "⊙"). */
const MARK_LETTERS = 'o0口□○◯●◉⊙◎①';
/** A word that is only a mark read as a letter. */
const MARK_AS_LETTER = new RegExp(`^[${MARK_LETTERS}]$`, 'iu');
/** A word whose first letter may be a mark glued to its label ("OMs" for "○ Ms"). */
export const GLUED_MARK = new RegExp(`^[${MARK_LETTERS}]\\S`, 'iu');
/**
 * A sunken radio circle of classic themes (dark on its left, light on its right) reads as "C":
 * taken for a mark only when its ink stands taller than the letters after it (by TALLER), as no
 * letter C does.
 */
const HALF_RING_AS_LETTER = /^c$/i;
const TALLER = 1.1;

/** Whether a word may be a mark read as a letter (the pixels tell; see isMarkAsLetter). */
export function mayBeMarkLetter(text: string): boolean {
  return MARK_AS_LETTER.test(text) || HALF_RING_AS_LETTER.test(text);
}

/** Whether a word is a mark read as a letter, `next` being the word after it on its line. */
export function isMarkAsLetter(image: RgbaImage, word: TextRegion, next: TextRegion, line: BBox): boolean {
  if (MARK_AS_LETTER.test(word.text)) return true;
  if (!HALF_RING_AS_LETTER.test(word.text)) return false;
  const bg = pixel(image, word.bbox[0] - 1, line[1] + 1);
  const run = (b: BBox) => inkedRun(image, [b[0], line[1], b[2], line[3]], bg);
  return run(word.bbox) > run(next.bbox) * TALLER;
}

/**
 * The longest run of consecutive rows holding ink: a circle's middle rows are inked all across,
 * and a padded line box may take in the top of the next line.
 */
function inkedRun(image: RgbaImage, box: BBox, bg: Rgb): number {
  let best = 0;
  let run = 0;
  for (let y = Math.max(0, Math.round(box[1])); y < Math.min(image.height, Math.round(box[3])); y++) {
    run = inkStats(image, [box[0], y, box[2], y + 1], bg, 60).inkFraction > 0 ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}

/** A reading whose first letter may be a mark: one of MARK_LETTERS, or a "C" word (see HALF_RING_AS_LETTER). */
const MARK_FIRST = new RegExp(`^([${MARK_LETTERS}]|c\\s)`, 'iu');

/** Whether a reading begins with a letter a mark is read as ("O", "o", "C " …). */
export function readsMarkFirst(text: string): boolean {
  return MARK_FIRST.test(text);
}

/** The first and last rows [top, bottom) of a word's letters; a row inked all across is a line under or over it. */
export function letterRows(image: RgbaImage, box: BBox, bg: Rgb): [number, number] | null {
  let top = -1;
  let bottom = -1;
  for (let y = Math.max(0, Math.round(box[1])); y < Math.min(image.height, Math.round(box[3])); y++) {
    const ink = inkStats(image, [box[0], y, box[2], y + 1], bg, 60).inkFraction;
    if (ink === 0 || ink >= 0.9) continue;
    if (top < 0) top = y;
    bottom = y + 1;
  }
  return top < 0 ? null : [top, bottom];
}

/** The longest run of consecutive rows with letters' ink: the letters themselves, without bits of the lines above and below that a padded box takes in. */
export function letterCore(image: RgbaImage, box: BBox, bg: Rgb): [number, number] | null {
  let best: [number, number] | null = null;
  let start = -1;
  const y2 = Math.min(image.height, Math.round(box[3]));
  for (let y = Math.max(0, Math.round(box[1])); y <= y2; y++) {
    const ink = y < y2 ? inkStats(image, [box[0], y, box[2], y + 1], bg, 60).inkFraction : 0;
    const letters = ink > 0 && ink < 0.9;
    if (letters && start < 0) start = y;
    if (!letters && start >= 0) {
      if (!best || y - start > best[1] - best[0]) best = [start, y];
      start = -1;
    }
  }
  return best;
}

export interface MarkThenText {
  /** The first ink's columns [start, end). */
  mark: [number, number];
  /** Where the letters after it start. */
  textStart: number;
  bg: Rgb;
}

/**
 * In `span` (scanned left to right over its rows), the first run of inked columns followed by a
 * word space (a fifth of the following letters' height, at least 3 pixels) and more letters; null
 * when the first ink runs straight into the next glyph or nothing follows it.
 */
export function markThenText(image: RgbaImage, span: BBox): MarkThenText | null {
  const from = Math.max(0, Math.round(span[0]));
  const end = span[2];
  const bg = pixel(image, from - 1, span[1] + 1);
  const inkAt = (x: number): boolean => inkStats(image, [x, span[1], x + 1, span[3]], bg, 60).inkFraction > 0;
  let x = from;
  while (x < end && !inkAt(x)) x++;
  const markStart = x;
  while (x < end && inkAt(x)) x++;
  const markEnd = x;
  while (x < end && !inkAt(x)) x++;
  if (x >= end) return null;
  const rows = letterRows(image, [x, span[1], end, span[3]], bg);
  if (!rows) return null;
  if (x - markEnd < Math.max(3, Math.round((rows[1] - rows[0]) * 0.2))) return null;
  return { mark: [markStart, markEnd], textStart: x, bg };
}

/**
 * Where a label starts in a text box read `text`, when the box's first ink is a mark: as wide as
 * it is tall, and about as tall as the letters after it or taller. (Whether the reading makes the
 * box worth looking at, a mark-like first letter or an unsure reading, is the caller's question.)
 */
export function labelAfterMark(image: RgbaImage, text: string, box: BBox): MarkThenText | null {
  const found = markThenText(image, box);
  if (!found) return null;
  const h = inkedRun(image, [found.mark[0], box[1], found.mark[1], box[3]], found.bg);
  const letters = inkedRun(image, [found.textStart, box[1], box[2], box[3]], found.bg);
  if (!h || !letters) return null;
  const w = found.mark[1] - found.mark[0];
  const compact = Math.abs(w - h) <= Math.max(2, Math.max(w, h) * 0.3);
  // A "C" is a mark only when taller than the letters after it (see HALF_RING_AS_LETTER).
  const tallEnough = HALF_RING_AS_LETTER.test(text[0]) ? h > letters * TALLER : h >= letters * 0.6;
  return compact && tallEnough && h >= Math.min(width(box), height(box)) * 0.3 ? found : null;
}
