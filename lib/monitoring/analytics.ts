/**
 * Execution analytics (seed: analytics-integration-guide.md). The runner calls the hooks of
 * `AnalyticsHooks` (lib/contracts/analytics-hooks.ts); this module keeps the live state of each running execution (progress %,
 * ETA), persists one record per finished execution in the store's "executions" sub-store,
 * feeds the Prometheus metrics and the central logger, and answers statistics over a time
 * window (success rate, average and p95 duration, failures by step).
 *
 * The hooks never throw and never wait: whatever goes wrong inside analytics is logged under
 * the "analytics" component and the execution goes on (seed best practice 2). Records are
 * buffered and written in batches (best practice 3: `flush()`).
 */
import crypto from 'crypto';
import os from 'os';
import type { SubStore } from '../store/store';
import { moveRecordsBefore, timeKeyRange, type ComponentLogger } from './logger';
import { Batcher } from './batcher';
import { maskSecrets } from '../contracts/secrets';
import type {
  AnalyticsHooks,
  ExecutionCompleteEvent,
  ExecutionStartEvent,
  RecoveryAttemptEvent,
  StepCompleteEvent,
  StepStartEvent,
  When,
} from '../contracts/analytics-hooks';
import { executionStatus, type ExecutionStatus, type MonitoringMetrics } from './metrics';

export interface StepRecord {
  node_id: string;
  action_type?: string;
  started_at: string;
  completed_at: string;
  duration: number;
  success: boolean;
  error_message?: string;
}
export interface RecoveryRecord {
  node_id: string;
  strategy: string;
  success: boolean;
  duration: number;
  at: string;
}

/** One finished execution, as stored and as listed on the dashboard. */
export interface ExecutionRecord {
  execution_id: string;
  workflow_id: string;
  status: ExecutionStatus;
  started_at: string;
  completed_at: string;
  duration: number;
  total_steps?: number;
  steps_completed: number;
  steps_failed: number;
  error_message?: string;
  failed_at?: string;
  steps: StepRecord[];
  recoveries: RecoveryRecord[];
  metadata?: Record<string, unknown>;
}

export interface LiveMetrics {
  execution_id: string;
  workflow_id: string;
  started_at: string;
  total_steps?: number;
  current_step?: number;
  current_node?: string;
  steps_completed: number;
  steps_failed: number;
  /** 0–100; null while the number of steps is unknown. */
  progress_percent: number | null;
  elapsed_seconds: number;
  /** Seconds left, from the average step time so far (or the workflow's history). */
  eta_seconds: number | null;
  estimated_completion: string | null;
}

export interface WorkflowStats {
  workflow_id: string | null;
  window: { start: string; end: string; hours: number };
  success_rate: { total: number; succeeded: number; failed: number; success_rate: number };
  performance: { avg_duration: number; p95_duration: number; min_duration: number; max_duration: number };
  failures_by_step: Record<string, number>;
  failures_by_status: Record<string, number>;
  recoveries: Record<string, { attempts: number; succeeded: number }>;
}

export interface ResourceSample {
  timestamp: string;
  /** Share of all cores used by the whole machine since the previous sample, 0–100. */
  cpu_percent: number;
  /** Share of one core used by this process since the previous sample, 0–100. */
  process_cpu_percent: number;
  memory_percent: number;
  rss_bytes: number;
  load_average_1m: number;
}

interface Live {
  record: Omit<ExecutionRecord, 'status' | 'completed_at' | 'duration'>;
  startedMs: number;
  current_step?: number;
  current_node?: string;
}

export interface AnalyticsOptions {
  executions: Promise<SubStore<ExecutionRecord>>;
  resources: Promise<SubStore<ResourceSample>>;
  metrics: MonitoringMetrics;
  logger: ComponentLogger;
  /** Whether hooks do anything (seed: `get_analytics_integration(enabled=…)`). */
  enabled?: boolean;
  flushIntervalMs?: number;
  /** Per-execution caps, so one runaway loop cannot make a huge record. */
  maxStepsPerRecord?: number;
  now?: () => number;
}

