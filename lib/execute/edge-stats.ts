/**
 * Edge statistics after each step, so the next run starts with what works: the executions by
 * kind (manual = a person did it while observed or coached, assist = confirmed step, auto),
 * successes and failures, the running average time, and which healing strategy found the
 * target (`metadata.healing.preferred_strategy` is tried first next time).
 */
import type { EdgeStats, HealingMemory, WorkflowEdge } from '../contracts/workflow';
import type { RunMode } from './autonomy';

export type { HealingMemory };

function emptyEdgeStats(): EdgeStats {
  return {
    manual_executions: 0,
    assist_executions: 0,
    auto_executions: 0,
    success_count: 0,
    failure_count: 0,
    avg_execution_time_ms: 0,
    last_executed_at: null,
  };
}

export function healingOf(edge: WorkflowEdge): HealingMemory {
  const h = edge.metadata?.healing;
  return {
    preferred_strategy: h?.preferred_strategy ?? null,
    strategy_successes: { ...(h?.strategy_successes ?? {}) },
    last_strategy: h?.last_strategy ?? null,
  };
}

export function preferredStrategy(edge: WorkflowEdge): string | null {
  return healingOf(edge).preferred_strategy;
}

/** Counts one execution of `edge` (mutates it, like the learner's functions do). */
export function recordEdgeExecution(
  edge: WorkflowEdge,
  run: { mode: RunMode; success: boolean; durationMs: number; strategy: string | null; at?: Date },
): void {
  const s = { ...emptyEdgeStats(), ...(edge.stats ?? {}) };
  if (run.mode === 'observe' || run.mode === 'coach') s.manual_executions++;
  else if (run.mode === 'confirm') s.assist_executions++;
  else s.auto_executions++;
  const before = s.success_count + s.failure_count;
  if (run.success) s.success_count++;
  else s.failure_count++;
  s.avg_execution_time_ms = Math.round((s.avg_execution_time_ms * before + run.durationMs) / (before + 1));
  s.last_executed_at = (run.at ?? new Date()).toISOString();
  edge.stats = s;
  if (run.success && run.strategy) {
    const h = healingOf(edge);
    h.strategy_successes[run.strategy] = (h.strategy_successes[run.strategy] ?? 0) + 1;
    h.last_strategy = run.strategy;
    // What just worked is what the next run tries first: the UI rarely changes back.
    h.preferred_strategy = run.strategy;
    edge.metadata = { ...(edge.metadata ?? {}), healing: h };
  }
}
