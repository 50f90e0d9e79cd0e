/**
 * Lists drawn as plain lines of text in a box: a dialog's list boxes side by side (Wine's Font
 * dialog: fonts, styles, sizes), a tree beside a list (regedit's keys and values). A row never
 * reaches across the box its words stand in: words of the same height in two boxes side by
 * side are two lists, not one table. Inside one box, a column of short lines set one right
 * under the other at a steady pitch, with no field or button beside or under them, is a list
 * whose lines are its rows.
 */
import type { BBox } from '../../contracts/screen-state';
import type { RectCandidate } from './regions';
import type { Draft, Segment } from './draft';
import { area, center, contains, height, union, verticalOverlap, width } from './geometry';

/** Free text grouped by the smallest box at least LIST_LINES lines tall it stands in (null: none). */
export interface Pane {
  box: BBox | null;
  segments: Segment[];
}

/** A list has at least this many lines. */
const LIST_LINES = 3;
/** A row of a list says a few words (a font's full name); a paragraph's line says more. */
const ROW_WORDS = 6;
/** Controls beside lines make them labels of a form, not rows of a list. */
const CONTROL = new Set(['text_input', 'dropdown', 'button', 'radio', 'tab', 'menu_item']);

/** The free text of each box, and of none. */
export function panes(free: Segment[], rects: RectCandidate[], unit: number): Pane[] {
  const boxes = rects.map((r) => r.bbox).filter((b) => height(b) >= unit * LIST_LINES && width(b) >= unit * 2);
  const byBox = new Map<BBox | null, Segment[]>();
  for (const s of free) {
    // Detection pads its boxes: a word may reach a little past the box it stands in.
    const slack = unit * 0.5;
    const around = boxes.filter(
      (b) => contains(b, center(s.bbox)) && s.bbox[0] >= b[0] - slack && s.bbox[2] <= b[2] + slack,
    );
    const box = around.length ? around.reduce((a, b) => (area(b) < area(a) ? b : a)) : null;
    const group = byBox.get(box);
    if (group) group.push(s);
    else byBox.set(box, [s]);
  }
  const found = [...byBox].map(([box, segments]) => ({ box, segments }));
  // A box whose lines go on outside it, in the box around it, is a cell or column of a larger
  // table (a column drawn boxed): its text joins the outer box's. Smallest boxes first, so a
  // box joins the next one out.
  found.sort((a, b) => (a.box ? area(a.box) : Infinity) - (b.box ? area(b.box) : Infinity));
  for (let i = 0; i < found.length; i++) {
    const inner = found[i];
    if (!inner.box) continue;
    const outer = found.find(
      (o, k) => k > i && o.segments.length && (!o.box || (o.box !== inner.box && contains(o.box, center(inner.box!)))),
    );
    if (!outer) continue;
    const lines = linesOf(inner.segments);
    const goOn = lines.filter((l) => outer.segments.some((s) => verticalOverlap(lineBox(l), s.bbox) > 0.6));
    if (goOn.length * 2 >= lines.length) {
      outer.segments.push(...inner.segments);
      inner.segments = [];
    }
  }
  return withTableCellsJoined(
    found.filter((p) => p.segments.length),
    unit,
  );
}

/**
 * Boxes side by side that touch (a shared border, no gap) and whose lines line up are the cells
 * or columns of one table drawn boxed: their text is one pane. Lists side by side stand apart,
 * each in its own frame.
 */
function withTableCellsJoined(found: Pane[], unit: number): Pane[] {
  const touch = Math.max(3, Math.round(unit * 0.2));
  const out = [...found];
  for (let joined = true; joined;) {
    joined = false;
    for (const a of out) {
      const b = out.find(
        (o) =>
          o !== a &&
          a.box &&
          o.box &&
          Math.min(a.box[3], o.box[3]) - Math.max(a.box[1], o.box[1]) >= Math.min(height(a.box), height(o.box)) * 0.5 &&
          (Math.abs(o.box[0] - a.box[2]) <= touch || Math.abs(a.box[0] - o.box[2]) <= touch) &&
          linesLineUp(a.segments, o.segments),
      );
      if (!b) continue;
      a.box = union([a.box!, b.box!]);
      a.segments.push(...b.segments);
      out.splice(out.indexOf(b), 1);
      joined = true;
      break;
    }
  }
  return out;
}

/** Half the lines of the one with fewer lines stand at the height of a line of the other. */
function linesLineUp(a: Segment[], b: Segment[]): boolean {
  const [few, many] = [linesOf(a), linesOf(b)].sort((x, y) => x.length - y.length);
  const level = few.filter((l) => many.some((m) => verticalOverlap(lineBox(l), lineBox(m)) > 0.6));
  return level.length * 2 >= few.length;
}

/** Whether a box in a list is a selected row's highlight: from the list's left edge over most of its width. */
export function rowHighlight(b: BBox, list: BBox, unit: number): boolean {
  return b[0] - list[0] <= unit * 0.5 && width(b) >= width(list) * 0.5 && height(b) <= unit * 1.6;
}

/** Segments grouped into lines, top to bottom. */
export function linesOf(segments: Segment[]): Segment[][] {
  const lines: Segment[][] = [];
  for (const s of [...segments].sort((a, b) => a.bbox[1] - b.bbox[1])) {
    const line = lines.find((l) => verticalOverlap(l[0].bbox, s.bbox) > 0.6);
    if (line) line.push(s);
    else lines.push([s]);
  }
  return lines;
}

