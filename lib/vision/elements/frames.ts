/**
 * Boxes found from the text they hold: a button whose face is a gradient (Nimbus, Aqua-like
 * themes) has no flat fill for the colour segmentation to find, only a drawn frame around its
 * label. From a word that sits in no box, the frame is looked for outward: a border left and
 * right on the word's row, then above and below, then checked to run round all four sides.
 */
import type { RgbaImage } from '../../platform/types';
import type { BBox, TextLine } from '../../contracts/screen-state';
import { colorDistance, distanceAt, pixel, type Rgb } from './pixels';
import type { RectCandidate } from './regions';
import { area, center, contains, height, intersection, width } from './geometry';

/** A colour step between neighbour pixels that is a drawn border, not a gradient's slope. */
const BORDER_STEP = 60;
/** Share of each side's pixels that must be border for the frame to count (rounded corners aside). */
const SIDE_COVERAGE = 0.85;

/**
 * The boxes with the frames around words no box holds, as boxes the classifier can take as
 * controls; the gradient's bands inside a frame are its face, not boxes of their own.
 */
export function withTextFrames(
  image: RgbaImage,
  lines: TextLine[],
  rects: RectCandidate[],
  unit: number,
): RectCandidate[] {
  const frames = framedTextBoxes(image, lines, rects, unit);
  if (!frames.length) return rects;
  const isFace = (r: RectCandidate) =>
    frames.some((f) => intersection(f.bbox, r.bbox) >= area(r.bbox) * 0.9 && height(r.bbox) < height(f.bbox) * 0.8);
  return [...rects.filter((r) => !isFace(r)), ...frames];
}

function framedTextBoxes(image: RgbaImage, lines: TextLine[], rects: RectCandidate[], unit: number): RectCandidate[] {
  const out: RectCandidate[] = [];
  for (const line of lines) {
    const words = line.words.length ? line.words : [line];
    // The whole line first (a label of several words), then each word (a label and the field beside it read as one line).
    const spans: BBox[] = [[words[0].bbox[0], line.bbox[1], words[words.length - 1].bbox[2], line.bbox[3]]];
    if (words.length > 1) spans.push(...words.map((w): BBox => [w.bbox[0], line.bbox[1], w.bbox[2], line.bbox[3]]));
    for (const box of spans) {
      const c = center(box);
      // Held by a box already, unless that box is a band of a gradient thinner than the text.
      const held = rects.some(
        (r) => contains(r.bbox, c) && height(r.bbox) >= height(box) * 0.6 && height(r.bbox) <= unit * 3.2,
      );
      if (held || out.some((r) => contains(r.bbox, c))) continue;
      const frame = frameAround(image, box, unit);
      if (frame) out.push(frame);
    }
  }
  return out;
}

function frameAround(image: RgbaImage, text: BBox, unit: number): RectCandidate | null {
  const cy = Math.round((text[1] + text[3]) / 2);
  const face = rowColour(image, text, cy);
  const left = sideBorder(image, text[0], cy, -1, unit * 2.5, face);
  // A field's value or a dropdown's choice is left-aligned: its right border may be far off
  // (closed() then tells a frame from whatever line the walk met).
  const right = sideBorder(image, text[2] - 1, cy, 1, unit * 30, face);
  if (left === null || right === null) return null;
  // Up and down in the middle of the wider margin beside the text: clear of the letters and of
  // the rounded corners.
  const column = Math.round(text[0] - left >= right - text[2] ? (left + text[0]) / 2 : (text[2] + right) / 2);
  const top = borderAlong(image, column, cy, 0, -1, unit * 1.2);
  const bottom = borderAlong(image, column, cy, 0, 1, unit * 1.2);
  if (top === null || bottom === null) return null;
  const bbox: BBox = [left, top, right + 1, bottom + 1];
  const h = height(bbox);
  if (h < unit * 0.7 || h > unit * 2.4 || h < height(text) * 0.7 || width(bbox) < h) return null;
  if (!closed(image, bbox)) return null;
  // The face inside the drawn line, as the colour segmentation gives a filled box.
  const inner: BBox = [left + 1, top + 1, right, bottom];
  return { bbox: inner, color: face, outlineCoverage: 1, ring: false, rounded: true };
}

