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
import path from 'path';
import { WorkflowRepository } from '../automation/workflow-repository';
import { runWorkflow } from './workflow-run';

export interface ExecutorContext {
  dataDir: string;
  analytics?: AnalyticsHooks | null;
  human?: HumanGate;
  log?: (line: string) => void;
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
