/**
 * Finds a modal panel on a screen: a bordered box, centred horizontally in the window, holding
 * two lines of text at least (a message, its buttons), drawn over the screen's content. It is what tells "the list" from
 * "the list with a confirmation dialog on top" when the theme dims nothing behind the dialog
 * (classic grey) and the element detector merged the dialog's text into the table rows behind.
 *
 * How: from seed points beside the text lines of the central column, rays go left, right, up and
 * down until they meet a long straight line across them (a glyph's stroke is shorter than three
 * text heights, a box's side is longer); the four stops make a box whose four sides must be
 * lines along most of their length. Boxes stacked with the same sides (a title bar over the
 * body) are joined. Only the pixels along the rays and sides are read: 3–5 ms of CPU per
 * 1920×1080 screen (grounding benchmark set, loaded machine).
 */
import type { RgbaImage } from '../platform/types';
import type { BBox, TextLine, UIElement } from '../contracts/screen-state';

export interface ModalPanel {
  bbox: BBox;
  /** The topmost text in the panel (its title bar or first line). */
  title: string;
  /** Every text line inside the panel, top to bottom. */
  texts: string[];
  /** Labels of the buttons inside the panel. */
  buttons: string[];
  /** Text or elements of the screen beside the panel, left and right of it: it covers content. */
  overContent: boolean;
}

/** Luma difference that makes an edge (0–255): a light grey line on white is ~25. */
const EDGE = 18;
/**
 * Share of a side's length that must be on an edge: less than all of it, as a panel's side may
 * vanish where a line of the same colour meets it (a table's row separators behind a dialog).
 */
const SIDE = 0.8;

export class Pixels {
  constructor(private readonly image: RgbaImage) {}

  luma(x: number, y: number): number {
    const p = (y * this.image.width + x) * 4;
    const d = this.image.data;
    return (d[p] * 77 + d[p + 1] * 150 + d[p + 2] * 29) >> 8;
  }

  /**
   * Whether an edge, or a one-pixel line, runs across the direction (dx, dy) at (x, y) or one
   * pixel along it: (1, 0) finds vertical edges, (0, 1) horizontal ones.
   */
  private edgeAcross(x: number, y: number, dx: number, dy: number): boolean {
    const { width, height } = this.image;
    for (let k = -1; k <= 1; k++) {
      const cx = x + k * dx;
      const cy = y + k * dy;
      if (cx - dx < 0 || cy - dy < 0 || cx + dx >= width || cy + dy >= height) continue;
      const v = this.luma(cx, cy);
      if (Math.abs(v - this.luma(cx - dx, cy - dy)) >= EDGE || Math.abs(v - this.luma(cx + dx, cy + dy)) >= EDGE)
        return true;
    }
    return false;
  }

  verticalEdge(x: number, y: number): boolean {
    return this.edgeAcross(x, y, 1, 0);
  }

  horizontalEdge(x: number, y: number): boolean {
    return this.edgeAcross(x, y, 0, 1);
  }

  /** Share of the points from `from` to `to` (one coordinate varying, sampled every `step` pixels) that lie on an edge. */
  private share(onEdge: (t: number) => boolean, from: number, to: number, limit: number, step: number): number {
    const a = Math.max(1, Math.round(from));
    const b = Math.min(limit - 2, Math.round(to));
    if (b <= a) return 0;
    // Most edges met by a ray are glyph strokes: eight probes along the span reject them cheaply.
    let probes = 0;
    for (let k = 0; k < 8; k++) if (onEdge(a + Math.round(((b - a) * (k + 0.5)) / 8))) probes++;
    if (probes < 6) return probes / 8;
    let on = 0;
    let n = 0;
    for (let t = a; t <= b; t += step, n++) if (onEdge(t)) on++;
    return on / n;
  }

  /** Share of the column x between y1 and y2 that lies on a vertical edge. */
  verticalLine(x: number, y1: number, y2: number, step = 1): number {
    return this.share((y) => this.verticalEdge(x, y), y1, y2, this.image.height, step);
  }

  /** Share of the row y between x1 and x2 that lies on a horizontal edge. */
  horizontalLine(y: number, x1: number, x2: number, step = 1): number {
    return this.share((x) => this.horizontalEdge(x, y), x1, x2, this.image.width, step);
  }
}

