/**
 * A second look at short labels. Alone in a box as tall as a text line, a lone glyph gives the
 * recognizer nothing to size it against: a key's "0" fills the line like a letter's x-height and
 * reads "o", its "C" reads "c", its "(" reads "c" with low confidence. Read again on a crop fitted
 * to its ink, the glyph is as tall as a capital or a digit, which is what a key's label is.
 */
import type { RgbaImage } from '../../platform/types';
import type { BBox, TextLine } from '../../contracts/screen-state';
import { inkStats, outlineColor } from '../elements/pixels';
import { labelAfterMark, letterRows, readsMarkFirst } from '../elements/glued-mark';

/** Below this, a reading is unsure: worth a second look when short, or when its box starts with a mark. */
const SURE = 0.9;

/** The characters a reading has, spaces aside (none without a reading). */
export function charactersRead(line: TextLine | null): number {
  return line ? line.text.replace(/\s/g, '').length : 0;
}

/** A reading (or none) of one or two characters in a box no wider than a few glyphs, and not sure. */
export function needsSecondLook(line: TextLine | null, box: BBox): boolean {
  const w = box[2] - box[0];
  const h = box[3] - box[1];
  if (w > h * 2.5) return false;
  return !line || (charactersRead(line) <= 2 && line.confidence < SURE);
}

/**
 * The glyphs standing apart in the box (runs of columns with ink, a column without any between
 * them) when a short reading, or none, has fewer characters than there are; else 0. Wine's "OK"
 * button reads nothing, and its ink, cropped tight for a lone glyph, reads "K" and is sure of it.
 * Only runs at least a fifth of the box's height wide count (a focus rectangle's dots are narrower).
 */
export function glyphsLeftOut(image: RgbaImage, line: TextLine | null, box: BBox, key: BBox): number {
  const read = charactersRead(line);
  if (read > 2) return 0;
  const h = box[3] - box[1];
  if (box[2] - box[0] > h * 2.5) return 0;
  const inside = insideKey(box, key);
  const runs = inside ? glyphRuns(image, inside) : 0;
  return runs >= 2 && runs > read ? runs : 0;
}

/**
 * The part of a box inside its key's border, or null: the border is no ink of the key's glyphs
 * (a detected box may reach over it: Wine's default button "OK", whose blue frame inked every
 * column and made the crop three times the letters' height).
 */
function insideKey(box: BBox, key: BBox): BBox | null {
  const inside: BBox = [
    Math.max(box[0], key[0] + 3),
    Math.max(box[1], key[1] + 3),
    Math.min(box[2], key[2] - 3),
    Math.min(box[3], key[3] - 3),
  ];
  return inside[2] > inside[0] && inside[3] > inside[1] ? inside : null;
}

/** Runs of ink columns in the box, each at least a fifth of its height wide. */
function glyphRuns(image: RgbaImage, box: BBox): number {
  const bg = outlineColor(image, box);
  const [x1, x2] = [Math.max(0, Math.round(box[0])), Math.min(image.width, Math.round(box[2]))];
  const minWidth = Math.max(2, Math.round((box[3] - box[1]) * 0.2));
  let runs = 0;
  let run = 0;
  for (let x = x1; x <= x2; x++) {
    const ink = x < x2 && inkStats(image, [x, box[1], x + 1, box[3]], bg).inkBox !== null;
    if (ink) run++;
    else {
      if (run >= minWidth) runs++;
      run = 0;
    }
  }
  return runs;
}

/**
 * Crops for a second look: the box's ink with a margin of a stroke or so above and below and half
 * its height on the sides. Detection may cut a glyph (the loop of a "9" above its box): when the
 * strokes go on past the box's top or bottom edge, they are followed up to half the box's height
 * beyond it, inside the key's border, and that crop is read too. `wide`: the margin a detected
 * line leaves, for a word whose letters a glyph's tight crop cuts off.
 */
