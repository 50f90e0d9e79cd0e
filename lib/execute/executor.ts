/**
 * The runner as the automation layer's WorkflowExecutor (lib/automation/executor.ts): chains,
 * triggers and the scheduler run workflows through it. Runs started this way are unattended,
 * so nobody is asked anything: the learned state decides (an AUTO_CANDIDATE step that needs a
 * confirmation is refused, and the run ends "cancelled" with the reason).
 *
 * Registration: the rpa-workflow node module registers one in `workflowExecutors` when
 * Node-RED loads it; settings `rpaVision.automation.executorModule` may also point at
 * dist/lib/execute/executor.js, whose `createExecutor({dataDir})` is the documented entry.
 */
import type {
  RegisteredExecutor,
  WorkflowExecutionResult,
  ExecuteOptions,
  ExecutionStatus,
} from '../automation/executor';
import type { AnalyticsHooks } from '../contracts/analytics-hooks';
import type { HumanGate } from './human-gate';
import type { RunRecord } from './execution-record';
import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import { WorkflowRepository } from '../automation/workflow-repository';
import { runWorkflow } from './workflow-run';
import { makeDataDir } from '../contracts/sealed-files';

/** The data directory's folder of run screenshots (ExecutorContext.screenshotsRoot). */
export const SCREENSHOTS_FOLDER = 'screenshots';

export interface ExecutorContext {
  dataDir: string;
  analytics?: AnalyticsHooks | null;
  human?: HumanGate;
  log?: (line: string) => void;
  /**
   * A folder for the runs' step screenshots, one sub-folder a run (the dashboard's Runs page
   * shows them); only the newest `keepScreenshots` (default 50) runs keep theirs.
   */
  screenshotsRoot?: string;
  keepScreenshots?: number;
}

/** A new folder for one run's screenshots, after deleting the oldest beyond `keep`. */
function screenshotsFolder(root: string, keep: number): string {
  makeDataDir(root);
  const runs = fs.readdirSync(root).sort();
  for (const old of runs.slice(0, Math.max(0, runs.length - keep + 1)))
    fs.rmSync(path.join(root, old), { recursive: true, force: true });
  // Named by time, so the names sort in the order the runs started.
  return path.join(root, `${new Date().toISOString().replace(/[:.]/g, '-')}_${crypto.randomBytes(3).toString('hex')}`);
}

const STATUS: Record<string, ExecutionStatus> = {
  success: 'success',
  failed: 'failed',
  cancelled: 'cancelled',
  timeout: 'error',
};

/** The automation's view of a run record. */
export function executionResult(record: RunRecord): WorkflowExecutionResult {
  return {
    success: record.status === 'success',
    status: STATUS[record.status] ?? 'error',
    duration_s: record.duration_s,
    ...(record.failure
      ? { error: record.failure.message, failed_at: record.failure.edge_id ?? record.failure.node_id ?? undefined }
      : {}),
  };
}

export function createExecutor(context: ExecutorContext): RegisteredExecutor {
  const repository = new WorkflowRepository(path.join(context.dataDir, 'workflows'));
  return {
    // Only the workflows of its data directory: another executor (a plug-in, a test) may run others.
    handles: (workflowId) => repository.exists(workflowId),
    async execute(
      workflowId: string,
      params: Record<string, unknown>,
      options: ExecuteOptions,
    ): Promise<WorkflowExecutionResult> {
      const record = await runWorkflow(workflowId, {
        dataDir: context.dataDir,
        params,
        ...(context.screenshotsRoot
          ? { screenshotsDir: screenshotsFolder(context.screenshotsRoot, context.keepScreenshots ?? 50) }
          : {}),
        signal: options.signal,
        analytics: context.analytics ?? null,
        human: context.human,
        log: context.log,
        onProgress: (p) =>
          options.onProgress?.({ workflow_id: workflowId, step: p.step, total: p.total, message: p.message }),
      });
      return executionResult(record);
    },
  };
}