/** The innermost box around (sx, sy) whose sides are long lines, or null. */
export function boxAround(
  px: Pixels,
  sx: number,
  sy: number,
  unit: number,
  width: number,
  height: number,
): BBox | null {
  const reach = Math.round(unit * 1.5);
  // A side is a line longer than three text heights through the ray (above, below or across it).
  const isV = (x: number): boolean =>
    px.verticalEdge(x, sy) &&
    (px.verticalLine(x, sy - reach, sy + reach) >= SIDE ||
      px.verticalLine(x, sy, sy + 2 * reach) >= SIDE ||
      px.verticalLine(x, sy - 2 * reach, sy) >= SIDE);
  let l = -1;
  for (let x = sx - 1; x >= 1; x--)
    if (isV(x)) {
      l = x;
      break;
    }
  let r = -1;
  for (let x = sx + 1; x < width - 1; x++)
    if (isV(x)) {
      r = x;
      break;
    }
  if (l < 0 || r < 0) return null;
  // Top and bottom: the first lines up and down that span the box from side to side.
  const step = Math.max(1, Math.round(unit / 6));
  const isH = (y: number): boolean => px.horizontalEdge(sx, y) && px.horizontalLine(y, l + 2, r - 2, step) >= 0.85;
  let t = -1;
  for (let y = sy - 1; y >= 1; y--)
    if (isH(y)) {
      t = y;
      break;
    }
  let b = -1;
  for (let y = sy + 1; y < height - 1; y++)
    if (isH(y)) {
      b = y;
      break;
    }
  if (t < 0 || b < 0) return null;
  // The sides must be lines along most of their length, not only where the rays crossed them.
  if (px.verticalLine(l, t, b, step) < 0.85 || px.verticalLine(r, t, b, step) < 0.85) return null;
  return [l, t, r, b];
}

/** Joins boxes stacked one on the other with the same left and right sides (a title bar over a body). */
function joinStacked(boxes: BBox[], tolerance: number): BBox[] {
  const out = boxes.map((b) => [...b] as BBox);
  for (let changed = true; changed;) {
    changed = false;
    for (let i = 0; i < out.length && !changed; i++)
      for (let j = 0; j < out.length && !changed; j++) {
        if (i === j) continue;
        const [a, b] = [out[i], out[j]];
        if (
          Math.abs(a[0] - b[0]) <= tolerance &&
          Math.abs(a[2] - b[2]) <= tolerance &&
          Math.abs(a[3] - b[1]) <= tolerance
        ) {
          out[i] = [Math.min(a[0], b[0]), a[1], Math.max(a[2], b[2]), b[3]];
          out.splice(j, 1);
          changed = true;
        }
      }
  }
  return out;
}

const inside = (p: [number, number], b: BBox): boolean => p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3];
const centre = (b: BBox): [number, number] => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];

/** Text height on this screen: the median OCR line height, or 14 logical pixels. */
export function textUnit(lines: TextLine[], scaleFactor: number): number {
  const h = lines.map((l) => l.bbox[3] - l.bbox[1]).sort((a, b) => a - b);
  return h.length ? Math.max(8, h[h.length >> 1]) : 14 * (scaleFactor || 1);
}

/** Counts lines spanning the box's width inside it: a table's rows, not a dialog's body. */
function spanningLines(px: Pixels, b: BBox, unit: number): number {
  let count = 0;
  const step = Math.max(1, Math.round(unit / 4));
  for (let y = b[1] + 3; y < b[3] - 2; y++) {
    if (px.horizontalLine(y, b[0] + 3, b[2] - 3, step) >= 0.9) {
      count++;
      y += 2; // a two-pixel line counts once
    }
  }
  return count;
}

/**
 * The panel's buttons: the detected buttons inside it, and the short lines of its bottom row (a
 * dialog's actions sit there; the detector may have taken a bevelled default button for a box).
 */
function buttonsOf(panel: BBox, texts: TextLine[], elements: UIElement[], unit: number): string[] {
  const labels = elements.filter((e) => e.type === 'button' && inside(e.center, panel)).map((e) => e.label);
  const bottom = Math.max(...texts.map((l) => centre(l.bbox)[1]));
  for (const l of texts)
    if (bottom - centre(l.bbox)[1] < unit * 0.5 && l.text.trim().split(/\s+/).length <= 3) labels.push(l.text.trim());
  return [...new Set(labels)];
}