/**
 * The lines of a box's free text that make a list: at least LIST_LINES short lines of one
 * column, each right under the one before, at a steady pitch. A tree's lines start at several
 * indents; that is still one list. A line over or beside a control, or inside
 * a box of its own other than a row's highlight, is a form's label or a field's text.
 */
export function listColumnRows(pane: Pane, found: Draft[], rects: RectCandidate[], unit: number): Draft[] {
  const box = pane.box;
  if (!box) return [];
  const inBox = (b: BBox): boolean => contains(box, center(b)) && area(b) < area(box) * 0.5;
  const controls = found.filter((d) => CONTROL.has(d.type) && inBox(d.bbox)).map((d) => d.bbox);
  const highlight = (b: BBox): boolean => rowHighlight(b, box, unit);
  const controlShaped = rects
    .map((r) => r.bbox)
    .filter(
      (b) => inBox(b) && !highlight(b) && height(b) >= unit * 0.8 && height(b) <= unit * 3 && width(b) >= unit * 2,
    );
  const lines = linesOf(pane.segments.filter((p) => !p.used));
  const rowLike = (l: Segment[]): boolean => {
    const b = lineBox(l);
    const words = l
      .map((s) => s.text)
      .join(' ')
      .split(/\s+/).length;
    const sorted = [...l].sort((p, q) => p.bbox[0] - q.bbox[0]);
    const oneColumn = sorted.every((s, i) => i === 0 || s.bbox[0] - sorted[i - 1].bbox[2] < unit * 2);
    // The list's own fill, cut in two by a selected row's highlight, is a box as wide as the list.
    const boxed = l.some(
      (s) => s.container && !highlight(s.container.bbox) && width(s.container.bbox) < width(box) * 0.9,
    );
    const beside = controls.some((c) => verticalOverlap(c, b) > 0.3);
    const over = controlShaped.some(
      (c) => c[1] >= b[3] - unit * 0.3 && c[1] - b[3] < unit && c[0] < b[2] && c[2] > b[0],
    );
    return words <= ROW_WORDS && l.length <= 2 && oneColumn && !boxed && !beside && !over;
  };
  const drafts: Draft[] = [];
  let run: Segment[][] = [];
  const close = (): void => {
    if (run.length >= LIST_LINES && steady(run.map(lineBox))) drafts.push(...run.map((l) => row(l, box)));
    run = [];
  };
  for (const l of lines) {
    const last = run[run.length - 1];
    if (!rowLike(l)) {
      close();
      continue;
    }
    // A list's lines are set one right under the other; text spaced wider (a menu's padded items,
    // a panel's paragraphs) is no list's rows.
    if (last && lineBox(l)[1] - lineBox(last)[3] > Math.min(height(lineBox(l)), height(lineBox(last))) * 0.3) close();
    run.push(l);
  }
  close();
  return drafts;
}

function lineBox(line: Segment[]): BBox {
  return union(line.map((s) => s.bbox));
}

/** Line pitches within a third of their median: rows of one list. */
function steady(boxes: BBox[]): boolean {
  const pitches = boxes.slice(1).map((b, i) => center(b)[1] - center(boxes[i])[1]);
  const median = [...pitches].sort((a, b) => a - b)[Math.floor(pitches.length / 2)];
  return median > 0 && pitches.every((p) => Math.abs(p - median) <= median / 3);
}

function row(line: Segment[], box: BBox): Draft {
  line.forEach((s) => (s.used = true));
  const sorted = [...line].sort((a, b) => a.bbox[0] - b.bbox[0]);
  const text = lineBox(sorted);
  // The row runs across its list; a click goes to its words (a tree's item is selected by its
  // label, not by the blank beside it).
  return {
    type: 'table_row',
    bbox: [Math.min(text[0], box[0] + 2), text[1], Math.max(text[2], box[2] - 2), text[3]],
    clickBox: text,
    label: sorted.map((s) => s.text).join(' '),
    confidence: 0.7,
    // An entry of a list, named by its own text (not a table's row, chosen by its columns' rules).
    role: 'list_item',
    state: { enabled: true, visible: true, focused: false },
    shape: 'rectangle',
    color: [255, 255, 255],
    group: `list_${Math.round(box[0])}_${Math.round(box[1])}`,
    method: 'list_column',
  };
}

/**
 * The rows [top, bottom) of a table or list whose lines' letters stand at `bands`, top to
 * bottom: rows tile the table, each as tall as the pitch of its lines and centred on its
 * letters (detection's text boxes are padded and overlap the rows above and below). Null when the
 * lines do not follow one another at a steady pitch.
 */
export function tiledRows(bands: [number, number][]): [number, number][] | null {
  const mids = bands.map(([a, b]) => (a + b) / 2);
  const pitches = mids.slice(1).map((m, i) => m - mids[i]);
  if (!pitches.length) return null;
  const median = [...pitches].sort((a, b) => a - b)[Math.floor(pitches.length / 2)];
  if (!(median > 0) || pitches.some((p) => Math.abs(p - median) > median / 3)) return null;
  return mids.map((m, i) => [
    Math.round(i ? (mids[i - 1] + m) / 2 : m - median / 2),
    Math.round(i < mids.length - 1 ? (m + mids[i + 1]) / 2 : m + median / 2),
  ]);
}
