/**
 * A small, strict argument parser for the `rpa-vision` commands: flags are declared, unknown
 * flags and missing values are errors that say which flag and why (never a stack trace).
 */

export interface FlagSpec {
  /** `string` takes a value, `boolean` does not, `list` may repeat and collects values. */
  type: 'string' | 'boolean' | 'list';
  description: string;
  /** Shown in help, e.g. "DIR". */
  value?: string;
}

export interface ParsedArgs {
  positional: string[];
  flags: Record<string, string | boolean | string[] | undefined>;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseArgs(argv: string[], specs: Record<string, FlagSpec>): ParsedArgs {
  const positional: string[] = [];
  const flags: ParsedArgs['flags'] = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = specs[name];
    if (!spec) {
      const known =
        Object.keys(specs)
          .map((k) => `--${k}`)
          .join(', ') || 'none';
      throw new UsageError(`unknown option --${name} (known options: ${known})`);
    }
    if (spec.type === 'boolean') {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
    if (value === undefined || value === '') throw new UsageError(`--${name} needs a value (${spec.value ?? 'VALUE'})`);
    if (spec.type === 'list') {
      const list = (flags[name] as string[] | undefined) ?? [];
      list.push(value);
      flags[name] = list;
    } else {
      flags[name] = value;
    }
  }
  return { positional, flags };
}

/** Parses a flag value as a positive number, or says which flag is wrong. */
export function positiveNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${flag} must be a positive number, got "${value}"`);
  return n;
}