export function findModalPanel(image: RgbaImage, lines: TextLine[], elements: UIElement[]): ModalPanel | null {
  const { width, height } = image;
  const unit = textUnit(lines, image.scaleFactor);
  const px = new Pixels(image);
  const central = (b: BBox): boolean =>
    Math.abs(centre(b)[0] - width / 2) < width * 0.3 && centre(b)[1] > height * 0.1 && centre(b)[1] < height * 0.9;
  // Seeds beside the 16 text lines nearest the centre (a dialog covers the centre and holds text).
  const seeds: Array<[number, number]> = [];
  const distance = (b: BBox): number => Math.hypot(centre(b)[0] - width / 2, centre(b)[1] - height * 0.45);
  for (const l of lines
    .filter((l) => central(l.bbox))
    .sort((a, b) => distance(a.bbox) - distance(b.bbox))
    .slice(0, 16)) {
    const cy = Math.round((l.bbox[1] + l.bbox[3]) / 2);
    const gap = Math.max(2, Math.round(unit * 0.4));
    // Both sides: a title hugs its bar's left edge, so the seed left of it may fall outside the panel.
    if (l.bbox[0] - gap > 1) seeds.push([l.bbox[0] - gap, cy]);
    if (l.bbox[2] + gap < width - 1) seeds.push([l.bbox[2] + gap, cy]);
  }
  const found: BBox[] = [];
  for (const [sx, sy] of seeds) {
    if (found.some((b) => inside([sx, sy], b))) continue;
    const box = boxAround(px, sx, sy, unit, width, height);
    if (box && !found.some((f) => f.every((v, i) => Math.abs(v - box[i]) <= 2))) found.push(box);
  }
  // A title bar right above a box, whose title line may not have been among the seeds.
  for (const b of [...found]) {
    const above = b[1] - Math.round(unit * 0.6);
    if (above < 1 || b[2] - b[0] < width * 0.12) continue;
    const bar = boxAround(px, Math.round(b[2] - (b[2] - b[0]) / 4), above, unit, width, height);
    if (bar && !found.some((f) => f.every((v, i) => Math.abs(v - bar[i]) <= 2))) found.push(bar);
  }
  const candidates = joinStacked(found, Math.max(3, Math.round(unit / 4)))
    .filter((b) => {
      const w = b[2] - b[0];
      const h = b[3] - b[1];
      if (w < width * 0.12 || w > width * 0.8 || h < unit * 3 || h > height * 0.85) return false;
      if (Math.abs(centre(b)[0] - width / 2) > width * 0.06) return false;
      // Two lines of text at least (a message and its buttons): the detector may not have seen the buttons as buttons.
      return lines.filter((l) => inside(centre(l.bbox), b)).length >= 2;
    })
    .filter((b) => spanningLines(px, b, unit) <= 2)
    .sort((a, b) => (b[2] - b[0]) * (b[3] - b[1]) - (a[2] - a[0]) * (a[3] - a[1]));
  // The element detector's own dialogs count too, when centred.
  for (const d of elements)
    if (
      d.type === 'dialog' &&
      Math.abs(centre(d.bbox)[0] - width / 2) <= width * 0.06 &&
      !candidates.some((c) => inside(centre(d.bbox), c))
    )
      candidates.push(d.bbox);
  const bbox = candidates[0];
  if (!bbox) return null;
  const texts = lines.filter((l) => inside(centre(l.bbox), bbox)).sort((a, b) => a.bbox[1] - b.bbox[1]);
  const beside = (side: 'left' | 'right'): boolean =>
    [...lines.map((l) => l.bbox), ...elements.map((e) => e.bbox)].some(
      (b) => b[3] > bbox[1] && b[1] < bbox[3] && (side === 'left' ? b[2] < bbox[0] : b[0] > bbox[2]),
    );
  return {
    bbox,
    title: texts[0]?.text ?? '',
    texts: texts.map((l) => l.text),
    buttons: buttonsOf(bbox, texts, elements, unit),
    overContent: beside('left') && beside('right'),
  };
}

/**
 * The flat cells along the bottom of a dialog drawn over the screen's content are its buttons,
 * not a tab strip: tabs head a page below them, while this row closes the panel (libadwaita's
 * and GNOME's message dialogs draw "Cancel | Discard" so; read as tabs, a typed query for the
 * button "Cancel" found only the window's own "Cancel" behind the dialog).
 */
export function dialogActionsAsButtons(image: RgbaImage, lines: TextLine[], elements: UIElement[]): UIElement[] {
  if (elements.filter((e) => e.type === 'tab').length < 2) return elements;
  const panel = findModalPanel(image, lines, elements);
  if (!panel?.overContent) return elements;
  const unit = textUnit(lines, image.scaleFactor);
  const tabs = elements.filter((e) => e.type === 'tab' && inside(centre(e.bbox), panel.bbox));
  const closing = tabs.filter((t) => Math.abs(panel.bbox[3] - t.bbox[3]) <= unit * 0.6);
  if (closing.length < 2 || closing.length !== tabs.length) return elements;
  return elements.map((e) =>
    closing.includes(e)
      ? {
          ...e,
          type: 'button',
          role: 'action',
          element_id: e.element_id.replace(/^el_tab_/, 'el_button_'),
          state: { ...e.state, selected: false },
        }
      : e,
  );
}
