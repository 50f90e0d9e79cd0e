/**
 * Validation at every boundary: files read from disk, HTTP bodies, node inputs. Errors name the
 * field (as a path such as `events[3].pos`) and the problem, all at once, never a stack trace.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import rawSessionSchema from '../../schemas/rawsession_v1.schema.json';
import uiElementSchema from '../../schemas/ui-element.schema.json';
import screenStateSchema from '../../schemas/screen-state.schema.json';
import workflowSchema from '../../schemas/workflow.schema.json';
import triggerSchema from '../../schemas/trigger.schema.json';
import chainSchema from '../../schemas/chain.schema.json';
import jobSchema from '../../schemas/job.schema.json';
import type { JobCloseRequest, JobRetryRequest, JobSubmitRequest } from './job-requests';
import type {
  ChainExecuteRequest,
  ChainRequest,
  TriggerFireRequest,
  TriggerRequest,
  TriggerToggleRequest,
} from './automation-requests';
import { checkCondition } from './condition';
import { unsafePatternProblem } from './safe-pattern';
import type { RawSession } from './raw-session';
import type { ScreenState, UIElement } from './screen-state';
import type { Workflow } from './workflow';

/** One problem: the field as a path (`events[3].pos`, or WHOLE_DOCUMENT) and what is wrong. */
export interface ContractIssue {
  field: string;
  problem: string;
}

/** The field of a problem with the document as a whole (not JSON, not an object). */
export const WHOLE_DOCUMENT = '(document)';

/** The problem of a key the schema does not declare (the schemas are closed). */
export const UNKNOWN_PROPERTY = 'unknown property';

export class ContractError extends Error {
  override name = 'ContractError';
  /** One line per problem: "nodes[0].node_id: is required". */
  readonly problems: string[];
  constructor(
    /** Which contract, e.g. "workflow". */
    readonly contract: string,
    readonly issues: ContractIssue[],
    source?: string,
  ) {
    const problems = issues.map((i) => `${i.field}: ${i.problem}`);
    super(
      `invalid ${contract}${source ? ` in ${source}` : ''}: ${problems.slice(0, 8).join('; ')}${problems.length > 8 ? `; … and ${problems.length - 8} more` : ''}`,
    );
    this.problems = problems;
  }
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addSchema(uiElementSchema as object, 'ui-element.schema.json');

/** `/events/3/pos` → `events[3].pos`. */
function fieldPath(instancePath: string, extra?: string): string {
  const parts = instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra) parts.push(extra);
  let out = '';
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out ? `.${p}` : p;
  return out || WHOLE_DOCUMENT;
}

function describe(e: ErrorObject): ContractIssue | undefined {
  const p = e.params as Record<string, unknown>;
  // Each branch of an anyOf reports its own failure; the anyOf error itself says it better.
  if (/\/anyOf\/\d+\//.test(e.schemaPath)) return undefined;
  const at = (problem: string, field = fieldPath(e.instancePath)): ContractIssue => ({ field, problem });
  switch (e.keyword) {
    case 'required':
      return at('is required', fieldPath(e.instancePath, String(p.missingProperty)));
    // The schemas are closed, so a misspelt key is refused rather than silently ignored.
    case 'additionalProperties':
      return at(UNKNOWN_PROPERTY, fieldPath(e.instancePath, String(p.additionalProperty)));
    case 'unevaluatedProperties':
      return at(UNKNOWN_PROPERTY, fieldPath(e.instancePath, String(p.unevaluatedProperty)));
    case 'type':
      return at(`must be ${p.type}`);
    case 'enum':
      return at(`must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`);
    case 'const':
      return at(`must be ${JSON.stringify(p.allowedValue)}`);
    case 'format':
      return at(`must be a ${p.format} (e.g. 2025-11-21T10:15:00Z)`);
    case 'pattern':
      return at(`has characters that are not allowed (must match ${p.pattern})`);
    // "if/then", "anyOf" and "allOf" wrappers repeat what their inner errors already say.
    case 'if':
    case 'allOf':
      return undefined;
    case 'anyOf':
      return e.instancePath.match(/\/edges\/\d+$/) ? at('needs to_node or to_node_candidates') : undefined;
    default:
      return at(e.message ?? e.keyword);
  }
}

function issuesOf(validate: ValidateFunction): ContractIssue[] {
  const seen = new Map<string, ContractIssue>();
  for (const e of validate.errors ?? []) {
    const d = describe(e);
    if (d) seen.set(`${d.field}: ${d.problem}`, d);
  }
  const first = validate.errors?.[0];
  if (seen.size === 0 && first)
    return [{ field: fieldPath(first.instancePath), problem: first.message ?? first.keyword }];
  return [...seen.values()];
}

function isValidateFunction(schema: object): schema is ValidateFunction {
  return typeof schema === 'function';
}

function checker<T>(contract: string, schema: object | ValidateFunction, semantic?: (value: T) => ContractIssue[]) {
  const validate = isValidateFunction(schema) ? schema : ajv.compile(schema);
  return (value: unknown, source?: string): T => {
    if (!validate(value)) throw new ContractError(contract, issuesOf(validate), source);
    const more = semantic?.(value as T) ?? [];
    if (more.length) throw new ContractError(contract, more, source);
    return value as T;
  };
}

/**
 * Numbers JSON cannot hold: `1e400` parses as Infinity, passes the schema's "integer", and is
 * written back as null, leaving a file the product then lists as invalid. Walked without
 * recursion, since a body may be nested thousands of levels deep.
 */
function nonFiniteNumbers(value: unknown): ContractIssue[] {
  const problems: ContractIssue[] = [];
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length && problems.length < 8) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'number' && !Number.isFinite(v))
      problems.push({ field: at || WHOLE_DOCUMENT, problem: 'must be a finite number' });
    else if (Array.isArray(v)) v.forEach((x, i) => stack.push([x, `${at}[${i}]`]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) stack.push([x, at ? `${at}.${k}` : k]);
  }
  return problems;
}

