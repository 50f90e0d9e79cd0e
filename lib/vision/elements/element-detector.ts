/**
 * UI element detection: OCR words combined with classic analysis of the raw pixels.
 *
 * 1. Colour regions give rectangles (bordered or filled boxes).
 * 2. OCR words are assigned to the smallest control-sized rectangle around them, and split into
 *    text segments at box boundaries and wide gaps (DB detection often joins a label with the
 *    value of the input next to it).
 * 3. Rectangles are classified from their text and shape: button (centred text), text_input
 *    (left-aligned or no text, wide), dropdown (an arrow at the right end), table cells (a grid
 *    of tiles → table_row), tabs (one row of adjacent tiles).
 * 4. Small square/round marks left of a text segment are checkboxes / radios.
 * 5. Remaining text: links (blue ink), menu items (stacked in a popup, or a menu bar), table
 *    rows (aligned columns), plain text.
 * 6. Fields get their label (left of or above them, or their placeholder) and label_for links.
 */
import { createHash } from 'crypto';
import type { RgbaImage } from '../../platform/types';
import type { BBox, TextLine, TextRegion, UIElement } from '../../contracts/screen-state';
import { normalizeText } from '../text-match';
import {
  chroma,
  colorDistance,
  distanceAt,
  hexColor,
  inkExtentOnRow,
  inkSpanOnRow,
  inkStats,
  letterBand,
  luma,
  outlineColor,
  pixel,
  rightmostInkCluster,
  type Rgb,
} from './pixels';
import { horizontalLines, type HorizontalLine, rectangles, type RectCandidate, segment, strokeRings } from './regions';
import { area, center, contains, height, intersection, overlap, union, verticalOverlap, width } from './geometry';
import type { Draft, Segment } from './draft';
import { lineTableRows } from './tables';
import { linesOf, listColumnRows, panes, tiledRows } from './list-rows';
import { selectedTabMark } from './tab-marks';
import { openTabs } from './open-tabs';
import { fieldsUnderLabels } from './underlined-field';
import { operatorByShape, zeroByShape } from './operator-glyphs';
import { menuBar, popupMenus } from './menus';
import { captionedIcons, isGlyphText, windowButtons } from './icons';
import { withTextFrames } from './frames';
import { keyFace } from './capsules';
import { bandWithoutPopups, draftsOnScreen, withFieldsBehindPopups } from './behind-popup';
import { GLUED_MARK, isMarkAsLetter, letterCore, letterRows, markThenText, mayBeMarkLetter } from './glued-mark';

export interface DetectOptions {
  /** Typical text line height in pixels (the detector's unit of size). */
  unit?: number;
}

/** What the raw pixels say before any text is read: the page colour and the boxes. */
export interface PixelLayout {
  pageBg: Rgb;
  rects: RectCandidate[];
  /** Thin horizontal lines at least ~120 px (at 100 %) long: row separators, bar edges. */
  hlines: HorizontalLine[];
}

export function analyzeLayout(image: RgbaImage): PixelLayout {
  const scale = image.scaleFactor || 1;
  const minSize = Math.max(8, Math.round(7 * scale));
  // Every use of the regions below needs one side of at least minSize.
  const seg = segment(image, Math.round(40 * scale), minSize);
  const pageBg = seg.regions.reduce((a, b) => (b.pixels > a.pixels ? b : a), seg.regions[0]).color as Rgb;
  return {
    pageBg,
    rects: withoutFaceBands(
      joinGradientBands(
        dedupeRects([
          ...rectangles(seg, minSize),
          ...strokeRings(seg, minSize, Math.max(2, Math.ceil(2 * scale)), Math.max(3, Math.round(8 * scale))),
        ]),
        scale,
      ),
      scale,
    ),
    hlines: horizontalLines(seg, image, Math.max(3, Math.round(2.5 * scale)), Math.round(120 * scale)),
  };
}

/**
 * Text detection joins a label and the value of the field next to it into one box when they
 * are close; cutting boxes at the vertical edges of the boxes around them separates them
 * before recognition.
 */
export function splitTextBoxesAtEdges(boxes: BBox[], layout: PixelLayout, image?: RgbaImage): BBox[] {
  const out: BBox[] = [];
  for (const box of boxes) {
    const h = height(box);
    const cuts = new Set<number>();
    for (const r of layout.rects) {
      // Det boxes are padded (unclipped), so a small button may be shorter than the text box around its label.
      const covers = Math.min(r.bbox[3], box[3]) - Math.max(r.bbox[1], box[1]) >= h * 0.5 && height(r.bbox) <= h * 4;
      if (!covers) continue;
      for (const edge of [r.bbox[0], r.bbox[2]]) if (edge > box[0] + h * 0.5 && edge < box[2] - h * 0.5) cuts.add(edge);
    }
    if (image) for (const x of edgeStrokes(image, box)) if (x > box[0] + h * 0.5 && x < box[2] - h * 0.5) cuts.add(x);
    if (!cuts.size) {
      out.push(box);
      continue;
    }
    // Slivers between two boxes (a border, a gap) hold no text worth reading.
    let x = box[0];
    for (const c of [...cuts].sort((a, b) => a - b)) {
      if (c - x >= h * 0.6) out.push([x, box[1], c, box[3]]);
      x = c;
    }
    if (box[2] - x >= h * 0.6) out.push([x, box[1], box[2], box[3]]);
  }
  return out;
}

/**
 * Text boxes come padded out of detection and may reach over the top or bottom edge of the
 * drawn border their words sit in (a caption at a button's foot): the line in the crop makes the
 * recognizer drop or change letters ("Impriner", "Actualise"). Such a box is cut inside the
 * border; the words never cross it. (The edge of a flat fill is no line: boxes reaching past it
 * are left alone.)
 */
export function textBoxesInsideFrames(boxes: BBox[], layout: PixelLayout, scale: number): BBox[] {
  const border = Math.max(1, Math.round(scale));
  return boxes.map((box) => {
    const h = height(box);
    const c = center(box);
    const frame = layout.rects.find(
      (r) =>
        r.ring &&
        contains(r.bbox, c) &&
        height(r.bbox) >= h &&
        height(r.bbox) <= h * 4 &&
        r.bbox[0] <= box[0] &&
        r.bbox[2] >= box[2] &&
        (r.bbox[1] > box[1] || r.bbox[3] < box[3]),
    );
    // A lone glyph's box is left as detected: only words were seen to lose letters to the line.
    if (!frame || width(box) < h * 1.5) return box;
    const top = frame.bbox[1] + border;
    const bottom = frame.bbox[3] - border;
    const y1 = box[1] < top && top - box[1] <= h * 0.3 ? top : box[1];
    const y2 = box[3] > bottom && box[3] - bottom <= h * 0.3 ? bottom : box[3];
    return y2 - y1 >= h * 0.5 ? [box[0], y1, box[2], y2] : box;
  });
}

/**
 * Columns of a text box crossed by an upright line far taller than its letters: the edges of
 * tabs drawn in the page's colour (98.css), which no filled box stands for, and which OCR reads
 * as letters or drops ("Generl Adresss Pa mens Hito"). A column's stroke is its longest run of
 * ink; the line spans most of the box and is well longer than any letter's stroke (a "|" is
 * about as long as an "l" with the foot of a "p").
 */
function edgeStrokes(image: RgbaImage, box: BBox): number[] {
  const [x1, y1, x2, y2] = [
    Math.max(0, Math.round(box[0])),
    Math.max(0, Math.round(box[1])),
    Math.min(image.width, Math.round(box[2])),
    Math.min(image.height, Math.round(box[3])),
  ];
  const h = y2 - y1;
  if (h < 8 || x2 - x1 < h) return [];
  const bg = outlineColor(image, [x1, y1, x2, y2]);
  const runs: number[] = [];
  const inked: number[] = [];
  for (let x = x1; x < x2; x++) {
    let longest = 0;
    let run = 0;
    let count = 0;
    for (let y = y1; y < y2; y++) {
      const ink = distanceAt(image, x, y, bg) > 120;
      run = ink ? run + 1 : 0;
      if (ink) count++;
      if (run > longest) longest = run;
    }
    runs.push(longest);
    inked.push(count / h);
  }
  // The longest stroke of a letter (l, d, F, the stem of a p); lines running across the box give
  // short runs in each column and do not count.
  const letters = Math.max(0, ...runs.filter((r) => r < h * 0.6));
  if (!letters) return [];
  // A line is thin and stands on the background: a band of such columns that is wide, or has
  // ink on most of the columns beside it, is a fill (a selected row's highlight between light
  // letters), not an edge.
  const thin = Math.max(3, Math.round(h * 0.2));
  const clear = (from: number, to: number): boolean => {
    const cols = inked.slice(Math.max(0, from), Math.min(inked.length, to));
    return !cols.length || cols.reduce((a, b) => a + b, 0) / cols.length < 0.45;
  };
  const out: number[] = [];
  let band: number[] = [];
  for (let i = 0; i <= runs.length; i++) {
    if (i < runs.length && runs[i] >= h * 0.6 && runs[i] >= letters * 1.6) {
      band.push(i);
      continue;
    }
    if (band.length && band.length <= thin && clear(band[0] - thin * 2, band[0]) && clear(i, i + thin * 2))
      out.push(...band.map((k) => x1 + k));
    band = [];
  }
  return out;
}

/** A lone glyph on a key: the line box to recognise, or, for a blot too small to read, its text. */
export interface GlyphBox {
  bbox: BBox;
  /** Set when the shape alone tells the glyph (".", ","): the recognizer sees a couple of pixels. */
  text?: string;
  /** A text box on the key holding only a piece of its glyph, to be read as the glyph's line instead. */
  replaces?: BBox;
}

/**
 * Button-sized boxes with ink but no detected text: calculator keys ("7", "=", "."), one-letter
 * buttons. Text detection misses lone glyphs; recognising the box's inside reads them. A glyph
 * may be a few pixels (a full stop, the bars of "="): what counts is a small compact blot of ink
 * clear of the box's edges, not its share of the key. The box read is a text line centred in the
 * key, as the key's label is drawn, so a "-" keeps its height on the line.
 */
