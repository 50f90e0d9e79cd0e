/**
 * Workflow parameters: the values of one run come from `--var name=value`, `msg.payload` or
 * the workflow's defaults (in that order of precedence), and "{{name}}" references in typed
 * text are replaced by them.
 */
import type { Workflow } from '../contracts/workflow';
import { MissingParameterError } from './errors';
import { PARAMETER_REFERENCE, parameterValue } from '../contracts/parameter-references';

/** The values of this run: the defaults, overridden by what the caller gives. */
export function resolveParameters(workflow: Workflow, given: Record<string, unknown> = {}): Record<string, string> {
  const values: Record<string, string> = {};
  for (const p of workflow.parameters ?? []) values[p.name] = String(p.default ?? '');
  for (const [name, value] of Object.entries(given)) {
    if (value === undefined || value === null) continue;
    values[name] = typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return values;
}

/** Replaces every "{{name}}"; a name with no value is an error naming the known ones. */
export function substituteParameters(text: string, values: Record<string, string>, edgeId?: string): string {
  return text.replace(PARAMETER_REFERENCE, (_, name: string) => {
    const value = parameterValue(values, name);
    if (value === undefined) {
      const known = Object.keys(values);
      throw new MissingParameterError(
        `the text "${text}" uses the parameter "${name}", which has no value (known: ${known.length ? known.join(', ') : 'none'}; give it with --var ${name}=… or msg.payload.${name})`,
        { edge_id: edgeId },
      );
    }
    return value;
  });
}

/** Parses `--var name=value` flags. */
export function parseVarFlags(flags: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0) throw new MissingParameterError(`--var needs name=value, got "${flag}"`);
    out[flag.slice(0, eq).trim()] = flag.slice(eq + 1);
  }
  return out;
}