const MAX_LIVE = 1000;

function iso(when: When | undefined, fallbackMs: number): string {
  const d = when === undefined ? new Date(fallbackMs) : new Date(when);
  return Number.isFinite(d.getTime()) ? d.toISOString() : new Date(fallbackMs).toISOString();
}

/** p-th percentile (nearest rank) of values; 0 for none. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** Key of an execution record: completion time first, so windows are range scans. */
export function executionKey(r: Pick<ExecutionRecord, 'completed_at' | 'execution_id'>): string {
  return `${r.completed_at}~${r.execution_id}`;
}

export class Analytics implements AnalyticsHooks {
  enabled: boolean;
  private readonly live = new Map<string, Live>();
  private readonly records: Batcher<ExecutionRecord>;
  private resourceTimer: NodeJS.Timeout | undefined;
  private lastCpu = { os: os.cpus().map((c) => c.times), proc: process.cpuUsage(), at: process.hrtime.bigint() };
  private readonly now: () => number;
  private samples = 0;

  constructor(private readonly options: AnalyticsOptions) {
    this.enabled = options.enabled ?? true;
    this.now = options.now ?? Date.now;
    this.records = new Batcher((batch) => this.store(batch), options.flushIntervalMs ?? 500, 100);
  }

  /** Runs a hook body; any failure is logged, never thrown into the execution. */
  private safely<T>(hook: string, fallback: T, body: () => T): T {
    if (!this.enabled) return fallback;
    try {
      return body();
    } catch (err) {
      try {
        this.options.logger.error(`analytics hook ${hook} failed: ${(err as Error).message}`, { hook });
      } catch {
        // nothing left to report to
      }
      return fallback;
    }
  }

  on_execution_start(event: ExecutionStartEvent): string {
    const execution_id = event?.execution_id || `exec_${crypto.randomUUID()}`;
    return this.safely('on_execution_start', execution_id, () => {
      const workflow_id = String(event.workflow_id);
      const startedMs = this.now();
      if (this.live.size >= MAX_LIVE) {
        // a runner that never calls on_execution_complete must not grow this map forever
        const oldest = this.live.keys().next().value as string;
        this.live.delete(oldest);
        this.options.metrics.workflowFinished();
      }
      const total = Number(event.total_steps);
      this.live.set(execution_id, {
        startedMs,
        record: {
          execution_id,
          workflow_id,
          started_at: new Date(startedMs).toISOString(),
          total_steps: Number.isFinite(total) && total > 0 ? Math.floor(total) : undefined,
          steps_completed: 0,
          steps_failed: 0,
          steps: [],
          recoveries: [],
          // The runner masks the parameters it knows are secret; this catches any other caller's.
          metadata: event.metadata ? maskSecrets(event.metadata) : undefined,
        },
      });
      this.options.metrics.workflowStarted();
      this.options.logger.workflow_start(workflow_id, { execution_id, total_steps: event.total_steps });
      return execution_id;
    });
  }

  on_step_start(event: StepStartEvent): void {
    this.safely('on_step_start', undefined, () => {
      const live = this.live.get(event.execution_id);
      if (!live) return;
      live.current_step = event.step_number;
      live.current_node = event.node_id;
    });
  }

