/**
 * Grounding: from a target described by meaning (text/label, type, role, near text, anchor
 * image) to the point to click. Fields are found by their label but clicked on the control;
 * several equally good candidates without nth/near is reported as ambiguous (strict mode).
 */
import type { RgbaImage } from '../platform/types';
import type { BBox, ElementType, UIElement } from '../contracts/screen-state';
import { matchAnchorAgainstBoxes, matchAnchorImage } from './anchor-image';
import { loadImage } from './image';
import { textSimilarity } from './text-match';
import type { LocateCandidate, LocateResult, LocateTarget, ScreenAnalysis } from './types';

const INTERACTIVE = new Set<ElementType>(['button', 'text_input', 'checkbox', 'radio', 'dropdown', 'tab', 'link', 'icon', 'table_row', 'menu_item']);
/** Types whose click point is the control rather than the label text next to it. */
const LABELLED_CONTROLS = new Set<ElementType>(['text_input', 'dropdown', 'checkbox', 'radio']);
const TYPE_ALIASES: Record<string, ElementType> = {
  input: 'text_input',
  textbox: 'text_input',
  field: 'text_input',
  select: 'dropdown',
  combobox: 'dropdown',
  combo: 'dropdown',
  row: 'table_row',
  menu: 'menu_item',
  menuitem: 'menu_item',
};

export class LocateError extends Error {
  override name = 'LocateError';
}

export function normalizeElementType(type: string | undefined): ElementType | undefined {
  if (!type) return undefined;
  const t = type.toLowerCase().replace(/-/g, '_');
  return (TYPE_ALIASES[t] ?? t) as ElementType;
}

interface Scored {
  element: UIElement | null;
  label: string;
  bbox: BBox;
  center: [number, number];
  score: number;
  strategy: string;
}

