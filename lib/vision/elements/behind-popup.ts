/**
 * Fields behind an open popup menu. A menu opened over a form hides the middle of the fields it
 * crosses: what shows is a piece left of the menu (taken for a button, or merged with the menu
 * when both are white) and a piece right of it, far from the field's label. The screen is looked
 * at once more with the menu painted away, each of its rows continued from the pixels beside it
 * (a field's borders and face run straight through), and a field found across the menu's place
 * is named by its label and clicked on its start, left of the menu, never under it.
 */
import type { RgbaImage } from '../../platform/types';
import type { BBox, TextLine } from '../../contracts/screen-state';
import type { Draft } from './draft';
import { center, contains, height } from './geometry';
import { pixel, type Rgb } from './pixels';

/** Two pixels this close (max channel difference) are of one flat run. */
const FLAT = 24;
/** The pixels sampled beside the menu on each row. */
const SAMPLE = 8;

type Labelling = Draft & { labelFor?: Draft };

function near(a: Rgb, b: Rgb): boolean {
  return Math.max(Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1]), Math.abs(a[2] - b[2])) <= FLAT;
}

/** The colour of the flat run [from, to) of a row (the pixel nearest the menu), or null if the run is not flat. */
function flatRun(image: RgbaImage, y: number, from: number, to: number, nearest: number): Rgb | null {
  if (from < 0 || to > image.width || to - from < 2) return null;
  const c = pixel(image, nearest, y);
  for (let x = from; x < to; x++) if (!near(pixel(image, x, y), c)) return null;
  return c;
}

/**
 * The image with each menu's box (and its shadow, `margin` around it) painted row by row with the
 * colours found just outside it: left of the middle from the left, right of it from the right
 * (one side's colour for both when the other is not flat). A copy.
 */
function withoutPopups(image: RgbaImage, panels: BBox[], margin: number): RgbaImage {
  const data = Buffer.from(image.data);
  for (const p of panels) {
    const x1 = Math.max(0, Math.round(p[0]) - margin);
    const x2 = Math.min(image.width, Math.round(p[2]) + margin);
    const y1 = Math.max(0, Math.round(p[1]) - margin);
    const y2 = Math.min(image.height, Math.round(p[3]) + margin);
    const middle = Math.round((x1 + x2) / 2);
    let last: Rgb | null = null;
    for (let y = y1; y < y2; y++) {
      const left = flatRun(image, y, x1 - SAMPLE, x1, x1 - 1);
      const right = flatRun(image, y, x2, x2 + SAMPLE, x2);
      const l: Rgb | null = left ?? right ?? last;
      const r: Rgb | null = right ?? left ?? last;
      if (!l || !r) continue;
      last = l;
      for (let x = x1; x < x2; x++) {
        const c = x < middle ? l : r;
        data.set([c[0], c[1], c[2], 255], (y * image.width + x) * 4);
      }
    }
  }
  return { ...image, data };
}

/** Rows [top, bottom) of an image, as an image of their own (a copy). */
function rows(image: RgbaImage, top: number, bottom: number): RgbaImage {
  const data = Buffer.from(image.data.subarray(top * image.width * 4, bottom * image.width * 4));
  return { ...image, height: bottom - top, data };
}

const down = (b: BBox, dy: number): BBox => [b[0], b[1] + dy, b[2], b[3] + dy];

/**
 * The band of rows the menus cross (and `reach` above and below, for the labels over the fields),
 * with the menus painted away, and the text lines in it outside the menus: what the second look
 * reads. Its coordinates start at row `top` of the screen.
 */
export function bandWithoutPopups(
  image: RgbaImage,
  lines: TextLine[],
  panels: BBox[],
  reach: number,
  margin: number,
): { band: RgbaImage; lines: TextLine[]; top: number } {
  const top = Math.max(0, Math.floor(Math.min(...panels.map((p) => p[1])) - reach));
  const bottom = Math.min(image.height, Math.ceil(Math.max(...panels.map((p) => p[3])) + reach));
  const band = withoutPopups(
    rows(image, top, bottom),
    panels.map((p) => down(p, -top)),
    margin,
  );
  const kept = lines
    .filter((l) => l.bbox[1] >= top && l.bbox[3] <= bottom && !panels.some((p) => contains(p, center(l.bbox))))
    .map((l) => ({
      ...l,
      bbox: down(l.bbox, -top),
      words: l.words.map((w) => ({ ...w, bbox: down(w.bbox, -top) })),
    }));
  return { band, lines: kept, top };
}