export function glyphBoxes(layout: PixelLayout, textBoxes: BBox[], image: RgbaImage): GlyphBox[] {
  const scale = Math.max(1, image.scaleFactor || 1);
  const unit = 20 * scale;
  const out: GlyphBox[] = [];
  for (const r of layout.rects) {
    const b = r.bbox;
    if (!keySized(b, unit)) continue;
    const onKey = textBoxes.filter((t) => contains(b, center(t)) || overlap(t, b) > 0.3);
    if (onKey.length > 1) continue;
    if (layout.rects.some((o) => o !== r && contains(b, center(o.bbox)) && area(o.bbox) < area(b) * 0.8)) continue;
    // Clear of the border, rounded corners included (they reach further in than its width).
    const inner = keyFace(r, Math.max(3, Math.round(Math.min(width(b), height(b)) * 0.12)));
    const ink = inkStats(image, inner, r.color as Rgb, 120);
    const g = ink.inkBox;
    if (!g || ink.inkFraction > 0.4) continue;
    const inkPixels = ink.inkFraction * area(inner);
    // Too little ink for a glyph (noise), or ink that runs along the key (a bevel, a gradient's edge).
    if (inkPixels < 3 * scale * scale || inkPixels < area(g) * 0.2) continue;
    if (width(g) > width(inner) * 0.8 || height(g) > height(inner) * 0.8) continue;
    const mid = (b[1] + b[3]) / 2;
    // The line is centred on the glyph: a key's face may reach further down than up (a bevel, a
    // shadow inside the border), and a glyph high in its line reads worse.
    const glyphMid = (g[1] + g[3]) / 2;
    const half = Math.max(unit * 0.45, (height(g) + 8) / 2);
    const padX = Math.max(4, height(g) * 0.4, unit * 0.25);
    const line: BBox = [
      Math.max(b[0], Math.round(g[0] - padX)),
      Math.max(b[1], Math.round(glyphMid - half)),
      Math.min(b[2], Math.round(g[2] + padX)),
      Math.min(b[3], Math.round(glyphMid + half)),
    ];
    // A text box on the key holding less than half of its glyph ("+" found as its crossing, read
    // "T"), or far shorter than the glyph's line (a minus sign boxed tight, read '"'), is read as
    // the glyph's line instead; a minus or an operator told by its shape replaces any box (the
    // recognizer reads nothing in a small font's 4-pixel hyphen-minus).
    const sign = operatorByShape(image, g, inner, r.color as Rgb);
    const shape = sign ? { text: sign } : punctuationByShape(g, mid, unit);
    const piece = onKey[0];
    // A sign drawn in strokes told by its shape replaces whatever was read there (see
    // operator-glyphs.ts). A blot told as a full stop or comma does not: it replaced labels of
    // held-out keys (a click on a wrong key), so the recognizer's reading of a box stands. Nor
    // does a "line" over several rows of keys, which no line of text is (detection at a reduced
    // scale took two rows of capsule keys for one blot): each key's glyph replaces it.
    const told = shape.text === '-' || sign !== null;
    const overRows = !!piece && contains(piece, center(b)) && height(piece) > height(b) * 1.5;
    if (piece && !told && !overRows && intersection(piece, g) >= area(g) * 0.5 && height(piece) >= height(line) * 0.6)
      continue;
    out.push({ bbox: line, ...shape, ...(piece ? { replaces: piece } : {}) });
  }
  return out;
}

/** A box shaped like a key of a keypad or a short button: about a line tall or more, not a bar. */
function keySized(b: BBox, unit: number): boolean {
  const h = height(b);
  const w = width(b);
  return h >= unit * 0.9 && h <= unit * 5 && w >= h * 0.6 && w <= h * 4;
}

/** The key-sized box of the layout holding the box's middle (a label on a key), or null. */
export function keyAround(layout: PixelLayout, image: RgbaImage, box: BBox): BBox | null {
  const unit = 20 * Math.max(1, image.scaleFactor || 1);
  return layout.rects.find((r) => keySized(r.bbox, unit) && contains(r.bbox, center(box)))?.bbox ?? null;
}

/**
 * Glyphs too thin for the recognizer, told by their shape: a blot no wider than a pen stroke low
 * on the line is a full stop, or a comma when it hangs down (taller than wide); a lone short
 * stroke across the middle of the line, twice as wide as thick or more (a small font's hyphen-
 * minus is 4 by 2 pixels), is a minus. Anything else is left to the recognizer.
 */
function punctuationByShape(g: BBox, lineMiddle: number, unit: number): { text?: string } {
  const stroke = Math.max(2, unit * 0.12);
  const glyphMiddle = (g[1] + g[3]) / 2;
  if (height(g) <= stroke && width(g) >= Math.max(3, height(g) * 2) && width(g) <= unit * 0.8)
    return Math.abs(glyphMiddle - lineMiddle) <= unit * 0.3 ? { text: '-' } : {};
  if (width(g) > unit * 0.2 || height(g) > unit * 0.3 || g[1] <= lineMiddle) return {};
  return { text: height(g) >= width(g) + Math.max(1, unit / 20) ? ',' : '.' };
}

export function detectElements(
  image: RgbaImage,
  lines: TextLine[],
  options: DetectOptions & { layout?: PixelLayout } = {},
): UIElement[] {
  const unit = options.unit ?? typicalLineHeight(lines, image.scaleFactor);
  const first = detectDrafts(image, lines, unit, options.layout ?? analyzeLayout(image));
  if (!first.panels.length) return finalize(first.drafts, image);
  // An open menu hides the middle of the fields it crosses: look again with it painted away, at
  // the rows it crosses.
  const second = bandWithoutPopups(image, lines, first.panels, unit * 3, Math.max(2, Math.round(unit * 0.4)));
  const behind = draftsOnScreen(
    detectDrafts(second.band, second.lines, unit, analyzeLayout(second.band)).drafts,
    second.top,
  );
  return finalize(withFieldsBehindPopups(first.drafts, behind, first.panels, unit), image);
}

/** The drafts of a screen, with the boxes of the popup menus open on it. */
function detectDrafts(
  image: RgbaImage,
  lines: TextLine[],
  unit: number,
  layout: PixelLayout,
): { drafts: Draft[]; panels: BBox[] } {
  const { pageBg, hlines } = layout;
  // Gradient-faced controls: no flat fill to segment, a frame around their words instead. A box
  // whose top border is cut is a field only with its label, small, in the cut.
  const rects = withTextFrames(
    image,
    lines,
    layout.rects.filter((r) => !r.notch || labelInNotch(r.bbox, r.notch, lines, unit)),
    unit,
  );
  const controlRects = rects.filter((r) => height(r.bbox) <= unit * 3.2 && width(r.bbox) < image.width * 0.6);
  const segments = splitAtMarks(buildSegments(lines, controlRects, unit), image, unit);
  const drafts: Draft[] = [];

  // Menus first (a menu title's letters may pass for a mark; a popup's highlighted item and a
  // menu bar's open title are filled boxes, not buttons).
  const popups = popupMenus(segments, rects, image, unit);
  const bar = menuBar(
    segments,
    controlRects,
    image,
    unit,
    [...popups.claimed].map((r) => r.bbox),
  );
  drafts.push(...popups.drafts, ...bar.drafts);
  const windowControls = windowButtons(segments, rects, image, unit);
  const toolbarIcons = captionedIcons(segments, image, unit);
  drafts.push(...windowControls.drafts, ...toolbarIcons.drafts);

  // Checkboxes and radios: a small mark just left of a text segment.
  for (const s of segments) {
    // Text inside a box (a tab, a button, a cell) is not the label of a checkbox, nor is a lone
    // glyph (the × of a window's close button next to its maximise square).
    if ((s.container && !inGroup(s, segments)) || s.text.replace(/\s/g, '').length < 2) continue;
    const mark = markLeftOf(image, s, unit);
    if (!mark) continue;
    s.used = true;
    drafts.push({ ...mark, label: s.text, labelSegment: s, confidence: 0.85, method: 'mark+ocr' });
  }
  // Words that are really a mark read as a letter ("O" for a radio) are not text.
  for (const s of segments) {
    if (
      !s.used &&
      mayBeMarkLetter(s.text.trim()) &&
      drafts.some((d) => (d.type === 'radio' || d.type === 'checkbox') && overlap(d.bbox, s.bbox) > 0.3)
    )
      s.used = true;
  }

  // Tables ruled by lines or stripes, then tiles of a grid (table / tabs), then single controls.
  // A popup menu's highlighted item and separators are no stripes and rules of a table.
  const menuBoxes = [...popups.claimed].map((r) => r.bbox);
  const lineTables = lineTableRows(
    segments,
    hlines.filter((l) => !menuBoxes.some((m) => contains(m, center(l.bbox)))),
    rects.filter((r) => !popups.claimed.has(r)),
    image,
    unit,
  );
  drafts.push(...lineTables.drafts);
  const taken = new Set([
    ...popups.claimed,
    ...bar.claimed,
    ...windowControls.claimed,
    ...toolbarIcons.claimed,
    ...lineTables.cells,
  ]);
  const tileDrafts = classifyTiles(
    controlRects.filter((r) => !taken.has(r)),
    segments,
    unit,
    image,
  );
  drafts.push(...tileDrafts.drafts);
  for (const r of controlRects) {
    if (tileDrafts.tiles.has(r) || taken.has(r)) continue;
    if (
      drafts.some(
        (d) =>
          (d.type === 'checkbox' || d.type === 'radio') &&
          contains(r.bbox, center(d.bbox)) &&
          area(r.bbox) < area(d.bbox) * 4,
      )
    )
      continue;
    // A box holding other boxes (a tab strip, a toolbar, a form frame) is a container, not a control:
    // one a good part of its size, or two shaped like fields (a fieldset around a row of selects;
    // a field's own inner buttons are square).
    const held = controlRects.filter(
      (o) => o !== r && intersection(o.bbox, r.bbox) >= area(o.bbox) * 0.9 && area(o.bbox) < area(r.bbox) * 0.9,
    );
    if (
      held.some((o) => area(o.bbox) >= area(r.bbox) * 0.15) ||
      held.filter((o) => height(o.bbox) >= unit * 0.6 && width(o.bbox) >= height(o.bbox) * 2.5).length >= 2
    )
      continue;
    // Its text: what was assigned to it, or free text sitting in it (a label taller than a small button's face).
    const small = width(r.bbox) <= height(r.bbox) * 6;
    const inside = segments.filter(
      (s) =>
        s.container === r ||
        (small &&
          !s.used &&
          !s.container &&
          contains(r.bbox, center(s.bbox)) &&
          height(s.bbox) <= height(r.bbox) * 2.2),
    );
    // A panel's header with its close button (a modal's title, then "×" at its right end): the
    // close button is an icon, the header no control, its title plain text.
    const close = closeGlyphAtEnd(r.bbox, inside, unit);
    if (close) {
      close.used = true;
      drafts.push(closeButton(close, image));
      for (const t of inside.filter((s) => s !== close)) {
        t.used = true;
        drafts.push({
          type: 'text',
          bbox: t.bbox,
          label: t.text,
          confidence: t.confidence,
          role: null,
          state: { enabled: true, visible: true, focused: false },
          shape: 'text',
          color: r.color as Rgb,
          labelSegment: t,
          method: 'ocr',
        });
      }
      continue;
    }
    const d = classifyRect(image, r, inside, unit, pageBg, hlines);
    if (!d) continue;
    inside.forEach((s) => (s.used = true));
    drafts.push(d);
  }

  // A field with its arrow on a button of its own right after it (98.css, classic Win32 combo
  // boxes): a dropdown, and the arrow OCR read as a letter ("D" for "▼") is no text.
  for (const d of drafts) {
    if (d.type !== 'text_input') continue;
    const button = arrowButtonRightOf(image, d.bbox);
    if (!button) continue;
    d.type = 'dropdown';
    d.role = 'selector';
    d.bbox = union([d.bbox, button]);
    for (const s of segments) if (!s.used && contains(button, center(s.bbox))) s.used = true;
  }
  // A dropdown's own arrow button, found as a box of its own, is part of it.
  const dropdowns = drafts.filter((d) => d.type === 'dropdown');
  const ownButton = (d: Draft): boolean =>
    d.type === 'icon' &&
    !d.label &&
    dropdowns.some((dd) => contains(dd.bbox, center(d.bbox)) && area(d.bbox) < area(dd.bbox) * 0.3);
  drafts.splice(0, drafts.length, ...drafts.filter((d) => !ownButton(d)));
  headerStrips(drafts, unit);

  // Fields drawn as a line under their label (Fluent, Material), which no box found.
  for (const { field, inside } of fieldsUnderLabels(segments, drafts, image, lines, unit)) {
    const d = classifyRect(image, field, inside, unit, pageBg, hlines);
    if (d?.type !== 'text_input' && d?.type !== 'dropdown') continue;
    inside.forEach((s) => (s.used = true));
    drafts.push({ ...d, method: 'label+underline' });
  }

  // Remaining text: table rows by column alignment, menus, links, plain text.
  const free = segments.filter((s) => !s.used);
  // Tables before text tabs: a table's rows are also rows of short words above a line.
  // Each box's text on its own: two lists side by side are not one table's columns.
  for (const pane of panes(free, rects, unit)) {
    drafts.push(...alignedTableRows(pane.segments, drafts, image, unit));
    drafts.push(...listColumnRows(pane, drafts, rects, unit));
  }
  drafts.push(...openTabs(free, image, unit));
  drafts.push(
    ...textTabs(
      free,
      image,
      unit,
      popups.drafts.map((d) => d.bbox),
    ),
  );
  for (const s of free.flatMap((f) => (f.used ? [] : splitAtUnderlineGaps(f, image, unit)))) {
    const ink = inkStats(image, s.bbox);
    // Blue ink or an underline; accent-coloured text where a field's label sits (left of or
    // above a control) is its label (material themes draw labels in the link colour).
    // Blue strokes, not a blue fill the words stand on (a dialog's title bar read against the
    // window round it): a line's letters ink well under half of its box.
    const blue = chroma(ink.ink) > 80 && ink.ink[2] > ink.ink[0] + 50 && ink.ink[2] > 120 && ink.inkFraction < 0.5;
    const isLink =
      (s.text.match(/[\p{L}\p{N}]/gu)?.length ?? 0) >= 2 &&
      ((blue && !labelPlace(s.bbox, drafts, unit)) || underlined(image, s.bbox, ink.background));
    // A link is as tall as its letters (its text box is padded into the lines around it).
    const band = isLink ? letterBand(image, s.bbox, ink.background) : null;
    const letters = band && inkStats(image, [s.bbox[0], band[0], s.bbox[2], band[1]], ink.background).inkBox;
    drafts.push({
      type: isLink ? 'link' : 'text',
      bbox: letters ?? s.bbox,
      label: s.text,
      confidence: isLink ? 0.8 : s.confidence,
      role: isLink ? 'navigation' : null,
      state: { enabled: contrast(ink.ink, ink.background) > 1.6, visible: true, focused: false },
      shape: 'text',
      color: ink.background,
      labelSegment: s,
      method: isLink ? 'ocr+ink_color' : 'ocr',
    });
    s.used = true;
  }

  drafts.push(...dialogs(rects, drafts, image, unit));
  associateLabels(drafts, unit);
  const panels = menuBoxes.filter(
    (m) => !menuBoxes.some((o) => o !== m && contains(o, center(m)) && area(o) > area(m)),
  );
  return { drafts, panels };
}

