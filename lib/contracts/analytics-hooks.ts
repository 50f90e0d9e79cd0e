/**
 * The port between the runner and the execution analytics (names as in the seed's analytics
 * integration guide): lib/execute calls these hooks, lib/monitoring implements them, and
 * neither imports the other.
 */
/** A time as a Date, an ISO string or epoch milliseconds. */
export type When = Date | string | number;

export interface ExecutionStartEvent {
  workflow_id: string;
  total_steps?: number;
  /** Supplied by a runner that already has an id; generated otherwise. */
  execution_id?: string;
  metadata?: Record<string, unknown>;
}
export interface StepStartEvent {
  execution_id: string;
  node_id: string;
  step_number: number;
}
export interface StepCompleteEvent {
  execution_id: string;
  workflow_id: string;
  node_id: string;
  action_type?: string;
  started_at?: When;
  completed_at?: When;
  /** Seconds. */
  duration: number;
  success: boolean;
  error_message?: string | null;
}
export interface RecoveryAttemptEvent {
  execution_id: string;
  workflow_id: string;
  node_id: string;
  strategy: string;
  success: boolean;
  /** Seconds. */
  duration: number;
}
export interface ExecutionCompleteEvent {
  execution_id: string;
  workflow_id: string;
  started_at?: When;
  completed_at?: When;
  /** Seconds; computed from the start hook when absent. */
  duration?: number;
  /** success, failed, timeout or cancelled (a few synonyms are read too; any other word counts as failed). */
  status: string;
  steps_completed?: number;
  steps_failed?: number;
  error_message?: string | null;
  /** node_id where the run stopped, when it failed. */
  failed_at?: string | null;
}

/** The hooks the runner calls (names as in the seed's integration guide). */
export interface AnalyticsHooks {
  /** Returns the execution id to pass to the other hooks. */
  on_execution_start(event: ExecutionStartEvent): string;
  on_step_start(event: StepStartEvent): void;
  on_step_complete(event: StepCompleteEvent): void;
  on_recovery_attempt(event: RecoveryAttemptEvent): void;
  on_execution_complete(event: ExecutionCompleteEvent): void;
}
