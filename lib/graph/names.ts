/**
 * The names a person would give what the learner makes: a screen is called by its heading or
 * its window title, a parameter by its field's label, a step by the button it presses. Texts
 * that are not names are never used: banners and messages (sentences), the demonstrated data
 * (typed values, read back by OCR with its slips), file names, paths and numbers (list contents,
 * saved documents). When nothing on the screen names a parameter, it gets a placeholder name
 * (`text_1`) that `learn` asks the person to replace.
 */
import type { BBox, TextLine, UIElement } from '../contracts/screen-state';
import { textSimilarity } from '../vision/text-match';
import { TYPED_DATA } from './session-observer';

/** Words a label may have ("Adresse de livraison du client"); more reads as a sentence or a toolbar. */
const MAX_LABEL_WORDS = 5;
const MAX_HEADING_WORDS = 8;
/**
 * OCR of typed data this close to the typed text is the data (a text cursor read as "l", an
 * accent lost); short words need to be nearer, or a label ("Ville") passes for a value ("Lille").
 */
const TYPED_SIMILARITY = 0.8;
const SHORT_TYPED_SIMILARITY = 0.95;
const SHORT = 8;
/**
 * A heading's line box is this much taller than the screen's body text (the lower quartile of
 * its line heights: a focused field's label or a field's value can be read taller). OCR boxes
 * are padded: a 26 px heading over 18 px text measures 32 against 27 px (1.18), while lines of
 * one size differ by under 8 % (a dialog's 23–25 px, an editor's menu bar 28 against 26 px) —
 * or by 20 % when one has letters below the line and the other none (GTK's file list: "2 bytes
 * Program" 24 px, "Modified" 20 px). So a heading must also be taller than three lines in four:
 * a screen has few headings, and a size most of its lines share is its body text.
 */
const HEADING_HEIGHT_RATIO = 1.12;

/** A time of day ("03:43", "14h30"): a list row or a status line, never what a screen is called. */
const CLOCK_TIME = /\b\d{1,2}(:\d{2}|h\d{2})\b/;

const words = (text: string) => text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));

/** A message, not a name: many words, or sentence punctuation ("Warning: you are using the root account. You may…"). */
export function isSentence(text: string): boolean {
  const t = text.trim();
  return words(t).length > MAX_HEADING_WORDS || /[.!?](\s|$)/.test(t);
}

/** A value rather than a name: a file name, a path, an address, a number or a date. */
export function looksLikeData(text: string): boolean {
  const t = text.trim();
  if (!/\p{L}{2}/u.test(t)) return true; // numbers, dates, amounts, symbols
  if (/[\\/]/.test(t) || /^[\w.+-]+@[\w-]+\.[\w.]+$/.test(t) || /^(https?:|www\.)/i.test(t)) return true;
  return /^[^\s]+\.[A-Za-z0-9]{1,5}$/.test(t); // "report.pdf"
}

/** Whether an on-screen text is (OCR of) one of the typed values. */
export function isTyped(text: string, typed: Iterable<string>): boolean {
  for (const value of typed) {
    if (value.trim().length < 2) continue;
    const needed =
      Math.min(value.trim().length, text.trim().length) < SHORT ? SHORT_TYPED_SIMILARITY : TYPED_SIMILARITY;
    if (textSimilarity(value, text) >= needed || textSimilarity(text, value) >= needed) return true;
  }
  return false;
}

/** A field label as a person reads it ("Nom du client", "Name:" → "Name"), or null when the text is no label. */
export function asLabel(text: string | undefined, typed: Iterable<string> = []): string | null {
  const t = (text ?? '').trim().replace(/\s*[:：*]+$/u, '');
  if (!t || words(t).length > MAX_LABEL_WORDS || isSentence(t) || looksLikeData(t) || isTyped(t, typed)) return null;
  return t;
}

/** A heading as a person reads it, or null. */
export function asHeading(text: string, typed: Iterable<string> = []): string | null {
  const t = text.trim();
  if (!t || t.endsWith(':') || isSentence(t) || looksLikeData(t) || isTyped(t, typed) || CLOCK_TIME.test(t))
    return null;
  return t;
}

