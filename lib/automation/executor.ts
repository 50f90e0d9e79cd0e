/**
 * How the automation layer runs one workflow. The runner (lib/execute, issue 6) implements
 * WorkflowExecutor; until then the Node-RED runtime dispatches to whatever executors are
 * registered in `workflowExecutors` (a flow node, a plug-in module), and says so clearly when
 * none is.
 */
import { ExecutorUnavailable } from './errors';

/**
 * `failed` means the workflow ran and a step did not succeed (a business failure: retrying
 * would do the same); `error` means it could not run properly (no display, executor crash,
 * timeout: a technical failure, retried with back-off); `cancelled` means the signal aborted it.
 */
export type ExecutionStatus = 'success' | 'failed' | 'error' | 'cancelled';

export interface WorkflowExecutionResult {
  success: boolean;
  status: ExecutionStatus;
  duration_s: number;
  error?: string;
  /** Where inside the workflow it stopped (node or edge id), when it failed. */
  failed_at?: string;
}

export interface WorkflowProgress {
  workflow_id: string;
  /** Steps done so far and the total when known. */
  step?: number;
  total?: number;
  message?: string;
}

export interface ExecuteOptions {
  /** Aborts the run (node closed, scheduler stopped, request cancelled). */
  signal?: AbortSignal;
  onProgress?(progress: WorkflowProgress): void;
}

export interface WorkflowExecutor {
  /**
   * Runs `workflowId` with `params` (the workflow's parameters by name, plus e.g. `file_path`
   * for file triggers). Resolves with the outcome; a thrown error counts as a technical failure.
   */
  execute(
    workflowId: string,
    params: Record<string, unknown>,
    options: ExecuteOptions,
  ): Promise<WorkflowExecutionResult>;
}

/** An executor that may only handle some workflows (e.g. a flow node that runs one workflow). */
export interface RegisteredExecutor extends WorkflowExecutor {
  /** Whether this executor runs `workflowId`; absent means every workflow. */
  handles?(workflowId: string): boolean;
}

/** Runs a workflow with the most recently registered executor that handles it. */
export class DispatchingExecutor implements WorkflowExecutor {
  private executors: RegisteredExecutor[] = [];
  private pinned: RegisteredExecutor[] = [];

  /**
   * Returns the function that unregisters it. A `pinned` executor comes before every other,
   * whenever they register (the robots' orchestrator: a node module loaded later must not take
   * the runs back to this desktop).
   */
  register(executor: RegisteredExecutor, options: { pinned?: boolean } = {}): () => void {
    if (options.pinned) this.pinned.unshift(executor);
    else this.executors.unshift(executor);
    return () => {
      this.executors = this.executors.filter((e) => e !== executor);
      this.pinned = this.pinned.filter((e) => e !== executor);
    };
  }

  get size(): number {
    return this.pinned.length + this.executors.length;
  }

  execute(
    workflowId: string,
    params: Record<string, unknown>,
    options: ExecuteOptions,
  ): Promise<WorkflowExecutionResult> {
    const executor = [...this.pinned, ...this.executors].find((e) => !e.handles || e.handles(workflowId));
    if (!executor) {
      return Promise.reject(
        new ExecutorUnavailable(
          workflowId,
          'no workflow executor is registered (install the workflow runner, or set rpaVision.automation.executorModule)',
        ),
      );
    }
    return executor.execute(workflowId, params, options);
  }
}

/** The process-wide registry the Node-RED runtime's automation runs workflows through. */
export const workflowExecutors = new DispatchingExecutor();

/** Runs `executor` and turns a throw or an abort into a result, so callers handle one shape. */
export async function executeSafely(
  executor: WorkflowExecutor,
  workflowId: string,
  params: Record<string, unknown>,
  options: ExecuteOptions,
  now: () => number = Date.now,
): Promise<WorkflowExecutionResult> {
  const started = now();
  const elapsed = () => Math.round(now() - started) / 1000;
  if (options.signal?.aborted)
    return { success: false, status: 'cancelled', duration_s: 0, error: 'cancelled before it started' };
  try {
    const result = await executor.execute(workflowId, params, options);
    return { ...result, success: result.status === 'success' && result.success !== false };
  } catch (err) {
    if (options.signal?.aborted)
      return { success: false, status: 'cancelled', duration_s: elapsed(), error: (err as Error).message };
    return {
      success: false,
      status: 'error',
      duration_s: elapsed(),
      error: `${(err as Error).name}: ${(err as Error).message}`,
    };
  }
}
