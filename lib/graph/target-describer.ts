/**
 * Describing what a click hit by meaning — the UI element under the pointer: its type, role,
 * label text, the nearest other text (anchor), its position inside its container, and a small
 * crop of it — so a replay finds it again after the window moved, resized or changed theme.
 * The position relative to the window is kept as the last-resort hint.
 */
import type { BBox, TextLine, UIElement } from '../contracts/screen-state';
import type { Target } from '../contracts/workflow';
import { encodePng } from '../image/codec';
import { crop } from '../image/pixels';
import type { ScreenAnalysis } from '../vision/types';
import type { Observation } from './observation';

/** How far (px) from the pointer an element still counts as the one clicked, when none contains it. */
const NEAR_ELEMENT_PX = 24;
/** Neighbouring text used as anchor must lie within this distance (px) of the target. */
const ANCHOR_TEXT_PX = 220;
/** The anchor crop is at most this big (px), so a workflow file stays small. */
const ANCHOR_MAX: [number, number] = [320, 96];
const CONTAINER_TYPES = new Set(['dialog', 'form', 'table']);

const area = (b: BBox) => (b[2] - b[0]) * (b[3] - b[1]);
const middle = (b: BBox) => (b[1] + b[3]) / 2;
const contains = (b: BBox, x: number, y: number) => x >= b[0] && x < b[2] && y >= b[1] && y < b[3];
const round3 = (x: number) => Math.round(Math.min(1, Math.max(0, x)) * 1000) / 1000;

function distanceToBox(b: BBox, x: number, y: number): number {
  const dx = Math.max(b[0] - x, 0, x - b[2]);
  const dy = Math.max(b[1] - y, 0, y - b[3]);
  return Math.hypot(dx, dy);
}

/** The element the pointer was on: the smallest actionable one containing it, else the nearest close one. */
export function elementAt(elements: UIElement[], x: number, y: number): UIElement | null {
  const actionable = elements.filter((e) => !CONTAINER_TYPES.has(e.type));
  const containing = actionable.filter((e) => contains(e.bbox, x, y)).sort((a, b) => area(a.bbox) - area(b.bbox));
  if (containing.length) return containing[0];
  const near = actionable
    .map((e) => ({ e, d: distanceToBox(e.bbox, x, y) }))
    .filter((c) => c.d <= NEAR_ELEMENT_PX)
    .sort((a, b) => a.d - b.d);
  return near[0]?.e ?? null;
}

/**
 * The text line closest to the box that is not the element's own text, preferring left and
 * above (where labels sit). Text inside fields is data that changes between runs, never an anchor.
 */
function anchorText(lines: TextLine[], box: BBox, ownText: string, fields: BBox[]): string | undefined {
  const own = ownText.trim().toLowerCase();
  const cx = (box[0] + box[2]) / 2;
  const cy = (box[1] + box[3]) / 2;
  let best: { text: string; d: number } | undefined;
  for (const line of lines) {
    const text = line.text.trim();
    if (!text || text.toLowerCase() === own || (own && own.includes(text.toLowerCase()))) continue;
    const mid: [number, number] = [(line.bbox[0] + line.bbox[2]) / 2, (line.bbox[1] + line.bbox[3]) / 2];
    if (contains(box, mid[0], mid[1]) || fields.some((f) => contains(f, mid[0], mid[1]))) continue;
    const lx = (line.bbox[0] + line.bbox[2]) / 2;
    const ly = (line.bbox[1] + line.bbox[3]) / 2;
    const penalty = lx > cx + 40 || ly > cy + 40 ? 1.5 : 1; // right of or below the target reads less like its context
    const d = distanceToBox(box, lx, ly) * penalty;
    if (d <= ANCHOR_TEXT_PX && (!best || d < best.d)) best = { text, d };
  }
  return best?.text;
}

async function anchorImage(observation: Observation, box: BBox): Promise<string | undefined> {
  const image = observation.analysis.image;
  if (!image) return undefined;
  const pad = 4;
  const cx = (box[0] + box[2]) / 2;
  const cy = (box[1] + box[3]) / 2;
  const w = Math.min(ANCHOR_MAX[0], box[2] - box[0] + 2 * pad);
  const h = Math.min(ANCHOR_MAX[1], box[3] - box[1] + 2 * pad);
  if (w < 6 || h < 6) return undefined;
  // Kept in the workflow file: zlib's usual effort, for smaller files.
  const png = await encodePng(crop(image, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), 6);
  return `data:image/png;base64,${png.toString('base64')}`;
}

/** Longest label of a key on a keypad ("sqrt", "+/-", "MS"): a table's rows hold longer data. */
const KEY_MAX_CHARS = 4;

/**
 * The key clicked, when the "row" under the pointer is a row of keys (a calculator's keypad reads
 * like a table row: one line of text in columns): every word of it is a short label, each its own
 * button. The word nearest the pointer is the key; null for a row of data.
 */
