/**
 * A field under its label drawn by little more than a line (Fluent, Material: a faint box, or
 * none, with a darker bottom line), which the box detector does not see as a box. A long line
 * taken for a field anywhere on the screen turns separators and underlined links into fields;
 * here a line counts only as the field of one label: right under it, its left end aligned with
 * the label's, longer than the label, and with no text between them but a placeholder inset
 * inside the field's span. The detector asks it for every short free text (a field no box found
 * is still a field: `fieldsUnderLabels`); locate asks it for a label whose field was not detected.
 */
import type { RgbaImage } from '../../platform/types';
import type { BBox, TextLine } from '../../contracts/screen-state';
import type { Draft, Segment } from './draft';
import type { RectCandidate } from './regions';
import { area, center, contains, intersection } from './geometry';
import { pixel } from './pixels';

/** Luma step that makes a line against the background around it (a field's faint shadow on white is ~22). */
const LINE_CONTRAST = 20;

function luma(image: RgbaImage, x: number, y: number): number {
  const p = (y * image.width + x) * 4;
  const d = image.data;
  return (d[p] * 77 + d[p + 1] * 150 + d[p + 2] * 29) >> 8;
}

/**
 * Whether (x, y) starts a thin line (three pixels at most) across a background that is the same
 * above and below it: a line, not the top of a filled region.
 */
function onThinLine(image: RgbaImage, x: number, y: number): boolean {
  if (y < 1 || y + 4 >= image.height) return false;
  const above = luma(image, x, y - 1);
  if (Math.abs(luma(image, x, y) - above) < LINE_CONTRAST) return false;
  for (let k = 1; k <= 3; k++) if (Math.abs(luma(image, x, y + k) - above) < LINE_CONTRAST / 2) return true;
  return false;
}

/** The run of line pixels on row y through x (gaps of two pixels bridged, for antialiasing). */
function runThrough(image: RgbaImage, x: number, y: number): [number, number] {
  let left = x;
  for (let gap = 0, xi = x - 1; xi >= 0 && gap <= 2; xi--) {
    if (onThinLine(image, xi, y)) {
      left = xi;
      gap = 0;
    } else gap++;
  }
  let right = x;
  for (let gap = 0, xi = x + 1; xi < image.width && gap <= 2; xi++) {
    if (onThinLine(image, xi, y)) {
      right = xi;
      gap = 0;
    } else gap++;
  }
  return [left, right];
}

interface Line {
  y: number;
  left: number;
  right: number;
}

/** The lines at least `minLength` long below `top` (down to `bottom`) whose left end lies between `fromX` and `toX`. */
function alignedLines(
  image: RgbaImage,
  top: number,
  bottom: number,
  fromX: number,
  toX: number,
  minLength: number,
): Line[] {
  const out: Line[] = [];
  for (let y = top; y <= bottom; y++) {
    for (let x = Math.max(0, fromX); x <= Math.min(image.width - 1, toX); x++) {
      if (!onThinLine(image, x, y)) continue;
      const [left, right] = runThrough(image, x, y);
      if (left >= fromX && right - left >= minLength) {
        // A line two or three pixels thick is found on its first row only.
        const last = out[out.length - 1];
        if (!last || last.y < y - 3 || Math.abs(last.left - left) > 2) out.push({ y, left, right });
        break;
      }
      x = right;
    }
  }
  return out;
}

/**
 * Whether an edge runs along rows [from, to) near column x: on most of them, a step in luma
 * within a few pixels of x (rounded corners bend an edge inward).
 */
function edgeAlong(image: RgbaImage, x: number, from: number, to: number, unit: number): boolean {
  const reach = Math.max(3, Math.round(unit * 0.3));
  const y1 = Math.max(0, from);
  const y2 = Math.min(image.height - 1, to);
  if (y2 <= y1) return false;
  let edged = 0;
  for (let y = y1; y < y2; y++) {
    let step = false;
    for (let xx = Math.max(1, x - reach); xx <= Math.min(image.width - 2, x + reach) && !step; xx++)
      step = Math.abs(luma(image, xx, y) - luma(image, xx - 1, y)) >= LINE_CONTRAST / 2;
    if (step) edged++;
  }
  return edged >= (y2 - y1) * 0.8;
}

/** The first column of the label's box where its letters' ink starts. */
function inkLeft(image: RgbaImage, label: BBox): number {
  const [x1, y1, x2, y2] = label.map(Math.round);
  const background = luma(image, Math.max(0, x1), Math.round((y1 + y2) / 2));
  for (let x = Math.max(0, x1); x < Math.min(image.width, x2); x++)
    for (let y = Math.max(0, y1); y < Math.min(image.height, y2); y++)
      if (Math.abs(luma(image, x, y) - background) >= 60) return x;
  return x1;
}