function typicalLineHeight(lines: TextLine[], scaleFactor: number): number {
  const hs = lines.map((l) => height(l.bbox)).sort((a, b) => a - b);
  return hs.length ? hs[Math.floor(hs.length / 2)] : 20 * (scaleFactor || 1);
}

/**
 * A button face drawn as a vertical gradient (Nimbus, GTK keys, CSS linear-gradient) is cut by
 * the colour segmentation into stacked bands, each thinner than a line of text, with the label
 * straddling the cut: such a run of bands, same columns, touching, each step a little darker (or
 * lighter) than the last, is one box. Striped table rows alternate their colours and are as tall
 * as their text, so they stay apart.
 */
function joinGradientBands(rects: RectCandidate[], scale: number): RectCandidate[] {
  const line = 20 * scale;
  const isBand = (r: RectCandidate) => !r.ring && height(r.bbox) < line;
  const below = (a: RectCandidate, b: RectCandidate) =>
    Math.abs(a.bbox[0] - b.bbox[0]) <= 2 &&
    Math.abs(a.bbox[2] - b.bbox[2]) <= 2 &&
    Math.abs(b.bbox[1] - a.bbox[3]) <= 2 &&
    colorDistance(a.color, b.color) <= 60;
  const bands = rects.filter(isBand).sort((a, b) => a.bbox[1] - b.bbox[1]);
  const joined = new Set<RectCandidate>();
  const out: RectCandidate[] = [];
  for (const top of bands) {
    if (joined.has(top)) continue;
    const run = [top];
    for (let next = bands.find((b) => !joined.has(b) && below(top, b)); next;) {
      run.push(next);
      const last: RectCandidate = next;
      next = bands.find((b) => !joined.has(b) && !run.includes(b) && below(last, b));
    }
    const steps = run.slice(1).map((r, i) => luma(r.color) - luma(run[i].color));
    const monotonic = steps.every((d) => d < 0) || steps.every((d) => d > 0);
    const bbox = union(run.map((r) => r.bbox));
    if (run.length < 2 || !monotonic || height(bbox) > line * 4) continue;
    run.forEach((r) => joined.add(r));
    const color = run.reduce((a, r) => (area(r.bbox) > area(a.bbox) ? r : a)).color;
    out.push({ ...top, bbox, color, rounded: run.some((r) => r.rounded) });
  }
  return [...rects.filter((r) => !joined.has(r)), ...out];
}

/**
 * The bands of a gradient face inside a button's drawn border are the face, not boxes of their
 * own: a band spans the border's width and is thinner than a line of text. Only in boxes of a
 * button's height: a card's striped table rows span the card too.
 */
function withoutFaceBands(rects: RectCandidate[], scale: number): RectCandidate[] {
  const borders = rects.filter((r) => r.ring && height(r.bbox) <= 80 * scale);
  const isFace = (r: RectCandidate) =>
    !r.ring &&
    height(r.bbox) < 20 * scale &&
    borders.some(
      (b) =>
        b !== r &&
        r.bbox[0] >= b.bbox[0] &&
        r.bbox[1] >= b.bbox[1] &&
        r.bbox[2] <= b.bbox[2] &&
        r.bbox[3] <= b.bbox[3] &&
        width(r.bbox) >= width(b.bbox) * 0.85,
    );
  return rects.filter((r) => !isFace(r));
}

function insetBox(b: BBox, d: number): BBox {
  return [b[0] + d, b[1] + d, b[2] - d, b[3] - d];
}

/** A border region and the fill inside it describe one box: keep the outer one. */
function dedupeRects(rects: RectCandidate[]): RectCandidate[] {
  const sorted = [...rects].sort((a, b) => area(b.bbox) - area(a.bbox));
  const kept: RectCandidate[] = [];
  for (const r of sorted) {
    // A 3D or double border nests the face a few pixels inside the frame: same box.
    const inset = (k: RectCandidate): boolean => {
      const m = Math.max(4, Math.min(height(k.bbox), width(k.bbox)) * 0.2);
      return (
        r.bbox[0] - k.bbox[0] <= m &&
        r.bbox[1] - k.bbox[1] <= m &&
        k.bbox[2] - r.bbox[2] <= m &&
        k.bbox[3] - r.bbox[3] <= m
      );
    };
    const twin = kept.find(
      (k) => intersection(k.bbox, r.bbox) >= area(r.bbox) * 0.98 && (area(r.bbox) >= area(k.bbox) * 0.8 || inset(k)),
    );
    if (twin) {
      if (twin.ring && !r.ring) twin.color = r.color; // the fill tells the box's colour
      continue;
    }
    kept.push(r);
  }
  return kept;
}

// ---------------------------------------------------------------------------------------------
// Text segments

function buildSegments(lines: TextLine[], rects: RectCandidate[], unit: number): Segment[] {
  const out: Segment[] = [];
  for (const line of lines) {
    const h = height(line.bbox);
    const words = line.words.length ? line.words : [{ text: line.text, bbox: line.bbox, confidence: line.confidence }];
    let current: Segment | null = null;
    for (const w of words) {
      const c = center(w.bbox);
      const container = rects
        .filter((r) => contains(r.bbox, c) && height(r.bbox) >= h * 0.6)
        .reduce<RectCandidate | null>((best, r) => (!best || area(r.bbox) < area(best.bbox) ? r : best), null);
      const gap = current ? w.bbox[0] - current.bbox[2] : 0;
      if (current && current.container === container && gap < Math.max(h, unit) * 1.1) {
        current.text += ' ' + w.text;
        current.bbox = union([current.bbox, w.bbox]);
        current.words.push(w);
      } else {
        current = {
          text: w.text,
          bbox: [w.bbox[0], line.bbox[1], w.bbox[2], line.bbox[3]],
          confidence: line.confidence,
          words: [w],
          container,
          used: false,
        };
        out.push(current);
      }
    }
  }
  // Tighten each segment's box to its words' vertical extent inside its container (inside a
  // drawn border, whose line is no ink of the words).
  for (const s of out) {
    if (!s.container) continue;
    const b = s.container.ring ? insetBox(s.container.bbox, Math.max(1, Math.round(unit / 20))) : s.container.bbox;
    s.bbox = [
      Math.max(s.bbox[0], b[0]),
      Math.max(s.bbox[1], b[1]),
      Math.min(s.bbox[2], b[2]),
      Math.min(s.bbox[3], b[3]),
    ];
  }
  return out.filter((s) => s.text.trim().length > 0);
}

// ---------------------------------------------------------------------------------------------
// Checkboxes and radios

/** What OCR makes of a dropdown's arrow. */
const ARROW_AS_LETTER = /^[v∨⌄▼▾˅√ˇ~]$/i;
/** A reading that ends with a letter wider at the top than at the bottom, as an arrow is. */
const POINTED_LETTER = /[vwyt7∨⌄▼▾˅√ˇ]$/i;

/**
 * Options laid out on one line ("☑ Vérifié  ☐ Envoyer") come out of OCR as one line: split it
 * where a gap between words holds a mark, or where a word is or starts with a mark read as a
 * letter ("O", "OMs").
 */
function splitAtMarks(segments: Segment[], image: RgbaImage, unit: number): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    let start = 0;
    for (let i = 1; i < s.words.length; i++) {
      const prev = s.words[i - 1];
      const word = s.words[i];
      const gap = word.bbox[0] - prev.bbox[2];
      const letterMark = i + 1 < s.words.length && isMarkAsLetter(image, word, s.words[i + 1], s.bbox);
      let split = letterMark || textAfterGluedMark(image, word, s.bbox) !== null;
      if (!split && gap >= unit * 0.5) {
        const bg = pixel(image, prev.bbox[2] + 1, s.bbox[1] + 1);
        const mark = rightmostInkCluster(
          image,
          [prev.bbox[2] + 1, s.bbox[1], word.bbox[0] - 1, s.bbox[3]],
          bg,
          60,
          Math.max(3, unit * 0.3),
        );
        split =
          !!mark &&
          height(mark) >= unit * 0.4 &&
          Math.abs(width(mark) - height(mark)) <= Math.max(3, width(mark) * 0.3);
      }
      if (split) {
        out.push(subSegment(s, start, i));
        start = i;
      }
    }
    out.push(start === 0 ? s : subSegment(s, start, s.words.length));
  }
  return out;
}

function subSegment(s: Segment, from: number, to: number): Segment {
  const words = s.words.slice(from, to);
  return {
    ...s,
    words,
    text: words.map((w) => w.text).join(' '),
    bbox: [words[0].bbox[0], s.bbox[1], words[words.length - 1].bbox[2], s.bbox[3]],
  };
}

/**
 * Whether a segment lies inside a group of options (a fieldset) rather than on a control: its box
 * holds other lines of text too, and the segment is clear of its top edge, where a group's title
 * sits across the border.
 */
function inGroup(s: Segment, segments: Segment[]): boolean {
  const box = s.container!.bbox;
  if (s.bbox[1] < box[1] + height(s.bbox) * 0.3) return false;
  return segments.some((o) => o !== s && o.container === s.container && verticalOverlap(o.bbox, s.bbox) < 0.5);
}

