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
import { normalizeText, textSimilarity } from '../vision/text-match';
import { parameterValue, referencedParameters } from '../contracts/parameter-references';
import type { BBox, ScreenAnalysis, UIElement } from '../vision/types';
import { amountsIn, formatAmount, namesAnAmount, typedAmount } from './amounts';

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
  if (subject.point)
    for (const e of a.elements) if (!CONTAINERS.has(e.type) && contains(e.bbox, subject.point)) texts.push(e.label);
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
    for (let i = 0; i + n <= words.length; i++)
      if (textSimilarity(phrase, words.slice(i, i + n).join(' ')) >= OCR_SLIP) return phrase;
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
  const texts = [subject.target?.text, subject.target?.label].filter(
    (x): x is string => typeof x === 'string' && x !== '',
  );
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
  const tags = [edge.action.strategy, edge.action.parameters?.category, ...(edge.metadata?.tags ?? [])].filter(
    (x): x is string => typeof x === 'string',
  );
  const verdict = checkSafety(workflow, {
    text: [edge.action.target?.text, edge.action.target?.label, ...tags].filter(Boolean).join(' '),
    role: edge.action.target?.role ?? null,
    type: (edge.action.target?.type as string | undefined) ?? null,
    action: edge.action.type,
  });
  return verdict.requires_confirmation ? (verdict.confirmation_rule ?? 'require_confirmation_for') : null;
}

/**
 * `max_amount_without_manual_check`: the runner never validates an amount above it alone. An
 * action "validates" when it clicks a button whose text or role says so (Valider, Confirmer,
 * Oui, Payer, Envoyer, OK, Submit…) or presses Enter. The amount is the largest of: the
 * parameter values typed earlier in the run that are amounts, and the money read on the screen
 * on the target's row, inside its container (form, dialog), or next to it.
 */
const VALIDATING_WORDS =
  /\b(valider|validation|confirmer|confirm|oui|yes|ok|payer|pay|regler|envoyer|send|soumettre|submit|enregistrer|save|accepter|accept|approuver|approve|signer|sign|transferer|transfer|virement|commander|order|terminer|finish)\b/;
const VALIDATING_ROLES = /submit|confirm|validat|pay/;
const ENTER_KEYS = new Set(['enter', 'return', 'kp_enter']);
/** How far (px) from the target money still counts as "next to it" when it has no container. */
const NEAR_AMOUNT_PX = 320;

export interface AmountSeen {
  amount: number;
  /** As read or typed, e.g. "1 250,00 €". */
  text: string;
  /** Where it comes from: 'parameter "montant"', 'the screen, on the row of the target'… */
  source: string;
}

export interface AmountVerdict {
  threshold: number;
  amount: AmountSeen;
}

/** Whether this action submits or validates what is on the screen. */
export function validatesSomething(
  subject: Pick<ActionSubject, 'action' | 'target' | 'element'> & { keys?: string[] },
): boolean {
  if (subject.action === 'key_press') return (subject.keys ?? []).some((k) => ENTER_KEYS.has(k.toLowerCase()));
  if (!POINTER_ACTIONS.has(subject.action) || subject.action === 'drag') return false;
  const text = normalizeText(
    [subject.element?.label, subject.target?.text, subject.target?.label].filter(Boolean).join(' '),
  );
  const roles = [subject.element?.role, subject.target?.role].filter(Boolean).join(' ');
  return VALIDATING_WORDS.test(text) || VALIDATING_ROLES.test(roles);
}

/** The money on the screen that belongs with the target: its row, its container, or next to it. */
export function amountsOnScreen(subject: ActionSubject): AmountSeen[] {
  const a = subject.analysis;
  const box = subject.bbox ?? subject.element?.bbox;
  if (!a || !box) return [];
  const [cx, cy] = subject.point ?? [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2];
  const mid = (b: BBox): [number, number] => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
  // The smallest container that holds the target and is not the whole window.
  const container = a.elements
    .filter(
      (e) =>
        CONTAINERS.has(e.type) &&
        contains(e.bbox, [cx, cy]) &&
        (e.bbox[2] - e.bbox[0]) * (e.bbox[3] - e.bbox[1]) < a.width * a.height * 0.8,
    )
    .sort(
      (x, y) => (x.bbox[2] - x.bbox[0]) * (x.bbox[3] - x.bbox[1]) - (y.bbox[2] - y.bbox[0]) * (y.bbox[3] - y.bbox[1]),
    )[0];
  const amountFields = a.elements.filter(
    (e) => (e.type === 'text_input' || e.type === 'text') && namesAnAmount(e.label),
  );
  const out: AmountSeen[] = [];
  for (const line of a.text) {
    const [lx, ly] = mid(line.bbox);
    const where =
      ly >= box[1] - 4 && ly <= box[3] + 4
        ? 'on the row of the target'
        : container && contains(container.bbox, [lx, ly])
          ? `in the ${container.type} of the target`
          : Math.hypot(lx - cx, ly - cy) <= NEAR_AMOUNT_PX
            ? 'next to the target'
            : null;
    if (!where) continue;
    const inAmountField = amountFields.some((f) => contains(f.bbox, [lx, ly]));
    for (const m of amountsIn(line.text, inAmountField))
      out.push({ ...m, source: `the screen, ${where}${inAmountField ? ' (an amount field)' : ''}` });
  }
  return out;
}

/** The parameter values of `text` ("{{montant}}") that are amounts, as typed. */
export function amountsTyped(text: string, values: Record<string, string>, fieldName?: string): AmountSeen[] {
  const out: AmountSeen[] = [];
  for (const name of referencedParameters(text)) {
    const value = parameterValue(values, name);
    if (value === undefined) continue;
    const amount = typedAmount(value, [name, fieldName]);
    if (amount !== null)
      out.push({ amount, text: value, source: `parameter "${name}"${fieldName ? ` typed into "${fieldName}"` : ''}` });
  }
  return out;
}

/**
 * The amount above the workflow's `max_amount_without_manual_check` this action would
 * validate, or null (no limit, not a validating action, or nothing above it).
 */
export function amountOverLimit(
  workflow: Pick<Workflow, 'safety_rules'>,
  subject: ActionSubject & { keys?: string[] },
  typed: AmountSeen[],
): AmountVerdict | null {
  const threshold = workflow.safety_rules?.max_amount_without_manual_check;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold) || !validatesSomething(subject)) return null;
  const seen = [...typed, ...amountsOnScreen(subject)]
    .filter((x) => x.amount > threshold)
    .sort((x, y) => y.amount - x.amount);
  return seen.length ? { threshold, amount: seen[0] } : null;
}

/** 'the amount 1 250,00 € (parameter "montant") is above max_amount_without_manual_check (1 000)'. */
export function describeAmountVerdict(v: AmountVerdict): string {
  return `the amount ${v.amount.text} (${formatAmount(v.amount.amount)}, from ${v.amount.source}) is above max_amount_without_manual_check (${formatAmount(v.threshold)})`;
}
