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
import { checkCondition } from './condition';
import { unsafePatternProblem } from './safe-pattern';
import type { RawSession } from './raw-session';
import type { ScreenState, UIElement } from './screen-state';
import type { Workflow } from './workflow';

export class ContractError extends Error {
  override name = 'ContractError';
  constructor(
    /** Which contract, e.g. "workflow". */
    readonly contract: string,
    /** One line per problem: "nodes[0].node_id: is required". */
    readonly problems: string[],
    source?: string,
  ) {
    super(
      `invalid ${contract}${source ? ` in ${source}` : ''}: ${problems.slice(0, 8).join('; ')}${problems.length > 8 ? `; … and ${problems.length - 8} more` : ''}`,
    );
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
  return out || '(document)';
}

function describe(e: ErrorObject): string | undefined {
  const p = e.params as Record<string, unknown>;
  // Each branch of an anyOf reports its own failure; the anyOf error itself says it better.
  if (/\/anyOf\/\d+\//.test(e.schemaPath)) return undefined;
  switch (e.keyword) {
    case 'required':
      return `${fieldPath(e.instancePath, String(p.missingProperty))}: is required`;
    case 'type':
      return `${fieldPath(e.instancePath)}: must be ${p.type}`;
    case 'enum':
      return `${fieldPath(e.instancePath)}: must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${fieldPath(e.instancePath)}: must be ${JSON.stringify(p.allowedValue)}`;
    case 'minItems':
    case 'maxItems':
      return `${fieldPath(e.instancePath)}: ${e.message}`;
    case 'format':
      return `${fieldPath(e.instancePath)}: must be a ${p.format} (e.g. 2025-11-21T10:15:00Z)`;
    case 'pattern':
      return `${fieldPath(e.instancePath)}: has characters that are not allowed (must match ${p.pattern})`;
    // "if/then", "anyOf" and "allOf" wrappers repeat what their inner errors already say.
    case 'if':
    case 'allOf':
      return undefined;
    case 'anyOf':
      return e.instancePath.match(/\/edges\/\d+$/)
        ? `${fieldPath(e.instancePath)}: needs to_node or to_node_candidates`
        : undefined;
    default:
      return `${fieldPath(e.instancePath)}: ${e.message}`;
  }
}

function problemsOf(validate: ValidateFunction): string[] {
  const seen = new Set<string>();
  for (const e of validate.errors ?? []) {
    const d = describe(e);
    if (d) seen.add(d);
  }
  if (seen.size === 0 && validate.errors?.length)
    seen.add(`${fieldPath(validate.errors[0].instancePath)}: ${validate.errors[0].message}`);
  return [...seen];
}

function checker<T>(contract: string, schema: object, semantic?: (value: T) => string[]) {
  const validate = ajv.compile(schema);
  return (value: unknown, source?: string): T => {
    if (!validate(value)) throw new ContractError(contract, problemsOf(validate), source);
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
function nonFiniteNumbers(value: unknown): string[] {
  const problems: string[] = [];
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length && problems.length < 8) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'number' && !Number.isFinite(v)) problems.push(`${at || '(document)'}: must be a finite number`);
    else if (Array.isArray(v)) v.forEach((x, i) => stack.push([x, `${at}[${i}]`]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) stack.push([x, at ? `${at}.${k}` : k]);
  }
  return problems;
}

/** Graph consistency that a schema cannot say: unique ids, edges between existing nodes. */
function workflowProblems(wf: Workflow): string[] {
  const problems: string[] = nonFiniteNumbers(wf);
  const ids = new Set<string>();
  wf.nodes.forEach((n, i) => {
    if (ids.has(n.node_id)) problems.push(`nodes[${i}].node_id: "${n.node_id}" is used by two nodes`);
    ids.add(n.node_id);
  });
  const edgeIds = new Set<string>();
  wf.edges.forEach((e, i) => {
    if (edgeIds.has(e.edge_id)) problems.push(`edges[${i}].edge_id: "${e.edge_id}" is used by two edges`);
    edgeIds.add(e.edge_id);
    if (!ids.has(e.from_node)) problems.push(`edges[${i}].from_node: no node "${e.from_node}"`);
    if (e.to_node !== undefined && !ids.has(e.to_node)) problems.push(`edges[${i}].to_node: no node "${e.to_node}"`);
    e.to_node_candidates?.forEach((c, j) => {
      if (!ids.has(c)) problems.push(`edges[${i}].to_node_candidates[${j}]: no node "${c}"`);
    });
  });
  for (const key of ['entry_nodes', 'end_nodes'] as const) {
    wf[key]?.forEach((id, i) => {
      if (!ids.has(id)) problems.push(`${key}[${i}]: no node "${id}"`);
    });
  }
  wf.nodes.forEach((n, i) => {
    const pattern = (n.screen_template?.window as { title_pattern?: unknown } | undefined)?.title_pattern;
    if (pattern === undefined) return;
    const problem =
      typeof pattern === 'string' ? unsafePatternProblem(pattern) : 'must be a string (a regular expression)';
    if (problem) problems.push(`nodes[${i}].screen_template.window.title_pattern: ${problem}`);
  });
  const params = new Set<string>();
  wf.parameters?.forEach((p, i) => {
    if (params.has(p.name)) problems.push(`parameters[${i}].name: "${p.name}" is declared twice`);
    params.add(p.name);
  });
  wf.edges.forEach((e, i) => {
    if (e.condition?.expression === undefined) return;
    try {
      checkCondition(e.condition.expression, [...params]);
    } catch (err) {
      problems.push(`edges[${i}].condition.expression: ${(err as Error).message}`);
    }
  });
  return problems;
}

/** Every screenshot an event names must be listed. */
function sessionProblems(s: RawSession): string[] {
  const shots = new Set(s.screenshots.map((x) => x.screenshot_id));
  const problems: string[] = [];
  s.events.forEach((e, i) => {
    if (e.screenshot_id && !shots.has(e.screenshot_id))
      problems.push(`events[${i}].screenshot_id: no screenshot "${e.screenshot_id}" in screenshots`);
    if (e.after_screenshot_id && !shots.has(e.after_screenshot_id))
      problems.push(`events[${i}].after_screenshot_id: no screenshot "${e.after_screenshot_id}" in screenshots`);
  });
  return problems;
}

export const validateRawSession = checker<RawSession>('rawsession_v1', rawSessionSchema as object, sessionProblems);
export const validateScreenState = checker<ScreenState>('ScreenState', screenStateSchema as object);
export const validateUIElement = checker<UIElement>('UIElement', uiElementSchema as object);
export const validateWorkflow = checker<Workflow>('workflow', workflowSchema as object, workflowProblems);
