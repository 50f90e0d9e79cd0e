/**
 * Icons with no box of their own: the window buttons at the right end of a title bar (a bare
 * glyph on a flat theme, a bevelled square on a classic one) and toolbar icons with their
 * caption under them. Text detection reads neither well ("□", "x", or nothing at all).
 */
import type { BBox } from '../../contracts/screen-state';
import type { RgbaImage } from '../../platform/types';
import type { Found, Segment } from './draft';
import { area, center, contains, height, intersection, width } from './geometry';
import { inkClusters } from './menus';
import { colorDistance, distanceAt, inkStats, outlineColor, pixel, type Rgb } from './pixels';
import type { RectCandidate } from './regions';

const ALNUM = /[\p{L}\p{N}]/u;
/** Text detection's reading of a glyph: one or two characters that are not a word (box-like CJK signs included). */
export const isGlyphText = (t: string): boolean =>
  t.replace(/\s/g, '').length <= 2 && !/[\p{Script=Latin}\p{N}]{2}/u.test(t.replace(/\s/g, ''));

/**
 * Window buttons and titles. At the screen's top: 2–4 glyphs (or small filled squares) at the
 * right end of the top text line, right of its title, at a regular pitch. Lower on the screen (a
 * dialog over its application, a window drawn in a page): a title on a bar of its own that is
 * the top of a window (see `windowBar`), with 1–4 buttons at the bar's right end. A button's box
 * is the button around the glyph: about as wide as the pitch.
 */
export function windowButtons(segments: Segment[], rects: RectCandidate[], image: RgbaImage, unit: number): Found {
  const found: Found = { drafts: [], claimed: new Set() };
  const add = (more: Found | null): void => {
    if (!more) return;
    found.drafts.push(...more.drafts);
    for (const r of more.claimed) found.claimed.add(r);
  };
  const top = segments
    .filter((s) => s.bbox[1] < unit * 2.5 && letters(s) >= 3)
    .sort((a, b) => a.bbox[1] - b.bbox[1])[0];
  if (top) add(barButtons(top, titleBar(image, top.bbox, unit), segments, rects, image, unit, 2));
  for (const s of segments) {
    if (s === top || s.used || letters(s) < 3) continue;
    const bar = titleBar(image, s.bbox, unit);
    if (bar && windowBar(image, s, bar, segments, unit)) add(barButtons(s, bar, segments, rects, image, unit, 1));
  }
  return found;
}

const letters = (s: Segment): number => s.text.match(/[\p{L}]/gu)?.length ?? 0;

/**
 * The buttons at the right end of a title's line (on its bar, or up to the screen's edge when it
 * has none) and the title itself; null when there are fewer than `fewest` buttons.
 */