export async function locateIn(analysis: ScreenAnalysis, target: LocateTarget): Promise<Omit<LocateResult, 'timing_ms'>> {
  const query = target.text ?? target.label;
  const type = normalizeElementType(target.type);
  const minScore = target.minScore ?? 0.75;
  if (!query && !type && !target.role && !target.anchorImage) throw new LocateError('a target needs at least one of text, label, type, role or anchorImage');
  let scored: Scored[] = [];
  const byId = new Map(analysis.elements.map((e) => [e.element_id, e]));

  if (query) {
    for (const e of analysis.elements) {
      let score = textSimilarity(query, e.label);
      if (score < minScore && e.state.value) score = Math.max(score, textSimilarity(query, e.state.value) * 0.95);
      if (score < minScore) continue;
      // A label points at its control: the click goes on the field, not on the words.
      const forId = e.relationships.find((r) => r.type === 'label_for')?.target_element_id;
      const control = forId ? byId.get(forId) : undefined;
      if (control && (!type || control.type === type)) {
        scored.push(fromElement(control, score + 0.02, 'label->control'));
        continue;
      }
      scored.push(fromElement(e, score, LABELLED_CONTROLS.has(e.type) ? 'label->control' : 'text'));
    }
    // OCR words as a fallback when no element carries the text (e.g. part of a long line).
    if (!scored.some((s) => s.score >= 0.9)) scored.push(...wordWindows(analysis, query, minScore));
  } else if (type || target.role) {
    for (const e of analysis.elements) scored.push(fromElement(e, 0.8, 'element'));
  }
  if (type) scored = scored.filter((s) => s.element?.type === type || (!s.element && (type === 'text' || type === 'link')));
  if (target.role) {
    const role = target.role.toLowerCase();
    scored = scored.filter((s) => (s.element?.role ?? '').toLowerCase().includes(role) || textSimilarity(role, s.element?.role ?? '') > 0.8);
  }
  // Prefer something clickable over plain text with the same words.
  for (const s of scored) if (s.element && INTERACTIVE.has(s.element.type)) s.score += 0.01;

  if (target.anchorImage) {
    const screen = analysis.image;
    if (!screen) throw new LocateError('anchor image matching needs the pixels of the screen, but the analysis has none');
    const anchor = await loadImage(target.anchorImage as RgbaImage | string | Buffer);
    const boxes = [...analysis.elements.map((e) => e.bbox), ...analysis.text.map((l) => l.bbox)];
    const hit = (await matchAnchorAgainstBoxes(screen, anchor, boxes)) ?? (await matchAnchorImage(screen, anchor));
    if (hit) {
      if (query || type || target.role) {
        for (const s of scored) if (overlapRatio(s.bbox, hit.bbox) > 0.3) s.score += 0.1 * hit.score;
      } else {
        const inside = analysis.elements.filter((e) => overlapRatio(e.bbox, hit.bbox) > 0.5 && INTERACTIVE.has(e.type));
        scored.push(inside.length ? { ...fromElement(inside[0], hit.score, 'anchor_image'), bbox: hit.bbox } : { element: null, label: '', bbox: hit.bbox, center: mid(hit.bbox), score: hit.score, strategy: 'anchor_image' });
      }
    }
  }

  if (target.near) {
    const anchors = analysis.elements.filter((e) => textSimilarity(target.near!, e.label) >= 0.8);
    if (anchors.length) {
      for (const s of scored) {
        const d = Math.min(...anchors.map((a) => distance(mid(a.bbox), s.center)));
        s.score += 0.15 * Math.exp(-d / (0.25 * Math.max(analysis.width, analysis.height)));
      }
    }
  }

  // One candidate per element (the best way of reaching it).
  const unique = new Map<string, Scored>();
  for (const s of scored) {
    const key = s.element?.element_id ?? s.bbox.join(',');
    const prev = unique.get(key);
    if (!prev || s.score > prev.score) unique.set(key, s);
  }
  const ranked = [...unique.values()].filter((s) => s.score >= minScore || (!query && s.score > 0)).sort((a, b) => b.score - a.score);
  const candidates: LocateCandidate[] = ranked.slice(0, 10).map((s) => ({ element_id: s.element?.element_id ?? null, type: s.element?.type ?? null, label: s.label, bbox: s.bbox, center: s.center, score: round(s.score) }));
  if (!ranked.length) return { found: false, center: null, bbox: null, score: 0, strategy: 'none', candidates, ambiguous: false, element: null };

  let chosen: Scored;
  if (target.nth !== undefined) {
    const best = ranked[0].score;
    const peers = ranked.filter((s) => s.score >= best - 0.05).sort((a, b) => (Math.abs(a.center[1] - b.center[1]) < 5 ? a.center[0] - b.center[0] : a.center[1] - b.center[1]));
    if (target.nth >= peers.length) return { found: false, center: null, bbox: null, score: 0, strategy: 'nth_out_of_range', candidates, ambiguous: false, element: null };
    chosen = peers[target.nth];
  } else {
    const tied = ranked.filter((s) => s.score >= ranked[0].score - 0.02);
    if (tied.length > 1 && !target.near) {
      return { found: false, center: null, bbox: null, score: round(ranked[0].score), strategy: 'ambiguous', candidates, ambiguous: true, element: null };
    }
    chosen = ranked[0];
  }
  return { found: true, center: chosen.center, bbox: chosen.bbox, score: round(Math.min(1, chosen.score)), strategy: chosen.strategy, candidates, ambiguous: false, element: chosen.element };
}

function fromElement(e: UIElement, score: number, strategy: string): Scored {
  return { element: e, label: e.label, bbox: e.bbox, center: e.center, score, strategy };
}

/** Best run of consecutive OCR words matching the query, per line. */
function wordWindows(analysis: ScreenAnalysis, query: string, minScore: number): Scored[] {
  const n = query.trim().split(/\s+/).length;
  const out: Scored[] = [];
  for (const line of analysis.text) {
    for (let len = Math.max(1, n - 1); len <= n + 1; len++) {
      for (let i = 0; i + len <= line.words.length; i++) {
        const words = line.words.slice(i, i + len);
        const text = words.map((w) => w.text).join(' ');
        const score = textSimilarity(query, text) - 0.03;
        if (score < minScore) continue;
        const bbox: BBox = [words[0].bbox[0], line.bbox[1], words[words.length - 1].bbox[2], line.bbox[3]];
        const inside = analysis.elements.find((e) => INTERACTIVE.has(e.type) && overlapRatio(e.bbox, bbox) > 0.6);
        out.push(inside ? { ...fromElement(inside, score, 'ocr_words') } : { element: null, label: text, bbox, center: mid(bbox), score, strategy: 'ocr_words' });
      }
    }
  }
  return out;
}

function mid(b: BBox): [number, number] {
  return [Math.round((b[0] + b[2]) / 2), Math.round((b[1] + b[3]) / 2)];
}
function distance(a: [number, number], b: [number, number]): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}
function overlapRatio(a: BBox, b: BBox): number {
  const i = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  return i / Math.max(1, Math.min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1])));
}
function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