  on_step_complete(event: StepCompleteEvent): void {
    this.safely('on_step_complete', undefined, () => {
      const nowMs = this.now();
      this.options.metrics.recordStep(event.workflow_id, event.action_type, !!event.success, Number(event.duration));
      const live = this.live.get(event.execution_id);
      if (!live) return;
      if (event.success) live.record.steps_completed++;
      else live.record.steps_failed++;
      if (live.record.steps.length < (this.options.maxStepsPerRecord ?? 500)) {
        live.record.steps.push({
          node_id: String(event.node_id),
          action_type: event.action_type,
          started_at: iso(event.started_at, nowMs - Number(event.duration) * 1000),
          completed_at: iso(event.completed_at, nowMs),
          duration: Number(event.duration) || 0,
          success: !!event.success,
          ...(event.error_message ? { error_message: String(event.error_message) } : {}),
        });
      }
      if (!event.success) {
        this.options.logger.warning(
          `Step ${event.node_id} failed${event.error_message ? `: ${event.error_message}` : ''}`,
          {
            workflow_id: event.workflow_id,
            node_id: event.node_id,
            execution_id: event.execution_id,
          },
        );
      }
    });
  }

  on_recovery_attempt(event: RecoveryAttemptEvent): void {
    this.safely('on_recovery_attempt', undefined, () => {
      this.options.metrics.recordRecovery(event.strategy, !!event.success, Number(event.duration));
      const live = this.live.get(event.execution_id);
      if (live && live.record.recoveries.length < (this.options.maxStepsPerRecord ?? 500)) {
        live.record.recoveries.push({
          node_id: String(event.node_id),
          strategy: String(event.strategy),
          success: !!event.success,
          duration: Number(event.duration) || 0,
          at: new Date(this.now()).toISOString(),
        });
      }
      this.options.logger.info(
        `Recovery ${event.strategy} ${event.success ? 'succeeded' : 'failed'} on ${event.node_id}`,
        {
          workflow_id: event.workflow_id,
          node_id: event.node_id,
          execution_id: event.execution_id,
          strategy: event.strategy,
          success: !!event.success,
        },
      );
    });
  }

  on_execution_complete(event: ExecutionCompleteEvent): void {
    this.safely('on_execution_complete', undefined, () => {
      const nowMs = this.now();
      const live = this.live.get(event.execution_id);
      this.live.delete(event.execution_id);
      const startedAt = live?.record.started_at ?? iso(event.started_at, nowMs - (Number(event.duration) || 0) * 1000);
      const completedAt = iso(event.completed_at, nowMs);
      const duration =
        event.duration !== undefined && Number.isFinite(Number(event.duration))
          ? Number(event.duration)
          : Math.max(0, (Date.parse(completedAt) - Date.parse(startedAt)) / 1000);
      const status = executionStatus(event.status);
      const record: ExecutionRecord = {
        execution_id: event.execution_id,
        workflow_id: String(event.workflow_id),
        status,
        started_at: startedAt,
        completed_at: completedAt,
        duration,
        total_steps: live?.record.total_steps,
        steps_completed: event.steps_completed ?? live?.record.steps_completed ?? 0,
        steps_failed: event.steps_failed ?? live?.record.steps_failed ?? 0,
        steps: live?.record.steps ?? [],
        recoveries: live?.record.recoveries ?? [],
        ...(event.error_message ? { error_message: String(event.error_message) } : {}),
        ...(status !== 'success'
          ? { failed_at: event.failed_at ?? live?.record.steps.find((s) => !s.success)?.node_id }
          : {}),
        ...(live?.record.metadata ? { metadata: live.record.metadata } : {}),
      };
      if (live) this.options.metrics.workflowFinished();
      this.options.metrics.recordWorkflowExecution(record.workflow_id, status, duration);
      this.options.logger.workflow_end(record.workflow_id, status === 'success', duration, {
        execution_id: record.execution_id,
        status,
        ...(record.failed_at ? { node_id: record.failed_at } : {}),
        ...(record.error_message ? { error_message: record.error_message } : {}),
      });
      this.records.add(record);
    });
  }

  /** Progress and ETA of a running execution (seed: `get_live_metrics`); undefined when not running. */
  get_live_metrics(execution_id: string): LiveMetrics | undefined {
    const live = this.live.get(execution_id);
    return live && this.liveMetrics(live);
  }

