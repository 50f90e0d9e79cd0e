/**
 * Prometheus metrics (seed: admin-monitoring-design.md § Prometheus Metrics), on a private
 * prom-client Registry so that nothing else loaded in the Node-RED process (other nodes, a
 * second copy of prom-client) can collide with our names, and so the same metrics object can
 * outlive Node-RED redeploys (see index.ts) without "metric already registered" errors.
 *
 * Labels stay bounded: statuses are mapped onto a fixed set, and free-form label values
 * (workflow ids, components, chain ids) are capped per label — past the cap new values are
 * counted under "_other" — so a runaway flow cannot blow up the series count. Execution ids
 * are never labels.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const EXECUTION_STATUSES = ['success', 'failed', 'timeout', 'cancelled'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** Maps any status word onto the fixed label set (unknown words count as failed). */
export function executionStatus(status: unknown): ExecutionStatus {
  const s = String(status ?? '').toLowerCase();
  if (s === 'success' || s === 'succeeded' || s === 'ok' || s === 'completed') return 'success';
  if (s === 'timeout' || s === 'timed_out') return 'timeout';
  if (s === 'cancelled' || s === 'canceled') return 'cancelled';
  return 'failed';
}

/** Caps the number of distinct values a free-form label may take. */
export class LabelGuard {
  private readonly seen = new Set<string>();
  constructor(readonly maxValues: number) {}
  value(raw: unknown): string {
    const v = String(raw ?? '').slice(0, 120) || 'unknown';
    if (this.seen.has(v)) return v;
    if (this.seen.size >= this.maxValues) return '_other';
    this.seen.add(v);
    return v;
  }
}

export interface MetricsOptions {
  /** Process CPU, memory, event loop, GC from prom-client's default collectors. */
  processMetrics?: boolean;
  /** Distinct values allowed per free-form label. */
  maxLabelValues?: number;
  /** How many recent executions the error_rate gauge looks at. */
  errorRateWindow?: number;
}

export class MonitoringMetrics {
  readonly registry = new Registry();
  readonly workflowExecutions: Counter<'workflow_id' | 'status'>;
  readonly workflowDuration: Histogram<'workflow_id'>;
  readonly chainExecutions: Counter<'chain_id' | 'status'>;
  readonly triggerFires: Counter<'trigger_type' | 'workflow_id'>;
  readonly logEntries: Counter<'level' | 'component'>;
  readonly activeWorkflows: Gauge;
  readonly errorRate: Gauge;
  readonly steps: Counter<'workflow_id' | 'action_type' | 'status'>;
  readonly stepDuration: Histogram<'action_type'>;
  readonly recoveries: Counter<'strategy' | 'status'>;
  readonly recoveryDuration: Histogram<'strategy'>;
  readonly healthScore: Gauge;
  private readonly workflows: LabelGuard;
  private readonly components: LabelGuard;
  private readonly chains: LabelGuard;
  private readonly kinds: LabelGuard;
  private readonly recent: boolean[] = [];
  private readonly errorRateWindow: number;
  private active = 0;