/**
 * Where the label's letters start when the first "letter" of a word is a mark read with it (see
 * `markThenText`). The scan starts at the word's box, which may clip the mark: the rest of the mark
 * is enough to find its end (left of the box may lie the word before).
 */
function textAfterGluedMark(image: RgbaImage, word: TextRegion, line: BBox): number | null {
  if (!GLUED_MARK.test(word.text)) return null;
  return markThenText(image, [word.bbox[0], line[1], word.bbox[2], line[3]])?.textStart ?? null;
}

function markLeftOf(image: RgbaImage, s: Segment, unit: number): Omit<Draft, 'label' | 'confidence' | 'method'> | null {
  const h = height(s.bbox);
  const searchW = Math.round(Math.max(h, unit) * 1.6);
  const firstWord = s.words[0];
  // The mark may have been read as a letter ("O Espèces"): then search from the second word; or
  // as the first letter of the label ("OMs"): then search from the letter after it.
  const readAsLetter = s.words.length > 1 && isMarkAsLetter(image, firstWord, s.words[1], s.bbox) ? 1 : 0;
  const glued = readAsLetter ? null : textAfterGluedMark(image, firstWord, s.bbox);
  const labelWord = s.words[readAsLetter];
  const textStart = glued ?? labelWord.bbox[0];
  const bg = pixel(image, textStart - 1, s.bbox[1] + 1);
  // The rows of the label's letters and some way above and below, within the line's box unless
  // OCR's box is tight around the letters (a short word, "Mx", beside a taller radio circle): a
  // mark is centred on them, while a frame's edge passing under the text (a group box's bottom)
  // would join the mark.
  const letters: BBox = [textStart, labelWord.bbox[1], labelWord.bbox[2], labelWord.bbox[3]];
  const ink = letterRows(image, letters, bg);
  const pad = ink ? Math.max(3, Math.round((ink[1] - ink[0]) * 0.5)) : 0;
  const core = letterCore(image, letters, bg);
  const tight = !!core && h < (core[1] - core[0]) * 2;
  const region: BBox = [
    Math.max(0, textStart - searchW),
    tight ? core[0] - pad : ink ? Math.max(s.bbox[1], ink[0] - pad) : s.bbox[1],
    textStart - 1,
    tight ? core[1] + pad : ink ? Math.min(s.bbox[3], ink[1] + pad) : s.bbox[3],
  ];
  if (width(region) < 6) return null;
  const box = rightmostInkCluster(image, region, bg, 60, Math.max(3, unit * 0.3), { apartFromEdges: true });
  if (!box) return null;
  const bw = width(box);
  const bh = height(box);
  if (
    bw < unit * 0.35 ||
    bh < unit * 0.35 ||
    bw > unit * 1.3 ||
    // No taller than the label's line, or than twice its letters: OCR's box for a short word
    // ("Mx") is tight, and Fluent's radio circle stands taller than it.
    bh > Math.min(unit * 1.3, Math.max(h * 1.1, core ? (core[1] - core[0]) * 2 : 0)) ||
    Math.abs(bw - bh) > Math.max(3, bw * 0.25)
  )
    return null;
  // A mark stands alone: a border or a frame edge left of the text goes on above and below it.
  const above = inkStats(image, [box[0], box[1] - 3, box[2], box[1] - 1], bg, 60).inkFraction;
  const below = inkStats(image, [box[0], box[3] + 1, box[2], box[3] + 3], bg, 60).inkFraction;
  if (above > 0.5 || below > 0.5) return null;
  // …and on its left: a glyph of the word before it is not a mark, so a mark keeps about a word
  // space (a fifth of the label's letter height; the line's height counts its leading too) clear
  // of the ink before it. A line going on above and below the mark there is the side of a frame
  // around the options (a group box), not a glyph.
  const clearance = Math.max(3, Math.round((ink ? ink[1] - ink[0] : h) * 0.2));
  for (let x = box[0] - clearance; x < box[0]; x++) {
    const column = inkStats(image, [x, box[1], x + 1, box[3]], bg, 60).inkFraction;
    const frameSide =
      column === 1 &&
      inkStats(image, [x, box[1] - 3, x + 1, box[1]], bg, 60).inkFraction === 1 &&
      inkStats(image, [x, box[3], x + 1, box[3] + 3], bg, 60).inkFraction === 1;
    if (column > 0 && !frameSide) return null;
  }
  // A mark is a compact shape: ink fills a good part of its box's outline or centre.
  const inside = inkStats(image, box, bg, 60);
  if (inside.inkFraction < 0.1) return null;
  // Round marks leave the corners of their box empty (a corner square of 15 % of the side lies
  // wholly outside the circle); a rounded square's border still crosses them.
  const k = Math.max(1, Math.round(bw * 0.15));
  const cornerInk =
    [
      [box[0], box[1]],
      [box[2] - k, box[1]],
      [box[0], box[3] - k],
      [box[2] - k, box[3] - k],
    ].reduce((n, [x, y]) => n + inkStats(image, [x, y, x + k, y + k], bg, 60).inkFraction, 0) / 4;
  const round = cornerInk < 0.12;
  // A frame's corner with the line leading to its legend ("⌐Shipping") is no box: its side goes on
  // straight down (or up) past the "mark", where a box's sides stop.
  const goesOn = (x: number): boolean =>
    [
      [box[3], box[3] + Math.ceil(bh / 2)],
      [box[1] - Math.ceil(bh / 2), box[1]],
    ].some(([y1, y2]) => inkStats(image, [x, y1, x + 1, y2], bg, 60).inkFraction === 1);
  const t = Math.max(1, Math.round(bw * 0.15));
  for (let k = 0; k < t; k++) if (!round && (goesOn(box[0] + k) || goesOn(box[2] - 1 - k))) return null;
  // Checked = the centre differs from the mark's own interior (sampled away from the centre,
  // where neither a tick nor a radio dot reaches), or the interior is an accent fill.
  const c = center(box);
  const interior = round ? pixel(image, c[0] - bw * 0.33, c[1]) : pixel(image, box[0] + bw * 0.22, box[1] + bh * 0.22);
  const q = Math.max(1, Math.round(bw * (round ? 0.16 : 0.2)));
  const mid = inkStats(image, [c[0] - q, c[1] - q, c[0] + q + 1, c[1] + q + 1], interior, 80);
  const checked = round ? mid.inkFraction > 0.4 : mid.inkFraction > 0.12 || chroma(interior) > 80;
  const quarter = interior;
  s.bbox = [textStart, s.bbox[1], s.bbox[2], s.bbox[3]];
  if (readAsLetter) s.words = s.words.slice(1);
  if (glued !== null)
    s.words = [
      { ...firstWord, text: firstWord.text.slice(1), bbox: [glued, ...firstWord.bbox.slice(1)] as BBox },
      ...s.words.slice(1),
    ];
  s.text = s.words.map((w) => w.text).join(' ');
  return {
    type: round ? 'radio' : 'checkbox',
    bbox: box,
    role: round ? 'option_selection' : 'selection',
    state: { enabled: true, visible: true, focused: false, checked },
    shape: round ? 'circle' : 'square',
    color: quarter,
  };
}

// ---------------------------------------------------------------------------------------------
// Boxes

/**
 * Both sides of a region are lines of different colours that run on past its top and bottom:
 * it is a gap cut out between other things (a card's edge on its left, an open menu's side on its right, a field's
 * border above and below), not a box of its own, whose sides end at its corners. Lightning's
 * label "Intitulé du compte", between two fields, beside an open menu, read as a field.
 */
function sidesRunOn(image: RgbaImage, b: BBox, fill: Rgb, unit: number): boolean {
  const reach = Math.max(3, Math.round(unit * 0.5));
  const my = Math.round((b[1] + b[3]) / 2);
  // A side is a line: unlike the fill inside it and the pixel beyond it (a filled box's outside,
  // page all round, is no line of anything).
  const runsOn = (x: number, out: number): boolean => {
    if (x < 0 || x >= image.width || out < 0 || out >= image.width) return false;
    const line = pixel(image, x, my);
    if (colorDistance(line, fill) <= 25 || colorDistance(line, pixel(image, out, my)) <= 40) return false;
    // Past the corners (the rows of the lines above and below cross the side there).
    for (const [from, step] of [
      [b[1] - 3, -1],
      [b[3] + 2, 1],
    ]) {
      let same = 0;
      for (let d = 0; d < reach; d++) {
        const y = from + step * d;
        if (y < 0 || y >= image.height) return false;
        if (colorDistance(pixel(image, x, y), line) <= 40) same++;
      }
      if (same < reach * 0.8) return false;
    }
    return true;
  };
  // Two sides of one colour may be one box's border around a part of it (a field's inside split
  // by its text); a gap's sides belong to different things.
  // And a gap's top or bottom is another thing's edge that does not reach both its sides: a
  // corner of it opens onto its own fill (a band inside a bevelled button is closed all round).
  const open = (x: number, y: number) =>
    x >= 0 && y >= 0 && x < image.width && y < image.height && colorDistance(pixel(image, x, y), fill) <= 25;
  const openCorner =
    open(b[0] + 1, b[1] - 1) || open(b[2] - 2, b[1] - 1) || open(b[0] + 1, b[3]) || open(b[2] - 2, b[3]);
  return (
    openCorner &&
    runsOn(b[0] - 1, b[0] - 2) &&
    runsOn(b[2], b[2] + 1) &&
    colorDistance(pixel(image, b[0] - 1, my), pixel(image, b[2], my)) > 40
  );
}