  /** Every running execution, oldest first. */
  live_executions(): LiveMetrics[] {
    return [...this.live.values()].map((l) => this.liveMetrics(l));
  }

  private liveMetrics(live: Live): LiveMetrics {
    const nowMs = this.now();
    const r = live.record;
    const done = r.steps_completed + r.steps_failed;
    const elapsed = Math.max(0, (nowMs - live.startedMs) / 1000);
    const progress = r.total_steps ? Math.min(100, (100 * done) / r.total_steps) : null;
    const eta = r.total_steps && done > 0 ? (elapsed / done) * Math.max(0, r.total_steps - done) : null;
    return {
      execution_id: r.execution_id,
      workflow_id: r.workflow_id,
      started_at: r.started_at,
      total_steps: r.total_steps,
      current_step: live.current_step,
      current_node: live.current_node,
      steps_completed: r.steps_completed,
      steps_failed: r.steps_failed,
      progress_percent: progress,
      elapsed_seconds: elapsed,
      eta_seconds: eta,
      estimated_completion: eta === null ? null : new Date(nowMs + eta * 1000).toISOString(),
    };
  }

  /** Writes buffered execution records to the store. */
  flush(): Promise<void> {
    return this.records.flush();
  }

  private async store(batch: ExecutionRecord[]): Promise<void> {
    try {
      const store = await this.options.executions;
      await store.batch(batch.map((r) => ({ type: 'put' as const, key: executionKey(r), value: r })));
    } catch (err) {
      this.options.logger.error(`could not store ${batch.length} execution records: ${(err as Error).message}`);
    }
  }

  /** Finished executions completed in [start, end], oldest first (newest first with `newestFirst`). */
  async executions(
    q: { start?: Date; end?: Date; workflow_id?: string; limit?: number; newestFirst?: boolean } = {},
  ): Promise<ExecutionRecord[]> {
    await this.flush();
    const store = await this.options.executions;
    const rows = await store.values({
      ...timeKeyRange(q.start, q.end),
      reverse: q.newestFirst ?? false,
      limit: q.workflow_id ? -1 : (q.limit ?? -1),
    });
    const matching = q.workflow_id ? rows.filter((r) => r.workflow_id === q.workflow_id) : rows;
    return q.limit !== undefined ? matching.slice(0, q.limit) : matching;
  }

  /** Statistics of one workflow (or all when undefined) over the last `hours` (seed: `get_workflow_stats`). */
  async get_workflow_stats(workflow_id?: string, hours = 24): Promise<WorkflowStats> {
    const end = new Date(this.now());
    const start = new Date(end.getTime() - hours * 3600_000);
    return statsOf(await this.executions({ start, end, workflow_id }), {
      workflow_id: workflow_id ?? null,
      start,
      end,
      hours,
    });
  }

  /** Samples CPU and memory every `intervalSeconds` into the "resources" sub-store. */
  start_resource_monitoring(intervalSeconds = 60): void {
    this.stop_resource_monitoring();
    this.resourceTimer = setInterval(() => void this.sampleResources(), Math.max(1, intervalSeconds) * 1000).unref();
  }

  stop_resource_monitoring(): void {
    if (this.resourceTimer) clearInterval(this.resourceTimer);
    this.resourceTimer = undefined;
  }

  get resourceMonitoring(): boolean {
    return this.resourceTimer !== undefined;
  }

