/**
 * Learning the choice, not the coordinates (issue 15): when a demonstrated click is one of
 * several similar items on its screen (an "Ouvrir" on each row of a list, cards, tiles), the
 * rule that explains every demonstration's choice — the item whose row shows a parameter's
 * value, the first item whose row shows a status, the only enabled one, the first / last / K-th
 * — becomes the step's selection policy. Each rule is checked with the runner's own
 * `applyPolicy` on the demonstration's screen, so a learned rule chooses at run time what it
 * chose then. No rule: the step is marked `needs_rule`, and only a person can set one.
 *
 * It also learns what the next screen must show: a cell of the clicked item's row (its invoice
 * number) that every demonstration's next screen showed becomes the `same_item` post-condition.
 */
import type { BBox, Point2, UIElement } from '../contracts/screen-state';
import type { ScreenAnalysis } from '../vision/types';
import type { ChoiceRule, Target, Workflow, WorkflowEdge } from '../contracts/workflow';
import { PARAMETER_REFERENCE, parameterValue } from '../contracts/parameter-references';
import { normalizeText } from '../vision/text-match';
import { applyPolicy, isKnownPolicy, NEEDS_RULE, rowCells, shownOn, type Positioned } from '../vision/selection-policy';
import { WorkflowGraphError } from './errors';
import type { Observation } from './observation';
import { stepsOfAction } from './action-steps';

const CONTAINER_TYPES = new Set(['dialog', 'form', 'table']);

/** One demonstration's choice: the similar items on its screen and the one clicked. */
export interface ChoiceContext {
  /** The items like the clicked one (same type and text; every row of a table), the clicked one among them. */
  peers: Array<Positioned & { row: string[] }>;
  chosen: number;
  analysis: ScreenAnalysis;
  /** The clicked item's own text. */
  label: string;
}

/** One demonstration of a step, as the learner hands it over. */
export interface ChoiceDemonstration {
  choice: ChoiceContext;
  /** The values the demonstration gave the workflow's parameters (what it typed). */
  values: Record<string, string>;
  /** The screen that came after the edge's action. */
  next: Observation | null;
}

/** Equal once normalised; texts of signs alone ("*", "=", which normalise to nothing) equal as written. */
const same = (a: string, b: string) =>
  normalizeText(a) === normalizeText(b) && (normalizeText(a) !== '' || a.replace(/\s+/g, '') === b.replace(/\s+/g, ''));

/** The clicked element among the items like it on the screen (itself alone when none is like it). */
export function choiceAt(analysis: ScreenAnalysis, element: UIElement | null): ChoiceContext | null {
  if (!element || CONTAINER_TYPES.has(element.type)) return null;
  const label = element.label.trim();
  // An icon without text is like every other icon: only items a text (or a row) names are compared.
  // Every row of a table is like the clicked one; an entry of a list is named by its own text.
  const anyRow = element.type === 'table_row' && element.role !== 'list_item';
  if (!label && !anyRow) return null;
  const peers = analysis.elements.filter((e) => e.type === element.type && (anyRow || same(e.label, label)));
  const ordered = peers
    .map((e) => ({ point: e.center as Point2, bbox: e.bbox as BBox, element: e, row: rowCells(analysis, e.bbox) }))
    .sort((a, b) => (Math.abs(a.point[1] - b.point[1]) < 5 ? a.point[0] - b.point[0] : a.point[1] - b.point[1]));
  return { peers: ordered, chosen: ordered.findIndex((p) => p.element === element), analysis, label };
}

function withValues(policy: string, values: Record<string, string>): string | null {
  let missing = false;
  const out = policy.replace(PARAMETER_REFERENCE, (_, name: string) => {
    const v = parameterValue(values, name);
    if (!v) missing = true;
    return v ?? '';
  });
  return missing ? null : out;
}

/** Whether `policy`, applied as the runner applies it, picks what the demonstration clicked. */
export function explains(policy: string, demo: Pick<ChoiceDemonstration, 'choice' | 'values'>): boolean {
  const p = withValues(policy, demo.values);
  if (!p) return false;
  const r = applyPolicy(p, demo.choice.peers, demo.choice.analysis);
  return !!r && 'chosen' in r && r.chosen === demo.choice.peers[demo.choice.chosen];
}

