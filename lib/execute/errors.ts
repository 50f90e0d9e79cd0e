/**
 * One Error subclass per way a replay can stop (STYLE.md 7). Each carries what was looked for,
 * what was tried and what was seen instead, plus the screenshot of the moment, so the report
 * and the CLI can say why without a stack trace.
 */

export interface FailureContext {
  /** The edge (step) being executed. */
  edge_id?: string;
  /** The node the runner believed it was on. */
  node_id?: string;
  /** Human sentence of the target, e.g. 'the button "Valider"'. */
  target?: string;
  /** Strategies or checks tried, in order. */
  tried?: string[];
  /** What the screen showed instead (best node, candidates, texts). */
  seen?: string;
  /** PNG of the screen when it failed. */
  screenshot?: string | null;
  elapsed_ms?: number;
  /** The equally good candidates of an ambiguous target, none of which was acted on. */
  candidates?: { label: string; bbox: [number, number, number, number]; score: number }[];
}

export abstract class ExecutionError extends Error {
  /** Machine-readable kind, stored in the execution record. */
  abstract readonly kind: string;
  /** The run status this failure leads to. */
  readonly status: 'failed' | 'timeout' | 'cancelled' = 'failed';
  constructor(
    message: string,
    readonly context: FailureContext = {},
  ) {
    super(message);
  }
  override get name(): string {
    return this.constructor.name;
  }
  /** Attaches the screenshot once it is written (errors are thrown before the PNG exists). */
  withScreenshot(file: string | null): this {
    this.context.screenshot = file;
    return this;
  }
}

/** The target was not found (or not visible, stable, unobstructed) before the deadline. */
export class TargetNotFoundError extends ExecutionError {
  readonly kind = 'target_not_found';
}

/** Several candidates matched equally and no selection policy said which one. */
export class AmbiguousTargetError extends ExecutionError {
  readonly kind = 'ambiguous_target';
}

/** The safety rules forbid acting on what was found. */
export class SafetyViolationError extends ExecutionError {
  readonly kind = 'safety_violation';
}

/**
 * The action would validate an amount above the workflow's max_amount_without_manual_check and
 * no person confirmed it: nothing was clicked.
 */
export class ManualCheckRequiredError extends ExecutionError {
  readonly kind = 'manual_check_required';
}

/** A person was asked to confirm and said no (or nobody could be asked). */
export class ConfirmationRefusedError extends ExecutionError {
  readonly kind = 'confirmation_refused';
  override readonly status = 'cancelled' as const;
}

/** After the action, the expected screen did not come within its timeout. */
export class UnexpectedScreenError extends ExecutionError {
  readonly kind = 'unexpected_screen';
}

/**
 * The expected screen came, but it is about another item than the one acted on (the invoice
 * opened is not the one whose row was clicked): the learned `same_item` post-condition failed.
 */
export class WrongItemError extends ExecutionError {
  readonly kind = 'wrong_item';
}

/**
 * A step back to its own screen did not do what every demonstration showed: the values it typed
 * are still there (the form did not take the record) or did not show where they should (no new
 * row): the learned `own_screen` post-condition failed.
 */
export class StepNotTakenError extends ExecutionError {
  readonly kind = 'step_not_taken';
}

/** The current screen is none of the workflow's entry screens. */
export class UnknownStartScreenError extends ExecutionError {
  readonly kind = 'unknown_start_screen';
}

/** The graph offers no way on from the current node (no edge, loops exhausted). */
export class NoPathError extends ExecutionError {
  readonly kind = 'no_path';
}

/** A "{{param}}" has no value and no default. */
export class MissingParameterError extends ExecutionError {
  readonly kind = 'missing_parameter';
}

/** The action itself could not be performed (bad key name, platform error). */
export class ActionFailedError extends ExecutionError {
  readonly kind = 'action_failed';
}

/** A loop condition cannot be read or evaluated (caught before any action when it cannot be parsed). */
export class InvalidConditionError extends ExecutionError {
  readonly kind = 'invalid_condition';
}

/** A sub-workflow could not be found or loaded. */
export class SubWorkflowError extends ExecutionError {
  readonly kind = 'sub_workflow';
}

/** The run was cancelled (signal, node closed, msg.cancel). */
export class ExecutionCancelledError extends ExecutionError {
  readonly kind = 'cancelled';
  override readonly status = 'cancelled' as const;
}

/** The whole run exceeded its time budget. */
export class ExecutionTimeoutError extends ExecutionError {
  readonly kind = 'timeout';
  override readonly status = 'timeout' as const;
}

/** Throws ExecutionCancelledError when the signal is aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined, context: FailureContext = {}): void {
  if (signal?.aborted)
    throw new ExecutionCancelledError(
      `cancelled${signal.reason ? `: ${String((signal.reason as Error)?.message ?? signal.reason)}` : ''}`,
      context,
    );
}

/** Sleeps, but wakes up (with ExecutionCancelledError) as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  throwIfCancelled(signal);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ExecutionCancelledError('cancelled while waiting'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A run that ended without success, as an Error for Node-RED's done(err) (Catch nodes): its
 * `code` is the failure kind (e.g. "unexpected_screen", "manual_check_required") and `record`
 * the whole execution record. It is not an ExecutionError: it reports a finished run.
 */
export class RunFailedError extends Error {
  readonly code: string;
  constructor(
    readonly record: {
      status: string;
      workflow_id: string;
      failure: { kind: string; message: string; edge_id: string | null; node_id: string | null } | null;
    },
  ) {
    const where = record.failure?.edge_id ?? record.failure?.node_id ?? 'the start';
    super(
      `workflow ${record.workflow_id} ${record.status} at ${where}: ${record.failure?.message ?? 'no step was verified'}`,
    );
    this.code = record.failure?.kind ?? record.status;
  }
  override get name(): string {
    return 'RunFailedError';
  }
}
