/**
 * Text detection runs below full size (see DETECT_SCALE); small bitmap or grey captions then lose
 * their thin strokes and come out in pieces or not at all: 98.css's toolbar caption "Imprimer"
 * found as "m" and "pr". A control whose text boxes cover only part of the ink on their own rows
 * has its text cut: those controls are detected again at full size, and their boxes replaced
 * when the new ones cover more of that ink.
 */
import type { RgbaImage } from '../../platform/types';
import type { BBox } from '../../contracts/screen-state';
import type { PixelLayout } from './element-detector';
import { inkStats, outlineColor, type Rgb } from './pixels';
import { rowHighlight } from './list-rows';
import { grow } from '../change-regions';
import { area, center, contains, height, union, verticalOverlap, width } from './geometry';

/** Share of the ink's width on the text's rows that the text boxes must cover. */
const COVERED = 0.7;
/** Share of that width the boxes detected again must cover beyond the first ones to replace them. */
const BETTER = 0.15;

/** A control whose text looks cut: its box, the ink on its text's rows, and the width the text boxes cover. */
export interface CutText {
  control: BBox;
  ink: BBox;
  covered: number;
}

/**
 * Control-sized boxes of the layout (no box of their own inside) holding text boxes that cover
 * less than COVERED of the ink on the rows those boxes span.
 */
export function controlsWithTextCut(layout: PixelLayout, boxes: BBox[], image: RgbaImage): CutText[] {
  const unit = 20 * Math.max(1, image.scaleFactor || 1);
  const out: CutText[] = [];
  for (const r of layout.rects) {
    const b = r.bbox;
    const h = height(b);
    const w = width(b);
    if (h < unit * 0.9 || h > unit * 3 || w < h * 0.6 || w > h * 8) continue;
    const holdsBox = layout.rects.some(
      (o) => o !== r && contains(b, center(o.bbox)) && area(o.bbox) < area(b) * 0.8 && height(o.bbox) > unit * 0.9,
    );
    if (holdsBox) continue;
    const inside = within(b, boxes);
    if (!inside.length) continue;
    const rows: BBox = [b[0] + 3, Math.min(...inside.map((t) => t[1])), b[2] - 3, Math.max(...inside.map((t) => t[3]))];
    const ink = inkStats(image, rows, r.color, 120).inkBox;
    if (!ink) continue;
    const covered = coveredWidth(ink, inside);
    if (covered < COVERED * width(ink)) out.push({ control: b, ink, covered });
  }
  return out;
}

/** The boxes whose middle lies inside the control. */
function within(control: BBox, boxes: BBox[]): BBox[] {
  return boxes.filter((t) => contains(control, center(t)));
}

/** Width of the ink's span that the boxes cover (boxes of one control do not overlap much). */
function coveredWidth(ink: BBox, boxes: BBox[]): number {
  return boxes.reduce((a, t) => a + Math.max(0, Math.min(t[2], ink[2]) - Math.max(t[0], ink[0])), 0);
}

/**
 * The boxes grouped by row (a toolbar is one region), each group as one region half a text line
 * larger: a caption close to its button's edge must not touch the region's.
 */
export function regionsByRow(boxes: BBox[], image: RgbaImage): BBox[] {
  const margin = Math.round(10 * Math.max(1, image.scaleFactor || 1));
  const rows: BBox[][] = [];
  for (const b of [...boxes].sort((p, q) => p[1] - q[1])) {
    const row = rows.find((g) => g.some((o) => verticalOverlap(o, b) > 0.5));
    if (row) row.push(b);
    else rows.push([b]);
  }
  return rows.map((g) => grow(union(g), margin, image.width, image.height));
}

/**
 * The text boxes with those of each cut control replaced by the ones detected again inside it,
 * where these cover clearly more of its ink (a dropdown's arrow is ink no text box covers: its
 * value, found the same again, stays as first read).
 */
export function withTextDetectedAgain(boxes: BBox[], cut: CutText[], again: BBox[]): BBox[] {
  const redone = cut
    .filter((c) => coveredWidth(c.ink, within(c.control, again)) >= c.covered + BETTER * width(c.ink))
    .map((c) => c.control);
  const inRedone = (t: BBox): boolean => redone.some((b) => contains(b, center(t)));
  return [...boxes.filter((t) => !inRedone(t)), ...again.filter(inRedone)];
}

/** Text boxes for a list's lines of ink that no detected text box stands on. */
export interface MissedLines {
  list: BBox;
  /** The rows of each line missed. */
  bands: [number, number][];
  /** One box per line missed, around its ink from the list's left edge of text. */
  lines: BBox[];
}

/**
 * Boxes at least three lines tall, no wider than a third of the screen, where the text boxes
 * stand on two lines or more, and a band of letter-high ink where the lines start has none:
 * a list's short lines ("7", "9" in a dialog's list of sizes) that detection below full size
 * lost, or joined into one box over two lines. Each such line gets a box of its own, around its
 * ink up to the first gap wider than its height (the list's scroll bar stands further off).
 */
