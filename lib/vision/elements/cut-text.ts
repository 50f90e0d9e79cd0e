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
import { inkStats } from './pixels';
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