  constructor(options: MetricsOptions = {}) {
    const max = options.maxLabelValues ?? 500;
    this.workflows = new LabelGuard(max);
    this.components = new LabelGuard(100);
    this.chains = new LabelGuard(max);
    this.kinds = new LabelGuard(50);
    this.errorRateWindow = options.errorRateWindow ?? 100;
    const registers = [this.registry];
    this.workflowExecutions = new Counter({
      name: 'workflow_executions_total',
      help: 'Total workflow executions',
      labelNames: ['workflow_id', 'status'],
      registers,
    });
    this.workflowDuration = new Histogram({
      name: 'workflow_duration_seconds',
      help: 'Workflow execution duration',
      labelNames: ['workflow_id'],
      // desktop workflows take seconds to minutes
      buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
      registers,
    });
    this.chainExecutions = new Counter({
      name: 'chain_executions_total',
      help: 'Total chain executions',
      labelNames: ['chain_id', 'status'],
      registers,
    });
    this.triggerFires = new Counter({
      name: 'trigger_fires_total',
      help: 'Total trigger fires',
      labelNames: ['trigger_type', 'workflow_id'],
      registers,
    });
    this.logEntries = new Counter({
      name: 'log_entries_total',
      help: 'Total log entries',
      labelNames: ['level', 'component'],
      registers,
    });
    this.activeWorkflows = new Gauge({ name: 'active_workflows', help: 'Number of active workflows', registers });
    this.errorRate = new Gauge({
      name: 'error_rate',
      help: 'Current error rate percentage (failed share of the most recent executions)',
      registers,
    });
    this.steps = new Counter({
      name: 'workflow_steps_total',
      help: 'Workflow steps executed',
      labelNames: ['workflow_id', 'action_type', 'status'],
      registers,
    });
    this.stepDuration = new Histogram({
      name: 'workflow_step_duration_seconds',
      help: 'Duration of one workflow step (resolve, act, verify)',
      labelNames: ['action_type'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    });
    this.recoveries = new Counter({
      name: 'recovery_attempts_total',
      help: 'Self-healing recovery attempts',
      labelNames: ['strategy', 'status'],
      registers,
    });
    this.recoveryDuration = new Histogram({
      name: 'recovery_duration_seconds',
      help: 'Duration of self-healing recovery attempts',
      labelNames: ['strategy'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    });
    this.healthScore = new Gauge({
      name: 'health_score',
      help: 'Score 0-100 of the last health check (GET /api/health, rpa-health node)',
      registers,
    });
    this.activeWorkflows.set(0);
    this.errorRate.set(0);
    if (options.processMetrics ?? true) {
      // Standard names (process_*, nodejs_*), so ready-made Node.js dashboards work.
      collectDefaultMetrics({ register: this.registry });
      // These three are gauges named *_total, which `promtool check metrics` rejects.
      for (const name of [
        'nodejs_active_handles_total',
        'nodejs_active_requests_total',
        'nodejs_active_resources_total',
      ])
        this.registry.removeSingleMetric(name);
    }
  }

  /** One finished workflow run: counter +1 with its status, and its duration when measured. */
  recordWorkflowExecution(workflowId: string, status: unknown, durationSeconds?: number): void {
    const workflow_id = this.workflows.value(workflowId);
    const s = executionStatus(status);
    this.workflowExecutions.inc({ workflow_id, status: s });
    if (durationSeconds !== undefined && Number.isFinite(durationSeconds) && durationSeconds >= 0) {
      this.workflowDuration.observe({ workflow_id }, durationSeconds);
    }
    this.recent.push(s === 'success');
    if (this.recent.length > this.errorRateWindow) this.recent.shift();
    this.errorRate.set((100 * this.recent.filter((ok) => !ok).length) / this.recent.length);
  }

  workflowStarted(): void {
    this.activeWorkflows.set(++this.active);
  }
  workflowFinished(): void {
    this.active = Math.max(0, this.active - 1);
    this.activeWorkflows.set(this.active);
  }

  recordStep(workflowId: string, actionType: string | undefined, success: boolean, durationSeconds: number): void {
    const action_type = this.kinds.value(actionType || 'unknown');
    this.steps.inc({
      workflow_id: this.workflows.value(workflowId),
      action_type,
      status: success ? 'success' : 'failed',
    });
    if (Number.isFinite(durationSeconds) && durationSeconds >= 0)
      this.stepDuration.observe({ action_type }, durationSeconds);
  }

  recordRecovery(strategy: string, success: boolean, durationSeconds: number): void {
    const s = this.kinds.value(strategy || 'none');
    this.recoveries.inc({ strategy: s, status: success ? 'success' : 'failed' });
    if (Number.isFinite(durationSeconds) && durationSeconds >= 0)
      this.recoveryDuration.observe({ strategy: s }, durationSeconds);
  }

  recordChainExecution(chainId: string, status: unknown): void {
    this.chainExecutions.inc({ chain_id: this.chains.value(chainId), status: executionStatus(status) });
  }

  recordTriggerFire(triggerType: string, workflowId: string): void {
    this.triggerFires.inc({
      trigger_type: this.kinds.value(triggerType),
      workflow_id: this.workflows.value(workflowId),
    });
  }

  recordLogEntry(level: string, component: string): void {
    this.logEntries.inc({ level, component: this.components.value(component) });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text served at /metrics. */
  expose(): Promise<string> {
    return this.registry.metrics();
  }

  /** The current values as JSON (metrics.json of the log export). */
  snapshot(): Promise<unknown> {
    return this.registry.getMetricsAsJSON();
  }
}
