/**
 * What a person needs to know after learning: the screens, the steps (what each does), the
 * parameters, and what the learner could not decide alone — a parameter it could only number
 * (no field label to name it after), a step that leads to several screens (a choice rule to
 * state), a click on one of several similar items whose choice no rule explains, a secret it
 * did not record, a single demonstration (no typed value can vary yet) —
 * and the renaming a person does then, which follows every "{{name}}" reference.
 */
import type { Workflow, WorkflowAction } from '../contracts/workflow';
import { WorkflowGraphError } from './errors';
import { needsName } from './names';
import { stepsOfAction } from './action-steps';
import { destinations } from './workflow-queries';
import { describePolicy, NEEDS_RULE } from '../vision/selection-policy';

export interface NeedsPerson {
  kind: 'parameter_name' | 'choice_rule' | 'secret_value' | 'more_demonstrations';
  /** The parameter or step concerned. */
  subject: string;
  message: string;
}

export interface LearnedSummary {
  workflow_id: string;
  name: string;
  version: number;
  learning_state: string;
  demonstrations: number;
  screens: Array<{ node_id: string; label: string; title: string | null }>;
  steps: Array<{
    edge_id: string;
    from: string;
    to: string[];
    does: string;
    /** What the run checks after a step back to its own screen (`own_screen`), when anything. */
    checks?: string;
  }>;
  parameters: Array<{ name: string; default: string; secret: boolean; description: string; needs_name: boolean }>;
  /** Which of several similar items each choice step acts on, and how that rule was found. */
  choices: Array<{
    edge_id: string;
    step: number;
    policy: string;
    means: string;
    also_consistent: string[];
    demonstrations: number;
    set_by: 'learner' | 'person';
  }>;
  needs_person: NeedsPerson[];
}

function describeStep(step: WorkflowAction): string {
  const where = step.target?.label ?? step.target?.text;
  switch (step.type) {
    case 'type_text':
      return `type ${step.text ?? ''}${step.target?.label ? ` in "${step.target.label}"` : ''}`;
    case 'key_press':
      return `press ${(step.keys ?? []).join('+')}`;
    case 'scroll':
      return 'scroll';
    case 'wait':
      return `wait ${step.parameters?.wait_ms ?? 0} ms`;
    default: {
      const policy = step.target?.selection_policy;
      const which = policy && policy !== NEEDS_RULE ? ` (${describePolicy(policy)})` : '';
      return `${step.type.replace(/_/g, ' ')}${where ? ` "${where}"` : ''}${which}`;
    }
  }
}

/**
 * What the run checks after a step back to its own screen, e.g. `{{last_name}}, {{first_name}} gone
 * from the screen`; null when it checks nothing of the kind.
 */