function classifyRect(
  image: RgbaImage,
  r: RectCandidate,
  inside: Segment[],
  unit: number,
  pageBg: Rgb,
  hlines: HorizontalLine[] = [],
): Draft | null {
  const b = r.bbox;
  const w = width(b);
  const h = height(b);
  if (h < unit * 0.6 || w < unit * 0.6) return null;
  // The border (just outside the region) or the surroundings must differ from the fill. At
  // fractional scales a thin border is smeared over two pixels, the inner one close to the fill:
  // then the outer one, when it is one colour all round (a region cut out of a panel by other
  // boxes is bounded by several).
  const fill = r.color as Rgb;
  // A capsule's rounded ends leave the surroundings at its box's corners and sides: its border
  // is the line over its top between the half circles.
  const inner = r.capsule
    ? outlineColor(image, [b[0] + Math.ceil(h / 2), b[1] - 1, b[2] - Math.ceil(h / 2), b[1]])
    : outlineColor(image, [b[0] - 1, b[1] - 1, b[2] + 1, b[3] + 1]);
  const outer: BBox = [b[0] - 2, b[1] - 2, b[2] + 2, b[3] + 2];
  const border = colorDistance(inner, fill) <= 40 && oneColourRing(image, outer) ? outlineColor(image, outer) : inner;
  const around = outlineColor(image, [b[0] - 3, b[1] - 3, b[2] + 3, b[3] + 3]);
  const distinct = colorDistance(fill, around) > 25 || colorDistance(fill, border) > 40 || r.ring;
  if (!distinct || (!r.capsule && sidesRunOn(image, b, fill, unit))) return null;
  const arrow = hasArrowAtRight(image, r, inside, unit);
  const shape: Draft['shape'] = r.rounded ? 'rounded_rectangle' : 'rectangle';
  const base = {
    bbox: b,
    shape,
    color: fill,
    method: 'rect+ocr',
    state: { enabled: true, visible: true, focused: false } as UIElement['state'],
  };
  if (!inside.length) {
    if (arrow) return { ...base, type: 'dropdown', label: '', role: 'selector', confidence: 0.75 };
    if (w >= h * 2.5 && h <= unit * 2.2)
      return { ...base, type: 'text_input', label: '', role: 'form_input', confidence: 0.75 };
    if (Math.abs(w - h) <= Math.max(3, w * 0.2) && w <= unit * 2.5) {
      const ink = inkStats(image, [b[0] + 2, b[1] + 2, b[2] - 2, b[3] - 2], fill);
      if (ink.inkFraction > 0.05) return { ...base, type: 'icon', label: '', role: 'action_trigger', confidence: 0.6 };
    }
    // A key whose one small glyph was not read (a comma, a period): a button, named by nothing;
    // or by its shape, a zero's ring (the recognizer reads a lone "0" as "o" or "○", unsure).
    const glyph = h <= unit * 2.6 && w <= unit * 4 ? glyphInMiddle(image, r, fill) : null;
    if (glyph)
      return {
        ...base,
        type: 'button',
        label: zeroByShape(image, glyph, fill) ? '0' : '',
        role: 'action',
        confidence: 0.5,
      };
    return null;
  }
  const within = labelOverValue(inside, r, unit, hlines);
  if (within) {
    // An outline's colour is no face: the arrow is told from the colour inside it.
    const face = r.ring ? { ...r, color: outlineColor(image, [b[0] + 3, b[1] + 3, b[2] - 3, b[3] - 3]) } : r;
    const dropdown = hasArrowAtRight(image, face, inside, unit, LABELLED_FIELD_LINES);
    return {
      ...base,
      type: dropdown ? 'dropdown' : 'text_input',
      label: within.label.map((s) => s.text).join(' '),
      labelSegment: within.label.length === 1 ? within.label[0] : undefined,
      role: dropdown ? 'selector' : 'form_input',
      confidence: 0.8,
      state: { ...base.state, value: within.value.map((s) => s.text).join(' ') },
    };
  }
  // Two lines of text one above the other (a card's title and figure): a panel, not a control.
  const ys = inside.map((s) => center(s.bbox)[1]);
  if (Math.max(...ys) - Math.min(...ys) > unit * 0.8) return null;
  const text = inside.map((s) => s.text).join(' ');
  const tb = union(inside.map((s) => s.bbox));
  // A square button whose "text" is one glyph read as a letter or sign (a bell read "D"): an icon.
  if (isGlyphText(text) && Math.abs(w - h) <= Math.max(w, h) * 0.2 && w <= unit * 2.4)
    return { ...base, type: 'icon', label: '', role: 'action_trigger', confidence: 0.6 };
  // The cores of the strokes (far from the fill) tell the text colour; antialiased edges would wash it out.
  const ink = inkStats(image, tb, fill, 250);
  const span = captionSpan(image, r, tb);
  const centred = Math.abs(center(span)[0] - center(b)[0]) < w * 0.12;
  const leftAligned = span[0] - b[0] < Math.max(unit * 1.2, w * 0.15) && b[2] - span[2] > w * 0.25;
  const focused = r.ring && chroma(fill) > 80;
  if (arrow && h <= unit * 2.2) {
    const value = inside
      .flatMap((s) => s.words)
      .filter((w) => !ARROW_AS_LETTER.test(w.text))
      .map((w) => w.text)
      .join(' ');
    return {
      ...base,
      type: 'dropdown',
      label: '',
      role: 'selector',
      confidence: 0.8,
      state: { ...base.state, value, focused },
    };
  }
  if (centred && h <= unit * 2.6 && !(leftAligned && w > unit * 6)) {
    const lowContrast = contrast(ink.ink, fill) < 1.8;
    return {
      ...base,
      type: 'button',
      label: w < h * 2.5 ? withoutMenuArrow(image, r, inside, tb, unit) : text,
      role: buttonRole(text, fill, pageBg),
      confidence: 0.85,
      state: { ...base.state, enabled: !lowContrast },
    };
  }
  // Light words on a saturated fill, from its left edge: a selected row of a list, not a field.
  if (leftAligned && !r.ring && chroma(fill) > 80 && luma(ink.ink) > luma(fill) + 60) return null;
  if (leftAligned || w >= h * 3) {
    // Placeholder text is light: low contrast against the field.
    const placeholder = ink.inkFraction === 0 || contrast(ink.ink, fill) < 2.8;
    return {
      ...base,
      type: 'text_input',
      label: placeholder ? text : '',
      role: 'form_input',
      confidence: 0.8,
      state: { ...base.state, focused, ...(placeholder ? { placeholder: text } : { value: text }) },
    };
  }
  return { ...base, type: 'button', label: text, role: buttonRole(text, fill, pageBg), confidence: 0.7 };
}

/**
 * Whether a line of text sits in the cut of a box's top border (a Material outlined field's
 * label), across the border, in a box no taller than a field holding its label.
 */
function labelInNotch(box: BBox, [x1, x2]: [number, number], lines: TextLine[], unit: number): boolean {
  if (height(box) > unit * NOTCHED_FIELD_LINES) return false;
  return lines.some(
    ({ bbox: l }) =>
      l[1] < box[1] && l[3] > box[1] && center(l)[0] > x1 && center(l)[0] < x2 && width(l) >= (x2 - x1) * 0.5,
  );
}

/**
 * The label set into a field's top border and the value under it (one row, or none): the label
 * is the words of the line across the border that stand in the cut, not the border read as a
 * dash after them.
 */
function labelInCut(
  texts: Segment[],
  b: BBox,
  [x1, x2]: [number, number],
): { label: Segment[]; value: Segment[] } | null {
  // The segment is cut at the box's edge; its words keep their whole height.
  const across = texts.filter((s) => s.words.some((w) => w.bbox[1] < b[1]) && s.bbox[3] > b[1]);
  const value = texts.filter((s) => !across.includes(s));
  const oneRow = value.every((s) => verticalOverlap(s.bbox, value[0].bbox) > 0.5);
  if (across.length !== 1 || !oneRow) return null;
  const words = across[0].words.filter((w) => center(w.bbox)[0] > x1 && center(w.bbox)[0] < x2);
  if (!words.length) return null;
  const label = {
    ...across[0],
    words,
    text: words.map((w) => w.text).join(' '),
    bbox: union(words.map((w) => w.bbox)),
  };
  return { label: [label], value };
}

/** How many text lines tall a field holding its own label above its value may be. */
const LABELLED_FIELD_LINES = 3.6;
/** The same for a field whose label is set into its border (smaller letters than the lines around). */
const NOTCHED_FIELD_LINES = 4.5;

/**
 * The label and value rows of a field whose label is drawn inside it, above the value
 * (Material's filled and outlined fields): exactly two rows of text starting together near the
 * box's left, the upper one in the box's upper half, in a box at least 3.5 times as wide as tall
 * and at most about three text lines tall, drawn as a field: its label set into its top border,
 * or a line along its bottom edge, or else the upper row in smaller letters than the lower one.
 * A card's title over its figure stands in a taller box; a two-line list item has its bigger
 * line on top.
 */
function labelOverValue(
  inside: Segment[],
  r: RectCandidate,
  unit: number,
  hlines: HorizontalLine[],
): { label: Segment[]; value: Segment[] } | null {
  const b = r.bbox;
  const h = height(b);
  // A dropdown's arrow read as a letter at the right end is no row of text.
  const texts = inside.filter((s) => !(ARROW_AS_LETTER.test(s.text.trim()) && s.bbox[0] > b[2] - h * 1.2));
  // The label in the cut of the border is a field's (see labelInNotch for its size).
  if (r.notch) return labelInCut(texts, b, r.notch);
  if (h > unit * LABELLED_FIELD_LINES || width(b) < h * 3.5) return null;
  const rows: Segment[][] = [];
  for (const s of [...texts].sort((p, q) => center(p.bbox)[1] - center(q.bbox)[1])) {
    const last = rows[rows.length - 1];
    if (last && Math.abs(center(s.bbox)[1] - center(last[0].bbox)[1]) < unit * 0.4) last.push(s);
    else rows.push([s]);
  }
  if (rows.length !== 2) return null;
  const [top, bottom] = rows.map((row) => union(row.map((s) => s.bbox)));
  if (Math.abs(top[0] - bottom[0]) > unit * 0.6 || top[0] - b[0] > Math.max(unit * 1.5, width(b) * 0.1)) return null;
  if (center(top)[1] > b[1] + h * 0.5 || center(bottom)[1] < b[1] + h * 0.5) return null;
  const underlined = hlines.some(
    (l) => Math.abs(l.bbox[1] - b[3]) <= Math.max(2, unit * 0.15) && width(l.bbox) >= width(b) * 0.9,
  );
  const smaller = height(top) <= height(bottom) * 0.92;
  if (!r.notch && !(underlined && height(top) <= height(bottom) * 1.1) && !smaller) return null;
  return { label: rows[0], value: rows[1] };
}

/** Glyphs a close button is drawn or read as. */
const CLOSE_GLYPH = /^[x×X✕✖]$/;

/**
 * The lone close glyph at the right end of a wide box's text, far from its other words (a
 * dialog's header: its title, then "×"); null when there is none.
 */
function closeGlyphAtEnd(box: BBox, inside: Segment[], unit: number): Segment | null {
  if (inside.length < 2 || width(box) < unit * 8) return null;
  const sorted = [...inside].sort((a, b) => a.bbox[0] - b.bbox[0]);
  const last = sorted[sorted.length - 1];
  const before = sorted[sorted.length - 2];
  if (!CLOSE_GLYPH.test(last.text.trim())) return null;
  if (box[2] - last.bbox[2] > unit * 2 || last.bbox[0] - before.bbox[2] < unit * 3) return null;
  return last;
}

/** The close button round a close glyph: a square half again as wide as the glyph's text box. */
function closeButton(glyph: Segment, image: RgbaImage): Draft {
  const [cx, cy] = center(glyph.bbox);
  const half = (Math.max(width(glyph.bbox), height(glyph.bbox)) * 1.5) / 2;
  const bbox: BBox = [cx - half, cy - half, cx + half, cy + half].map(Math.round) as BBox;
  return {
    type: 'icon',
    bbox,
    clickBox: glyph.bbox,
    label: '',
    confidence: 0.6,
    role: 'close',
    state: { enabled: true, visible: true, focused: false },
    shape: 'rectangle',
    color: outlineColor(image, glyph.bbox),
    labelSegment: glyph,
    method: 'close_glyph',
  };
}

/**
 * The only ink inside a box, clear of its border, when it is one small mark near its middle: a
 * glyph on a key (a field's caret or a value starts at its left end); else null.
 */
function glyphInMiddle(image: RgbaImage, r: RectCandidate, fill: Rgb): BBox | null {
  const b = r.bbox;
  const inner = keyFace(r, Math.max(3, Math.round(height(b) * 0.15)));
  if (width(inner) < 4 || height(inner) < 4) return null;
  const glyph = inkStats(image, inner, fill).inkBox;
  if (!glyph || width(glyph) > width(b) * 0.4 || height(glyph) > height(b) * 0.6) return null;
  const [gx, gy] = center(glyph);
  const [bx, by] = center(b);
  return Math.abs(gx - bx) <= width(b) * 0.15 && Math.abs(gy - by) <= height(b) * 0.3 ? glyph : null;
}