function barButtons(
  title: Segment,
  bar: TitleBar | null,
  segments: Segment[],
  rects: RectCandidate[],
  image: RgbaImage,
  unit: number,
  fewest: number,
): Found | null {
  const [, y1, , y2] = title.bbox;
  // On a bar of its own the buttons are told from the bar's colour, up to where the bar ends (a
  // window need not reach the screen's edge); with no bar, from the screen's edge on the title's rows.
  const right = bar ? bar.to : image.width - 1;
  const band: BBox = [
    Math.max(title.bbox[2] + unit, right - unit * 10),
    bar ? bar.top : y1,
    right,
    bar ? bar.bottom : y2,
  ];
  if (width(band) < unit * 2) return null;
  const bg: Rgb = bar ? bar.colour : pixel(image, image.width - 2, Math.round((y1 + y2) / 2));
  // On a bar, one column of its colour parts two buttons; bare glyphs may have gaps of their own.
  const clusters = (
    bar
      ? inkOnBar(image, band)
      : inkClusters(image, band, bg, Math.max(2, unit * 0.12), 90)
          .map((c) => inkStats(image, c, bg, 90).inkBox)
          .filter((c): c is BBox => c !== null)
  )
    .flatMap((c) => squares(c, unit))
    .filter((c) => width(c) <= unit * 1.6 && height(c) <= unit * 1.6 && Math.max(width(c), height(c)) >= unit * 0.3);
  // Words at the right end (a user name, a clock) are not buttons; a faint short reading across
  // them ("OL" for xp.css's minimise and maximise, "000" for Wine's three) is their glyphs.
  const isWord = (s: Segment): boolean =>
    !isGlyphText(s.text) && (s.text.replace(/\s/g, '').length > 4 || s.confidence >= 0.7);
  const glyphs = clusters.filter((c) => !segments.some((s) => intersection(s.bbox, c) > 0 && isWord(s)));
  if (glyphs.length < fewest || glyphs.length > 4) return null;
  // A window's buttons end at its edge, and each is a glyph, not a line (a frame's edge).
  if (fewest < 2 && right - glyphs[glyphs.length - 1][2] > unit * 1.5) return null;
  if (fewest < 2 && glyphs.some((g) => Math.min(width(g), height(g)) < unit * 0.25)) return null;
  const centres = glyphs.map((g) => center(g)[0]);
  const pitches = centres.slice(1).map((c, i) => c - centres[i]);
  // A lone button (a dialog's close) is spaced as a button of its size would be.
  const pitch = pitches.length
    ? pitches.sort((a, b) => a - b)[Math.floor(pitches.length / 2)]
    : Math.min(unit * 3, width(glyphs[0]) * 1.2);
  if (pitches.some((p) => Math.abs(p - pitch) > Math.max(3, pitch * 0.25)) || pitch > unit * 3) return null;
  const found: Found = { drafts: [], claimed: new Set() };
  // The bar itself, found as a box, is the window's frame, not a control.
  if (bar)
    for (const r of rects)
      if (
        contains(r.bbox, center(title.bbox)) &&
        r.bbox[2] >= glyphs[glyphs.length - 1][2] &&
        height(r.bbox) <= bar.bottom - bar.top + 2
      )
        found.claimed.add(r);
  for (const g of glyphs) {
    const button = rects.find(
      (r) =>
        contains(r.bbox, center(g)) &&
        width(r.bbox) >= pitch * 0.6 &&
        width(r.bbox) <= pitch * 1.1 &&
        height(r.bbox) <= unit * 2,
    );
    const [cx, cy] = center(g);
    const w = pitch * 0.85;
    const h = Math.min(w * 0.9, (y2 - y1) * 1.1);
    // A bevelled button on a bar is its own run of ink; a box found round it may be its face
    // inside the bevel, or take in the bar around it.
    const bevelled = bar !== null && height(g) >= unit * 0.5;
    const box: BBox = bevelled
      ? g
      : button
        ? button.bbox
        : width(g) >= pitch * 0.6
          ? g
          : [Math.round(cx - w / 2), Math.round(cy - h / 2), Math.round(cx + w / 2), Math.round(cy + h / 2)];
    for (const s of segments) if (intersection(s.bbox, g) > 0) s.used = true;
    if (button) found.claimed.add(button);
    found.drafts.push({
      type: 'icon',
      bbox: box,
      label: '',
      confidence: 0.6,
      role: 'window_control',
      state: { enabled: true, visible: true, focused: false },
      shape: 'square',
      color: bg,
      method: 'title_bar_glyph',
    });
  }
  // On a bar with window buttons the title names the window: plain text, the label of no field
  // (its colour would pass for a link's).
  if (bar && (!title.container || found.claimed.has(title.container))) {
    title.used = true;
    found.drafts.push({
      type: 'text',
      bbox: title.bbox,
      label: title.text,
      confidence: title.confidence,
      role: 'window_title',
      state: { enabled: true, visible: true, focused: false },
      shape: 'text',
      color: bar.colour,
      labelSegment: title,
      method: 'title_bar',
    });
  }
  return found;
}

/** How much two neighbouring pixels may differ and still be one bar: a gradient's step, not an edge. */
const BAR_STEP = 24;

interface TitleBar {
  top: number;
  bottom: number;
  /** The bar's colour at its right end, where its buttons are (a gradient changes along the bar). */
  colour: Rgb;
  /** The column after the bar's last one. */
  to: number;
}

