/**
 * Tabs drawn as words whose strip marks one of them as selected: a bar under that word only
 * (Fluent, Material), or the panel's top edge running under every tab but the selected one, which
 * opens into the panel (classic Windows tabs). Either way exactly one word of the row differs
 * from the others, which no underlined link or row of labels does.
 */
import type { RgbaImage } from '../../platform/types';
import type { BBox } from '../../contracts/screen-state';
import { distanceAt, outlineColor, type Rgb } from './pixels';

/** Share of the columns [x1, x2) inked (off `bg`) on row y. */
function cover(image: RgbaImage, x1: number, x2: number, y: number, bg: Rgb): number {
  const from = Math.max(0, Math.round(x1));
  const to = Math.min(image.width, Math.round(x2));
  if (to <= from) return 0;
  let n = 0;
  for (let x = from; x < to; x++) if (distanceAt(image, x, y, bg) > 40) n++;
  return n / (to - from);
}

/** First and last inked columns of [x1, x2) on row y, or null. */
function inkEnds(image: RgbaImage, x1: number, x2: number, y: number, bg: Rgb): [number, number] | null {
  let first = -1;
  let last = -1;
  for (let x = Math.max(0, Math.round(x1)); x < Math.min(image.width, Math.round(x2)); x++)
    if (distanceAt(image, x, y, bg) > 40) {
      if (first < 0) first = x;
      last = x;
    }
  return first < 0 ? null : [first, last];
}

/** Whether column x holds ink on any row of [y1, y2). */
function inkDown(image: RgbaImage, x: number, y1: number, y2: number, bg: Rgb): boolean {
  for (let y = y1; y < Math.min(image.height, y2); y++) if (distanceAt(image, x, y, bg) > 40) return true;
  return false;
}

/**
 * The first thin line on rows [from, to) under the words whose ink lies under exactly one of them
 * (a bar centred under it, standing alone, shorter than the word or reaching past it on both
 * sides) or under every word but one (the panel's edge, whole under each of the others): its row
 * and the selected word's index. Ink is judged against each word's own background, as a strip
 * may fill its selected tab in another colour than the rest.
 */
export function selectedTabMark(
  image: RgbaImage,
  words: BBox[],
  unit: number,
  from: number,
  to: number,
): { line: number; selected: number } | null {
  const thick = Math.max(3, Math.round(unit * 0.25));
  const bgs = words.map((w) => outlineColor(image, w));
  for (let y = Math.max(0, Math.round(from)); y < to && y + thick < image.height; y++) {
    const covers = words.map((w, i) => cover(image, w[0], w[2], y, bgs[i]));
    const bare = covers.filter((c) => c <= 0.05).length;
    const thin = (i: number) => cover(image, words[i][0], words[i][2], y + thick, bgs[i]) <= 0.3;
    const marked = covers.findIndex((c) => c >= 0.25);
    if (bare === words.length - 1 && marked >= 0) {
      const [x1, , x2] = words[marked];
      const bg = bgs[marked];
      // Under the whole word, a bar as wide as its tab (Material's indicator) reaches past the
      // word on both sides; an underline ends with the word.
      const underWhole = covers[marked] > 0.9;
      const reach = underWhole ? unit * 2 : 0;
      const [left, right] = inkEnds(image, x1 - reach, x2 + reach, y, bg)!;
      // It ends short of the reach: a longer line (a field's under the row) is no tab's bar.
      const past =
        underWhole && left < x1 - unit * 0.3 && right > x2 + unit * 0.3 && left > x1 - reach && right < x2 + reach - 1;
      const centred = Math.abs((left + right) / 2 - (x1 + x2) / 2) <= (x2 - x1) / 4;
      // A bar stands alone; the top edge of a field under its label goes on down its sides.
      const alone =
        !inkDown(image, left, y + thick, y + 2 * thick, bg) && !inkDown(image, right, y + thick, y + 2 * thick, bg);
      if ((!underWhole || past) && centred && alone && thin(marked)) return { line: y, selected: marked };
    }
    const whole = covers.filter((c) => c >= 0.9).length;
    if (bare === 1 && whole === words.length - 1 && words.every((_, i) => covers[i] <= 0.05 || thin(i)))
      return { line: y, selected: covers.findIndex((c) => c <= 0.05) };
  }
  return null;
}