/** Whether a box's outline is one colour on its four sides. */
function oneColourRing(image: RgbaImage, b: BBox): boolean {
  const sides = [
    outlineColor(image, [b[0], b[1], b[2], b[1] + 1]),
    outlineColor(image, [b[0], b[3] - 1, b[2], b[3]]),
    outlineColor(image, [b[0], b[1], b[0] + 1, b[3]]),
    outlineColor(image, [b[2] - 1, b[1], b[2], b[3]]),
  ];
  return sides.every((c) => sides.every((o) => colorDistance(c, o) <= 40));
}

/**
 * Where a key-shaped box's caption is drawn: its text, and the ink beside it on the text's rows.
 * A menu button's arrow after its caption ("MS ⌄") is not read, and the text alone looks left-
 * aligned, like a field's value.
 */
function captionSpan(image: RgbaImage, r: RectCandidate, text: BBox): BBox {
  const b = r.bbox;
  if (width(b) >= height(b) * 2.5) return text;
  const face = keyFace(r, Math.max(3, Math.round(height(b) * 0.12)));
  const ink = inkStats(image, [face[0], text[1], face[2], text[3]], r.color as Rgb, 150).inkBox;
  return ink ? union([text, ink]) : text;
}

/**
 * A menu button's caption without its arrow: the recognizer may read the chevron after the
 * caption as a letter, alone ("MS v") or glued to it ("MRv").
 */
function withoutMenuArrow(image: RgbaImage, r: RectCandidate, inside: Segment[], text: BBox, unit: number): string {
  const words = inside.flatMap((s) => s.words);
  const caption = words.map((w) => w.text).join(' ');
  const fill = r.color as Rgb;
  const mark = rightmostInkCluster(image, [center(text)[0], text[1], r.bbox[2] - 2, text[3]], fill, 70, 2);
  if (!mark || width(mark) < height(mark) || !downArrowShape(image, mark, fill)) return caption;
  // Set apart from the caption by more than letters are (the "v" ending "Dev" is no arrow).
  const gap = Math.max(3, Math.round(unit * 0.2));
  if (inkStats(image, [mark[0] - gap, mark[1], mark[0], mark[3]], fill, 70).inkBox) return caption;
  const last = words[words.length - 1];
  if (!last || last.bbox[2] < mark[0] + width(mark) / 2) return caption;
  if (ARROW_AS_LETTER.test(last.text) && words.length > 1)
    return words
      .slice(0, -1)
      .map((w) => w.text)
      .join(' ');
  if (last.text.length > 1 && ARROW_AS_LETTER.test(last.text.slice(-1)))
    return [...words.slice(0, -1).map((w) => w.text), last.text.slice(0, -1)].join(' ');
  return caption;
}

/** A small ink mark (chevron/triangle) at the right end of a box, with no OCR text over it. */
function hasArrowAtRight(image: RgbaImage, r: RectCandidate, inside: Segment[], unit: number, lines = 2.4): boolean {
  const b = r.bbox;
  const h = height(b);
  if (h > unit * lines || width(b) < h * 2.5) return false;
  const inset = Math.max(2, Math.round(h * 0.08));
  const zone: BBox = [b[2] - Math.round(h * 1.2), b[1] + inset, b[2] - inset, b[3] - inset];
  const fill = r.color as Rgb;
  const arrow = rightmostInkCluster(image, zone, fill, 70, Math.max(4, h * 0.12));
  if (!arrow) return false;
  const iw = width(arrow);
  const ih = height(arrow);
  // Text over the mark is not an arrow, unless OCR read the arrow itself as one letter.
  // The arrow sits right of all the text: OCR word boxes can stop short of the last glyph, so a
  // shape under a word's end is that glyph when the reading ends with a letter of that shape
  // ("Copy", "Show"). When it does not and the shape is an arrow's, narrowing down to its point
  // and no taller than wide (not the "r" of "Envoyer" cut off by OCR), the shape was not read:
  // Chromium's own select draws its chevron a few pixels after the value, under the box of "Open".
  const words = inside.flatMap((s) => s.words);
  const last = words.reduce<TextRegion | null>((a, w) => (!a || w.bbox[2] > a.bbox[2] ? w : a), null);
  const readAsLastLetter = !last || (!ARROW_AS_LETTER.test(last.text) && POINTED_LETTER.test(last.text));
  const overText = (w: TextRegion): boolean => !ARROW_AS_LETTER.test(w.text) && w.bbox[2] + h * 0.25 > arrow[0];
  const arrowShaped = iw >= ih && downArrowShape(image, arrow, fill);
  if ((readAsLastLetter || !arrowShaped) && words.some(overText)) return false;
  // A button of its own inside the field's right end (XP and Vista combo boxes): the arrow is on it.
  if (ih >= h * 0.5 && iw >= ih * 0.6 && iw <= ih * 1.3 && arrow[0] > zone[0])
    return arrowInSquare(image, arrow, Math.max(2, Math.round(ih * 0.12)));
  if (iw < 4 || ih < 2 || iw > h * 0.8 || ih > h * 0.6 || arrow[0] <= zone[0]) return false;
  // Pointing down: wider at the top than at the bottom (a chevron's two strokes meet at the bottom).
  return inkSpanOnRow(image, arrow, arrow[1], fill, 70) > inkSpanOnRow(image, arrow, arrow[3] - 1, fill, 70) + 1;
}

/**
 * The square just right of a field, as high as the field, when a down arrow sits in its middle:
 * the button that opens a combo box drawn beside its field.
 */
function arrowButtonRightOf(image: RgbaImage, field: BBox): BBox | null {
  const h = Math.round(height(field));
  const square: BBox = [field[2], field[1], field[2] + h, field[3]];
  if (square[2] > image.width || h < 8) return null;
  return arrowInSquare(image, square, h * 0.2) ? square : null;
}

/**
 * A down arrow standing clear inside a button-sized square, `inset` in from its sides (past a
 * border or a bevel), and not a line crossing it.
 */
function arrowInSquare(image: RgbaImage, square: BBox, inset: number): boolean {
  const middle: BBox = [square[0] + inset, square[1] + inset, square[2] - inset, square[3] - inset];
  const face = outlineColor(image, middle);
  const glyph = inkStats(image, middle, face, 70).inkBox;
  if (!glyph || width(glyph) < 4 || width(glyph) < height(glyph)) return false;
  if (glyph[0] <= middle[0] || glyph[2] >= middle[2] || glyph[1] <= middle[1] || glyph[3] >= middle[3]) return false;
  return downArrowShape(image, glyph, face);
}

/**
 * Whether the shape is an arrow pointing down: every row centred on the box's middle, narrowing
 * from its widest row to a bottom row at most half as wide (an "r", or the "er" of a word cut
 * off, keeps its width).
 */
function downArrowShape(image: RgbaImage, box: BBox, bg: Rgb): boolean {
  const middle = (box[0] + box[2] - 1) / 2;
  const tolerance = Math.max(1.5, width(box) * 0.12);
  const spans: number[] = [];
  for (let y = box[1]; y < box[3]; y++) {
    const extent = inkExtentOnRow(image, box, y, bg, 70);
    if (!extent) continue;
    if (Math.abs((extent[0] + extent[1]) / 2 - middle) > tolerance) return false;
    spans.push(extent[1] - extent[0] + 1);
  }
  // Below its widest row (antialiasing may thin the first), each row is no wider than the one above.
  const widest = spans.indexOf(Math.max(...spans));
  for (let k = widest + 1; k < spans.length; k++) if (spans[k] > spans[k - 1] + 1) return false;
  return spans.length >= 2 && spans[spans.length - 1] <= spans[widest] * 0.5;
}

function buttonRole(text: string, fill: Rgb, pageBg: Rgb): string {
  const t = normalizeText(text);
  if (/\b(annuler|cancel|fermer|close|non|no)\b/.test(t)) return 'cancel';
  if (/\b(supprimer|delete|effacer|remove)\b/.test(t)) return 'delete_action';
  if (/\b(valider|ok|oui|yes|confirmer|confirm|enregistrer|save|envoyer|submit|appliquer|apply)\b/.test(t))
    return 'submit';
  return chroma(fill) > 80 && colorDistance(fill, pageBg) > 100 ? 'primary_action' : 'action';
}

// ---------------------------------------------------------------------------------------------
// Grids of tiles: tables with borders, tab strips

/** Whether a line runs on beside a row of boxes, level with their bottom: the edge of the panel they sit on. */
function panelEdgeBeside(image: RgbaImage, row: BBox, unit: number): boolean {
  const reach = Math.round(unit * 2);
  const sides: [number, number][] = [
    [row[2] + 2, Math.min(image.width, row[2] + 2 + reach)],
    [Math.max(0, row[0] - 2 - reach), row[0] - 2],
  ];
  return sides.some(([x1, x2]) => {
    if (x2 - x1 < reach / 2) return false;
    const above = Math.round(row[3] - Math.max(4, unit * 0.3));
    const bg = pixel(image, x1, above);
    // A line, not the dark outside of a window that ends beside the boxes (Wine's winecfg: its
    // "OK Cancel Apply" a few pixels apart at the window's right edge): the panel is above it.
    if (inkStats(image, [x1, above, x2, above + 1], bg, 60).inkFraction > 0.2) return false;
    for (let y = row[3] - 2; y <= row[3] + 2; y++)
      if (inkStats(image, [x1, y, x2, y + 1], bg, 60).inkFraction >= 0.8) return true;
    return false;
  });
}

function classifyTiles(
  rects: RectCandidate[],
  segments: Segment[],
  unit: number,
  image: RgbaImage,
): { drafts: Draft[]; tiles: Set<RectCandidate> } {
  const tiles = new Set<RectCandidate>();
  const drafts: Draft[] = [];
  const withText = rects.filter((r) => height(r.bbox) <= unit * 2.6);
  // Rows of horizontally adjacent boxes of equal height.
  const rows: RectCandidate[][] = [];
  const sorted = [...withText].sort((a, b) => a.bbox[1] - b.bbox[1] || a.bbox[0] - b.bbox[0]);
  const seen = new Set<RectCandidate>();
  for (const r of sorted) {
    if (seen.has(r)) continue;
    const row = [r];
    seen.add(r);
    let last = r;
    for (;;) {
      // Cells and tabs share their borders; buttons side by side keep a gap.
      // Tabs may keep a sliver of a gap (a few pixels, far less than buttons' spacing).
      const next = sorted.find(
        (o) =>
          !seen.has(o) &&
          Math.abs(o.bbox[1] - last.bbox[1]) <= 3 &&
          Math.abs(o.bbox[3] - last.bbox[3]) <= 3 &&
          o.bbox[0] - last.bbox[2] >= -3 &&
          o.bbox[0] - last.bbox[2] <= Math.max(2, unit * 0.35),
      );
      if (!next) break;
      row.push(next);
      seen.add(next);
      last = next;
    }
    if (row.length >= 2) rows.push(row);
  }
  const textOf = (r: RectCandidate): Segment[] => segments.filter((s) => s.container === r);
  for (const row of rows) {
    const bounds = row.map((r) => r.bbox[0]);
    const stacked = rows.filter(
      (o) => o !== row && o.length === row.length && o.every((r, i) => Math.abs(r.bbox[0] - bounds[i]) <= 3),
    );
    const box = union(row.map((r) => r.bbox));
    const texts = row.map(textOf);
    const spaced = row.some((r, i) => i > 0 && r.bbox[0] - row[i - 1].bbox[2] > 2);
    // Boxes a few pixels apart are tabs only on a panel, whose edge goes on beside them: a row of
    // buttons a space apart (the browser's own "Valider Supprimer Envoyer") stands on nothing.
    if (spaced && (row.length < 3 || !panelEdgeBeside(image, box, unit))) continue;
    if (stacked.length >= 1 && !spaced) {
      row.forEach((r) => tiles.add(r));
      texts.flat().forEach((s) => (s.used = true));
      const label = texts
        .map((ss) => ss.map((s) => s.text).join(' '))
        .filter(Boolean)
        .join(' - ');
      drafts.push({
        type: 'table_row',
        bbox: box,
        label,
        confidence: 0.85,
        role: 'data_row',
        state: { enabled: true, visible: true, focused: false },
        shape: 'rectangle',
        color: row[0].color as Rgb,
        method: 'grid',
      });
    } else if (
      row.length >= 2 &&
      texts.every(
        (t) =>
          t.length >= 1 && !isGlyphText(t.map((s) => s.text).join('')) && t.every((s) => s.text.split(' ').length <= 4),
      )
    ) {
      // One strip of adjacent boxes with short labels: tabs; the one whose colour differs is selected.
      const colors = row.map((r) => r.color as Rgb);
      row.forEach((r, i) => {
        tiles.add(r);
        texts[i].forEach((s) => (s.used = true));
        const differs =
          colors.filter((c) => colorDistance(c, colors[i]) > 30).length >= row.length - 1 && row.length > 2;
        drafts.push({
          type: 'tab',
          bbox: r.bbox,
          label: texts[i].map((s) => s.text).join(' '),
          confidence: 0.75,
          role: 'navigation',
          state: { enabled: true, visible: true, focused: false, selected: differs },
          shape: r.rounded ? 'rounded_rectangle' : 'rectangle',
          color: colors[i],
          method: 'tile_strip',
        });
      });
    }
  }
  return { drafts, tiles };
}

