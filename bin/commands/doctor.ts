import { runDoctor, type CheckResult } from '../../lib/doctor/doctor';
import type { Command } from './command';

const MARK: Record<CheckResult['status'], string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' };

export const doctor: Command = {
  name: 'doctor',
  summary: 'Check this machine: display, input hooks, screen capture time, models, store, Node-RED',
  usage: 'doctor [--json] [--data-dir DIR]',
  flags: {
    json: { type: 'boolean', description: 'print the checks as one JSON document' },
    'data-dir': {
      type: 'string',
      value: 'DIR',
      description: 'data directory to check (default: the one Node-RED uses; see README)',
    },
  },
  async run(args) {
    const results = await runDoctor({ dataDir: args.flags['data-dir'] as string | undefined });
    const failed = results.filter((r) => r.status === 'fail').length;
    if (args.flags.json) {
      process.stdout.write(JSON.stringify({ ok: failed === 0, checks: results }, null, 2) + '\n');
    } else {
      for (const r of results) {
        process.stdout.write(`[${MARK[r.status]}] ${r.name.padEnd(15)} ${r.detail}\n`);
        if (r.advice) process.stdout.write(`       ${''.padEnd(15)} → ${r.advice}\n`);
      }
      process.stdout.write(failed ? `\n${failed} check(s) failed.\n` : '\nEverything the product needs is here.\n');
    }
    return failed ? 1 : 0;
  },
};
