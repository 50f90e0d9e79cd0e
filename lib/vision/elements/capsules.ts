/**
 * Capsules ("pills": boxes whose ends are half circles, as PatternFly's and Material 3's buttons
 * are; found by `capsuleCovered` in regions.ts). Their rounded ends are ink a text detector takes
 * for letters: the arcs of two neighbour keys read "(" in the gap between them, and the arc beside
 * a key's "1" makes it read "D". Text is read inside a capsule's face, and a box holding nothing
 * but capsule ends is no text.
 */
import type { RgbaImage } from '../../platform/types';
import type { BBox } from '../../contracts/screen-state';
import type { RectCandidate } from './regions';
import { distanceAt, outlineColor } from './pixels';
import { center, contains, height, intersection, width } from './geometry';

/** Ink against the surroundings (an antialiased arc of a thin border is faint). */
const INK = 60;

/**
 * Inside a key, clear of its border by `d`: a capsule's half circles reach further in at its
 * ends, so the box stays a quarter of its height clear of them there.
 */
export function keyFace(r: RectCandidate, d: number): BBox {
  const [x1, y1, x2, y2] = r.bbox;
  const dx = r.capsule ? Math.max(d, Math.ceil((y2 - y1) * 0.25) + 1) : d;
  return [x1 + dx, y1 + d, x2 - dx, y2 - d];
}

/**
 * The text boxes without the capsule ends they take in: a box on a capsule (its label) is cut
 * to the capsule's face; a box whose every inked pixel lies on capsules (the ends of two
 * neighbours, with the gap between them) is dropped.
 */
export function textOffCapsuleEnds(boxes: BBox[], rects: RectCandidate[], image: RgbaImage): BBox[] {
  const capsules = rects.filter((r) => r.capsule);
  if (!capsules.length) return boxes;
  const out: BBox[] = [];
  for (const box of boxes) {
    const c = center(box);
    const on = capsules.find((r) => contains(r.bbox, c) && height(box) <= height(r.bbox) * 1.3);
    if (on) {
      const face = keyFace(on, Math.round(height(on.bbox) * 0.15));
      const inside: BBox = [
        Math.max(box[0], face[0]),
        Math.max(box[1], face[1]),
        Math.min(box[2], face[2]),
        Math.min(box[3], face[3]),
      ];
      out.push(width(inside) > 0 && height(inside) > 0 ? inside : box);
      continue;
    }
    const near = capsules.filter((r) => intersection(grown(r.bbox, 3), box) > 0);
    if (
      !near.length ||
      inkOffCapsules(
        image,
        box,
        near.map((r) => grown(r.bbox, 3)),
      )
    )
      out.push(box);
  }
  return out;
}

function grown(b: BBox, d: number): BBox {
  return [b[0] - d, b[1] - d, b[2] + d, b[3] + d];
}

/** Whether the box has ink outside the given capsule boxes (against the colour around the box). */
function inkOffCapsules(image: RgbaImage, box: BBox, capsules: BBox[]): boolean {
  const bg = outlineColor(image, box);
  const [x1, y1, x2, y2] = [
    Math.max(0, Math.round(box[0])),
    Math.max(0, Math.round(box[1])),
    Math.min(image.width, Math.round(box[2])),
    Math.min(image.height, Math.round(box[3])),
  ];
  for (let y = y1; y < y2; y++)
    for (let x = x1; x < x2; x++) {
      if (capsules.some((b) => x >= b[0] && x < b[2] && y >= b[1] && y < b[3])) continue;
      if (distanceAt(image, x, y, bg) > INK) return true;
    }
  return false;
}