/**
 * A window title as a screen name: its parts ("Untitled 1 - Mousepad", "… - Mousepad") without
 * those holding typed data or a file name or path; null when nothing is left.
 */
export function titleName(title: string): string | null {
  const parts = title
    .split(/\s+[-–—|]\s+/)
    .map((p) => p.trim())
    .filter((p) => p && !p.includes(TYPED_DATA) && !looksLikeData(p));
  return parts.length ? parts.join(' - ') : null;
}

/** Whether a line stands out by size among a screen's lines (a heading, not body text). */
export function standsOut(line: { height: number }, heights: number[]): boolean {
  if (heights.length < 3) return false;
  const sorted = [...heights].sort((a, b) => a - b);
  const quartile = (q: number) => sorted[Math.floor(((sorted.length - 1) * q) / 4)];
  return line.height >= quartile(1) * HEADING_HEIGHT_RATIO && line.height > quartile(3);
}

const FIELD_TYPES = new Set(['text_input', 'dropdown']);
const centre = (b: BBox): [number, number] => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
const inside = (b: BBox, [x, y]: [number, number]) => x >= b[0] && x < b[2] && y >= b[1] && y < b[3];

/** Elements whose text is a control's, not a label (a menu bar, a button, a tab, a list entry). */
const CONTROL_TYPES = new Set(['button', 'link', 'tab', 'menu_item', 'checkbox', 'radio', 'icon', 'table_row']);

/**
 * The label next to a box, where labels sit: on the same row just left of it, or just above it
 * starting where it starts; not a control's text. Farther texts (a banner across the window) name nothing.
 */
export function adjacentLabel(
  analysis: { text: TextLine[]; elements: UIElement[] },
  box: BBox,
  typed: Iterable<string> = [],
): string | null {
  const h = Math.max(12, box[3] - box[1]);
  const controls = analysis.elements.filter((e) => CONTROL_TYPES.has(e.type));
  let best: { label: string; d: number } | null = null;
  for (const line of analysis.text) {
    const b = line.bbox;
    if (controls.some((e) => inside(e.bbox, centre(b)))) continue;
    const [, cy] = centre(b);
    const rowGap = box[0] - b[2];
    const sameRow = cy >= box[1] - h * 0.25 && cy <= box[3] + h * 0.25 && rowGap >= -4 && rowGap <= 3 * h;
    const aboveGap = box[1] - b[3];
    // Above: aligned on the field's left edge (a menu item above a right-aligned display is no label).
    const above = aboveGap >= -4 && aboveGap <= 1.5 * h && Math.abs(b[0] - box[0]) <= h;
    if (!sameRow && !above) continue;
    const label = asLabel(line.text, typed);
    const d = sameRow ? rowGap : aboveGap + h;
    if (label && (!best || d < best.d)) best = { label, d };
  }
  return best?.label ?? null;
}

/**
 * The label of the field that shows `text` on this screen (the value a person just typed): the
 * field element's label, else the text beside the line that shows it. Null when the text is not
 * on the screen or nothing labels it (the body of a document).
 */
export function labelOfFieldShowing(
  analysis: { text: TextLine[]; elements: UIElement[] },
  text: string,
  typed: Iterable<string> = [],
): string | null {
  const shown = analysis.text
    .filter((l) => isTyped(l.text, [text]))
    .sort((a, b) => textSimilarity(text, b.text) - textSimilarity(text, a.text))[0];
  if (!shown) return null;
  const c = centre(shown.bbox);
  const field = analysis.elements.find((e) => FIELD_TYPES.has(e.type) && inside(e.bbox, c));
  const fromElement = field ? asLabel(field.label, typed) : null;
  if (fromElement) return fromElement;
  const others = { text: analysis.text.filter((l) => l !== shown), elements: analysis.elements };
  return adjacentLabel(others, field?.bbox ?? shown.bbox, typed);
}

/** Placeholder parameter names: the learner found no label; `learn` asks the person for one. */
const PLACEHOLDER = /^text_\d+$/;

export function needsName(parameterName: string): boolean {
  return PLACEHOLDER.test(parameterName);
}
