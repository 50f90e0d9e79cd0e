/** Box geometry shared by the element detector's modules; boxes are [x1, y1, x2, y2), x2/y2 exclusive. */
import type { BBox } from '../../contracts/screen-state';

export const width = (b: BBox): number => b[2] - b[0];
export const height = (b: BBox): number => b[3] - b[1];
export const area = (b: BBox): number => Math.max(0, width(b)) * Math.max(0, height(b));
export const center = (b: BBox): [number, number] => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
export const contains = (b: BBox, [x, y]: [number, number]): boolean => x >= b[0] && x < b[2] && y >= b[1] && y < b[3];
export function intersection(a: BBox, b: BBox): number {
  return (
    Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]))
  );
}
/** Intersection over the smaller box. */
export function overlap(a: BBox, b: BBox): number {
  return intersection(a, b) / Math.max(1, Math.min(area(a), area(b)));
}
export function union(boxes: BBox[]): BBox {
  return [
    Math.min(...boxes.map((b) => b[0])),
    Math.min(...boxes.map((b) => b[1])),
    Math.max(...boxes.map((b) => b[2])),
    Math.max(...boxes.map((b) => b[3])),
  ];
}
export function verticalOverlap(a: BBox, b: BBox): number {
  return Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1])) / Math.max(1, Math.min(height(a), height(b)));
}
