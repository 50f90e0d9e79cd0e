/**
 * Menus: the items of an open popup menu and the titles of a menu bar.
 *
 * Both run before boxes are classified (the boxes they explain are returned as claimed): a popup's highlighted item and a menu bar's open title
 * are filled boxes that would otherwise read as buttons.
 */
import type { BBox } from '../../contracts/screen-state';
import type { RgbaImage } from '../../platform/types';
import type { Draft, Found, Segment } from './draft';
import { center, contains, height, verticalOverlap, width } from './geometry';
import { distanceAt, outlineColor, type Rgb } from './pixels';
import { hasSideNeighbour, type RectCandidate } from './regions';

const words = (s: Segment): number => s.text.trim().split(/\s+/).length;

/**
 * A popup menu: a box narrower than half the screen holding a column of ≥ 3 short lines that
 * start at its left edge, each maybe followed by a shortcut at the right ("Ctrl+S"), and no
 * other boxes than full-width bands (the highlighted item, groups between separators).
 */
export function popupMenus(segments: Segment[], rects: RectCandidate[], image: RgbaImage, unit: number): Found {
  const drafts: Draft[] = [];
  const claimed = new Set<RectCandidate>();
  const popups = [...rects, ...stacks(rects)]
    .filter(
      (r) =>
        height(r.bbox) > unit * 3 &&
        width(r.bbox) > unit * 4 &&
        // Narrower than half the screen, or than 30 lines' height in an image cut to one window
        // (its menu may reach past the window's edge).
        width(r.bbox) < Math.max(image.width * 0.5, unit * 30) &&
        height(r.bbox) < image.height * 0.8,
    )
    .sort((a, b) => width(b.bbox) * height(b.bbox) - width(a.bbox) * height(a.bbox));
  for (const p of popups) {
    const pw = width(p.bbox);
    const inner = rects.filter((r) => r !== p && contains(p.bbox, center(r.bbox)));
    // A frame holding fields or buttons is a form or a panel, not a menu.
    if (inner.some((r) => width(r.bbox) < pw * 0.85 && height(r.bbox) <= unit * 2.5 && width(r.bbox) > unit * 0.8))
      continue;
    const inside = segments
      .filter((s) => !s.used && contains(p.bbox, center(s.bbox)))
      .sort((a, b) => a.bbox[1] - b.bbox[1]);
    const left = inside.filter((s) => s.bbox[0] - p.bbox[0] < unit * 4);
    // Items are short, but not all: "Paste and Append to Display Value" is six words.
    if (left.length < 3 || !shortItems(left)) continue;
    const x1s = left.map((s) => s.bbox[0]).sort((a, b) => a - b);
    const x1 = x1s[Math.floor(x1s.length / 2)];
    if (left.some((s) => Math.abs(s.bbox[0] - x1) > unit * 0.8)) continue;
    // One item per line. OCR pads its boxes: the lines of a dense menu (Wine's: 16 px apart,
    // read 21–23 px high) overlap by up to a third.
    if (left.some((s, i) => i > 0 && verticalOverlap(s.bbox, left[i - 1].bbox) > 0.5)) continue;
    // Everything else in the box is a shortcut on an item's line.
    const rest = inside.filter((s) => !left.includes(s));
    const onItemLine = (s: Segment) => left.some((l) => verticalOverlap(l.bbox, s.bbox) > 0.5);
    // A shortcut whose item OCR missed (Wine's "New", 3 letters by a highlighted title) still
    // stands in the shortcuts' column, right of the items.
    const shortcuts = rest.filter(onItemLine);
    const inShortcutColumn = (s: Segment) =>
      s.bbox[0] > x1 + unit * 2 && shortcuts.some((c) => Math.abs(c.bbox[0] - s.bbox[0]) <= unit * 0.8);
    if (!rest.every((s) => onItemLine(s) || inShortcutColumn(s))) continue;
    if (!fitsItsLines(p.bbox, inside, unit)) continue;
    inside.forEach((s) => (s.used = true));
    claimed.add(p);
    inner.filter((r) => width(r.bbox) >= pw * 0.85).forEach((r) => claimed.add(r));
    const gaps = left.slice(1).map((s, i) => s.bbox[1] - left[i].bbox[3]);
    const pad = Math.max(0, Math.min(unit * 0.4, Math.min(...gaps) / 2));
    for (const s of left) {
      const highlight = inner.find(
        (r) => width(r.bbox) >= pw * 0.85 && height(r.bbox) <= unit * 2.5 && contains(r.bbox, center(s.bbox)),
      );
      const box: BBox = highlight ? highlight.bbox : [p.bbox[0] + 1, s.bbox[1] - pad, p.bbox[2] - 1, s.bbox[3] + pad];
      drafts.push({
        type: 'menu_item',
        bbox: box,
        clickBox: s.bbox,
        label: s.text,
        confidence: 0.75,
        role: 'action',
        state: { enabled: true, visible: true, focused: false, ...(highlight ? { selected: true } : {}) },
        shape: 'rectangle',
        color: (highlight?.color ?? p.color) as Rgb,
        labelSegment: s,
        method: 'popup_column',
      });
    }
  }
  return { drafts, claimed };
}

