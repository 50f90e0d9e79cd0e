/**
 * Tables whose rows are drawn only by horizontal lines between them, or by alternating row
 * colours (zebra stripes): no cell is a closed box, so the tile grid does not see them, and the
 * text of a row covers only part of the row a user clicks.
 *
 * Row boundaries are the thin lines of one length stacked at a regular pitch (and the edges of
 * full-width stripes); a row is the band between two boundaries that holds one line of text in
 * several columns. The header (the band above the first row, or a first band of another colour)
 * is text, not a row.
 */
import type { BBox } from '../../contracts/screen-state';
import type { Draft, Segment } from './draft';
import { center, contains, height, width } from './geometry';
import { colorDistance, inkStats, outlineColor, type Rgb } from './pixels';
import { hasSideNeighbour, type HorizontalLine, type RectCandidate } from './regions';
import type { RgbaImage } from '../../platform/types';

interface Boundary {
  x1: number;
  x2: number;
  y1: number;
  y2: number;
  color: Rgb;
}

export interface LineTables {
  drafts: Draft[];
  /** Cell boxes inside the rows: not controls of their own. */
  cells: Set<RectCandidate>;
}

export function lineTableRows(
  segments: Segment[],
  hlines: HorizontalLine[],
  rects: RectCandidate[],
  image: RgbaImage,
  unit: number,
): LineTables {
  const drafts: Draft[] = [];
  const cells = new Set<RectCandidate>();
  const minWidth = unit * 8;
  const boundaries: Boundary[] = hlines
    .filter((l) => width(l.bbox) >= minWidth)
    .map((l) => ({ x1: l.bbox[0], x2: l.bbox[2], y1: l.bbox[1], y2: l.bbox[3], color: l.color }));
  // Zebra stripes: filled row-high bands; their edges are boundaries too.
  for (const r of rects) {
    const h = height(r.bbox);
    if (r.ring || width(r.bbox) < minWidth || h < unit * 1.1 || h > unit * 4 || hasSideNeighbour(r, rects)) continue;
    const [x1, y1, x2, y2] = r.bbox;
    boundaries.push({ x1, x2, y1, y2: y1, color: r.color as Rgb }, { x1, x2, y1: y2, y2, color: r.color as Rgb });
  }
  const tol = Math.max(6, unit * 0.5);
  const groups: Boundary[][] = [];
  for (const b of [...boundaries].sort((a, c) => a.y1 - c.y1)) {
    // One table's lines and stripes span (nearly) the same columns; a stripe may run on under
    // the screen's edge where the lines stop.
    const g = groups.find((gr) => {
      const common = Math.min(gr[0].x2, b.x2) - Math.max(gr[0].x1, b.x1);
      return Math.abs(gr[0].x1 - b.x1) <= tol && common >= Math.max(gr[0].x2 - gr[0].x1, b.x2 - b.x1) * 0.9;
    });
    const last = g?.[g.length - 1];
    // A line drawn over two pixel rows (fractional scales) or a stripe edge on a line: one boundary.
    if (last && b.y1 <= last.y2 + 2) {
      last.y2 = Math.max(last.y2, b.y2);
      last.x2 = Math.max(last.x2, b.x2);
      continue;
    }
    if (g) g.push({ ...b });
    else groups.push([{ ...b }]);
  }
  for (const group of joinCoveredParts(groups, unit)) {
    if (group.length < 3) continue;
    const x1 = Math.min(...group.map((b) => b.x1));
    const x2 = Math.max(...group.map((b) => b.x2));
    const bands = group.slice(1).map((b, i) => {
      const top = group[i].y2;
      const bottom = b.y1;
      const inside = segments.filter((s) => {
        const c = center(s.bbox);
        return c[0] >= x1 && c[0] < x2 && c[1] >= top && c[1] < bottom;
      });
      return { upper: group[i], lower: b, top, bottom, inside };
    });
    // Runs of consecutive bands of a row's height, each holding one line of text in columns.
    const isRow = (band: (typeof bands)[number]): boolean => {
      const gap = band.bottom - band.top;
      if (gap < unit * 0.9 || gap > unit * 4 || band.inside.length === 0) return false;
      const ys = band.inside.map((s) => center(s.bbox)[1]);
      return Math.max(...ys) - Math.min(...ys) < unit * 0.6;
    };
    let start = 0;
    while (start < bands.length) {
      if (!isRow(bands[start])) {
        start++;
        continue;
      }
      let end = start + 1;
      const pitch = bands[start].bottom - bands[start].top;
      while (
        end < bands.length &&
        isRow(bands[end]) &&
        Math.abs(bands[end].bottom - bands[end].top - pitch) <= Math.max(4, pitch * 0.35)
      )
        end++;
      const run = bands.slice(start, end);
      start = end;
      if (run.length < 2) continue;
      if (run.filter((b) => b.inside.length >= 2).length < run.length * 0.6) continue;
      // Columns: most neighbouring rows have two pieces of text starting (or ending) at the same x.
      const near = (a: number, b: number): boolean => Math.abs(a - b) < unit * 0.6;
      const aligned = (a: Segment[], b: Segment[]): boolean =>
        a.filter((s) => b.some((o) => near(o.bbox[0], s.bbox[0]) || near(o.bbox[2], s.bbox[2]))).length >= 2;
      if (run.slice(1).filter((b, i) => aligned(run[i].inside, b.inside)).length < (run.length - 1) * 0.6) continue;
      // A first band painted differently from the rows below it is the header.
      const bg = (b: (typeof run)[number]): Rgb => outlineColor(image, [x1 + 2, b.top + 1, x2 - 2, b.top + 2]);
      // …or written in bold (denser ink) where the rows are not.
      const density = (b: (typeof run)[number]): number => {
        const texts = b.inside.filter(
          (s) =>
            !s.container ||
            height(s.container.bbox) >= (b.bottom - b.top) * 0.75 ||
            width(s.container.bbox) >= (x2 - x1) * 0.9,
        );
        return texts.length
          ? texts.reduce((n, s) => n + inkStats(image, s.bbox, bg(b), 120).inkFraction, 0) / texts.length
          : 0;
      };
      const rest = run
        .slice(1)
        .map(density)
        .sort((a, c) => a - c);
      const bold = run.length >= 3 && density(run[0]) > rest[Math.floor(rest.length / 2)] * 1.3;
      const headerFirst =
        (run.length >= 3 && colorDistance(bg(run[0]), bg(run[1])) > 20 && colorDistance(bg(run[0]), bg(run[2])) > 20) ||
        bold;
      const rows = headerFirst ? run.slice(1) : run;
      if (headerFirst) {
        // The header's cells are boxes of the table too, not a strip of tabs.
        const head: BBox = [x1, run[0].upper.y1, x2, run[0].lower.y2];
        for (const r of rects)
          if (
            contains(head, center(r.bbox)) &&
            height(r.bbox) >= (run[0].bottom - run[0].top) * 0.75 &&
            width(r.bbox) < width(head) * 0.9
          )
            cells.add(r);
      }
      if (rows.length < 2) continue;
      const groupId = `table_${x1}_${rows[0].top}`;
      for (const band of rows) {
        const box: BBox = [x1, band.upper.y1, x2, band.lower.y2];
        const rowH = band.bottom - band.top;
        // Boxes as tall as the row are its cells (not buttons or fields); their text is the row's.
        for (const r of rects)
          if (contains(box, center(r.bbox)) && height(r.bbox) >= rowH * 0.75 && width(r.bbox) < width(box) * 0.9)
            cells.add(r);
        // Text on a control in the row (a small button whose face is lower than the text box) stays the control's.
        const onControl = (s: Segment): boolean =>
          rects.some(
            (r) =>
              !cells.has(r) &&
              contains(r.bbox, center(s.bbox)) &&
              height(r.bbox) < rowH * 0.75 &&
              width(r.bbox) < width(box) * 0.5,
          );
        const texts = band.inside
          .filter((s) => !s.used && (!s.container || cells.has(s.container)) && !onControl(s))
          .sort((a, c) => a.bbox[0] - c.bbox[0]);
        texts.forEach((s) => (s.used = true));
        drafts.push({
          type: 'table_row',
          bbox: box,
          label: texts.map((s) => s.text).join(' - '),
          confidence: 0.8,
          role: 'data_row',
          state: { enabled: true, visible: true, focused: false },
          shape: 'rectangle',
          color: bg(band),
          group: groupId,
          method: 'row_lines',
        });
      }
      // The header: one line of column titles right above the first row.
      const top = rows[0].upper.y1;
      for (const s of segments) {
        const c = center(s.bbox);
        const free = !s.container || cells.has(s.container) || width(s.container.bbox) >= (x2 - x1) * 0.9;
        if (!s.used && free && c[0] >= x1 && c[0] < x2 && c[1] < top && c[1] > top - unit * 2.2) {
          s.used = true;
          drafts.push({
            type: 'text',
            bbox: s.bbox,
            label: s.text,
            confidence: s.confidence,
            role: 'column_header',
            state: { enabled: true, visible: true, focused: false },
            shape: 'text',
            color: outlineColor(image, s.bbox),
            labelSegment: s,
            group: groupId,
            method: 'row_lines',
          });
        }
      }
    }
  }
  return { drafts, cells };
}

