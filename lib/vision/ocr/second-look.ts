/**
 * A second look at short labels. Alone in a box as tall as a text line, a lone glyph gives the
 * recognizer nothing to size it against: a key's "0" fills the line like a letter's x-height and
 * reads "o", its "C" reads "c", its "(" reads "c" with low confidence. Read again on a crop fitted
 * to its ink, the glyph is as tall as a capital or a digit, which is what a key's label is.
 */
import type { RgbaImage } from '../../platform/types';
import type { BBox, TextLine } from '../../contracts/screen-state';
import { inkStats } from '../elements/pixels';
import { labelAfterMark } from '../elements/glued-mark';

/** Below this, a short reading is worth a second look. */
const SURE = 0.9;

/** A reading (or none) of one or two characters in a box no wider than a few glyphs, and not sure. */
export function needsSecondLook(line: TextLine | null, box: BBox): boolean {
  const w = box[2] - box[0];
  const h = box[3] - box[1];
  if (w > h * 2.5) return false;
  return !line || (line.text.replace(/\s/g, '').length <= 2 && line.confidence < SURE);
}

/** The box's ink with a margin of a stroke or so above and below and half its height on the sides. */
export function inkCrop(image: RgbaImage, box: BBox): BBox | null {
  const ink = inkStats(image, box).inkBox;
  if (!ink) return null;
  const h = ink[3] - ink[1];
  // Too flat to stand for a glyph's height (a minus, a bar): the line box says more.
  if (h < 5) return null;
  const padY = Math.max(1, Math.round(h * 0.15));
  const padX = Math.max(2, Math.round(h * 0.5));
  return [
    Math.max(0, ink[0] - padX),
    Math.max(0, ink[1] - padY),
    Math.min(image.width, ink[2] + padX),
    Math.min(image.height, ink[3] + padY),
  ];
}

/** The second reading wins when it is the surer of the two. */
export function surer(first: TextLine | null, second: TextLine | null): TextLine | null {
  if (!second) return first;
  return !first || second.confidence > first.confidence ? second : first;
}

/**
 * A label read with the check box or radio circle before it ("OMs" for "○ Mrs", "○" for "○ Mx"):
 * the mark throws the recognizer off the small letters after it. The box from the label's first
 * letter on is read again.
 */
export function labelCrop(image: RgbaImage, line: TextLine | null, box: BBox): { crop: BBox; markEnd: number } | null {
  const found = line ? labelAfterMark(image, line.text, box) : null;
  return found ? { crop: [found.textStart, box[1], box[2], box[3]], markEnd: found.mark[1] } : null;
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