/** The drafts of the band as drafts of the screen (`top`: the band's first row), labels still linked. */
export function draftsOnScreen(drafts: Draft[], top: number): Draft[] {
  const moved = new Map(drafts.map((d) => [d, moveDraft(d, top)]));
  for (const d of moved.values()) {
    const field = (d as Labelling).labelFor;
    if (field) (d as Labelling).labelFor = moved.get(field) ?? field;
  }
  return [...moved.values()];
}

function moveDraft(d: Draft, top: number): Draft {
  const segment = d.labelSegment && {
    ...d.labelSegment,
    bbox: down(d.labelSegment.bbox, top),
    words: d.labelSegment.words.map((w) => ({ ...w, bbox: down(w.bbox, top) })),
  };
  return {
    ...d,
    bbox: down(d.bbox, top),
    ...(d.clickBox ? { clickBox: down(d.clickBox, top) } : {}),
    ...(segment ? { labelSegment: segment } : {}),
  };
}

/**
 * The drafts with the fields seen across a menu on the painted screen (`behind`, its drafts) in
 * place of their start: a field one line high that reaches out of the menu on both sides, by a
 * line's height at least, and crosses its rows. It is kept as its start left of the menu and the
 * part the menu hides, and clicked on that start: what shows right of the menu may be another
 * field (two fields side by side, the gap between them under the menu, look the same as one), so
 * it is left as the first look saw it. A first-look draft inside the kept box that is not the
 * menu's own (a menu item) was a piece of the field.
 */
export function withFieldsBehindPopups(drafts: Draft[], behind: Draft[], panels: BBox[], unit: number): Draft[] {
  let out = drafts;
  for (const panel of panels) {
    for (const field of behind) {
      if (field.type !== 'text_input' && field.type !== 'dropdown') continue;
      const [x1, y1, x2, y2] = field.bbox;
      if (x1 > panel[0] - unit || x2 < panel[2] + unit || y2 <= panel[1] || y1 >= panel[3]) continue;
      // One line high: an editor's page behind a menu is not a field cut in two.
      if (height(field.bbox) > unit * 3) continue;
      // The first look saw it whole (the menu only grazes it): nothing to mend.
      if (
        out.some((d) => (d.type === 'text_input' || d.type === 'dropdown') && sameBox(d.bbox, field.bbox, unit * 0.5))
      )
        continue;
      const kept: BBox = [x1, y1, panel[2], y2];
      const start: BBox = [x1, y1, panel[0], y2];
      const inKept = (d: Draft): boolean =>
        d.type !== 'menu_item' &&
        contains([x1 - 2, y1 - 2, kept[2] + 2, y2 + 2], [d.bbox[0], d.bbox[1]]) &&
        contains([x1 - 2, y1 - 2, kept[2] + 2, y2 + 2], [d.bbox[2], d.bbox[3]]);
      const pieces = out.filter(inKept);
      // Its label, as the first look read it (the same words in the same place).
      const seen = behind.find((d) => (d as Labelling).labelFor === field);
      const label = seen && out.find((d) => d.type === 'text' && sameBox(d.bbox, seen.bbox));
      const merged: Draft = { ...field, bbox: kept, clickBox: start, method: `${field.method}+behind_popup` };
      if (label) {
        (label as Labelling).labelFor = merged;
        label.role = seen.role;
      }
      out = [...out.filter((d) => !pieces.includes(d)), merged];
    }
  }
  return out;
}

function sameBox(a: BBox, b: BBox, slack = 2): boolean {
  return a.every((v, i) => Math.abs(v - b[i]) <= slack);
}
