/**
 * A step and the reason a person is asked about it, in parts, and those parts worded in English
 * or French. The runner's logs and errors use the English; the Questions and Coaching pages show
 * the reader's language, so a French office never reads a sentence half in English.
 */
import type { ActionType, Target, WorkflowAction } from '../contracts/workflow';
import type { AmountVerdict } from './safety-gate';
import { formatAmount } from './amounts';

export type Language = 'en' | 'fr';

/** What a target describes, in parts. */
export interface TargetWording {
  type?: string;
  role?: string;
  text?: string;
  near?: string;
  selection_policy?: string;
  nth?: number;
  image?: boolean;
}

/** What a step does, in parts. */
export interface StepWording {
  action: ActionType;
  target?: TargetWording;
  /** What is typed (the template, as "{{commentaire}}", never a parameter's value). */
  text?: string;
  keys?: string[];
  steps?: number;
  /** The label of what was found on the screen, when it is shown with the step. */
  found?: string;
}

/** Why a person is asked, in parts. */
export type ReasonWording =
  | { code: 'confirm_each_step' }
  | { code: 'confirmation_rule'; rule: string }
  | { code: 'amount_check'; amount: string; value: string; source: string; threshold: string }
  | { code: 'coach' | 'do_it_yourself'; candidates?: string[] };

export function targetWording(t: Target): TargetWording {
  return {
    ...(t.type ? { type: String(t.type) } : {}),
    ...(t.role ? { role: t.role } : {}),
    ...(t.text || t.label ? { text: t.text || t.label } : {}),
    ...(t.near ? { near: t.near } : {}),
    ...(t.selection_policy ? { selection_policy: String(t.selection_policy) } : {}),
    ...(t.nth !== undefined ? { nth: t.nth } : {}),
    ...(t.anchor_image ? { image: true } : {}),
  };
}

export function stepWording(action: WorkflowAction, found?: string): StepWording {
  const w: StepWording = { action: action.type };
  if (action.target) w.target = targetWording(action.target);
  if (action.type === 'type_text') w.text = action.text ?? '';
  if (action.type === 'key_press') w.keys = action.keys ?? [];
  if (action.type === 'compound') w.steps = action.steps?.length ?? 0;
  if (found) w.found = found;
  return w;
}

export function amountReason(v: AmountVerdict): ReasonWording {
  return {
    code: 'amount_check',
    amount: v.amount.text,
    value: formatAmount(v.amount.amount),
    source: v.amount.source,
    threshold: formatAmount(v.threshold),
  };
}

/** The labels and places of equally good candidates, as a reason lists them. */
export function candidateList(candidates: Array<{ label: string; bbox: readonly number[] }>): string[] {
  return candidates.slice(0, 5).map((c) => `"${c.label}" at [${c.bbox.join(',')}]`);
}

const VERBS: Record<Language, Record<ActionType, string>> = {
  en: {
    mouse_click: 'click',
    double_click: 'double-click',
    right_click: 'right-click',
    type_text: 'type',
    key_press: 'press',
    scroll: 'scroll',
    drag: 'drag',
    wait: 'wait',
    compound: 'do',
  },
  fr: {
    mouse_click: 'cliquer sur',
    double_click: 'double-cliquer sur',
    right_click: 'cliquer avec le bouton droit sur',
    type_text: 'taper',
    key_press: 'appuyer sur',
    scroll: 'faire défiler',
    drag: 'glisser',
    wait: 'attendre',
    compound: 'faire',
  },
};

/** French element names with their article. */
const FRENCH_TYPES: Record<string, string> = {
  button: 'le bouton',
  text_input: 'le champ de texte',
  checkbox: 'la case à cocher',
  radio: 'le bouton radio',
  dropdown: 'la liste déroulante',
  tab: "l'onglet",
  table_row: 'la ligne',
  list_item: "l'élément de liste",
  menu_item: "l'élément de menu",
  menu: 'le menu',
  link: 'le lien',
  label: 'le libellé',
  icon: "l'icône",
  image: "l'image",
  text: 'le texte',
};

const quote = (lang: Language, s: string) => (lang === 'fr' ? `« ${s} »` : `"${s}"`);

