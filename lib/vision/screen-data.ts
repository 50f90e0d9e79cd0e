/**
 * What on a screen is data — what changes from one run of a task to the next — and not the
 * screen itself: the rows of a table, the values of fields and dropdowns, and the items of a
 * list pane (the files of a Save As dialog opened in another folder, the entries of a list
 * box). The screen is its window title and its stable controls: buttons, labels, field labels,
 * headings, menus. The state embedding leaves data out (lib/vision/state-embedding.ts), and so
 * do the texts a learned screen requires, so a dialog listing other files is the same dialog.
 *
 * A list pane's items are plain text elements stacked in a column — left edges aligned, each
 * line right under the previous one — on a background of their own (the list box's, not the
 * window's), with no control on their line (a column of field labels is the form's). A
 * dialog's message sits on the window's background, a menu's items are menu items: neither is
 * data. One item alone is no list: it stays with the screen.
 */
import type { BBox, UIElement } from '../contracts/screen-state';
import type { RgbaImage } from '../platform/types';
import type { ScreenAnalysis } from './types';
import { textUnit } from './modal-panel';
import { colorDistance, pixel, type Rgb } from './elements/pixels';
import { verticalOverlap } from './elements/geometry';
import { normalizeText, textSimilarity } from './text-match';

/** Elements whose text is data by their type: rows, field values, a dropdown's choice. */
const DATA_TYPES: ReadonlySet<string> = new Set(['table_row', 'text_input', 'dropdown']);
/** Controls that make the text left of them on their line a label, not an item. */
const CONTROL_TYPES: ReadonlySet<string> = new Set(['text_input', 'dropdown', 'button', 'checkbox', 'radio']);
/** A line reading this much like a known value shows it (OCR misreads a letter or two). */
const KNOWN_VALUE_SIMILARITY = 0.8;
/** What else a list pane's items may be read as. */
const PANE_ITEM_TYPES: ReadonlySet<string> = new Set(['text', 'link', 'icon', 'checkbox', 'radio']);
/** A background this far (sum of channel differences) from the window's is a pane of its own. */
const OWN_BACKGROUND = 12;

export interface ScreenData {
  /** Elements whose text is data: table rows, fields, dropdowns, list items. */
  elements: UIElement[];
  /** The list items among them (plain text elements that are data by where they are). */
  listItems: Set<UIElement>;
  /** The list panes: any text read in them is data, whatever element it was taken for. */
  panes: BBox[];
  /** The text lines showing a value known to be data (what the person typed, a run's parameter values). */
  knownLines: BBox[];
}

function hexToRgb(hex: string | undefined): Rgb | null {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex ?? '');
  return m ? [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)] : null;
}

