/**
 * Tabs drawn as boxes open at the bottom (Windows classic and its web look-alikes, 98.css): each
 * title stands under a top edge, between two side edges, on the same face as the page around it,
 * so no filled region and no closed box marks it. Only a strip of at least two such boxes side by
 * side counts: a lone framed word is a group box's legend or a label, not a tab.
 */
import type { RgbaImage } from '../../platform/types';
import type { BBox } from '../../contracts/screen-state';
import type { Draft, Segment } from './draft';
import { center, height, width } from './geometry';
import { letterBand, luma, outlineColor, pixel } from './pixels';
import { linesOf } from './list-rows';

/** Luma step between an edge and the face (98.css: white or black lines on grey, ~60). */
const EDGE_STEP = 40;
/** A strip's tabs touch: one's right edge meets the next one's left edge. */
const TOUCH = 4;

interface OpenBox {
  segment: Segment;
  box: BBox;
}

/** The strips of open-bottomed tab boxes among the free text, as tab drafts. */
export function openTabs(free: Segment[], image: RgbaImage, unit: number): Draft[] {
  const drafts: Draft[] = [];
  for (const line of linesOf(free.filter((s) => !s.used))) {
    const boxes = line
      .map((s) => openBoxAround(s, image, unit))
      .filter((b): b is OpenBox => b !== null)
      .sort((a, b) => a.box[0] - b.box[0]);
    let strip: OpenBox[] = [];
    const close = (): void => {
      if (strip.length >= 2) drafts.push(...tabsOf(strip, image));
      strip = [];
    };
    for (const b of boxes) {
      const last = strip[strip.length - 1];
      if (last && Math.abs(b.box[0] - last.box[2]) > Math.max(TOUCH, unit * 0.25)) close();
      strip.push(b);
    }
    close();
  }
  return drafts;
}

function tabsOf(strip: OpenBox[], image: RgbaImage): Draft[] {
  // The selected tab stands a little higher than the others.
  const tops = strip.map((b) => b.box[1]);
  const lowest = Math.max(...tops);
  const raised = tops.filter((t) => t < lowest - 1);
  return strip.map(({ segment, box }) => {
    segment.used = true;
    return {
      type: 'tab',
      bbox: box,
      clickBox: box,
      label: titleWithin(segment, box),
      confidence: 0.7,
      role: 'navigation',
      state: { enabled: true, visible: true, focused: false, selected: raised.length === 1 && box[1] === raised[0] },
      shape: 'rectangle',
      color: pixel(image, center(box)[0], box[3] - 2),
      labelSegment: segment,
      method: 'open_tab_box',
    };
  });
}

/**
 * The box open at the bottom around a segment's letters: a top edge right above them, over the
 * middle of the words, and a side edge on each side running down from it past the letters.
 */
function openBoxAround(s: Segment, image: RgbaImage, unit: number): OpenBox | null {
  const face = outlineColor(image, s.bbox);
  const band = letterBand(image, s.bbox, face);
  if (!band || width(s.bbox) < unit) return null;
  const [t, b] = band;
  const edge = (x: number, y: number): boolean => Math.abs(luma(pixel(image, x, y)) - luma(face)) >= EDGE_STEP;
  const mid = center(s.bbox)[0];
  const quarter = width(s.bbox) / 4;
  let top = -1;
  // At least one row between the top edge and the letters: a side is then told from a letter's stem.
  for (let y = t - 3; y >= Math.max(0, t - unit * 1.2) && top < 0; y--) {
    let n = 0;
    let all = 0;
    for (let x = Math.round(mid - quarter); x < mid + quarter; x++, all++) if (edge(x, y)) n++;
    if (all && n >= all * 0.9) top = y;
  }
  if (top < 0) return null;
  // A side: a column inked from just under the top edge down through the letters' rows.
  const side = (x: number): boolean => {
    for (let y = top + 2; y < b; y++) if (!edge(x, y)) return false;
    return true;
  };
  const reach = Math.round(unit * 1.5);
  let left = -1;
  for (let x = Math.round(mid); x >= Math.max(0, s.bbox[0] - reach) && left < 0; x--) if (side(x)) left = x;
  let right = -1;
  for (let x = Math.round(mid); x < Math.min(image.width, s.bbox[2] + reach) && right < 0; x++) if (side(x)) right = x;
  if (left < 0 || right < 0) return null;
  // The box runs down as far as its sides do.
  let bottom = b;
  while (bottom < Math.min(image.height, b + unit) && edge(left, bottom) && edge(right, bottom)) bottom++;
  const box: BBox = [left, top, right + 1, bottom];
  return height(box) <= unit * 2.5 ? { segment: s, box } : null;
}

/** The words inside the box's sides: a side read as a letter ("Notes ]") is no part of the title. */
function titleWithin(s: Segment, box: BBox): string {
  const inside = s.words.filter((w) => center(w.bbox)[0] > box[0] + 2 && center(w.bbox)[0] < box[2] - 2);
  return inside.length ? inside.map((w) => w.text).join(' ') : s.text;
}