/** Lines short enough for a menu's items: none a sentence, and most of a few words. */
function shortItems(lines: Segment[]): boolean {
  const counts = lines.map(words);
  return Math.max(...counts) <= 8 && counts.reduce((a, b) => a + b, 0) <= lines.length * 4;
}

/**
 * A popup menu is sized to its longest item (and its shortcut): a wide box whose lines leave most
 * of it empty is a group box or a panel holding a few short lines (a fieldset of radio buttons).
 */
function fitsItsLines(box: BBox, lines: Segment[], unit: number): boolean {
  const right = Math.max(...lines.map((s) => s.bbox[2]));
  return box[2] - right <= Math.max(unit * 8, width(box) * 0.5);
}

/**
 * Boxes of one width stacked without a gap: a popup menu cut into pieces by its separators and
 * its highlighted item (each piece is a box of its own colour region).
 */
function stacks(rects: RectCandidate[]): RectCandidate[] {
  const sorted = [...rects].sort((a, b) => a.bbox[1] - b.bbox[1]);
  const out: RectCandidate[] = [];
  const used = new Set<RectCandidate>();
  for (const r of sorted) {
    if (used.has(r)) continue;
    const chain = [r];
    for (const o of sorted) {
      const last = chain[chain.length - 1];
      if (o === last || used.has(o)) continue;
      if (
        Math.abs(o.bbox[0] - r.bbox[0]) <= 2 &&
        Math.abs(o.bbox[2] - r.bbox[2]) <= 2 &&
        o.bbox[1] - last.bbox[3] >= -1 &&
        o.bbox[1] - last.bbox[3] <= 3
      )
        chain.push(o);
    }
    if (chain.length < 2) continue;
    chain.forEach((c) => used.add(c));
    // A column of cells of a grid has neighbours of its height on its sides: a table, not a menu.
    if (chain.filter((c) => hasSideNeighbour(c, rects)).length >= 2) continue;
    const bbox: BBox = [
      Math.min(...chain.map((c) => c.bbox[0])),
      chain[0].bbox[1],
      Math.max(...chain.map((c) => c.bbox[2])),
      chain[chain.length - 1].bbox[3],
    ];
    out.push({ bbox, color: chain[0].color, outlineCoverage: 1, ring: false, rounded: false });
  }
  return out;
}

/**
 * A menu bar: near the top, a row of ≥ 3 short labels starting at the left, with even gaps.
 * Titles are cut where the ink leaves a gap wider than a space (OCR may read "Outils Aide" as
 * one word, and its word boxes are estimates); an open title's filled box is the title. Anywhere
 * on the screen, a row with a popup menu open right under one of its titles (`openMenus`, the
 * menus' boxes), its left edge under that title's, is a menu bar too (a web page's navigation
 * bar with a dropdown open).
 */