/** Whether any other item of the demonstration's screen shows `text` in its row. */
function onOtherRows(c: ChoiceContext, text: string): boolean {
  return c.peers.some((p, i) => i !== c.chosen && p.row.some((cell) => same(cell, text)));
}

/**
 * The rules that might explain the choices, most specific first: a parameter's value, a text
 * the chosen rows share (a status), the only enabled item, then positions.
 */
function candidateRules(demos: ChoiceDemonstration[]): string[] {
  const rules: string[] = [];
  const names = Object.keys(demos[0].values).filter((n) => demos.every((d) => d.values[n]?.trim()));
  for (const name of names) rules.push(`row_with:{{${name}}}`);
  const first = demos[0].choice;
  const chosenRows = demos.map((d) => d.choice.peers[d.choice.chosen].row);
  const rowsDiffer = chosenRows.some((r) => r.join('|') !== chosenRows[0].join('|'));
  for (const text of chosenRows[0]) {
    if (same(text, first.label) || !normalizeText(text)) continue;
    if (!chosenRows.every((row) => row.some((cell) => same(cell, text)))) continue;
    // A text only the chosen row ever shows names that row (an invoice number, a name): data, not a
    // rule — unless other demonstrations chose other rows that show it too.
    if (!rowsDiffer && !demos.some((d) => onOtherRows(d.choice, text))) continue;
    // A text every row shows tells nothing.
    if (demos.every((d) => d.choice.peers.every((p) => p.row.some((cell) => same(cell, text))))) continue;
    rules.push(`status:${text}`);
  }
  if (demos.some((d) => d.choice.peers.some((p) => p.element?.state.enabled === false))) rules.push('enabled');
  rules.push('first', 'last', `nth:${first.chosen}`);
  return [...new Set(rules)];
}

export interface InferredRule {
  policy: string;
  also_consistent: string[];
}

/** The most specific rule that explains every demonstration, or `needs_rule`. */
export function inferRule(demos: ChoiceDemonstration[]): InferredRule {
  const consistent = candidateRules(demos).filter((rule) => demos.every((d) => explains(rule, d)));
  // "first" and "nth:0" are one rule.
  const distinct = consistent.filter((r) => !(r === 'nth:0' && consistent.includes('first')));
  return distinct.length
    ? { policy: distinct[0], also_consistent: distinct.slice(1) }
    : { policy: NEEDS_RULE, also_consistent: [] };
}

/**
 * The cell of the chosen row that every demonstration's next screen showed (title first, then
 * the leftmost), among those that name the row (no other item shows them): null when none did.
 */
export function sameItemCell(demos: ChoiceDemonstration[]): number | null {
  if (demos.some((d) => !d.next)) return null;
  const row0 = demos[0].choice.peers[demos[0].choice.chosen].row;
  const cells: number[] = [];
  for (let k = 0; k < row0.length; k++) {
    const ok = demos.every((d) => {
      const row = d.choice.peers[d.choice.chosen].row;
      const text = row[k];
      return (
        !!text &&
        row.length === row0.length &&
        !same(text, d.choice.label) &&
        !onOtherRows(d.choice, text) &&
        shownOn(d.next!.analysis, d.next!.title, text)
      );
    });
    if (ok) cells.push(k);
  }
  const inTitle = cells.find((k) =>
    demos.every((d) => normalizeText(d.next!.title).includes(normalizeText(d.choice.peers[d.choice.chosen].row[k]))),
  );
  return inTitle ?? cells[0] ?? null;
}

/** A choice step leaves out what described the demonstration's item by its place or its neighbour. */
function forgetPlace(target: Target): void {
  delete target.near;
  delete target.relative_position;
  delete target.container_position;
  delete target.container_type;
  delete target.nth;
}

/**
 * A rule learned before, checked against new demonstrations: it, or the first of the rules that
 * also explained the earlier ones, if it explains the new ones too; else none does.
 */
function stillExplained(before: ChoiceRule, demos: ChoiceDemonstration[]): InferredRule {
  const known = [before.policy, ...before.also_consistent].filter((r) => r !== NEEDS_RULE);
  const consistent = known.filter((rule) => demos.every((d) => explains(rule, d)));
  return consistent.length
    ? { policy: consistent[0], also_consistent: consistent.slice(1) }
    : { policy: NEEDS_RULE, also_consistent: [] };
}

