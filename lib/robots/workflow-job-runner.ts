/**
 * The real JobRunner: runs a job's workflows (one, or a chain's in order, stopping at the first
 * that does not succeed) with the same runner as `rpa-vision run`, on this robot's desktop.
 * Unattended: nobody is asked anything (the learned state decides, `mode` may lower it, `auto`
 * is the logged operator override). The workflows come with the job and are written to a
 * private temporary folder for the run; secret parameters come from this robot's environment,
 * `RPA_VISION_SECRET_<NAME>` (the name upper-cased), just in time, never from the broker.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { isRunMode, NO_HUMAN, runWorkflow, type RunRecord } from '../execute';
import { acquireVisionEngine, releaseVisionEngine } from '../vision/shared-engine';
import { SECRET_MASK, secretParameterNames } from '../contracts/secrets';
import type { Workflow } from '../contracts/workflow';
import type { JobRecord } from './job-records';
import type { JobOutcome, JobRunHooks, JobRunner } from './robot';

export interface WorkflowJobRunnerOptions {
  log?(line: string): void;
  env?: NodeJS.ProcessEnv;
  /** Whole-run budget per workflow (ms). */
  timeoutMs?: number;
}

/** The secret parameters' values of this robot, by parameter name. */
function secretsFromEnv(workflows: Workflow[], env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const w of workflows)
    for (const name of secretParameterNames(w)) {
      const value = env[`RPA_VISION_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`];
      if (value !== undefined) out[name] = value;
    }
  return out;
}

export class WorkflowJobRunner implements JobRunner {
  private engineHeld = false;

  constructor(private readonly options: WorkflowJobRunnerOptions = {}) {}

  /** Loads the vision models once for the robot's life rather than per job. */
  async open(): Promise<void> {
    if (!this.engineHeld) await acquireVisionEngine();
    this.engineHeld = true;
  }

  async close(): Promise<void> {
    if (this.engineHeld) await releaseVisionEngine();
    this.engineHeld = false;
  }

  async run(job: JobRecord, hooks: JobRunHooks): Promise<JobOutcome> {
    const workflows = job.payload.workflows as Workflow[];
    const called = (job.payload.sub_workflows ?? []) as Workflow[];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-robot-job-'));
    const env = this.options.env ?? process.env;
    const params: Record<string, unknown> = Object.fromEntries(
      Object.entries(job.payload.params).filter(([, v]) => v !== SECRET_MASK),
    );
    Object.assign(params, secretsFromEnv([...workflows, ...called], env));
    const missing = workflows.flatMap((w) =>
      (w.parameters ?? []).filter((p) => p.default === SECRET_MASK && params[p.name] === undefined).map((p) => p.name),
    );
    if (missing.length)
      return {
        state: 'failed',
        error: `secret parameter(s) ${missing.join(', ')} have no value on this robot: set ${missing.map((m) => `RPA_VISION_SECRET_${m.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`).join(', ')} in its environment`,
      };
    const mode = job.payload.mode;
    const records: RunRecord[] = [];
    let expected: number;
    try {
      const write = (w: Workflow) => {
        // A masked default is no value: the robot's secret or nothing.
        const usable: Workflow = {
          ...w,
          parameters: w.parameters?.map((p) => (p.default === SECRET_MASK ? { ...p, default: '' } : p)),
        };
        const file = path.join(dir, `${w.workflow_id}.json`);
        fs.writeFileSync(file, JSON.stringify(usable), { mode: 0o600 });
        return { workflow: usable, file };
      };
      // Next to the workflows that run: a sub-workflow is looked up by id in their folder.
      for (const w of called) write(w);
      const files = workflows.map(write);
      // Resuming: start with the workflow that holds the screen, at that screen.
      let first = 0;
      if (job.resume_from) {
        const at = files.findIndex((f) => f.workflow.nodes.some((n) => n.node_id === job.resume_from));
        if (at >= 0) first = at;
      }
      expected = files.length - first;
      for (let i = first; i < files.length; i++) {
        const loaded = files[i];
        const record = await runWorkflow(loaded, {
          params,
          mode: isRunMode(mode) ? mode : null,
          operatorOverride: mode === 'auto',
          signal: hooks.signal,
          timeoutMs: job.payload.timeout_s ? job.payload.timeout_s * 1000 : this.options.timeoutMs,
          human: NO_HUMAN,
          analytics: null,
          screenshotsDir: null,
          persist: false,
          learn: false,
          ...(i === first && job.resume_from ? { startNode: job.resume_from } : {}),
          beforeAction: (_step, edge) => hooks.beforeAction(`${loaded.workflow.workflow_id}/${edge.edge_id}`),
          log: (line) => this.options.log?.(`${job.job_id}: ${line}`),
        });
        records.push(record);
        if (record.status !== 'success') break;
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const last = records[records.length - 1];
    const succeeded = records.length === expected && records.every((r) => r.status === 'success');
    return {
      state: succeeded ? 'succeeded' : last?.status === 'cancelled' ? 'cancelled' : 'failed',
      record: job.kind === 'workflow' ? last : records,
      ...(succeeded
        ? {}
        : {
            error: last?.failure
              ? `${last.failure.kind}: ${last.failure.message}${last.failure.edge_id ? ` (at ${last.failure.edge_id})` : ''}`
              : `ended ${last?.status ?? 'without running'}`,
          }),
    };
  }
}