export function menuBar(
  segments: Segment[],
  rects: RectCandidate[],
  image: RgbaImage,
  unit: number,
  openMenus: BBox[] = [],
): Found {
  const drafts: Draft[] = [];
  const claimed = new Set<RectCandidate>();
  const candidates = segments
    // OCR may read a whole bar as one line ("EieEdit Search View Help"): the titles are told
    // apart by the gaps in its ink below, not by its words.
    .filter((s) => !s.used && words(s) <= 6)
    .sort((a, b) => a.bbox[0] - b.bbox[0]);
  for (const first of candidates) {
    if (first.used) continue;
    // At the top left of the screen (a maximised window), or starting a strip that reaches far
    // past its last title (the bar of a window anywhere on the screen).
    const atScreenTop = first.bbox[1] < unit * 3.5 && first.bbox[0] <= image.width * 0.1;
    const strips = atScreenTop ? [] : rects.filter((r) => startsStrip(r, first.bbox, unit));
    const menusUnder = openMenus.filter(
      (m) => m[1] >= first.bbox[3] - unit * 0.6 && m[1] - first.bbox[3] <= unit * 1.5 && m[0] >= first.bbox[0] - unit,
    );
    if (!atScreenTop && !strips.length && !menusUnder.length) continue;
    const row = [first];
    for (const s of candidates) {
      const last = row[row.length - 1];
      // Text detection may cut a bar into lines whose boxes overlap ("File" and "e Edit View …",
      // the "e" a second reading of File's last letter).
      const follows = s.bbox[0] > last.bbox[0] && center(s.bbox)[0] > last.bbox[2];
      if (follows && verticalOverlap(s.bbox, first.bbox) > 0.6 && s.bbox[0] - last.bbox[2] < unit * 3) row.push(s);
    }
    const end = row[row.length - 1].bbox[2];
    const strip = strips.find((r) => width(r.bbox) >= (end - r.bbox[0]) * 1.25) ?? null;
    if (!atScreenTop && !strip && !menusUnder.some((m) => m[0] <= end)) continue;
    // The row must end there: a line of words going on is a sentence or a toolbar, not a menu bar.
    // Where every title's text is (text boxes are padded: their union may take in the bar's edge line).
    const y1 = Math.max(...row.map((s) => s.bbox[1]));
    const y2 = Math.min(...row.map((s) => s.bbox[3]));
    if (y2 - y1 < unit * 0.4) continue;
    const x2 = row[row.length - 1].bbox[2];
    const band: BBox = [
      Math.max(0, first.bbox[0] - Math.round(unit * 0.8)),
      y1,
      Math.min(image.width, x2 + Math.round(unit * 0.8)),
      y2,
    ];
    const bar = outlineColor(image, band);
    // Titles are further apart than their letters are tall. The line height OCR gives is padded
    // and may take in the edge line under the bar, which joins every title into one: Wine's
    // 8 pt menu bar (titles 13 px apart) reads 24 px high, over its edit box's border.
    const letters = withoutLines(image, band, bar, unit * 1.5);
    const titles = letters
      ? inkClusters(image, letters, bar, Math.min(unit * 0.6, Math.max(3, height(letters) * 0.6)))
      : [];
    // Titles are bare words on the bar; a strip of boxed labels is tabs (one open title may be boxed).
    if (row.filter((s) => s.container && s.container !== strip).length > 1) continue;
    // Nor does a bar hold an empty field right after a title: that is a form's first row, labels
    // and their fields ("Country [France ⌄]  Name [      ]").
    const emptyField = rects.some(
      (r) =>
        verticalOverlap(r.bbox, band) > 0.5 &&
        r.bbox[0] > first.bbox[2] &&
        r.bbox[0] < band[2] + unit * 3 &&
        width(r.bbox) >= height(r.bbox) * 2.5 &&
        height(r.bbox) <= unit * 2.2 &&
        !segments.some((s) => contains(r.bbox, center(s.bbox))),
    );
    if (emptyField) continue;
    // A box edge or a separator is ink with no words: three titles must have some (a lone
    // button's caption between its two sides is no bar).
    const words = withoutSecondReadings(row.flatMap((s) => s.words));
    const labels = titles.map((t) => titleText(words, titles, t));
    if (labels.filter(Boolean).length < 3 || titles.length > 12) continue;
    // Only its menu under it makes this row a bar: the menu opens under a title, from its left.
    const opened = menusUnder.some((m) => titles.some((t) => Math.abs(t[0] - m[0]) <= unit));
    if (!atScreenTop && !strip && !opened) continue;
    row.forEach((s) => (s.used = true));
    // The strip the titles are drawn on is the bar itself, not a field holding them as its value.
    for (const s of row) if (s.container && contains(s.container.bbox, center(band))) claimed.add(s.container);
    if (strip) claimed.add(strip);
    for (const [i, t] of titles.entries()) {
      const label = labels[i];
      if (!label) continue;
      const open = rects.find(
        (r) => contains(r.bbox, center(t)) && height(r.bbox) <= unit * 2.2 && width(r.bbox) <= width(t) + unit * 2,
      );
      if (open) claimed.add(open);
      const box: BBox = open ? open.bbox : [t[0], y1, t[2], y2];
      drafts.push({
        type: 'menu_item',
        bbox: box,
        label,
        confidence: 0.7,
        role: 'submenu',
        state: { enabled: true, visible: true, focused: false, ...(open ? { expanded: true } : {}) },
        shape: 'text',
        color: bar,
        method: 'menu_bar',
      });
    }
    break;
  }
  return { drafts, claimed };
}

/**
 * A one-line box whose left end a row of titles starts at: a window's menu bar when the titles
 * leave most of it empty. A field holding words ends near them or holds one run of text, not
 * titles far apart.
 */
function startsStrip(r: RectCandidate, first: BBox, unit: number): boolean {
  return contains(r.bbox, center(first)) && height(r.bbox) <= unit * 2.2 && first[0] - r.bbox[0] < unit * 1.2;
}

/** Words without those read twice: a word lying mostly within a longer one's box. */
function withoutSecondReadings<W extends { bbox: BBox }>(words: W[]): W[] {
  const within = (w: W, o: W) =>
    o !== w &&
    width(o.bbox) > width(w.bbox) &&
    Math.min(o.bbox[2], w.bbox[2]) - Math.max(o.bbox[0], w.bbox[0]) > width(w.bbox) * 0.6;
  return words.filter((w) => !words.some((o) => within(w, o)));
}