/** The commonest colour on the text's middle row: the face behind the letters. */
function rowColour(image: RgbaImage, text: BBox, y: number): Rgb {
  const counts = new Map<string, { n: number; c: Rgb }>();
  for (let x = Math.max(0, text[0]); x < Math.min(image.width, text[2]); x++) {
    const c = pixel(image, x, y);
    const key = c.map((v) => v >> 3).join(',');
    const e = counts.get(key);
    if (e) e.n++;
    else counts.set(key, { n: 1, c });
  }
  let best: { n: number; c: Rgb } = { n: 0, c: pixel(image, text[0], y) };
  for (const e of counts.values()) if (e.n > best.n) best = e;
  return best.c;
}

/**
 * Walking sideways from the text's end: past the ink of its last letter (the word box may end
 * inside it), then to the first pixel far from the face colour: the frame's side.
 */
function sideBorder(image: RgbaImage, x: number, y: number, dx: number, reach: number, face: Rgb): number | null {
  let i = 0;
  while (i < reach / 4 && distanceAt(image, x + dx * i, y, face) >= 40) i++;
  for (; i <= reach; i++) {
    const px = x + dx * i;
    if (px < 0 || px >= image.width) return null;
    if (distanceAt(image, px, y, face) >= BORDER_STEP) return px;
  }
  return null;
}

/**
 * From (x, y) stepping by (dx, dy), the first pixel that differs sharply from the one before it
 * (a border drawn against the face): its coordinate along the walk, or null within `reach`.
 */
function borderAlong(image: RgbaImage, x: number, y: number, dx: number, dy: number, reach: number): number | null {
  let prev: Rgb = pixel(image, x - dx, y - dy);
  for (let i = 0; i <= reach; i++) {
    const px = x + dx * i;
    const py = y + dy * i;
    if (px < 0 || py < 0 || px >= image.width || py >= image.height) return null;
    const here = pixel(image, px, py);
    if (colorDistance(here, prev) >= BORDER_STEP) return dx ? px : py;
    prev = here;
  }
  return null;
}

/** True when the box's outline is a border on all four sides: each side steps sharply from 3 pixels inside it (past a border 2 pixels thick at 200 %). */
function closed(image: RgbaImage, b: BBox): boolean {
  const [x1, y1, x2, y2] = [b[0], b[1], b[2] - 1, b[3] - 1];
  const corner = Math.max(3, Math.round(height(b) * 0.2));
  // Across a vertical gradient, the top and bottom sides must stand out from its slope; the
  // left and right sides compare pixels of one row, where the face is flat (or meets the face
  // of the dropdown's arrow button).
  const side = (n: number, step: number, at: (i: number) => Array<[Rgb, Rgb]>): boolean => {
    let hits = 0;
    let total = 0;
    for (let i = corner; i <= n - corner; i++) {
      total++;
      if (at(i).some(([edge, inner]) => colorDistance(edge, inner) >= step)) hits++;
    }
    return total > 0 && hits >= total * SIDE_COVERAGE;
  };
  const w = x2 - x1;
  const h = y2 - y1;
  const p = (x: number, y: number) => pixel(image, x, y);
  // The top and bottom were found next to a rounded corner: a pixel off along the straight part.
  return (
    area(b) > 0 &&
    side(w, BORDER_STEP * 0.6, (i) => [-1, 0].map((d): [Rgb, Rgb] => [p(x1 + i, y1 + d), p(x1 + i, y1 + 3)])) &&
    side(w, BORDER_STEP * 0.6, (i) => [0, 1].map((d): [Rgb, Rgb] => [p(x1 + i, y2 + d), p(x1 + i, y2 - 3)])) &&
    side(h, BORDER_STEP * 0.3, (i) => [[p(x1, y1 + i), p(x1 + 3, y1 + i)]]) &&
    side(h, BORDER_STEP * 0.3, (i) => [[p(x2, y1 + i), p(x2 - 3, y1 + i)]])
  );
}
