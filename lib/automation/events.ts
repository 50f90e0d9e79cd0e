/**
 * What the automation layer tells the outside world: events for metrics (issue 8's
 * prom-client counters subscribe here, the automation layer keeps no registry of its own) and
 * log entries through an injected logger.
 */
import type { SubStore } from '../store/store';

export interface TriggerFiredEvent {
  trigger_id: string;
  trigger_type: string;
  /** The workflow or chain the trigger launches ("" for a flow-only trigger). */
  workflow_id: string;
  target_type: TargetType;
  fired_at: string;
  params: Record<string, unknown>;
}

export interface WorkflowExecutedEvent {
  workflow_id: string;
  success: boolean;
  status: string;
  duration_s: number;
  error?: string;
  /** Set when the workflow ran as a step of a chain. */
  chain_id?: string;
  trigger_id?: string;
}

/** The event for one workflow run, from its result and where it ran (a chain, a trigger). */
export function workflowExecutedEvent(
  workflowId: string,
  result: { success: boolean; status: string; duration_s: number; error?: string },
  context: { chain_id?: string; trigger_id?: string },
): WorkflowExecutedEvent {
  return {
    workflow_id: workflowId,
    success: result.success,
    status: result.status,
    duration_s: result.duration_s,
    ...(result.error ? { error: result.error } : {}),
    ...(context.chain_id ? { chain_id: context.chain_id } : {}),
    ...(context.trigger_id ? { trigger_id: context.trigger_id } : {}),
  };
}

export interface ChainExecutedEvent {
  chain_id: string;
  success: boolean;
  duration_s: number;
  failed_at: string | null;
  error?: string;
  trigger_id?: string;
}

export interface AutoDisabledEvent {
  trigger_id: string;
  consecutive_failures: number;
  reason: string;
}

export type TargetType = 'workflow' | 'chain' | 'flow';

/** A job of the desktop queue starts: a workflow or a chain, for a trigger or a request. */
export interface RunStartedEvent {
  job_id: string;
  target_type: 'workflow' | 'chain';
  target_id: string;
  trigger_id?: string;
  attempt: number;
}

export interface SchedulerChangedEvent {
  running: boolean;
}

/** A run moved a workflow's learning state by itself (statistics met, or a demotion). */
export interface LearningChangedEvent {
  workflow_id: string;
  from: string;
  to: string;
  reason: string;
}

/** Subscribe to any subset. Listeners must not throw; if they do, the error is swallowed. */
export interface AutomationEvents {
  onTriggerFired?(event: TriggerFiredEvent): void;
  onWorkflowExecuted?(event: WorkflowExecutedEvent): void;
  onChainExecuted?(event: ChainExecutedEvent): void;
  onAutoDisabled?(event: AutoDisabledEvent): void;
  onRunStarted?(event: RunStartedEvent): void;
  onSchedulerChanged?(event: SchedulerChangedEvent): void;
  onLearningChanged?(event: LearningChangedEvent): void;
}

type EventName = keyof AutomationEvents;
type EventArg<K extends EventName> = Parameters<NonNullable<AutomationEvents[K]>>[0];

/** A fan-out of AutomationEvents to every subscriber. */
export class AutomationEventHub {
  private listeners = new Set<AutomationEvents>();

  /** Returns the function that unsubscribes. */
  subscribe(listener: AutomationEvents): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<K extends EventName>(name: K, event: EventArg<K>): void {
    for (const l of this.listeners) {
      try {
        (l[name] as ((e: EventArg<K>) => void) | undefined)?.call(l, event);
      } catch {
        // A broken metrics listener must not break a run.
      }
    }
  }
}

/**
 * The process-wide hub: the Node-RED runtime's automation (and the runner, for learning-state
 * changes) emits here; monitoring and the audit trail subscribe.
 */
export const automationEvents = new AutomationEventHub();

export interface AutomationLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

export interface StoredLogEntry {
  timestamp: string;
  level: 'INFO' | 'WARNING' | 'ERROR';
  component: 'automation';
  message: string;
  metadata: Record<string, unknown>;
}

/**
 * The fallback logger: entries in the store sub-store "automation-log" in the seed's log entry
 * shape, keyed by time so they list in order. Writes are fire-and-forget; a failed write is
 * dropped rather than failing the run it describes.
 */
export function storeLogger(sub: SubStore<StoredLogEntry>, clock: { now(): number } = Date): AutomationLogger {
  let seq = 0;
  const write =
    (level: StoredLogEntry['level']) =>
    (message: string, metadata: Record<string, unknown> = {}) => {
      const timestamp = new Date(clock.now()).toISOString();
      const key = `${timestamp}#${String(seq++ % 1e6).padStart(6, '0')}`;
      sub.put(key, { timestamp, level, component: 'automation', message, metadata }).catch(() => undefined);
    };
  return { info: write('INFO'), warn: write('WARNING'), error: write('ERROR') };
}

/** Sends every entry to all the given loggers. */
export function teeLogger(...loggers: AutomationLogger[]): AutomationLogger {
  return {
    info: (m, meta) => loggers.forEach((l) => l.info(m, meta)),
    warn: (m, meta) => loggers.forEach((l) => l.warn(m, meta)),
    error: (m, meta) => loggers.forEach((l) => l.error(m, meta)),
  };
}