/**
 * The bar a title sits on: the run of slowly changing colour just right of the title, as tall as
 * a bar (a flat page around the title is none), followed along its rows to the right until no
 * row of it has the bar's colour for two lines' width: the window's edge.
 */
function titleBar(image: RgbaImage, title: BBox, unit: number): TitleBar | null {
  const x0 = Math.round(title[2] + unit * 0.5);
  const mid = Math.round((title[1] + title[3]) / 2);
  if (x0 >= image.width - 1) return null;
  const near = (a: Rgb, b: Rgb): boolean => colorDistance(a, b) <= BAR_STEP;
  let top = mid;
  while (top > 0 && near(pixel(image, x0, top - 1), pixel(image, x0, top))) top--;
  let bottom = mid;
  while (bottom < image.height - 1 && near(pixel(image, x0, bottom + 1), pixel(image, x0, bottom))) bottom++;
  const tall = bottom - top + 1;
  if (tall > unit * 2.5 || tall < unit * 0.6) return null;
  // Rows just inside the bar's edges and its middle: a button covers the middle, seldom all three.
  const { last, colour } = followBar(image, x0, [top + 1, mid, bottom - 1], pixel(image, x0, mid), 1, unit * 2);
  return { top, bottom: bottom + 1, colour, to: last + 1 };
}

/**
 * A bar's colour followed from column x0 in direction `dir` along some of its rows (a gradient
 * changes slowly; a button or a letter covers some rows, seldom all): the last column where one
 * of the rows still has it, before `gap` columns of none, and its colour there.
 */
function followBar(
  image: RgbaImage,
  x0: number,
  rows: number[],
  start: Rgb,
  dir: 1 | -1,
  gap: number,
): { last: number; colour: Rgb } {
  let colour = start;
  let last = x0;
  for (let x = x0 + dir; x >= 0 && x < image.width && Math.abs(x - last) <= gap; x += dir) {
    const onBar = onBarAt(image, x, rows, colour);
    if (!onBar) continue;
    colour = onBar;
    last = x;
  }
  return { last, colour };
}

/**
 * The bar's colour at column x: the pixel of the first of the rows that is near the colour
 * followed so far (a gradient's next step), or null when a button or a letter covers them all.
 */
function onBarAt(image: RgbaImage, x: number, rows: number[], colour: Rgb): Rgb | null {
  for (const y of rows) if (distanceAt(image, x, y, colour) <= BAR_STEP) return pixel(image, x, y);
  return null;
}

/**
 * The runs of ink on a bar, each in its ink's box: columns with a pixel far from the bar's colour
 * there, one column of the bar parting two runs. The bar's colour is followed along its rows (a
 * gradient's far end is no glyph), as `titleBar` follows it.
 */
function inkOnBar(image: RgbaImage, band: BBox): BBox[] {
  const [x1, y1, x2, y2] = band;
  const rows = [y1 + 1, Math.round((y1 + y2) / 2), y2 - 2];
  let colour = pixel(image, x1, rows[0]);
  const runs: BBox[] = [];
  let run: BBox | null = null;
  for (let x = x1; x < x2; x++) {
    const onBar = onBarAt(image, x, rows, colour);
    if (onBar) colour = onBar;
    let top = -1;
    let bottom = -1;
    for (let y = y1; y < y2; y++)
      if (distanceAt(image, x, y, colour) > 90) {
        if (top < 0) top = y;
        bottom = y + 1;
      }
    if (top < 0) {
      run = null;
      continue;
    }
    if (!run) runs.push((run = [x, top, x + 1, bottom]));
    else run = Object.assign(run, [run[0], Math.min(run[1], top), x + 1, Math.max(run[3], bottom)]);
  }
  return runs;
}

/**
 * Whether a title's bar is the top of a window lower on the screen: the bar ends on both sides
 * within the screen, is much wider than tall, holds no other words (a table's header row, a
 * toolbar and a menu bar do), has the title at its left end (after an icon, maybe) or in its
 * middle, and the window's sides go on down from both of its ends: a frame's edge under each end
 * for a few lines, where a field with its arrow (a value, then a glyph at its right end) has the
 * page under it.
 */