export function listsWithLinesMissed(layout: PixelLayout, boxes: BBox[], image: RgbaImage): MissedLines[] {
  const unit = 20 * Math.max(1, image.scaleFactor || 1);
  const out: MissedLines[] = [];
  for (const r of layout.rects) {
    const b = r.bbox;
    if (height(b) < unit * 3 || width(b) < unit * 1.5 || width(b) > image.width / 3) continue;
    const inside = within(b, boxes);
    if (inside.length < 2 || holdsControls(layout, b, unit)) continue;
    // Where the lines start: a list's lines are aligned on the left, its scroll bar is on the right.
    const left = Math.max(b[0] + 2, Math.min(...inside.map((t) => t[0])));
    const column: BBox = [left, b[1] + 2, Math.min(b[2] - 2, left + unit), b[3] - 2];
    const background = outlineColor(image, column);
    const bands = inkBands(image, column, background, unit);
    // A selected line's highlight fills the band: its text is light on it, and not judged here.
    const missed = bands.filter(
      ([y1, y2]) =>
        inkStats(image, [column[0], y1, column[2], y2], background, 120).inkFraction < 0.6 &&
        !standsOn([y1, y2], inside),
    );
    if (bands.length - missed.length < 2 || !missed.length) continue;
    const found = missed.flatMap((band) => {
      const [y1, y2] = band;
      const ink = inkRun(image, [left, y1, b[2] - 2, y2], background, y2 - y1);
      const pad = Math.max(2, Math.round((y2 - y1) * 0.4));
      return ink ? [{ band, line: [ink[0] - 1, y1 - pad, ink[1] + 1, y2 + pad] as BBox }] : [];
    });
    if (found.length) out.push({ list: b, bands: found.map((f) => f.band), lines: found.map((f) => f.line) });
  }
  // A list drawn in a frame is found twice (the frame, the list's own fill): the inner one counts.
  return out.filter(
    (l) => !out.some((o) => o !== l && contains(l.list, center(o.list)) && area(o.list) < area(l.list)),
  );
}

/**
 * A list holds no boxes but its scroll bar's, on the right, and a selected line's highlight,
 * from its left edge over most of its width: a box of keys or fields is no list.
 */
function holdsControls(layout: PixelLayout, list: BBox, unit: number): boolean {
  return layout.rects.some((r) => {
    const b = r.bbox;
    if (b === list || !contains(list, center(b)) || area(b) >= area(list) * 0.8 || height(b) < unit * 0.6) return false;
    return !rowHighlight(b, list, unit) && center(b)[0] < (list[0] + list[2]) / 2;
  });
}

/**
 * Whether a text box stands on the band: one covering most of its rows, padded above and below
 * as detection pads, and not much taller (a box over two lines, or tight on a piece of a letter,
 * reads neither line).
 */
function standsOn([y1, y2]: [number, number], boxes: BBox[]): boolean {
  const h = y2 - y1;
  return boxes.some(
    (t) => Math.min(t[3], y2) - Math.max(t[1], y1) >= h * 0.7 && height(t) >= h * 1.2 && height(t) <= h * 3,
  );
}

/** Bands of consecutive rows with ink, as tall as letters (a third of a line to a line and a half). */
function inkBands(image: RgbaImage, box: BBox, background: Rgb, unit: number): [number, number][] {
  const bands: [number, number][] = [];
  let start = -1;
  for (let y = box[1]; y <= box[3]; y++) {
    const inked = y < box[3] && inkStats(image, [box[0], y, box[2], y + 1], background, 120).inkFraction > 0;
    if (inked && start < 0) start = y;
    if (!inked && start >= 0) {
      if (y - start >= unit * 0.3 && y - start <= unit * 1.5) bands.push([start, y]);
      start = -1;
    }
  }
  return bands;
}

/** The columns [first, last + 1) of the ink from the box's left up to the first gap wider than `gap`. */
function inkRun(image: RgbaImage, box: BBox, background: Rgb, gap: number): [number, number] | null {
  let first = -1;
  let last = -1;
  for (let x = box[0]; x < box[2]; x++) {
    const inked = inkStats(image, [x, box[1], x + 1, box[3]], background, 120).inkFraction > 0;
    if (!inked) {
      if (first >= 0 && x - last > gap) break;
      continue;
    }
    if (first < 0) first = x;
    last = x;
  }
  return first < 0 ? null : [first, last + 1];
}

/**
 * The text boxes with a box for each missed line; a box inside a list over a missed line that
 * stands on no line of its own (a piece of a letter, two lines in one) goes.
 */
export function withMissedLines(boxes: BBox[], lists: MissedLines[]): BBox[] {
  const stray = (t: BBox): boolean =>
    lists.some(
      (l) =>
        contains(l.list, center(t)) &&
        l.bands.some(
          ([y1, y2], i) =>
            Math.min(t[3], y2) - Math.max(t[1], y1) >= (y2 - y1) * 0.3 &&
            Math.min(t[2], l.lines[i][2]) > Math.max(t[0], l.lines[i][0]),
        ),
    );
  return [...boxes.filter((t) => !stray(t)), ...lists.flatMap((l) => l.lines)];
}