/** The window's background: the most common colour along the image's edges (a few pixels in). */
export function windowBackground(image: RgbaImage): Rgb {
  const counts = new Map<number, number>();
  const inset = Math.min(3, Math.floor(Math.min(image.width, image.height) / 4));
  const add = (x: number, y: number) => {
    const [r, g, b] = pixel(image, x, y);
    const key = (r << 16) | (g << 8) | b;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  const stepX = Math.max(1, Math.floor(image.width / 200));
  const stepY = Math.max(1, Math.floor(image.height / 200));
  for (let x = inset; x < image.width - inset; x += stepX) {
    add(x, inset);
    add(x, image.height - 1 - inset);
  }
  for (let y = inset; y < image.height - inset; y += stepY) {
    add(inset, y);
    add(image.width - 1 - inset, y);
  }
  const key = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0xffffff;
  return [(key >> 16) & 255, (key >> 8) & 255, key & 255];
}

/** The items of list panes: columns of ≥ 2 plain texts on a background other than the window's. */
function listPanes(
  analysis: Pick<ScreenAnalysis, 'text' | 'elements' | 'scaleFactor'>,
  image: RgbaImage,
): { items: UIElement[]; panes: BBox[] } {
  const unit = textUnit(analysis.text, analysis.scaleFactor);
  const background = windowBackground(image);
  const controls = analysis.elements.filter((e) => CONTROL_TYPES.has(e.type));
  const candidates = analysis.elements.filter((e) => {
    if (e.type !== 'text' || e.relationships?.some((r) => r.type === 'label_for')) return false;
    const own = hexToRgb(e.visual_features?.dominant_color);
    if (!own || colorDistance(own, background) <= OWN_BACKGROUND) return false;
    return !controls.some((c) => c.bbox[0] >= e.bbox[2] - 2 && verticalOverlap(c.bbox, e.bbox) > 0.5);
  });
  const out: UIElement[] = [];
  const panes: BBox[] = [];
  const placed = new Set<UIElement>();
  const byTop = [...candidates].sort((a, b) => a.bbox[1] - b.bbox[1]);
  for (const first of byTop) {
    if (placed.has(first)) continue;
    const column = [first];
    for (const e of byTop) {
      const last = column[column.length - 1];
      if (e === last || placed.has(e) || e.bbox[1] <= last.bbox[1]) continue;
      if (Math.abs(e.bbox[0] - first.bbox[0]) > unit * 0.5) continue;
      if (e.bbox[1] - last.bbox[3] > unit * 0.5) break; // a gap: the column ends
      column.push(e);
    }
    if (column.length < 2) continue;
    column.forEach((e) => placed.add(e));
    out.push(...column);
    // The rest of the pane around the column, on its background: an item OCR or the detector
    // read otherwise (a folder's icon taken for a checkbox's mark), one right above or below.
    const pitch = (column[column.length - 1].bbox[1] - column[0].bbox[1]) / (column.length - 1);
    const pane: BBox = [
      Math.min(...column.map((e) => e.bbox[0])) - unit,
      column[0].bbox[1] - pitch * 1.5,
      Math.max(...column.map((e) => e.bbox[2])),
      column[column.length - 1].bbox[3] + pitch * 1.5,
    ];
    panes.push(pane);
    const own = hexToRgb(first.visual_features?.dominant_color)!;
    for (const e of analysis.elements) {
      if (placed.has(e) || !PANE_ITEM_TYPES.has(e.type) || !inAnyBox(e.center, [pane])) continue;
      const bg = hexToRgb(e.visual_features?.dominant_color);
      if (bg && colorDistance(bg, own) <= OWN_BACKGROUND) {
        placed.add(e);
        out.push(e);
      }
    }
  }
  return { items: out, panes };
}

/**
 * The data on a screen (see the module's comment); without its pixels, by element type only.
 * `known`: values known to be data on this screen — a document's text typed in a demonstration
 * sits on the window's own background, where nothing else tells it from the screen's text.
 */
export function screenData(
  analysis: Pick<ScreenAnalysis, 'text' | 'elements' | 'scaleFactor'>,
  image?: RgbaImage | null,
  known: readonly string[] = [],
): ScreenData {
  const { items, panes } = image ? listPanes(analysis, image) : { items: [], panes: [] };
  const values = known.map(normalizeText).filter((v) => v.length >= 3);
  const showsValue = (text: string) => {
    const line = normalizeText(text);
    // The line shows the value: holds it, or reads like it whole — never a word of it ("Client"
    // is no part of a note "rappeler le client" typed elsewhere).
    return values.some(
      (v) =>
        line.includes(v) ||
        (Math.min(line.length, v.length) >= Math.max(line.length, v.length) * KNOWN_VALUE_SIMILARITY &&
          textSimilarity(line, v) >= KNOWN_VALUE_SIMILARITY),
    );
  };
  return {
    elements: [...analysis.elements.filter((e) => DATA_TYPES.has(e.type)), ...items],
    listItems: new Set(items),
    panes,
    knownLines: analysis.text.filter((l) => showsValue(l.text)).map((l) => l.bbox),
  };
}

/** Where a text line read is data: in a data element, a list pane, or showing a known value. */
export function dataTextBoxes(data: ScreenData): BBox[] {
  return [...data.elements.map((e) => e.bbox), ...data.panes, ...data.knownLines];
}

/** Whether a point (a text line's centre) lies in one of the boxes. */
export function inAnyBox(p: readonly number[], boxes: BBox[]): boolean {
  return boxes.some((b) => p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3]);
}