/**
 * The words on one title. A word box OCR stretched over several titles ("Fichier Edition") gives
 * each of them its own token, in order.
 */
function titleText(words: Array<{ text: string; bbox: BBox }>, titles: BBox[], t: BBox): string {
  const out: string[] = [];
  for (const w of words) {
    const over = titles.filter((o) => Math.min(o[2], w.bbox[2]) - Math.max(o[0], w.bbox[0]) > width(o) * 0.3);
    const tokens = w.text.split(/\s+/);
    if (over.length > 1 && tokens.length === over.length) {
      const i = over.indexOf(t);
      if (i >= 0) out.push(tokens[i]);
    } else if (over.length > 1 && tokens.length === 1) {
      // Read without the space ("OutilsAide"): cut the letters in proportion to the titles' widths.
      const i = over.indexOf(t);
      const total = over.reduce((n, o) => n + width(o), 0);
      const upTo = (k: number) =>
        Math.round((w.text.length * over.slice(0, k).reduce((n, o) => n + width(o), 0)) / total);
      if (i >= 0) out.push(w.text.slice(upTo(i), upTo(i + 1)));
    } else if (center(w.bbox)[0] >= t[0] && center(w.bbox)[0] < t[2]) out.push(w.text);
  }
  return out.join(' ');
}

/**
 * The band without its rows of ink across (nearly) its whole width — lines, not letters — cut to
 * the rows that hold ink; null when no letters are left. Under the letters, a thin stroke longer
 * than `longRun` is a line too: GTK underlines the open title, and that line joins it to its
 * neighbours (an open title's filled box has such runs on all its rows, and is no line).
 */
function withoutLines(image: RgbaImage, band: BBox, background: Rgb, longRun: number, threshold = 80): BBox | null {
  const [x1, y1, x2, y2] = band.map(Math.round);
  const isInk = (x: number, y: number) => distanceAt(image, x, y, background) > threshold;
  const rows: Array<{ ink: number; longest: [number, number] }> = [];
  for (let y = y1; y < y2; y++) {
    let ink = 0;
    let start = x1;
    let longest: [number, number] = [x1, x1];
    for (let x = x1; x < x2; x++) {
      if (!isInk(x, y)) {
        start = x + 1;
        continue;
      }
      ink++;
      if (x + 1 - start > longest[1] - longest[0]) longest = [start, x + 1];
    }
    rows.push({ ink, longest });
  }
  const across = (i: number) => rows[i].ink > (x2 - x1) * 0.8;
  // A stroke, not a filled box: few rows of the band are inked under its whole length.
  const thinStroke = (i: number) => {
    const [a, b] = rows[i].longest;
    if (b - a < longRun) return false;
    let inked = 0;
    for (let y = y1; y < y2; y++) {
      let n = 0;
      for (let x = a; x < b; x++) if (isInk(x, y)) n++;
      if (n >= (b - a) * 0.6) inked++;
    }
    return inked <= 4;
  };
  let top = -1;
  let bottom = -1;
  for (let i = 0; i < rows.length; i++) {
    const y = y1 + i;
    if ((across(i) || thinStroke(i)) && top >= 0) {
      // A line under the letters ends them, even with ink right under it (the top of the pane
      // below the bar, as under Wine regedit's menu bar).
      if (bottom < 0) bottom = y;
      break;
    }
    if (rows[i].ink === 0 || across(i)) {
      if (top >= 0 && bottom < 0) bottom = y; // the letters end at a blank row under them
      continue;
    }
    if (top < 0) top = y;
    else if (bottom >= 0 && y - bottom > 1) break; // ink again below: another band's
    bottom = -1;
  }
  if (top < 0) return null;
  return [x1, top, x2, bottom >= 0 ? bottom : y2];
}

/**
 * Columns of ink along a band, cut where ≥ `minGap` columns hold no ink: the pieces of text (or
 * filled boxes) on a bar. Boxes span the band's height; x ranges are the ink's.
 */
export function inkClusters(image: RgbaImage, band: BBox, background: Rgb, minGap: number, threshold = 80): BBox[] {
  const [x1, y1, x2, y2] = band.map(Math.round);
  const out: BBox[] = [];
  let start = -1;
  let lastInk = -1;
  for (let x = x1; x < x2; x++) {
    let ink = false;
    for (let y = y1; y < y2 && !ink; y++) ink = distanceAt(image, x, y, background) > threshold;
    if (ink) {
      if (start < 0) start = x;
      else if (x - lastInk > minGap) {
        out.push([start, y1, lastInk + 1, y2]);
        start = x;
      }
      lastInk = x;
    }
  }
  if (start >= 0) out.push([start, y1, lastInk + 1, y2]);
  return out;
}