/**
 * A dialog over a table cuts its lines in two: groups side by side whose lines are at the same
 * heights, as far apart as a dialog is wide, are one table (its rows run on under the dialog).
 * Nearer, they are two columns of boxes side by side (a form's fields in two columns, their top
 * and bottom edges at the same heights), no table.
 */
function joinCoveredParts(groups: Boundary[][], unit: number): Boundary[][] {
  const out: Boundary[][] = [];
  for (const g of [...groups].sort((a, b) => a[0].x1 - b[0].x1)) {
    const ys = (gr: Boundary[]) => gr.map((b) => b.y1);
    const partner = out.find((o) => {
      if (o.length < 3 || g.length < 3 || o[0].x2 > g[0].x1 || g[0].x1 - o[0].x2 < unit * DIALOG_WIDTH) return false;
      const same = ys(g).filter((y) => ys(o).some((oy) => Math.abs(oy - y) <= 2)).length;
      return same >= Math.max(o.length, g.length) * 0.7;
    });
    if (!partner) {
      out.push(g.map((b) => ({ ...b })));
      continue;
    }
    for (const b of g) {
      const twin = partner.find((p) => Math.abs(p.y1 - b.y1) <= 2);
      if (twin) twin.x2 = Math.max(twin.x2, b.x2);
    }
    for (const p of partner) p.x2 = Math.max(p.x2, g[0].x2);
  }
  return out;
}

/** The narrowest a dialog cutting a table in two is, in lines of text. */
const DIALOG_WIDTH = 8;
