/**
 * Safety rules (seeds/vision-architecture.md, "safety_rules"): texts and roles the runner must
 * never click, and actions that need a person's confirmation. A workflow without rules gets
 * DEFAULT_SAFETY_RULES, so destructive buttons (Supprimer, Delete, Effacer…) are refused unless
 * the user lists the text in `allowed_text_clicks`.
 */
import { DEFAULT_SAFETY_RULES, type SafetyRules, type Workflow } from '../contracts/workflow';
import { normalizeText } from '../vision/text-match';

/** What is about to be acted on: the target's visible text or label, its role and type, and the action type. */
export interface SafetyQuery {
  text?: string | null;
  role?: string | null;
  type?: string | null;
  action?: string | null;
}

export interface SafetyVerdict {
  allowed: boolean;
  /** The rule that refused the action, e.g. 'forbidden_text_clicks: "Supprimer"'. */
  rule?: string;
  /** Allowed, but only after a person confirms (require_confirmation_for matched). */
  requires_confirmation: boolean;
  confirmation_rule?: string;
}

/** The workflow's rules, or a copy of the defaults when it has none; missing lists take the defaults. */
export function safetyRulesOf(workflow: Pick<Workflow, 'safety_rules'>): SafetyRules {
  const rules = workflow.safety_rules;
  return {
    ...rules,
    forbidden_text_clicks: rules?.forbidden_text_clicks ?? [...DEFAULT_SAFETY_RULES.forbidden_text_clicks],
    forbidden_roles: rules?.forbidden_roles ?? [...DEFAULT_SAFETY_RULES.forbidden_roles],
    require_confirmation_for: rules?.require_confirmation_for ?? [...DEFAULT_SAFETY_RULES.require_confirmation_for],
    allowed_text_clicks: rules?.allowed_text_clicks ?? [],
  };
}

/** True when the phrase `needle` appears in `text` as whole words, ignoring case and accents. */
function containsPhrase(text: string, needle: string): boolean {
  const t = ` ${normalizeText(text)} `;
  const n = normalizeText(needle);
  return n.length > 0 && t.includes(` ${n} `);
}

/** Words of a role or action name ("delete_action" → "delete action"). */
function words(name: string): string {
  return name.replace(/[_-]+/g, ' ');
}

/** Whether the runner may act on this target. Forbidden texts win over everything except an explicit allowance. */
export function checkSafety(workflow: Pick<Workflow, 'safety_rules'>, query: SafetyQuery): SafetyVerdict {
  const rules = safetyRulesOf(workflow);
  const text = query.text ?? '';
  const allowed = (rules.allowed_text_clicks ?? []).some(
    (a) => normalizeText(a) === normalizeText(text) || containsPhrase(text, a),
  );
  if (text && !allowed) {
    const forbidden = rules.forbidden_text_clicks.find((f) => containsPhrase(text, f));
    if (forbidden)
      return { allowed: false, rule: `forbidden_text_clicks: "${forbidden}"`, requires_confirmation: false };
  }
  const role = query.role ?? '';
  if (role) {
    const forbiddenRole = rules.forbidden_roles.find((r) => normalizeText(words(r)) === normalizeText(words(role)));
    if (forbiddenRole)
      return { allowed: false, rule: `forbidden_roles: "${forbiddenRole}"`, requires_confirmation: false };
  }
  const described = [role, query.action ?? '', query.type ?? '', allowed ? '' : text].map(words).join(' ');
  const confirm = rules.require_confirmation_for.find((c) => containsPhrase(described, words(c)));
  return confirm
    ? { allowed: true, requires_confirmation: true, confirmation_rule: `require_confirmation_for: "${confirm}"` }
    : { allowed: true, requires_confirmation: false };
}

/** Allows clicking a text the defaults forbid, for this workflow only (the user's explicit choice). */
export function allowTextClick(workflow: Workflow, text: string): Workflow {
  const rules = safetyRulesOf(workflow);
  if (!rules.allowed_text_clicks!.some((a) => normalizeText(a) === normalizeText(text)))
    rules.allowed_text_clicks!.push(text);
  workflow.safety_rules = rules;
  return workflow;
}
