import { auditFile, verificationReport, verifyAuditLog } from '../../lib/audit/audit-log';
import { UsageError } from '../../lib/cli/args';
import { resolveDataDir } from '../../lib/store/store';
import type { Command } from './command';

export const audit: Command = {
  name: 'audit',
  summary: 'Check the audit trail: every entry intact and chained to the one before',
  usage: 'audit verify [--data-dir DIR] [--json]',
  flags: {
    'data-dir': {
      type: 'string',
      value: 'DIR',
      description: 'data directory holding audit/audit.jsonl (default: the one Node-RED uses; see README)',
    },
    data: { type: 'string', value: 'DIR', description: 'the same as --data-dir' },
    json: { type: 'boolean', description: 'print the result as one JSON document' },
  },
  async run(args) {
    const [action, ...extra] = args.positional;
    if (action !== 'verify') throw new UsageError(`the only action is "verify" (got ${action ?? 'none'})`);
    if (extra.length) throw new UsageError(`unexpected argument(s): ${extra.join(' ')}`);
    const dir = resolveDataDir((args.flags['data-dir'] ?? args.flags.data) as string | undefined);
    const result = verifyAuditLog(auditFile(dir));
    if (args.flags.json) {
      process.stdout.write(JSON.stringify(verificationReport(result)) + '\n');
    } else if (result.intact) {
      process.stdout.write(`${result.file}: ${result.entries} entries, intact\n`);
    } else {
      const b = result.broken!;
      process.stdout.write(
        `${result.file}: BROKEN at line ${b.line} (entry seq ${b.seq}): ${b.problem}; the ${result.entries} entries before it are intact\n`,
      );
    }
    return result.intact ? 0 : 1;
  },
};