export function keyInRow(analysis: ScreenAnalysis, row: UIElement, x: number, y: number): UIElement | null {
  if (row.type !== 'table_row') return null;
  const words = analysis.text
    .flatMap((l) => l.words)
    .filter((w) => w.text.trim() && contains(row.bbox, (w.bbox[0] + w.bbox[2]) / 2, (w.bbox[1] + w.bbox[3]) / 2));
  if (words.length < 3 || words.some((w) => w.text.trim().length > KEY_MAX_CHARS)) return null;
  const word = words.reduce((best, w) => (distanceToBox(w.bbox, x, y) < distanceToBox(best.bbox, x, y) ? w : best));
  const bbox: BBox = [...word.bbox];
  return {
    ...row,
    element_id: `${row.element_id}_key_${bbox[0]}`,
    type: 'button',
    role: 'action',
    label: word.text.trim(),
    bbox,
    center: [Math.round((bbox[0] + bbox[2]) / 2), Math.round((bbox[1] + bbox[3]) / 2)],
    relationships: [],
  };
}

/** Elements a click names by their own text (not a field, a row or a container). */
const BLOCK_TYPES: ReadonlySet<string> = new Set(['button', 'menu_item', 'text', 'link', 'tab']);

/**
 * The line clicked, when the element under the pointer holds several lines of text one above the
 * other (a context menu read as one block, "Open Move to archive"): each line is an item of its
 * own, and the block's centre may be another item than the one clicked. Null for one line.
 */
export function lineInBlock(analysis: ScreenAnalysis, block: UIElement, y: number): UIElement | null {
  if (!BLOCK_TYPES.has(block.type)) return null;
  const lines = analysis.text
    .filter((l) => l.text.trim() && contains(block.bbox, (l.bbox[0] + l.bbox[2]) / 2, middle(l.bbox)))
    .sort((a, b) => middle(a.bbox) - middle(b.bbox));
  // Lines side by side (a row's cells) are one item; only lines one under the other are several.
  const stacked = lines.every(
    (l, i) =>
      i === 0 || middle(l.bbox) - middle(lines[i - 1].bbox) >= (lines[i - 1].bbox[3] - lines[i - 1].bbox[1]) / 2,
  );
  if (lines.length < 2 || !stacked) return null;
  // OCR's boxes of a menu's lines overlap: the line whose middle is nearest is the one clicked.
  const line = lines
    .filter((l) => y >= l.bbox[1] && y < l.bbox[3])
    .sort((a, b) => Math.abs(middle(a.bbox) - y) - Math.abs(middle(b.bbox) - y))[0];
  if (!line) return null;
  const bbox: BBox = [...line.bbox];
  return {
    ...block,
    element_id: `${block.element_id}_line_${bbox[1]}`,
    type: 'text',
    role: null,
    label: line.text.trim(),
    bbox,
    center: [Math.round((bbox[0] + bbox[2]) / 2), Math.round((bbox[1] + bbox[3]) / 2)],
    relationships: [],
  };
}

export interface DescribedTarget {
  target: Target;
  element: UIElement | null;
}

/**
 * The target of a click at screen position `pos` on `observation` (whose boxes are relative to
 * its window frame).
 */
export async function describeClickTarget(observation: Observation, pos: [number, number]): Promise<DescribedTarget> {
  const { analysis, frame } = observation;
  const x = pos[0] - frame[0];
  const y = pos[1] - frame[1];
  const relative: [number, number] = [
    round3(x / Math.max(1, frame[2] - frame[0])),
    round3(y / Math.max(1, frame[3] - frame[1])),
  ];
  const under = elementAt(analysis.elements, x, y);
  const element = (under && (keyInRow(analysis, under, x, y) ?? lineInBlock(analysis, under, y))) ?? under;
  const fields = analysis.elements.filter((e) => e.type === 'text_input' || e.type === 'dropdown').map((e) => e.bbox);
  if (!element) {
    // No element: a text line under the pointer is the next best meaning, else only the position.
    const line = analysis.text.find((l) => contains(l.bbox, x, y));
    const target: Target = {
      ...(line ? { text: line.text } : {}),
      relative_position: relative,
      fallback_strategy: line ? 'text' : 'relative_position',
    };
    const box: BBox = line?.bbox ?? [x - 16, y - 16, x + 16, y + 16];
    const near = anchorText(analysis.text, box, line?.text ?? '', fields);
    if (near) target.near = near;
    const img = await anchorImage(observation, box);
    if (img) target.anchor_image = img;
    return { target, element: null };
  }
  const target: Target = { type: element.type };
  if (element.role) target.role = element.role;
  if (element.label) {
    // A field is named by its label; a button, link or menu item by its own text.
    if (
      element.type === 'text_input' ||
      element.type === 'dropdown' ||
      element.type === 'checkbox' ||
      element.type === 'radio'
    )
      target.label = element.label;
    else target.text = element.label;
  }
  const near = anchorText(analysis.text, element.bbox, element.label, fields);
  if (near) target.near = near;
  const container = analysis.elements
    .filter(
      (e) => CONTAINER_TYPES.has(e.type) && e !== element && contains(e.bbox, element.center[0], element.center[1]),
    )
    .sort((a, b) => area(a.bbox) - area(b.bbox))[0];
  if (container) {
    const [cx1, cy1, cx2, cy2] = container.bbox;
    target.container_position = [
      round3((element.center[0] - cx1) / Math.max(1, cx2 - cx1)),
      round3((element.center[1] - cy1) / Math.max(1, cy2 - cy1)),
    ];
    target.container_type = container.type;
  }
  const img = await anchorImage(observation, element.bbox);
  if (img) target.anchor_image = img;
  target.relative_position = relative;
  return { target, element };
}