function windowBar(image: RgbaImage, title: Segment, bar: TitleBar, segments: Segment[], unit: number): boolean {
  const from = barStart(image, title.bbox, bar, unit);
  const { to, top, bottom } = bar;
  if (from <= 0 || to >= image.width || to - from < unit * 12 || bottom + unit * 3 >= image.height) return false;
  const [x1, , x2] = title.bbox;
  const leftAligned = x1 - from <= unit * 3.5;
  const centred = Math.abs((x1 + x2) / 2 - (from + to) / 2) <= unit + (to - from) * 0.05;
  if (!leftAligned && !centred) return false;
  const band: BBox = [from, top, to, bottom];
  const words = segments.filter(
    (s) => s !== title && !isGlyphText(s.text) && letters(s) >= 2 && contains(band, center(s.bbox)),
  );
  if (words.length) return false;
  // Its colour stands out from what is above and below it (the window's body): the strip of page
  // between a row of buttons and a box's edge is no bar.
  const x0 = Math.round(title.bbox[2] + unit * 0.5);
  const onBar = pixel(image, x0, Math.round((top + bottom) / 2));
  const above = top - unit * 0.5;
  if (above >= 0 && colorDistance(pixel(image, x0, above), onBar) <= 40) return false;
  if (colorDistance(pixel(image, x0, bottom + unit * 0.5), onBar) <= 40) return false;
  return sideGoesDown(image, from, bottom, unit) && sideGoesDown(image, to - 1, bottom, unit);
}

/**
 * The bar's first column: its colour followed leftwards, from where `titleBar` found it right of
 * the title, along the rows just inside its edges (the title's letters may reach its middle row)
 * until two lines' width of neither, as `titleBar` follows it rightwards.
 */
function barStart(image: RgbaImage, title: BBox, bar: TitleBar, unit: number): number {
  const rows = [bar.top + 1, bar.bottom - 2];
  const x0 = Math.round(title[2] + unit * 0.5);
  return followBar(image, x0, rows, pixel(image, x0, rows[0]), -1, unit * 2).last;
}

/**
 * Whether a window's side goes on down from a bar's end at column x: on each of the three lines
 * under the bar, the colour changes within a few pixels of x (a frame's edge); under a field
 * there is the flat page.
 */
function sideGoesDown(image: RgbaImage, x: number, bottom: number, unit: number): boolean {
  const reach = Math.max(3, Math.round(unit * 0.3));
  for (let k = 0; k < 3; k++) {
    const y = Math.round(bottom + unit * (k + 0.5));
    let edge = false;
    for (let dx = -reach; dx < reach && !edge; dx++)
      edge = colorDistance(pixel(image, x + dx, y), pixel(image, x + dx + 1, y)) > 40;
    if (!edge) return false;
  }
  return true;
}

/**
 * Bevelled buttons drawn edge to edge (a classic theme's minimise and maximise) are one run of
 * ink: a run as tall as a button and twice as wide or more is cut into squares.
 */
function squares(c: BBox, unit: number): BBox[] {
  const n = Math.round(width(c) / height(c));
  if (height(c) < unit * 0.5 || n < 2) return [c];
  return Array.from({ length: n }, (_, i): BBox => [
    Math.round(c[0] + (width(c) * i) / n),
    c[1],
    Math.round(c[0] + (width(c) * (i + 1)) / n),
    c[3],
  ]);
}

/**
 * Toolbar icons with a caption: a short caption (one or two words, not inside a field or a
 * one-line button) with a glyph centred right above it and nothing else there. The icon is glyph
 * and caption together, or the button drawn round both (claimed: it is this icon, not a box of
 * its own); its label is the caption.
 */
