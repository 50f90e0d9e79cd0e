import fs from 'fs';
import os from 'os';
import path from 'path';
import readline from 'readline';
import { UsageError, positiveNumber } from '../../lib/cli/args';
import { AuditLog } from '../../lib/audit/audit-log';
import { ContractError } from '../../lib/contracts';
import { getMonitoring, releaseMonitoring, storeOrInbox } from '../../lib/monitoring';
import { inboxDir } from '../../lib/store/data-dir';
import { makeDataDir, writeDataFileSync } from '../../lib/contracts/sealed-files';
import { resolveDataDir } from '../../lib/store/store';
import {
  MODES,
  NO_HUMAN,
  isRunMode,
  loadWorkflow,
  parseVarFlags,
  runWorkflow,
  type HumanGate,
  type LoadedWorkflow,
  type RunRecord,
} from '../../lib/execute';
import type { Command } from './command';

const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;

/** The run's end on record; the run is over, so a failed write is said, not thrown. */
function auditEnd(audit: AuditLog, entry: { actor: string; object: string; detail: string }): void {
  try {
    audit.append({ ...entry, action: 'workflow.run.end' });
  } catch (err) {
    process.stderr.write(
      `run: warning: the audit log could not record the end of the run: ${(err as Error).message}\n`,
    );
  }
}

/** Asks on the terminal when there is one; without a terminal nobody can confirm. */
function terminalGate(): HumanGate {
  const interactive = process.stdin.isTTY === true;
  const ask = (question: string, signal?: AbortSignal) =>
    new Promise<string>((resolve) => {
      const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
      signal?.addEventListener('abort', () => rl.close(), { once: true });
      rl.question(question, (answer) => {
        rl.close();
        resolve(answer.trim().toLowerCase());
      });
      rl.once('close', () => resolve(''));
    });
  return {
    async confirm(p, signal) {
      process.stderr.write(
        `\n[confirm] step ${p.step} (${p.edge_id}): ${p.description}${p.point ? ` at ${p.point.join(',')}` : ''} — ${p.reason}${p.highlight ? `\n          target outlined in ${p.highlight}` : ''}\n`,
      );
      if (!interactive) {
        process.stderr.write('[confirm] no terminal to ask on: the step is not confirmed\n');
        return false;
      }
      return ['y', 'yes', 'o', 'oui'].includes(await ask('          go ahead? [y/N] ', signal));
    },
    coach(p) {
      process.stderr.write(
        `\n[coach] step ${p.step}: please ${p.description}${p.point ? ` (at ${p.point.join(',')})` : ''}${p.highlight ? ` — target outlined in ${p.highlight}` : ''}\n`,
      );
    },
    async unexpected(info, signal) {
      process.stderr.write(
        `\n[paused] step ${info.step} (${info.edge_id}): expected ${info.expected.join(' or ')}, the screen shows ${info.seen}\n`,
      );
      if (!interactive) return NO_HUMAN.unexpected(info, signal);
      return (await ask('          look again (r) or stop (s)? [r/S] ', signal)) === 'r' ? 'retry' : 'abort';
    },
  };
}

