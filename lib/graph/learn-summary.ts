/**
 * What a person needs to know after learning: the screens, the steps (what each does), the
 * parameters, and what the learner could not decide alone — a parameter it could only number
 * (no field label to name it after), a step that leads to several screens (a choice rule to
 * state), a secret it did not record, a single demonstration (no typed value can vary yet).
 */
import type { Workflow, WorkflowAction } from '../contracts/workflow';
import { destinations } from './workflow-queries';

export interface NeedsPerson {
  kind: 'parameter_name' | 'choice_rule' | 'secret_value' | 'more_demonstrations';
  /** The parameter or step concerned. */
  subject: string;
  message: string;
}

export interface LearnSummary {
  workflow_id: string;
  name: string;
  version: number;
  learning_state: string;
  demonstrations: number;
  screens: Array<{ node_id: string; label: string }>;
  steps: Array<{ edge_id: string; from: string; to: string[]; does: string }>;
  parameters: Array<{ name: string; default: string; description?: string; secret?: boolean }>;
  needs_person: NeedsPerson[];
}

const NUMBERED_PARAMETER = /^text_\d+(_\d+)?$/;

/** One line for an action, e.g. `type {{text_1}}, press CTRL+S`. */
export function describeAction(action: WorkflowAction): string {
  if (action.type === 'compound') return (action.steps ?? []).map(describeAction).join(', ');
  const target = action.target?.label ?? action.target?.text;
  const on = target ? ` on "${target}"` : '';
  switch (action.type) {
    case 'type_text':
      return `type ${action.text ?? ''}${on}`;
    case 'key_press':
      return `press ${(action.keys ?? []).join('+')}`;
    case 'wait':
      return `wait ${action.parameters?.wait_ms ?? 0} ms`;
    default:
      return `${action.type.replace(/_/g, ' ')}${on}`;
  }
}

export function summarizeLearned(workflow: Workflow): LearnSummary {
  const needs: NeedsPerson[] = [];
  const demonstrations = workflow.metadata?.sessions?.length ?? 0;
  for (const p of workflow.parameters ?? []) {
    if (NUMBERED_PARAMETER.test(p.name))
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
  if (demonstrations === 1)
    needs.push({
      kind: 'more_demonstrations',
      subject: workflow.workflow_id,
      message:
        'learned from one demonstration: typed text becomes a parameter once another demonstration types something else',
    });
  return {
    workflow_id: workflow.workflow_id,
    name: workflow.name,
    version: workflow.version ?? 1,
    learning_state: workflow.learning?.state ?? workflow.learning_state ?? 'OBSERVATION',
    demonstrations,
    screens: workflow.nodes.map((n) => ({ node_id: n.node_id, label: n.label })),
    steps: workflow.edges.map((e) => ({
      edge_id: e.edge_id,
      from: e.from_node,
      to: destinations(e),
      does: describeAction(e.action),
    })),
    parameters: (workflow.parameters ?? []).map((p) => ({
      name: p.name,
      default: p.secret ? '' : p.default,
      ...(p.description ? { description: p.description } : {}),
      ...(p.secret ? { secret: true } : {}),
    })),
    needs_person: needs,
  };
}
