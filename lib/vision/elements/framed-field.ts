/**
 * A field right of its label on the same row, framed by lines the box detector did not close (a
 * Nimbus combo box drawn as a gradient frame around its value and icon): the first vertical
 * line right after the label, a few text heights at most from it, whose top and bottom lines run
 * on to the right from it; the frame's height must be a control's, around the label's row.
 */
import type { RgbaImage } from '../../platform/types';
import type { BBox } from '../../contracts/screen-state';

/** Luma step that makes an edge (0–255); as for fields drawn by a line (./underlined-field.ts). */
const EDGE = 20;

function luma(image: RgbaImage, x: number, y: number): number {
  const p = (y * image.width + x) * 4;
  const d = image.data;
  return (d[p] * 77 + d[p + 1] * 150 + d[p + 2] * 29) >> 8;
}

const verticalEdge = (image: RgbaImage, x: number, y: number): boolean =>
  x > 0 && Math.abs(luma(image, x, y) - luma(image, x - 1, y)) >= EDGE;
const horizontalEdge = (image: RgbaImage, x: number, y: number): boolean =>
  y > 0 && Math.abs(luma(image, x, y) - luma(image, x, y - 1)) >= EDGE;

/** How far right a horizontal edge on row y runs from x (gaps of two pixels bridged). */
function runRight(image: RgbaImage, x: number, y: number): number {
  let right = x;
  for (let gap = 0, xi = x; xi < image.width && gap <= 2; xi++) {
    if (horizontalEdge(image, xi, y) || horizontalEdge(image, xi, y + 1)) {
      right = xi;
      gap = 0;
    } else gap++;
  }
  return right;
}

export function framedFieldRightOf(image: RgbaImage, label: BBox, unit: number): BBox | null {
  const { width, height } = image;
  const cy = Math.round((label[1] + label[3]) / 2);
  // The label's box is padded: the frame's side need only cross the middle of its row.
  const half = Math.max(2, Math.round(unit * 0.3));
  if (cy - half < 1 || cy + half >= height - 1) return null;
  // The left side: a vertical line across the label's row, right after the label.
  let left = -1;
  for (let x = Math.round(label[2]); x < Math.min(width - 1, label[2] + unit * 3) && left < 0; x++) {
    let on = true;
    for (let y = cy - half; y <= cy + half && on; y++) on = verticalEdge(image, x, y) || verticalEdge(image, x + 1, y);
    if (on) left = x;
  }
  if (left < 0) return null;
  // Top and bottom: the first lines above and below the row that run on from the left side.
  const span = Math.round(unit * 3);
  if (left + 2 + span >= width) return null;
  const lineFrom = (y: number): boolean => {
    let on = 0;
    for (let x = left + 2; x < left + 2 + span; x++) if (horizontalEdge(image, x, y)) on++;
    return on >= span * 0.9;
  };
  let top = -1;
  for (let y = cy - 1; y > Math.max(0, cy - unit * 1.3) && top < 0; y--) if (lineFrom(y)) top = y;
  let bottom = -1;
  for (let y = cy + 1; y < Math.min(height - 1, cy + unit * 1.3) && bottom < 0; y++) if (lineFrom(y)) bottom = y;
  if (top < 0 || bottom < 0 || bottom - top < unit * 0.7 || bottom - top > unit * 2.2) return null;
  // A control on the label's row is about as tall as its text: a taller frame is a panel.
  if (top < label[1] - unit * 0.7 || bottom > label[3] + unit * 0.7) return null;
  const right = runRight(image, left + 2, top);
  if (Math.abs(runRight(image, left + 2, bottom) - right) > unit * 0.5 || right - left < unit * 3) return null;
  return [left, top, right, bottom];
}