export function describeOwnScreen(edge: Workflow['edges'][number]): string | null {
  const condition = edge.post_conditions?.own_screen;
  if (!condition) return null;
  const steps = stepsOfAction(edge.action);
  const value = (i: number) =>
    steps[i]?.type === 'type_text'
      ? (steps[i].text ?? '')
      : `"${steps[i]?.target?.text ?? steps[i]?.target?.label ?? '?'}"`;
  const parts = [
    condition.gone.length ? `${condition.gone.map(value).join(', ')} gone from the screen (the step was taken)` : '',
    condition.shown.length ? `${condition.shown.map(value).join(', ')} shown where it was not before` : '',
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : null;
}

/** One line for an action, e.g. `type {{text_1}}, press CTRL+S`. */
export function describeAction(action: WorkflowAction): string {
  return stepsOfAction(action).map(describeStep).join(', ') || 'wait';
}

function needsPerson(workflow: Workflow, demonstrations: number): NeedsPerson[] {
  const needs: NeedsPerson[] = [];
  for (const p of workflow.parameters ?? []) {
    if (needsName(p.name))
      needs.push({
        kind: 'parameter_name',
        subject: p.name,
        message: `parameter ${p.name} was typed in a field with no label to name it after: give it a name (${p.description ?? 'typed text'})`,
      });
    if (p.secret)
      needs.push({
        kind: 'secret_value',
        subject: p.name,
        message: `parameter ${p.name} is secret and was not recorded: give its value with each run`,
      });
  }
  for (const e of workflow.edges) {
    const to = destinations(e);
    if (to.length > 1)
      needs.push({
        kind: 'choice_rule',
        subject: e.edge_id,
        message: `step ${e.edge_id} leads to ${to.join(' or ')}: say how the run tells which (a choice rule), or confirm the learned odds`,
      });
  }
  for (const e of workflow.edges)
    for (const rule of e.metadata?.choice_rules ?? []) {
      if (rule.policy !== NEEDS_RULE) continue;
      const what = stepsOfAction(e.action)[rule.step]?.target?.text;
      needs.push({
        kind: 'choice_rule',
        subject: e.edge_id,
        message: `step ${e.edge_id} clicks one of several similar items${what ? ` ("${what}")` : ''}, and no rule explains the ${rule.demonstrations} demonstration(s)' choices (not the same position, no text their rows share, no parameter's value): it will not run alone until a person sets one, e.g. rpa-vision learn --out WF.json --rule ${e.edge_id}=status:TEXT`,
      });
    }
  if (demonstrations === 1)
    needs.push({
      kind: 'more_demonstrations',
      subject: workflow.workflow_id,
      message:
        'learned from one demonstration: typed text becomes a parameter once another demonstration types something else',
    });
  return needs;
}

export function learnedSummary(workflow: Workflow): LearnedSummary {
  const demonstrations = workflow.metadata?.sessions?.length ?? 0;
  return {
    workflow_id: workflow.workflow_id,
    name: workflow.name,
    version: workflow.version ?? 1,
    learning_state: workflow.learning?.state ?? workflow.learning_state ?? 'OBSERVATION',
    demonstrations,
    screens: workflow.nodes.map((n) => ({
      node_id: n.node_id,
      label: n.label,
      title: n.screen_template.window?.title_contains_any_of?.[0] ?? null,
    })),
    steps: workflow.edges.map((e) => {
      const checks = describeOwnScreen(e);
      return {
        edge_id: e.edge_id,
        from: e.from_node,
        to: destinations(e),
        does: describeAction(e.action),
        ...(checks ? { checks } : {}),
      };
    }),
    parameters: (workflow.parameters ?? []).map((p) => ({
      name: p.name,
      default: p.secret ? '' : p.default,
      secret: !!p.secret,
      description: p.description ?? '',
      needs_name: needsName(p.name),
    })),
    choices: workflow.edges.flatMap((e) =>
      (e.metadata?.choice_rules ?? []).map((r) => ({
        edge_id: e.edge_id,
        step: r.step,
        policy: r.policy,
        means: describePolicy(r.policy),
        also_consistent: r.also_consistent,
        demonstrations: r.demonstrations,
        set_by: r.set_by,
      })),
    ),
    needs_person: needsPerson(workflow, demonstrations),
  };
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Renames a parameter and every "{{from}}" that refers to it; the workflow is changed in place. */
export function renameParameter(workflow: Workflow, from: string, to: string): void {
  const params = workflow.parameters ?? [];
  const param = params.find((p) => p.name === from);
  if (!param)
    throw new WorkflowGraphError(
      `the workflow ${workflow.workflow_id} has no parameter "${from}" (parameters: ${params.map((p) => p.name).join(', ') || 'none'})`,
    );
  if (!NAME.test(to))
    throw new WorkflowGraphError(
      `"${to}" cannot name a parameter: use letters, digits and _ (not first a digit), e.g. note_text`,
    );
  if (from === to) return;
  if (params.some((p) => p.name === to))
    throw new WorkflowGraphError(`the workflow ${workflow.workflow_id} already has a parameter "${to}"`);
  param.name = to;
  const reference = new RegExp(`\\{\\{\\s*${from}\\s*\\}\\}`, 'g');
  const rewrite = (value: unknown): unknown => {
    if (typeof value === 'string') return value.replace(reference, `{{${to}}}`);
    if (Array.isArray(value)) return value.map(rewrite);
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v)]));
    return value;
  };
  workflow.edges = rewrite(workflow.edges) as Workflow['edges'];
  workflow.nodes = rewrite(workflow.nodes) as Workflow['nodes'];
  workflow.updated_at = new Date().toISOString();
}