/**
 * The field right under a label, found by its lines: the first long line below the label whose
 * left end is aligned with the label's; with a second line of the same span under it, the two
 * are the field's top and bottom, otherwise the line is its bottom. Null when text other than a
 * placeholder sits between the label and the line, or when the line is shorter than the label.
 */
export function underlinedFieldBelow(image: RgbaImage, label: BBox, unit: number, text: TextLine[]): BBox | null {
  const slack = Math.max(2, Math.round(unit * 0.6));
  const top = Math.round(label[3]) + 1;
  const bottom = Math.min(image.height - 5, Math.round(label[3] + unit * 3.5));
  // Longer than the label by a margin: a link's or a heading's underline is as long as its words.
  const minLength = Math.max(label[2] - label[0] + unit * 1.5, unit * 5);
  // A field's left end is not left of its label's first letter (text boxes are padded, more or less):
  // a line further left is a separator or a panel's edge.
  const fromX = inkLeft(image, label) - 3;
  const lines = alignedLines(image, top, bottom, fromX, Math.round(label[0] + slack), minLength);
  const first = lines[0];
  if (!first) return null;
  const span = (l: Line): boolean => Math.abs(l.left - first.left) <= slack && Math.abs(l.right - first.right) <= slack;
  const second = lines.find((l) => l.y - first.y >= unit * 0.9 && l.y - first.y <= unit * 2.6 && span(l));
  // A lone line whose ends turn down is the top edge of a panel (a navigation bar under a page's
  // title), not a field's bottom.
  const reach = Math.max(3, Math.round(unit * 0.3));
  const down = (x: number): boolean =>
    edgeAlong(image, x, first.y + reach, first.y + reach + Math.round(unit * 0.6), unit);
  if (!second && (down(first.left) || down(first.right))) return null;
  // Sides over the line's ends running beside the words: the words are inside a box as wide as
  // the field, a value typed in the field above it (a column of fields), not a label.
  const quarter = (label[3] - label[1]) / 4;
  const beside = (x: number): boolean =>
    edgeAlong(image, x, Math.round(label[1] + quarter), Math.round(label[3] - quarter), unit);
  if (beside(first.left) && beside(first.right)) return null;
  const field: BBox = second
    ? [first.left, first.y, first.right, second.y]
    : [first.left, Math.max(top, Math.round(first.y - unit * 2.6)), first.right, first.y];
  // Between the label and the field's bottom, only text inside the field (its placeholder or value).
  const crossing = text.some((l) => {
    const [x1, y1, x2, y2] = l.bbox;
    if (y2 <= top || y1 >= field[3] || x2 <= field[0] || x1 >= field[2]) return false;
    if (y1 < label[3] - 1 && x1 < label[2] && x2 > label[0]) return false; // the label itself
    // A placeholder is inset by the field's padding; a sentence starts flush with the line, as the
    // label does (judged on the ink: text boxes are padded).
    return x2 > field[2] + 2 || y1 < field[1] - slack || inkLeft(image, l.bbox) <= field[0] + 1;
  });
  return crossing ? null : field;
}

/** A field found under a label, before it is classified. */
export interface FieldUnderLabel {
  field: RectCandidate;
  /** The unused text inside the field: its placeholder or value. */
  inside: Segment[];
}

/**
 * The fields drawn by a line under their label that no box found: short free text with such a
 * field right under it, where no control already stands and no word of another element lies.
 */
export function fieldsUnderLabels(
  segments: Segment[],
  found: Draft[],
  image: RgbaImage,
  lines: TextLine[],
  unit: number,
): FieldUnderLabel[] {
  const out: FieldUnderLabel[] = [];
  for (const s of segments) {
    if (s.used || s.container || s.text.split(/\s+/).length > LABEL_WORDS) continue;
    if ((s.text.match(/\p{L}/gu)?.length ?? 0) < 2) continue;
    const field = underlinedFieldBelow(image, s.bbox, unit, lines);
    if (!field) continue;
    const taken = (b: BBox): boolean =>
      intersection(b, field) > Math.min(area(b), area(field)) * 0.2 || contains(field, center(b));
    if (found.some((d) => d.type !== 'text' && taken(d.bbox))) continue;
    if (out.some((f) => taken(f.field.bbox))) continue;
    const words = segments.filter((o) => o !== s && contains(field, center(o.bbox)));
    if (words.some((o) => o.used)) continue;
    out.push({
      field: {
        bbox: field,
        color: pixel(image, field[0] + 3, (field[1] + field[3]) / 2),
        outlineCoverage: 1,
        ring: true,
        rounded: false,
      },
      inside: words,
    });
  }
  return out;
}

/** A label says a few words; a sentence over a rule is no field's label. */
const LABEL_WORDS = 5;
