/**
 * The safety rules, checked before EVERY action on what is really under the pointer — not only
 * on what the workflow asked for — so a forbidden button is never clicked whichever strategy
 * (or healing) found it. The rules themselves live in lib/graph/safety.ts (checkSafety); this
 * gate decides WHAT to ask them about: the target's description, the resolved element's label
 * and role, every small element containing the click point, and the OCR words inside the
 * clicked box. OCR may drop an accent or a letter, so a text very close to a forbidden phrase
 * is refused too.
 */
import type { Target, Workflow, WorkflowAction, WorkflowEdge } from '../contracts/workflow';
import { checkSafety, safetyRulesOf } from '../graph/safety';
import { textSimilarity } from '../vision/text-match';
import type { BBox, ScreenAnalysis, UIElement } from '../vision/types';

export interface GateVerdict {
  allowed: boolean;
  /** The rule that forbids it, e.g. 'forbidden_text_clicks: "Supprimer"'. */
  rule?: string;
  /** What matched the rule, e.g. '"Supprimer"'. */
  matched?: string;
}

/** What the action would touch, as seen on the screen. */
export interface ActionSubject {
  action: WorkflowAction['type'];
  target?: Target;
  /** The element the locator resolved, when it is one. */
  element?: UIElement | null;
  /** Where the pointer acts. */
  point?: [number, number];
  bbox?: BBox | null;
  analysis?: ScreenAnalysis;
}

const POINTER_ACTIONS = new Set(['mouse_click', 'double_click', 'right_click', 'drag']);
const CONTAINERS = new Set(['form', 'dialog', 'table']);
const OCR_SLIP = 0.85;

function contains(b: BBox, p: [number, number]): boolean {
  return p[0] >= b[0] && p[0] < b[2] && p[1] >= b[1] && p[1] < b[3];
}

function overlaps(a: BBox, b: BBox): boolean {
  return Math.min(a[2], b[2]) > Math.max(a[0], b[0]) && Math.min(a[3], b[3]) > Math.max(a[1], b[1]);
}

/** The texts a pointer action at `subject.point` would act on. */
function textsUnderPointer(subject: ActionSubject): string[] {
  const texts: string[] = [];
  if (subject.element?.label) texts.push(subject.element.label);
  const a = subject.analysis;
  if (!a) return texts;
  // Small elements only: a whole form or dialog containing the point does not make it forbidden.
  if (subject.point) for (const e of a.elements) if (!CONTAINERS.has(e.type) && contains(e.bbox, subject.point)) texts.push(e.label);
  const box = subject.bbox ?? subject.element?.bbox;
  if (box) {
    const words = a.text.flatMap((l) => l.words).filter((w) => overlaps(w.bbox, box));
    texts.push(...words.map((w) => w.text));
    if (words.length > 1) texts.push(words.map((w) => w.text).join(' '));
  }
  return texts;
}

/** A forbidden phrase that `text` is an OCR slip away from (whole text or a run of its words). */
function nearForbidden(workflow: Pick<Workflow, 'safety_rules'>, text: string): string | null {
  const rules = safetyRulesOf(workflow);
  if ((rules.allowed_text_clicks ?? []).some((a) => textSimilarity(a, text) >= OCR_SLIP)) return null;
  const words = text.split(/\s+/);
  for (const phrase of rules.forbidden_text_clicks) {
    const n = phrase.split(/\s+/).length;
    for (let i = 0; i + n <= words.length; i++) if (textSimilarity(phrase, words.slice(i, i + n).join(' ')) >= OCR_SLIP) return phrase;
  }
  return null;
}

/**
 * May this action go ahead? Typing and keys are checked on the target's description and
 * resolved element; pointer actions on everything under the pointer as well.
 */
export function checkActionSafety(workflow: Pick<Workflow, 'safety_rules'>, subject: ActionSubject): GateVerdict {
  const role = subject.element?.role ?? subject.target?.role ?? null;
  const type = subject.element?.type ?? (subject.target?.type as string | undefined) ?? null;
  const texts = [subject.target?.text, subject.target?.label].filter((x): x is string => typeof x === 'string' && x !== '');
  if (POINTER_ACTIONS.has(subject.action)) texts.push(...textsUnderPointer(subject));
  else if (subject.element?.label) texts.push(subject.element.label);
  for (const r of new Set([subject.target?.role, subject.element?.role])) {
    if (!r) continue;
    const verdict = checkSafety(workflow, { role: r, type, action: subject.action });
    if (!verdict.allowed) return { allowed: false, rule: verdict.rule, matched: `an element with the role "${r}"` };
  }
  for (const text of new Set(texts)) {
    const verdict = checkSafety(workflow, { text, role, type, action: subject.action });
    if (!verdict.allowed) return { allowed: false, rule: verdict.rule, matched: `"${text}"` };
    const slip = nearForbidden(workflow, text);
    if (slip) return { allowed: false, rule: `forbidden_text_clicks: "${slip}"`, matched: `"${text}" (read by OCR)` };
  }
  return { allowed: true };
}

/** The require_confirmation_for rule the edge's action falls under, if any. */
export function confirmationRule(workflow: Pick<Workflow, 'safety_rules'>, edge: WorkflowEdge): string | null {
  const tags = [edge.action.strategy, edge.action.parameters?.category, ...(((edge.metadata?.tags as unknown[]) ?? []) as unknown[])].filter((x): x is string => typeof x === 'string');
  const verdict = checkSafety(workflow, {
    text: [edge.action.target?.text, edge.action.target?.label, ...tags].filter(Boolean).join(' '),
    role: edge.action.target?.role ?? null,
    type: (edge.action.target?.type as string | undefined) ?? null,
    action: edge.action.type,
  });
  return verdict.requires_confirmation ? (verdict.confirmation_rule ?? 'require_confirmation_for') : null;
}