/**
 * Dialogs: a large box in the middle of the screen holding text and at least one button, the
 * kind of window that changes what the screen means (a confirmation over a list).
 */
function dialogs(rects: RectCandidate[], drafts: Draft[], image: RgbaImage, unit: number): Draft[] {
  const screen = image.width * image.height;
  const out: Draft[] = [];
  for (const r of rects) {
    const b = r.bbox;
    if (area(b) < screen * 0.03 || area(b) > screen * 0.6 || height(b) < unit * 4 || width(b) > image.width * 0.75)
      continue;
    if (Math.abs(center(b)[0] - image.width / 2) > image.width * 0.15) continue;
    const inside = drafts.filter((d) => contains(b, center(d.bbox)));
    if (!inside.some((d) => d.type === 'button') || !inside.some((d) => d.type === 'text' || d.type === 'checkbox'))
      continue;
    if (out.some((o) => contains(o.bbox, center(b)))) continue;
    const title = inside.filter((d) => d.type === 'text').sort((a, c) => a.bbox[1] - c.bbox[1])[0];
    out.push({
      type: 'dialog',
      bbox: b,
      label: title?.label ?? '',
      confidence: 0.6,
      role: 'modal',
      state: { enabled: true, visible: true, focused: true },
      shape: r.rounded ? 'rounded_rectangle' : 'rectangle',
      color: r.color as Rgb,
      method: 'centred_box',
    });
  }
  return out;
}

/**
 * Links side by side ("Sign out  Help") come out of OCR as one line; their underlines stop
 * between them: one segment per underline.
 */
function splitAtUnderlineGaps(s: Segment, image: RgbaImage, unit: number): Segment[] {
  if (s.words.length < 2) return [s];
  const bg = outlineColor(image, s.bbox);
  const ink = inkStats(image, s.bbox, bg, 120);
  if (!ink.inkBox) return [s];
  const [x1, y1, x2, y2] = ink.inkBox;
  const reach = Math.max(2, Math.round(unit * 0.1));
  const descenderIn = (from: number, to: number, y: number): boolean =>
    to - from <= unit * 0.5 &&
    inkStats(image, [from, y - reach, to, y], bg, 120).inkFraction +
      inkStats(image, [from, y + 1, to, y + 1 + reach], bg, 120).inkFraction >
      0;
  for (let y = y2 - 1; y >= Math.max(y1, y2 - 3); y--) {
    // [from, to, ink pixels in between]
    const runs: Array<[number, number, number]> = [];
    let start = -1;
    for (let x = x1; x <= x2; x++) {
      const on = x < x2 && distanceAt(image, x, y, bg) > 120;
      if (on && start < 0) start = x;
      if (!on && start >= 0) {
        const last = runs[runs.length - 1];
        // Underlines skip descenders ("j", "p") by a pixel or two each side, or more round a "g"'s
        // bowl, whose ink lies just over or under the gap; a space between links is wider and blank.
        if (last && (start - last[1] <= Math.max(3, Math.round(unit * 0.12)) || descenderIn(last[1], start, y))) {
          last[1] = x;
          last[2] += x - start;
        } else runs.push([start, x, x - start]);
        start = -1;
      }
    }
    // An underline is nearly solid ink; the feet of a plain word's letters, a few pixels apart, are not.
    const long = runs.filter(([a, b, inked]) => b - a >= unit * 0.6 && inked >= (b - a) * 0.8);
    if (long.reduce((n, [a, b]) => n + b - a, 0) < (x2 - x1) * 0.5) continue;
    if (long.length < 2) return [s];
    const pieces: Segment[] = [];
    let from = 0;
    for (let i = 1; i <= s.words.length; i++) {
      const runOf = (k: number) =>
        long.findIndex(([a, b]) => center(s.words[k].bbox)[0] >= a - 2 && center(s.words[k].bbox)[0] <= b + 2);
      if (i === s.words.length || runOf(i) !== runOf(i - 1)) {
        pieces.push(subSegment(s, from, i));
        from = i;
      }
    }
    return pieces;
  }
  return [s];
}

/** Where a field's label goes: a control right of it on its line, or right under it. */
function labelPlace(box: BBox, drafts: Draft[], unit: number): boolean {
  return drafts.some((d) => {
    if (d.type !== 'text_input' && d.type !== 'dropdown' && d.type !== 'checkbox' && d.type !== 'radio') return false;
    const b = d.bbox;
    const rightOf = verticalOverlap(box, b) > 0.5 && b[0] >= box[2] - 2 && b[0] - box[2] < unit * 12;
    return rightOf || controlUnder(box, b, unit, unit * 2);
  });
}

/** A control starting right under the text, its left edge within `slack` of the text's. */
function controlUnder(text: BBox, control: BBox, unit: number, slack: number): boolean {
  return (
    control[1] >= text[3] - unit * 0.3 && control[1] - text[3] < unit * 1.2 && Math.abs(control[0] - text[0]) < slack
  );
}

/**
 * A line under the text as wide as the text: a link's underline. Not a line that goes on well
 * past the text's ends: the top border of a field just under its label (Lightning's "Country"
 * above its select, the label's text box reaching the border) is no underline.
 */
function underlined(image: RgbaImage, box: BBox, bg: Rgb): boolean {
  const ink = inkStats(image, box, bg, 120);
  if (!ink.inkBox || width(ink.inkBox) < 8) return false;
  const [x1, , x2, y2] = ink.inkBox;
  const past = Math.max(4, Math.round(height(box) * 0.5));
  const inked = (x: number, y: number) => x >= 0 && x < image.width && distanceAt(image, x, y, bg) > 120;
  const goesOn = (y: number, from: number, step: number) => {
    let n = 0;
    while (n <= past && inked(from + step * n, y)) n++;
    return n > past;
  };
  for (let y = y2 - 1; y >= Math.max(ink.inkBox[1], y2 - 3); y--) {
    let run = 0;
    let best = 0;
    for (let x = x1; x < x2; x++) {
      run = inked(x, y) ? run + 1 : 0;
      best = Math.max(best, run);
    }
    if (best >= (x2 - x1) * 0.8) return !goesOn(y, x2, 1) && !goesOn(y, x1 - 1, -1);
  }
  return false;
}

/**
 * Tabs drawn as text only (material, dark themes): a row of ≥ 3 short labels above a thin
 * line spanning the row (the tab bar's divider or the selected tab's indicator), or above a mark
 * that sets one of them apart (see selectedTabMark).
 */
function textTabs(free: Segment[], image: RgbaImage, unit: number, menuItems: BBox[]): Draft[] {
  const rows: Segment[][] = [];
  for (const s of [...free]
    .filter((f) => !f.used && f.text.split(' ').length <= 3)
    .sort((a, b) => a.bbox[0] - b.bbox[0])) {
    const row = rows.find(
      (r) => verticalOverlap(r[r.length - 1].bbox, s.bbox) > 0.6 && s.bbox[0] - r[r.length - 1].bbox[2] < unit * 4,
    );
    if (row) row.push(s);
    else rows.push([s]);
  }
  const drafts: Draft[] = [];
  for (const row of rows) if (row.length >= 3) drafts.push(...stripTabs(row, free, image, unit, menuItems, false));
  // Words spaced wider than a sentence's, read as one line (Fluent's "Summary  Details  Schedule
  // Notes"): tabs only when a mark sets one of them apart.
  const spaced = free.filter(
    (f) =>
      !f.used &&
      f.words.length >= 3 &&
      f.words.every((w, i) => i === 0 || w.bbox[0] - f.words[i - 1].bbox[2] >= unit * WORD_TAB_GAP),
  );
  for (const line of spaced) {
    const words = line.words.map((w) => ({ ...w, words: [w], container: line.container, used: false }));
    const tabs = stripTabs(words, free, image, unit, menuItems, true);
    if (tabs.length) line.used = true;
    drafts.push(...tabs);
  }
  return drafts;
}
/** Gap between two words, in line heights, beyond which they may be two tabs (a sentence's space is about 0.15). */
const WORD_TAB_GAP = 0.35;

/**
 * A row of short labels as tabs, when a thin line spans it (unless `markOnly`) or a mark sets one
 * of them apart (see selectedTabMark); none when the row is repeated above or below (a table), nor
 * when the marked word has a menu open under it (a menu bar's open title, underlined by GTK).
 */
function stripTabs(
  row: Segment[],
  free: Segment[],
  image: RgbaImage,
  unit: number,
  menuItems: BBox[],
  markOnly: boolean,
): Draft[] {
  // Rows of words repeated above or below at the same columns are a table, not tabs.
  const others = free.filter(
    (o) =>
      !row.includes(o) &&
      Math.abs(o.bbox[1] - row[0].bbox[1]) > unit * 0.5 &&
      Math.abs(o.bbox[1] - row[0].bbox[1]) < unit * 3,
  );
  if (others.filter((o) => row.some((s) => Math.abs(o.bbox[0] - s.bbox[0]) < unit * 0.5)).length >= 2) return [];
  const x1 = row[0].bbox[0];
  const x2 = row[row.length - 1].bbox[2];
  const bottom = Math.max(...row.map((s) => s.bbox[3]));
  const bg = pixel(image, x1 - 2, row[0].bbox[1] + 1);
  const inkOf = (y: number): number => {
    let n = 0;
    for (let x = x1; x < x2; x += 2) if (distanceAt(image, x, y, bg) > 40) n++;
    return n / Math.ceil((x2 - x1) / 2);
  };
  let line = -1;
  for (let y = bottom - Math.round(unit * 0.3); !markOnly && y < bottom + unit * 1.2 && y < image.height - 4; y++) {
    if (inkOf(y) >= 0.9 && inkOf(y + Math.max(3, Math.round(unit * 0.25))) <= 0.3) {
      line = y;
      break;
    }
  }
  const mark =
    line < 0
      ? selectedTabMark(
          image,
          row.map((s) => s.bbox),
          unit,
          bottom - Math.round(unit * 0.3),
          Math.min(bottom + unit * 1.2, image.height - 4),
        )
      : null;
  if (mark) {
    const title = row[mark.selected].bbox;
    const menuUnder = menuItems.some(
      (m) =>
        m[1] >= bottom - unit * 0.5 && m[1] <= bottom + unit * 2 && m[0] < title[2] + unit && m[2] > title[0] - unit,
    );
    if (menuUnder) return [];
    line = mark.line;
  }
  if (line < 0) return [];
  const drafts: Draft[] = [];
  for (const s of row) {
    s.used = true;
    const ink = inkStats(image, s.bbox, bg);
    drafts.push({
      type: 'tab',
      bbox: [
        s.bbox[0] - Math.round(unit * 0.5),
        s.bbox[1],
        s.bbox[2] + Math.round(unit * 0.5),
        Math.max(s.bbox[3], line),
      ],
      clickBox: s.bbox,
      label: s.text,
      confidence: 0.7,
      role: 'navigation',
      state: {
        enabled: true,
        visible: true,
        focused: false,
        selected: mark ? row.indexOf(s) === mark.selected : chroma(ink.ink) > 80,
      },
      shape: 'text',
      color: bg,
      labelSegment: s,
      method: 'text_tab_strip',
    });
  }
  return drafts;
}

