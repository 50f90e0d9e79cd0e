import type { FlagSpec, ParsedArgs } from '../../lib/cli/args';

/** One `rpa-vision` sub-command: its help text, its flags and what it does. */
export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Usage line, e.g. "record --out DIR [--duration S]". */
  usage: string;
  flags: Record<string, FlagSpec>;
  /** Returns the process exit code. Diagnostics go to stderr; `--json` output to stdout. */
  run(args: ParsedArgs): Promise<number>;
}
