/**
 * What a person reads after learning: the screens, steps and parameters the learner made, the
 * parameters it could not name (no label on the screen) with the way to name them, and the
 * renaming itself, which follows every "{{name}}" reference in the workflow.
 */
import type { Workflow, WorkflowAction } from '../contracts/workflow';
import { WorkflowGraphError } from './errors';
import { needsName } from './names';
import { stepsOfAction } from './action-steps';

export interface LearnedSummary {
  screens: Array<{ node_id: string; label: string; title: string | null }>;
  steps: Array<{ edge_id: string; from: string; to: string[]; does: string }>;
  parameters: Array<{ name: string; default: string; secret: boolean; description: string; needs_name: boolean }>;
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
      return 'wait';
    default:
      return `${step.type.replace(/_/g, ' ')}${where ? ` "${where}"` : ''}`;
  }
}

export function learnedSummary(workflow: Workflow): LearnedSummary {
  return {
    screens: workflow.nodes.map((n) => ({
      node_id: n.node_id,
      label: n.label,
      title: n.screen_template.window?.title_contains_any_of?.[0] ?? null,
    })),
    steps: workflow.edges.map((e) => ({
      edge_id: e.edge_id,
      from: e.from_node,
      to: e.to_node_candidates ?? (e.to_node ? [e.to_node] : []),
      does: stepsOfAction(e.action).map(describeStep).join(', ') || 'wait',
    })),
    parameters: (workflow.parameters ?? []).map((p) => ({
      name: p.name,
      default: p.secret ? '' : p.default,
      secret: !!p.secret,
      description: p.description ?? '',
      needs_name: needsName(p.name),
    })),
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