/** Graph consistency that a schema cannot say: unique ids, edges between existing nodes. */
function workflowProblems(wf: Workflow): ContractIssue[] {
  const problems: ContractIssue[] = nonFiniteNumbers(wf);
  const ids = new Set<string>();
  wf.nodes.forEach((n, i) => {
    if (ids.has(n.node_id))
      problems.push({ field: `nodes[${i}].node_id`, problem: `"${n.node_id}" is used by two nodes` });
    ids.add(n.node_id);
  });
  const edgeIds = new Set<string>();
  wf.edges.forEach((e, i) => {
    if (edgeIds.has(e.edge_id))
      problems.push({ field: `edges[${i}].edge_id`, problem: `"${e.edge_id}" is used by two edges` });
    edgeIds.add(e.edge_id);
    if (!ids.has(e.from_node)) problems.push({ field: `edges[${i}].from_node`, problem: `no node "${e.from_node}"` });
    if (e.to_node !== undefined && !ids.has(e.to_node))
      problems.push({ field: `edges[${i}].to_node`, problem: `no node "${e.to_node}"` });
    e.to_node_candidates?.forEach((c, j) => {
      if (!ids.has(c)) problems.push({ field: `edges[${i}].to_node_candidates[${j}]`, problem: `no node "${c}"` });
    });
  });
  for (const key of ['entry_nodes', 'end_nodes'] as const) {
    wf[key]?.forEach((id, i) => {
      if (!ids.has(id)) problems.push({ field: `${key}[${i}]`, problem: `no node "${id}"` });
    });
  }
  wf.nodes.forEach((n, i) => {
    // The schema has already checked it is a string.
    const pattern = n.screen_template?.window?.title_pattern;
    const problem = pattern === undefined ? null : unsafePatternProblem(pattern);
    if (problem) problems.push({ field: `nodes[${i}].screen_template.window.title_pattern`, problem });
  });
  const params = new Set<string>();
  wf.parameters?.forEach((p, i) => {
    if (params.has(p.name)) problems.push({ field: `parameters[${i}].name`, problem: `"${p.name}" is declared twice` });
    params.add(p.name);
  });
  wf.edges.forEach((e, i) => {
    if (e.condition?.expression === undefined) return;
    try {
      checkCondition(e.condition.expression, [...params]);
    } catch (err) {
      problems.push({ field: `edges[${i}].condition.expression`, problem: (err as Error).message });
    }
  });
  return problems;
}

/** Every screenshot an event names must be listed. */
function sessionProblems(s: RawSession): ContractIssue[] {
  const shots = new Set(s.screenshots.map((x) => x.screenshot_id));
  const problems: ContractIssue[] = [];
  s.events.forEach((e, i) => {
    if (e.screenshot_id && !shots.has(e.screenshot_id))
      problems.push({
        field: `events[${i}].screenshot_id`,
        problem: `no screenshot "${e.screenshot_id}" in screenshots`,
      });
    if (e.after_screenshot_id && !shots.has(e.after_screenshot_id))
      problems.push({
        field: `events[${i}].after_screenshot_id`,
        problem: `no screenshot "${e.after_screenshot_id}" in screenshots`,
      });
  });
  return problems;
}

export const validateRawSession = checker<RawSession>('rawsession_v1', rawSessionSchema as object, sessionProblems);
export const validateScreenState = checker<ScreenState>('ScreenState', screenStateSchema as object);
export const validateUIElement = checker<UIElement>('UIElement', uiElementSchema as object);
export const validateWorkflow = checker<Workflow>('workflow', workflowSchema as object, workflowProblems);

// The API's request bodies: one document each, the bodies of their actions in its $defs.
ajv.addSchema(triggerSchema as object);
ajv.addSchema(chainSchema as object);
const compiled = (schema: { $id: string }, def?: string) =>
  ajv.getSchema(def ? `${schema.$id}#/$defs/${def}` : schema.$id)!;

export const validateTriggerRequest = checker<TriggerRequest>('trigger', compiled(triggerSchema));
export const validateTriggerToggleRequest = checker<TriggerToggleRequest>(
  'trigger toggle',
  compiled(triggerSchema, 'toggle'),
);
export const validateTriggerFireRequest = checker<TriggerFireRequest>('trigger fire', compiled(triggerSchema, 'fire'));
export const validateChainRequest = checker<ChainRequest>('chain', compiled(chainSchema));
export const validateChainExecuteRequest = checker<ChainExecuteRequest>(
  'chain execute',
  compiled(chainSchema, 'execute'),
);

ajv.addSchema(jobSchema as object);
export const validateJobSubmitRequest = checker<JobSubmitRequest>('job', compiled(jobSchema));
export const validateJobRetryRequest = checker<JobRetryRequest>('job retry', compiled(jobSchema, 'retry'));
export const validateJobCloseRequest = checker<JobCloseRequest>('job close', compiled(jobSchema, 'close'));