/** 'the button "Valider" near "F-1002"' / 'le bouton « Valider » près de « F-1002 »'. */
export function wordTarget(t: TargetWording, lang: Language): string {
  const text = t.text;
  let parts: string[];
  if (lang === 'en') {
    const what = t.type ? t.type.replace(/_/g, ' ') : t.role ? `element with the role "${t.role}"` : 'element';
    parts = [
      text
        ? `the ${what} "${text}"`
        : t.type || t.role
          ? `the ${what}`
          : t.image
            ? 'the element shown in the anchor image'
            : 'an element',
    ];
    if (t.role && (text || t.type)) parts.push(`with the role "${t.role}"`);
    if (t.near) parts.push(`near "${t.near}"`);
    if (t.selection_policy) parts.push(`(${t.selection_policy})`);
    if (t.nth !== undefined) parts.push(`(#${t.nth})`);
    return parts.join(' ');
  }
  const what = t.type
    ? (FRENCH_TYPES[t.type] ?? `l'élément de type ${t.type.replace(/_/g, ' ')}`)
    : t.role
      ? `l'élément de rôle « ${t.role} »`
      : "l'élément";
  parts = [
    text
      ? `${what} ${quote(lang, text)}`
      : t.type || t.role
        ? what
        : t.image
          ? "l'élément de l'image d'ancrage"
          : 'un élément',
  ];
  if (t.role && (text || t.type)) parts.push(`de rôle « ${t.role} »`);
  if (t.near) parts.push(`près de ${quote(lang, t.near)}`);
  if (t.selection_policy) parts.push(`(règle ${t.selection_policy})`);
  if (t.nth !== undefined) parts.push(`(n° ${t.nth})`);
  return parts.join(' ');
}

/** 'click the button "Valider" near "F-1002"' / 'cliquer sur le bouton « Valider » près de « F-1002 »'. */
export function wordStep(w: StepWording, lang: Language): string {
  const target = w.target ? wordTarget(w.target, lang) : '';
  const what =
    w.action === 'type_text'
      ? `${quote(lang, w.text ?? '')}${target ? ` ${lang === 'fr' ? 'dans' : 'into'} ${target}` : ''}`
      : w.action === 'key_press'
        ? (w.keys ?? []).join('+')
        : w.action === 'compound'
          ? `${w.steps ?? 0} ${lang === 'fr' ? 'étapes' : 'steps'}`
          : target;
  const step = `${VERBS[lang][w.action] ?? w.action} ${what}`.trim();
  return w.found ? `${step} (${quote(lang, w.found)})` : step;
}

export function wordReason(r: ReasonWording, lang: Language): string {
  const fr = lang === 'fr';
  const ambiguity = (c?: string[]) =>
    c?.length
      ? fr
        ? ` ; plusieurs éléments correspondent aussi bien (${c.join(', ')}) et aucune règle de choix ne dit lequel`
        : `; several elements match equally well (${c.join(', ')}) and no selection rule says which one`
      : '';
  switch (r.code) {
    case 'confirm_each_step':
      return fr ? 'AUTO_CANDIDATE : confirmez chaque étape' : 'AUTO_CANDIDATE: confirm each step';
    case 'confirmation_rule':
      return fr ? `règle de sécurité ${r.rule}` : `safety rule ${r.rule}`;
    case 'amount_check':
      return fr
        ? `règle de sécurité max_amount_without_manual_check : le montant ${r.amount} (${r.value}) dépasse ${r.threshold}`
        : `safety rule max_amount_without_manual_check: the amount ${r.amount} (${r.value}, from ${r.source}) is above max_amount_without_manual_check (${r.threshold})`;
    case 'coach':
      return (fr ? 'ACCOMPAGNEMENT : faites cette étape' : 'COACHING: please do this step') + ambiguity(r.candidates);
    case 'do_it_yourself':
      return (
        (fr ? 'AUTO_CANDIDATE : faites cette étape vous-même' : 'AUTO_CANDIDATE: please do this step yourself') +
        ambiguity(r.candidates)
      );
  }
}

export type PromptTexts = Record<Language, { description: string; reason: string }>;

/** A prompt's words: English as the logs and the CLI show them, and both languages for the pages. */
export function promptWords(
  step: StepWording,
  reason: ReasonWording,
): { description: string; reason: string; texts: PromptTexts } {
  const texts: PromptTexts = {
    en: { description: wordStep(step, 'en'), reason: wordReason(reason, 'en') },
    fr: { description: wordStep(step, 'fr'), reason: wordReason(reason, 'fr') },
  };
  return { ...texts.en, texts };
}