/** Borderless tables: ≥ 3 consecutive rows whose text segments start at the same columns. */
function alignedTableRows(free: Segment[], found: Draft[], image: RgbaImage, unit: number): Draft[] {
  const rows = linesOf(free);
  // A line of words each right over a field is the fields' labels (a dialog's "Font: Style: Size:"
  // over its three boxes), not a table's row.
  const fields = found.filter((d) => d.type === 'text_input' || d.type === 'dropdown');
  const overField = (s: Segment) => fields.some((f) => controlUnder(s.bbox, f.bbox, unit, unit));
  const multi = rows
    .filter((r) => r.length >= 3 && !r.every(overField))
    .map((r) => r.sort((a, b) => a.bbox[0] - b.bbox[0]));
  const drafts: Draft[] = [];
  const aligned = (a: Segment[], b: Segment[]): boolean =>
    a.filter((s) =>
      b.some((o) => Math.abs(o.bbox[0] - s.bbox[0]) < unit * 0.8 || Math.abs(o.bbox[2] - s.bbox[2]) < unit * 0.8),
    ).length >=
    Math.min(a.length, b.length) - 1;
  for (let i = 0; i < multi.length; i++) {
    const group = [multi[i]];
    while (
      i + 1 < multi.length &&
      aligned(multi[i], multi[i + 1]) &&
      multi[i + 1][0].bbox[1] - multi[i][0].bbox[3] < unit * 1.5
    )
      group.push(multi[++i]);
    if (group.length < 3) continue;
    const groupId = `table_${Math.round(group[0][0].bbox[0])}_${Math.round(group[0][0].bbox[1])}`;
    const tiles = tiledRows(group.map((row) => rowLetters(image, row)));
    for (const [k, row] of group.entries()) {
      row.forEach((s) => (s.used = true));
      const text = union(row.map((s) => s.bbox));
      drafts.push({
        type: 'table_row',
        bbox: tiles ? [text[0], tiles[k][0], text[2], tiles[k][1]] : text,
        label: row.map((s) => s.text).join(' - '),
        confidence: 0.75,
        role: 'data_row',
        state: { enabled: true, visible: true, focused: false },
        shape: 'rectangle',
        color: [255, 255, 255],
        group: groupId,
        method: 'column_alignment',
      });
    }
  }
  return drafts;
}

/**
 * Boxes that look like fields (text from the left, or none) set edge to edge in a row, three or
 * more: a table's column headers (98.css, Win32 list views), not fields. Fields stand apart.
 */
function headerStrips(drafts: Draft[], unit: number): void {
  const touch = Math.max(3, Math.round(unit * 0.2));
  const fields = drafts
    .filter((d) => d.type === 'text_input' && d.method === 'rect+ocr')
    .sort((a, b) => a.bbox[0] - b.bbox[0]);
  const next = (d: Draft): Draft | undefined =>
    fields.find(
      (o) =>
        Math.abs(o.bbox[0] - d.bbox[2]) <= touch &&
        Math.abs(o.bbox[1] - d.bbox[1]) <= touch &&
        Math.abs(o.bbox[3] - d.bbox[3]) <= touch,
    );
  const seen = new Set<Draft>();
  for (const first of fields) {
    if (seen.has(first)) continue;
    const strip = [first];
    for (let n = next(first); n && !strip.includes(n); n = next(n)) strip.push(n);
    strip.forEach((d) => seen.add(d));
    if (strip.length < 3) continue;
    const group = `header_${Math.round(first.bbox[0])}_${Math.round(first.bbox[1])}`;
    for (const d of strip) {
      const title = d.state.value ?? d.state.placeholder ?? d.label;
      Object.assign(d, {
        type: 'text',
        label: title,
        role: 'column_header',
        confidence: 0.7,
        state: { enabled: true, visible: true, focused: false },
        group,
        method: 'header_strip',
      });
    }
  }
}

/** The rows a table row's letters stand on: its cells' letter bands, together. */
function rowLetters(image: RgbaImage, row: Segment[]): [number, number] {
  const bands = row.map((s) => letterBand(image, s.bbox) ?? [s.bbox[1], s.bbox[3]]);
  return [Math.min(...bands.map((b) => b[0])), Math.max(...bands.map((b) => b[1]))];
}

// ---------------------------------------------------------------------------------------------
// Labels

/** Fields without a visible label inside get the nearest text left of them or above them. */
function associateLabels(drafts: Draft[], unit: number): void {
  const fields = drafts.filter((d) => d.type === 'text_input' || d.type === 'dropdown');
  // Field labels drawn in an accent colour (material themes) were taken for links at first. Text
  // inside a field is its value, not a label.
  const texts = drafts.filter(
    (d) =>
      (d.type === 'text' || (d.type === 'link' && !d.labelSegment?.text.includes('?'))) &&
      d.role !== 'window_title' &&
      !fields.some((f) => contains(f.bbox, center(d.bbox))),
  );
  const leftOf = (tb: BBox, b: BBox): number =>
    verticalOverlap(tb, b) > 0.5 && tb[2] <= b[0] + 2 && b[0] - tb[2] < unit * 12 ? b[0] - tb[2] : Infinity;
  const claims: { field: Draft; label: Draft; dist: number }[] = [];
  for (const field of fields) {
    if (field.labelSegment) continue; // its label is inside it
    const b = field.bbox;
    // A label close on the field's left wins over one above it: the text above may be the label of
    // the row above (Wine's "Files of type:" over the "Encoding:" combo box).
    const besideClose = texts.some((t) => leftOf(t.bbox, b) < unit * 4);
    let best: Draft | null = null;
    let bestDist = Infinity;
    for (const t of texts) {
      const tb = t.bbox;
      let dist = leftOf(tb, b);
      if (
        dist === Infinity &&
        !besideClose &&
        tb[3] <= b[1] + unit * 0.3 &&
        b[1] - tb[3] < unit * 1.2 &&
        tb[0] >= b[0] - unit &&
        tb[0] < b[2] - unit
      )
        dist = Math.max(0, b[1] - tb[3]) * 1.5 + Math.abs(tb[0] - b[0]) * 0.2;
      if (dist < bestDist) {
        bestDist = dist;
        best = t;
      }
    }
    if (best) claims.push({ field, label: best, dist: bestDist });
  }
  // A label names one field: the nearest of those that take it (Wine's "Font Style:" names the
  // field under it, not the list under that field).
  for (const { field, label, dist } of claims) {
    if (claims.some((c) => c.label === label && c.dist < dist)) continue;
    if (label.type === 'link') {
      label.type = 'text';
      label.method = 'ocr';
    }
    field.label = label.label;
    field.labelSegment = label.labelSegment;
    (label as Draft & { labelFor?: Draft }).labelFor = field;
    label.role = 'field_label';
  }
}

// ---------------------------------------------------------------------------------------------
// Output

function finalize(drafts: Draft[], image: RgbaImage): UIElement[] {
  const ordered = drafts.sort((a, b) =>
    Math.abs(a.bbox[1] - b.bbox[1]) < 4 ? a.bbox[0] - b.bbox[0] : a.bbox[1] - b.bbox[1],
  );
  const ids = new Map<Draft, string>();
  const used = new Set<string>();
  for (const d of ordered) {
    let id = elementId(d, image);
    for (let k = 2; used.has(id); k++) id = `${elementId(d, image)}_${k}`;
    used.add(id);
    ids.set(d, id);
  }
  return ordered.map((d) => {
    const clickBox = d.clickBox ?? d.bbox;
    const relationships: UIElement['relationships'] = [];
    const labelFor = (d as Draft & { labelFor?: Draft }).labelFor;
    if (labelFor) relationships.push({ type: 'label_for', target_element_id: ids.get(labelFor) });
    if (d.labelSegment && d.type !== 'text' && d.type !== 'link') {
      const labelDraft = ordered.find((o) => (o as Draft & { labelFor?: Draft }).labelFor === d);
      if (labelDraft) relationships.push({ type: 'labelled_by', target_element_id: ids.get(labelDraft) });
    }
    if (d.group) relationships.push({ type: 'part_of_group', group_id: d.group });
    const w = width(d.bbox);
    const h = height(d.bbox);
    const s = Math.max(1, image.scaleFactor || 1);
    const big = Math.max(w, h) / s;
    return {
      element_id: ids.get(d)!,
      type: d.type,
      role: d.role,
      label: d.label.trim(),
      label_confidence: d.labelSegment?.confidence,
      bbox: d.bbox.map(Math.round) as BBox,
      center: center(clickBox).map(Math.round) as [number, number],
      confidence: Math.round(d.confidence * 100) / 100,
      visual_features: {
        dominant_color: hexColor(...d.color),
        has_icon: d.type === 'icon',
        shape: d.shape,
        size_category: big < 40 ? 'small' : big < 240 ? 'medium' : 'large',
      },
      state: d.state,
      relationships,
      tags: [],
      metadata: { detection_method: d.method },
    };
  });
}

/** Same type, label and (coarse) relative position → same id on every frame. */
function elementId(d: Draft, image: RgbaImage): string {
  const c = center(d.bbox);
  const cell = `${Math.round((c[0] / image.width) * 40)}:${Math.round((c[1] / image.height) * 40)}`;
  const label = normalizeText(d.label);
  const hash = createHash('sha1').update(`${d.type}|${label}|${cell}`).digest('hex').slice(0, 8);
  const slug = label
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .slice(0, 24);
  return `el_${d.type}_${slug ? slug + '_' : ''}${hash}`;
}

/** WCAG-style contrast ratio of two colours. */
function contrast(a: Rgb, b: Rgb): number {
  const la = luma(a) / 255 + 0.05;
  const lb = luma(b) / 255 + 0.05;
  return Math.max(la, lb) / Math.min(la, lb);
}

/** A checkbox or radio mark just left of a piece of text (used by locate when detection missed the pair). */
export function findMarkLeftOf(image: RgbaImage, textBox: BBox, unit: number): { bbox: BBox; round: boolean } | null {
  const s: Segment = {
    text: 'x',
    bbox: [...textBox] as BBox,
    confidence: 1,
    words: [{ text: 'x', bbox: textBox, confidence: 1 }],
    container: null,
    used: false,
  };
  const mark = markLeftOf(image, s, unit);
  return mark ? { bbox: mark.bbox, round: mark.type === 'radio' } : null;
}