export function inkCrops(image: RgbaImage, box: BBox, key: BBox, wide = false): BBox[] {
  const bg = outlineColor(image, box);
  // A word's letters are looked for inside the key's border (see insideKey); a lone glyph's
  // tight crop keeps what it has always read with.
  const inside = wide ? insideKey(box, key) : box;
  const inBox = inside ? inkStats(image, inside, bg).inkBox : null;
  if (!inBox) return [];
  const reach = Math.round((box[3] - box[1]) / 2);
  const around: BBox = [box[0], Math.max(key[1] + 3, box[1] - reach), box[2], Math.min(key[3] - 3, box[3] + reach)];
  const goesOn = (from: number, to: number) =>
    from < to && inkStats(image, [inBox[0], from, inBox[2], to], bg).inkBox !== null;
  const cut =
    (inBox[1] <= box[1] && goesOn(Math.max(around[1], box[1] - 2), box[1])) ||
    (inBox[3] >= box[3] && goesOn(box[3], Math.min(around[3], box[3] + 2)));
  const followed = cut ? inkStats(image, around, bg).inkBox : null;
  return [inBox, ...(followed ? [followed] : [])].flatMap((ink) => {
    const crop = glyphCrop(image, ink, wide);
    return crop ? [crop] : [];
  });
}

/** The ink with a margin; `wide`, a margin as a detected line leaves (for words, not one glyph). */
function glyphCrop(image: RgbaImage, ink: BBox, wide: boolean): BBox | null {
  const h = ink[3] - ink[1];
  // Too flat to stand for a glyph's height (a minus, a bar): the line box says more.
  if (h < 5) return null;
  const padY = Math.max(wide ? 2 : 1, Math.round(h * (wide ? 0.35 : 0.15)));
  const padX = Math.max(wide ? 3 : 2, Math.round(h * (wide ? 0.75 : 0.5)));
  return [
    Math.max(0, ink[0] - padX),
    Math.max(0, ink[1] - padY),
    Math.min(image.width, ink[2] + padX),
    Math.min(image.height, ink[3] + padY),
  ];
}

/**
 * After glyphs were left out: the second reading wins when it reads more of them (no more than
 * the box shows) and is sure enough to keep; otherwise the surer of the two.
 */
export function fuller(first: TextLine | null, second: TextLine | null, glyphs: number, kept: number): TextLine | null {
  const n = charactersRead(second);
  if (second && n > charactersRead(first) && n <= glyphs && second.confidence > kept) return second;
  return surer(first, second);
}

/** The second reading wins when it is the surer of the two. */
export function surer(first: TextLine | null, second: TextLine | null): TextLine | null {
  if (!second) return first;
  return !first || second.confidence > first.confidence ? second : first;
}

/**
 * A label read with the check box or radio circle before it ("OMs" for "○ Mrs", "○" for "○ Mx"):
 * the mark throws the recognizer off the small letters after it. The box from the label's first
 * letter on is read again, its rows fitted to the letters: the mark, taller than they are, made
 * the line's box tall, and letters shrunk with it lose their thin strokes ("Ms" for "Mrs").
 */
export function labelCrop(
  image: RgbaImage,
  line: TextLine | null,
  box: BBox,
): { crop: BBox; markEnd: number; markRead: boolean } | null {
  if (!line) return null;
  // The mark may also be dropped, the letters after it garbled ("Trmestile" for "○ Trimestrielle"):
  // an unsure reading of a box that starts with a mark is read again all the same.
  const markRead = readsMarkFirst(line.text);
  const found = markRead || line.confidence < SURE ? labelAfterMark(image, line.text, box) : null;
  if (!found) return null;
  const markEnd = found.mark[1];
  const letters: BBox = [found.textStart, box[1], box[2], box[3]];
  const rows = letterRows(image, letters, outlineColor(image, letters));
  if (!rows) return { crop: letters, markEnd, markRead };
  // A margin around the letters, as the detector leaves around a line; on the left, within the gap after the mark.
  const h = rows[1] - rows[0];
  const padY = Math.max(2, Math.round(h * 0.4));
  const padX = Math.min(found.textStart - markEnd - 1, Math.max(2, Math.round(h * 0.3)));
  return {
    crop: [
      found.textStart - Math.max(0, padX),
      Math.max(box[1], rows[0] - padY),
      box[2],
      Math.min(box[3], rows[1] + padY),
    ],
    markEnd,
    markRead,
  };
}

/** The mark as a word of its own (what the element detector takes for a mark read as a letter), then the label read alone. */
export function withMarkWord(first: TextLine, box: BBox, markEnd: number, label: TextLine): TextLine {
  const mark = { text: first.text[0], bbox: [box[0], box[1], markEnd, box[3]] as BBox, confidence: first.confidence };
  return {
    text: `${mark.text} ${label.text}`,
    bbox: box,
    confidence: label.confidence,
    words: [mark, ...label.words],
  };
}
