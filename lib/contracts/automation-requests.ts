/**
 * The request bodies of the automation API (POST /api/triggers, /api/chains and their actions)
 * and of the rpa-trigger node's definitions. schemas/trigger.schema.json and
 * schemas/chain.schema.json are the contract; test/contracts checks these types against them.
 */

export const TRIGGER_TYPES = ['schedule', 'file', 'manual'] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

export interface ScheduleConfigRequest {
  interval_seconds: number;
  /** "HH:MM": the daily window opens; empty or null: no window. */
  start_time?: string | null;
  /** "HH:MM" or "24:00": the daily window closes. */
  end_time?: string | null;
  /** IANA time zone; empty or left out: the system's. */
  timezone?: string;
}

export interface FileConfigRequest {
  watch_directory: string;
  /** A file-name glob; empty or left out: "*". */
  file_pattern?: string;
  /** Poll the folder instead of relying on change notifications (network shares). */
  use_polling?: boolean;
}

/** A manual trigger has no settings. */
export type ManualConfigRequest = { [key: string]: never };

export interface TriggerRequest {
  trigger_id?: string;
  trigger_type: TriggerType;
  /** The workflow or chain launched; empty for a flow-only trigger. */
  workflow_id?: string;
  /** Left out, the id decides. */
  target_type?: 'workflow' | 'chain' | 'flow';
  config?: ScheduleConfigRequest | FileConfigRequest | ManualConfigRequest;
  enabled?: boolean;
  priority?: number;
  params?: Record<string, unknown>;
  /** The rpa-trigger node that defines the trigger. */
  node_id?: string;
}

export interface TriggerToggleRequest {
  /** Left out: the state flips. */
  enabled?: boolean;
}

export interface TriggerFireRequest {
  params?: Record<string, unknown>;
}

export interface ChainRequest {
  chain_id?: string;
  name: string;
  description?: string;
  /** Workflow ids, in execution order. */
  workflows: string[];
}

export interface ChainExecuteRequest {
  params?: Record<string, unknown>;
  priority?: number;
}