  /** Takes one resource sample now, stores it and returns it. */
  async sampleResources(): Promise<ResourceSample | undefined> {
    try {
      const cpus = os.cpus().map((c) => c.times);
      const proc = process.cpuUsage();
      const at = process.hrtime.bigint();
      let busy = 0;
      let total = 0;
      cpus.forEach((t, i) => {
        const p = this.lastCpu.os[i] ?? { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 };
        const all = t.user + t.nice + t.sys + t.idle + t.irq - (p.user + p.nice + p.sys + p.idle + p.irq);
        total += all;
        busy += all - (t.idle - p.idle);
      });
      const wallUs = Number(at - this.lastCpu.at) / 1000;
      const procUs = proc.user - this.lastCpu.proc.user + (proc.system - this.lastCpu.proc.system);
      this.lastCpu = { os: cpus, proc, at };
      const sample: ResourceSample = {
        timestamp: new Date(this.now()).toISOString(),
        cpu_percent: total > 0 ? Math.round((1000 * busy) / total) / 10 : 0,
        process_cpu_percent: wallUs > 0 ? Math.round((1000 * procUs) / wallUs) / 10 : 0,
        memory_percent: Math.round((1000 * (os.totalmem() - os.freemem())) / os.totalmem()) / 10,
        rss_bytes: process.memoryUsage.rss(),
        load_average_1m: os.loadavg()[0],
      };
      const store = await this.options.resources;
      await store.put(`${sample.timestamp}~${process.pid}~${(this.samples++).toString(36).padStart(6, '0')}`, sample);
      return sample;
    } catch (err) {
      this.options.logger.error(`resource sampling failed: ${(err as Error).message}`);
      return undefined;
    }
  }

  async resourceSamples(q: { start?: Date; end?: Date; limit?: number } = {}): Promise<ResourceSample[]> {
    const store = await this.options.resources;
    return store.values({ ...timeKeyRange(q.start, q.end), limit: q.limit ?? -1 });
  }

  /** Hands execution records and resource samples older than `before` to `save`, then deletes them. */
  async moveOlderThan(
    before: Date,
    save: (kind: 'executions' | 'resources', rows: unknown[]) => Promise<void>,
  ): Promise<{ executions: number; resources: number }> {
    await this.flush();
    return {
      executions: await moveRecordsBefore(await this.options.executions, before, (rows) => save('executions', rows)),
      resources: await moveRecordsBefore(await this.options.resources, before, (rows) => save('resources', rows)),
    };
  }

  close(): Promise<void> {
    this.stop_resource_monitoring();
    return this.flush();
  }
}

/** Statistics of a set of execution records (shared by the API, the report and the export). */
export function statsOf(
  records: ExecutionRecord[],
  window: { workflow_id: string | null; start: Date; end: Date; hours: number },
): WorkflowStats {
  const durations = records.map((r) => r.duration);
  const succeeded = records.filter((r) => r.status === 'success').length;
  const failures_by_step: Record<string, number> = {};
  const failures_by_status: Record<string, number> = {};
  const recoveries: Record<string, { attempts: number; succeeded: number }> = {};
  for (const r of records) {
    if (r.status !== 'success') {
      failures_by_status[r.status] = (failures_by_status[r.status] ?? 0) + 1;
      const step = r.failed_at ?? 'unknown';
      failures_by_step[step] = (failures_by_step[step] ?? 0) + 1;
    }
    for (const rec of r.recoveries ?? []) {
      const agg = (recoveries[rec.strategy] ??= { attempts: 0, succeeded: 0 });
      agg.attempts++;
      if (rec.success) agg.succeeded++;
    }
  }
  return {
    workflow_id: window.workflow_id,
    window: { start: window.start.toISOString(), end: window.end.toISOString(), hours: window.hours },
    success_rate: {
      total: records.length,
      succeeded,
      failed: records.length - succeeded,
      success_rate: records.length ? (100 * succeeded) / records.length : 0,
    },
    performance: {
      avg_duration: durations.length ? durations.reduce((a, b) => a + b, 0) / durations.length : 0,
      p95_duration: percentile(durations, 95),
      min_duration: durations.length ? durations.reduce((a, b) => Math.min(a, b)) : 0,
      max_duration: durations.length ? durations.reduce((a, b) => Math.max(a, b)) : 0,
    },
    failures_by_step,
    failures_by_status,
    recoveries,
  };
}