function summary(record: RunRecord): string {
  const done = record.steps.filter((s) => s.status === 'success').length;
  if (record.status === 'success')
    return `${record.workflow_name}: success, ${done} step(s) verified in ${record.duration_s} s (mode ${record.mode})`;
  const f = record.failure;
  return [
    `${record.workflow_name}: ${record.status} after ${done} verified step(s), at ${f?.edge_id ?? f?.node_id ?? 'the start'}${f?.step ? ` (step ${f.step})` : ''}`,
    f ? `  ${f.kind}: ${f.message}` : '',
    f?.screenshot ? `  screenshot: ${f.screenshot}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/** `run WF.json [--var name=value]... [--mode observe|coach|confirm|auto] [--report R.json]` */
export const run: Command = {
  name: 'run',
  summary: 'Replay a workflow on the current display; exit 0 only when every step was verified',
  usage: 'run WF.json [--var name=value]... [--mode observe|coach|confirm|auto] [--report R.json] [--json]',
  flags: {
    var: {
      type: 'list',
      value: 'name=value',
      description: 'value of a workflow parameter (repeatable); defaults fill the rest',
    },
    mode: {
      type: 'string',
      value: 'MODE',
      description: `observe, coach, confirm or auto; lower than the learned state only, except "auto": the operator's explicit, logged override`,
    },
    report: {
      type: 'string',
      value: 'R.json',
      description: 'write the execution record (steps, strategies, scores, screenshots, failure point) to R.json',
    },
    screenshots: {
      type: 'string',
      value: 'DIR',
      description: 'where the before/after screenshots go (default: next to the report, R.shots/)',
    },
    timeout: { type: 'string', value: 'S', description: 'stop the whole run after S seconds (status "timeout")' },
    'data-dir': {
      type: 'string',
      value: 'DIR',
      description: 'data directory for execution analytics (default: the one Node-RED uses; see README)',
    },
    'no-learn': { type: 'boolean', description: 'do not write the updated edge statistics back to WF.json' },
    json: { type: 'boolean', description: 'print the execution record as one JSON document' },
  },
  async run(args) {
    const [file, ...extra] = args.positional;
    if (!file) throw new UsageError('give the workflow file: run WF.json');
    if (extra.length) throw new UsageError(`one workflow at a time (got also ${extra.join(', ')})`);
    const mode = args.flags.mode as string | undefined;
    if (mode !== undefined && !isRunMode(mode))
      throw new UsageError(`--mode must be one of ${MODES.join(', ')}, got "${mode}"`);
    let params: Record<string, string>;
    try {
      params = parseVarFlags((args.flags.var as string[] | undefined) ?? []);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const timeoutS = positiveNumber('timeout', args.flags.timeout as string | undefined);
    if (!fs.existsSync(file)) throw new UsageError(`no workflow file ${file}`);
    let loaded: LoadedWorkflow;
    try {
      loaded = loadWorkflow(path.resolve(file));
    } catch (err) {
      if (err instanceof ContractError || err instanceof SyntaxError)
        throw new UsageError(`${file} is not a valid workflow: ${err.message}`);
      throw err;
    }
    const unknown = Object.keys(params).filter((p) => !(loaded.workflow.parameters ?? []).some((d) => d.name === p));
    if (unknown.length)
      process.stderr.write(
        `run: warning: the workflow declares no parameter ${unknown.map((u) => `"${u}"`).join(', ')}\n`,
      );
    const report = args.flags.report as string | undefined;
    const screenshots =
      (args.flags.screenshots as string | undefined) ?? (report ? `${report.replace(/\.json$/i, '')}.shots` : null);
    const dataDir = resolveDataDir(args.flags['data-dir'] as string | undefined);
    // A run drives the desktop: it is on record like the runtime's, under the OS user who ran it.
    // No record, no run: a start that cannot be written stops here.
    const audit = AuditLog.forDataDir(dataDir);
    makeDataDir(path.dirname(audit.file));
    const actor = `${os.userInfo().username} (cli)`;
    const object = `workflow:${loaded.workflow.workflow_id}`;
    audit.append({
      actor,
      action: 'workflow.run.start',
      object,
      detail: `rpa-vision run, mode ${mode ?? 'auto-selected'}`,
    });
    const startedAt = Date.now();
    const open = storeOrInbox(dataDir, (why) =>
      process.stderr.write(
        `run: ${why}: this run's records go to ${inboxDir(dataDir)}, and the process holding the store (Node-RED: its dashboard) adds them within seconds\n`,
      ),
    );
    const monitoring = getMonitoring(dataDir, open, {
      resourceIntervalSeconds: 0,
      processMetrics: false,
    });
    const controller = new AbortController();
    const onSignal = (signal: NodeJS.Signals) => controller.abort(new Error(`signal ${signal}`));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let record: RunRecord;
    try {
      record = await runWorkflow(loaded, {
        params,
        mode: (mode as never) ?? null,
        operatorOverride: mode === 'auto',
        signal: controller.signal,
        timeoutMs: timeoutS ? timeoutS * 1000 : undefined,
        screenshotsDir: screenshots,
        analytics: monitoring.analytics,
        human: terminalGate(),
        learn: !args.flags['no-learn'],
        log: (line) => {
          if (line.startsWith('OPERATOR OVERRIDE'))
            monitoring.getLogger('execution').warning(line, { workflow_id: loaded.workflow.workflow_id });
          process.stderr.write(`run: ${line}\n`);
        },
        onProgress: (p) =>
          process.stderr.write(
            `run: [${p.step}/${p.total}${p.eta_s !== null ? `, ETA ${p.eta_s} s` : ''}] ${p.message}\n`,
          ),
      });
    } catch (err) {
      auditEnd(audit, { actor, object, detail: `error after ${seconds(startedAt)} s: ${(err as Error).message}` });
      throw err;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await releaseMonitoring(dataDir).catch(() => undefined);
    }
    auditEnd(audit, { actor, object, detail: `${record.status} in ${seconds(startedAt)} s` });
    if (report) {
      makeDataDir(path.dirname(path.resolve(report)));
      writeDataFileSync(report, Buffer.from(JSON.stringify(record, null, 2)));
    }
    if (args.flags.json) process.stdout.write(JSON.stringify(record) + '\n');
    process.stderr.write(summary(record) + '\n');
    return record.status === 'success' && record.verified ? 0 : 1;
  },
};