export function captionedIcons(segments: Segment[], image: RgbaImage, unit: number): Found {
  const found: Found = { drafts: [], claimed: new Set() };
  for (const s of segments) {
    if (s.used || s.text.trim().split(/\s+/).length > 2 || !ALNUM.test(s.text)) continue;
    const frame = s.container?.bbox;
    if (frame && height(frame) < height(s.bbox) * 2) continue;
    // Inside a button's frame, the glyph is looked for within it: its sides are not the glyph's ink.
    const inset = Math.max(2, Math.round(unit * 0.1));
    const x1 = Math.round(frame ? frame[0] + inset : s.bbox[0] - unit * 0.5);
    const x2 = Math.round(frame ? frame[2] - inset : s.bbox[2] + unit * 0.5);
    const region: BBox = [
      x1,
      Math.round(Math.max(s.bbox[1] - unit * 1.8, frame ? frame[1] + inset : 0)),
      x2,
      s.bbox[1] - 1,
    ];
    if (region[1] < 0) continue;
    // A framed button's face may be a gradient: the glyph stands out from the face around it, not beside the caption.
    const bg = outlineColor(image, frame ? region : [x1, s.bbox[1], x2, s.bbox[3]]);
    const g = glyphAbove(image, region, bg, unit);
    if (!g || g[0] <= x1 + 1 || g[2] >= x2 - 1) continue;
    // Text detection may have read the glyph as a letter ("Q" for a refresh arrow): that is the glyph.
    const over = segments.filter((o) => o !== s && intersection(o.bbox, g) > area(o.bbox) * 0.2);
    if (over.some((o) => !isGlyphText(o.text))) continue;
    if (height(g) < unit * 0.6 || height(g) > unit * 1.7 || width(g) < unit * 0.5 || width(g) > unit * 2) continue;
    // Centred over its caption, or standing within the caption's span (Bulma sets a narrow glyph
    // over a longer caption a few pixels off its middle).
    const centred = Math.abs(center(g)[0] - center(s.bbox)[0]) <= Math.max(unit * 0.3, width(s.bbox) * 0.15);
    const within = g[0] >= s.bbox[0] - unit * 0.2 && g[2] <= s.bbox[2] + unit * 0.2;
    if (!centred && !within) continue;
    // A glyph is strokes: a solid block (a colour swatch, a filled badge) is not an icon.
    const ink = inkStats(image, g, bg, 120);
    if (ink.inkFraction > 0.85) continue;
    over.forEach((o) => (o.used = true));
    s.used = true;
    const box: BBox = frame ?? [Math.min(g[0], s.bbox[0]), g[1], Math.max(g[2], s.bbox[2]), s.bbox[3]];
    if (s.container) found.claimed.add(s.container);
    found.drafts.push({
      type: 'icon',
      bbox: box,
      clickBox: box,
      label: s.text,
      confidence: 0.7,
      role: 'action_trigger',
      state: { enabled: colorDistance(ink.ink, bg) > 100, visible: true, focused: false },
      shape: 'text',
      color: bg,
      labelSegment: s,
      method: 'glyph_over_caption',
    });
  }
  return found;
}

/**
 * The block of ink rows nearest above a caption (within ~0.7 line of it), with an empty row
 * above it: the glyph, and not a bar edge or the text of the line above.
 */
function glyphAbove(image: RgbaImage, region: BBox, bg: Rgb, unit: number): BBox | null {
  const [x1, y1, x2, y2] = region;
  const rowHasInk = (y: number): boolean => {
    for (let x = x1; x < x2; x++) if (distanceAt(image, x, y, bg) > 120) return true;
    return false;
  };
  let bottom = -1;
  for (let y = y2; y >= y2 - unit * 0.7 && y > y1; y--) {
    if (rowHasInk(y)) {
      bottom = y;
      break;
    }
  }
  if (bottom < 0) return null;
  let top = bottom;
  let gap = 0;
  for (let y = bottom - 1; y > y1; y--) {
    if (rowHasInk(y)) {
      top = y;
      gap = 0;
    } else if (++gap >= 2) break;
  }
  if (gap < 2) return null; // the ink runs on to the region's top: not a lone glyph
  return inkStats(image, [x1, top, x2, bottom + 1], bg, 120).inkBox;
}
