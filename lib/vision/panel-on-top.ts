/**
 * Which of several equally good candidates lies in a panel drawn over the rest of the screen (a
 * modal dialog over its window): the window behind takes no input while the dialog is up, so
 * its "Cancel" is no rival to the dialog's own.
 *
 * A panel is a box framed by long lines around the candidate (lib/vision/modal-panel.ts). It is
 * drawn over the rest, not laid out with it, when the content behind runs into its frame from
 * outside and stops there: the lines of fields, rows or panes it hides meet its sides, which a
 * laid-out panel's neighbours, kept apart by a margin, do not. Nothing is decided by position.
 */
import type { RgbaImage } from '../platform/types';
import type { BBox } from '../contracts/screen-state';
import { boxAround, Pixels } from './modal-panel';

/** Lines cut by a side that make a panel "drawn over": one could be a neighbour's border meeting it. */
const MIN_CUT_LINES = 2;
/** The share of the screen's width from which a framed box is the window's layout, not a panel on top. */
const WHOLE_WIDTH = 0.9;

/** The innermost framed box around a candidate, found from points just left and right of it. */
function panelOf(px: Pixels, image: RgbaImage, bbox: BBox, unit: number): BBox | null {
  const cy = Math.round((bbox[1] + bbox[3]) / 2);
  const gap = Math.max(2, Math.round(unit * 0.4));
  const found = [bbox[0] - gap, bbox[2] + gap]
    .filter((x) => x > 1 && x < image.width - 1)
    .map((x) => boxAround(px, Math.round(x), cy, unit, image.width, image.height))
    .filter((b): b is BBox => !!b && b[0] < bbox[0] && b[2] > bbox[2] && b[1] < bbox[1] && b[3] > bbox[3]);
  return found.sort((a, b) => (a[2] - a[0]) * (a[3] - a[1]) - (b[2] - b[0]) * (b[3] - b[1]))[0] ?? null;
}

/**
 * How many lines run into the panel's sides from outside and end there (corners aside: there the
 * frame's own neighbours meet it): horizontal ones a text height long at least into the left and
 * right sides, vertical ones two text heights long into the bottom (a window narrower than the
 * dialog over it shows only its sides below the dialog). Not the top: a title bar's buttons and a
 * tab strip stand on it.
 */
function cutLines(px: Pixels, image: RgbaImage, panel: BBox, unit: number): number {
  const [l, t, r, b] = panel;
  const reach = Math.round(unit);
  const margin = Math.max(2, Math.round(unit / 2)) + 2;
  // A frame may be a few pixels thick, or have a shadow: the lines are looked for just beyond it.
  const off = Math.max(2, Math.round(unit / 2));
  let count = 0;
  const countAlong = (from: number, to: number, runsInto: (v: number) => boolean): void => {
    for (let v = from + margin, last = -10; v <= to - margin; v++)
      if (runsInto(v)) {
        if (v - last > 2) count++;
        last = v;
      }
  };
  countAlong(t, b, (y) => l - off - reach > 0 && px.horizontalLine(y, l - off - reach, l - off) >= 0.9);
  countAlong(t, b, (y) => r + off + reach < image.width - 1 && px.horizontalLine(y, r + off, r + off + reach) >= 0.9);
  countAlong(
    l,
    r,
    (x) => b + off + 2 * reach < image.height - 1 && px.verticalLine(x, b + off, b + off + 2 * reach) >= 0.9,
  );
  return count;
}

/**
 * The index of the one candidate inside a panel drawn over the rest while every other candidate
 * lies outside that panel, or null (no such panel, or more than one candidate in it: still a tie).
 */
export function candidateOnTop(image: RgbaImage, boxes: BBox[], unit: number): number | null {
  const px = new Pixels(image);
  const centre = (b: BBox): [number, number] => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
  const within = (b: BBox, p: BBox): boolean => {
    const [x, y] = centre(b);
    return x >= p[0] && x <= p[2] && y >= p[1] && y <= p[3];
  };
  let winner: number | null = null;
  for (let i = 0; i < boxes.length; i++) {
    const panel = panelOf(px, image, boxes[i], unit);
    if (!panel || boxes.some((b, j) => j !== i && within(b, panel))) continue;
    // A box across (nearly) the whole screen is a band of the window's own layout (a toolbar over
    // a tabbed page), not a panel drawn over the rest, which leaves the rest in view around it.
    if (panel[2] - panel[0] >= image.width * WHOLE_WIDTH) continue;
    if (cutLines(px, image, panel, unit) < MIN_CUT_LINES) continue;
    if (winner !== null) return null;
    winner = i;
  }
  return winner;
}