/**
 * Sets the learned rule of each choice step of `edge` (`steps` are its action's steps, mutated),
 * the `same_item` post-condition, and the record of how (metadata.choice_rules). `demos[i]` are
 * the new demonstrations of step i (empty for steps without a choice). A rule a person set is
 * kept; one learned before must explain the new demonstrations as well.
 */
export function applyChoiceRules(
  edge: WorkflowEdge,
  steps: Array<{ target?: Target }>,
  demos: ChoiceDemonstration[][],
): void {
  const previous = edge.metadata?.choice_rules ?? [];
  const rules: ChoiceRule[] = previous.filter((r) => r.set_by === 'person' || !demos[r.step]?.length);
  steps.forEach((step, i) => {
    const list = demos[i] ?? [];
    if (!step.target || !list.length || rules.some((r) => r.step === i)) return;
    const before = previous.find((r) => r.step === i);
    const inferred = before ? stillExplained(before, list) : inferRule(list);
    step.target.selection_policy = inferred.policy;
    forgetPlace(step.target);
    rules.push({
      step: i,
      ...inferred,
      demonstrations: (before?.demonstrations ?? 0) + list.length,
      set_by: 'learner',
    });
    const cell = sameItemCell(list);
    const old = edge.post_conditions?.same_item;
    // A post-condition stands only while every demonstration, earlier ones included, showed its cell.
    if (old?.step === i && old.cell !== cell) delete edge.post_conditions!.same_item;
    else if (cell !== null && !before)
      edge.post_conditions = { ...(edge.post_conditions ?? {}), same_item: { step: i, cell } };
  });
  if (rules.length) edge.metadata = { ...(edge.metadata ?? {}), choice_rules: rules.sort((a, b) => a.step - b.step) };
}

/**
 * A person's rule for a step (`learn --rule EDGE=POLICY`): on the step marked `needs_rule`, else
 * the one with a learned rule, else the edge's only click. Checked before anything is changed.
 */
export function setChoiceRule(workflow: Workflow, edgeId: string, policy: string): void {
  const edge = workflow.edges.find((e) => e.edge_id === edgeId);
  if (!edge)
    throw new WorkflowGraphError(
      `the workflow ${workflow.workflow_id} has no step "${edgeId}" (steps: ${workflow.edges.map((e) => e.edge_id).join(', ')})`,
    );
  const rule = policy.trim();
  if (!isKnownPolicy(rule.replace(PARAMETER_REFERENCE, 'x')) || rule === NEEDS_RULE)
    throw new WorkflowGraphError(
      `"${policy}" is not a selection rule: use status:TEXT (the first item whose row shows TEXT), row_with:{{parameter}}, enabled, first, last or nth:K (K from 0)`,
    );
  const names = new Set((workflow.parameters ?? []).map((p) => p.name));
  for (const m of rule.matchAll(PARAMETER_REFERENCE))
    if (!names.has(m[1]))
      throw new WorkflowGraphError(
        `the rule "${policy}" refers to the parameter ${m[1]}, which the workflow does not have (parameters: ${[...names].join(', ') || 'none'})`,
      );
  const steps = stepsOfAction(edge.action);
  const learned = edge.metadata?.choice_rules ?? [];
  const pointer = steps
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => s.target && ['mouse_click', 'double_click', 'right_click'].includes(s.type));
  const index =
    learned.find((r) => r.policy === NEEDS_RULE)?.step ??
    learned[0]?.step ??
    (pointer.length === 1 ? pointer[0].i : undefined);
  if (index === undefined || !steps[index]?.target)
    throw new WorkflowGraphError(
      `step ${edgeId} has ${pointer.length ? 'several clicks' : 'no click'} and no learned choice: there is no item to set a rule for`,
    );
  const target = steps[index].target!;
  target.selection_policy = rule;
  forgetPlace(target);
  const others = learned.filter((r) => r.step !== index);
  const before = learned.find((r) => r.step === index);
  edge.metadata = {
    ...(edge.metadata ?? {}),
    choice_rules: [
      ...others,
      {
        step: index,
        policy: rule,
        also_consistent: [],
        demonstrations: before?.demonstrations ?? 0,
        set_by: 'person' as const,
      },
    ].sort((a, b) => a.step - b.step),
  };
  workflow.updated_at = new Date().toISOString();
}
