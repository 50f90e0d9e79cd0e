/**
 * The orchestrator: the side that takes jobs (API, scheduler, triggers, chains, run nodes) and
 * puts them on the BullMQ queues robots listen to, watches the robots' heartbeats, and turns
 * the job of a lost robot into in_doubt (it had acted) or back into waiting (it had not). It
 * also serves as the automation layer's WorkflowExecutor when a broker is configured, so
 * everything that runs workflows goes through the robots without knowing it.
 */
import crypto from 'crypto';
import Redis, { type RedisOptions } from 'ioredis';
import { Queue, type ConnectionOptions } from 'bullmq';
import type { ExecuteOptions, WorkflowExecutionResult, WorkflowExecutor } from '../automation/executor';
import type { Workflow } from '../contracts/workflow';
import type { JobSubmitRequest } from '../contracts/job-requests';
import { maskSecrets, secretParameterNames, SECRET_MASK } from '../contracts/secrets';
import { withAnchorsInline } from '../graph/flow-export';
import { normaliseLabels, queueFor } from './labels';
import {
  EVENTS_CHANNEL,
  CANCEL_CHANNEL,
  JobRecords,
  type JobPayload,
  type JobRecord,
  type JobState,
} from './job-records';
import { isAlive, listRobots, type RobotView } from './robot-registry';
import { InvalidJobRequest, JobNotFound, JobConflict } from './errors';

export interface RobotsLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

/** POST /api/jobs's body, its mode as any string (checked when the job runs). */
export type JobRequest = Omit<JobSubmitRequest, 'mode'> & { mode?: string };

/** What a job runs: the documents of its workflows, in order. */
export interface JobTarget {
  workflows: Workflow[];
  /** Where anchor images named by a relative file are read from (the workflows' folder): they travel as data URLs. */
  baseDir?: string;
}

/** What a caller inside the product may add to a request (not the API's). */
export interface SubmitOptions {
  /** The workflows themselves, when the caller has them (a run node's, from its file or config node). */
  target?: JobTarget;
  /** The robot stops the run after this long (s), as a run node's timeout. */
  timeoutS?: number;
}

export interface RunJobOptions extends SubmitOptions {
  /** Cancels the job (at once while waiting, before the next desktop action while active). */
  signal?: AbortSignal;
  /** Each change seen while waiting (a robot took it, the step it is on). */
  onUpdate?(record: JobRecord): void;
}

export interface OrchestratorOptions {
  connection: RedisOptions;
  /** The workflow(s) of a job's target; throws a not-found error the API turns into 404. */
  resolveTarget(kind: 'workflow' | 'chain', id: string): Promise<JobTarget>;
  logger: RobotsLogger;
  /** How often robots and active jobs are checked (ms). Default 1000. */
  watchIntervalMs?: number;
  /** A robot offline this long is an alert in the log (ms). Default 2 minutes. */
  offlineAlertMs?: number;
  /** Called when a job is taken by a robot, with its wait in seconds (the job_wait_seconds metric). */
  onJobClaimed?(waitSeconds: number): void;
}

/** The job as the API shows it: its record without the payload (the workflows it carries). */
export type JobView = Omit<JobRecord, 'payload' | 'bull_id' | 'queue'>;

export function jobView(record: JobRecord): JobView {
  const { payload: _payload, bull_id: _bull, queue: _queue, ...view } = record;
  return view;
}

/** API priority (higher first, -100..100) as BullMQ's (lower first, 1..). */
const bullPriority = (priority: number) => 101 - Math.max(-100, Math.min(100, Math.round(priority)));

/** A new BullMQ id for each attempt: a lease BullMQ redelivers after a restart can never claim a newer attempt. */
const bullId = (jobId: string) => `${jobId}.${crypto.randomBytes(4).toString('hex')}`;

/** Terminal states: the job will not run again unless a person decides so. */
export const FINAL_STATES: readonly JobState[] = ['succeeded', 'failed', 'in_doubt', 'cancelled'];

export interface RobotSnapshot {
  robots_online: number;
  jobs: Record<JobState, number>;
}

export class JobOrchestrator implements WorkflowExecutor {
  readonly records: JobRecords;
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  private readonly queues = new Map<string, Queue>();
  private readonly watchIntervalMs: number;
  private readonly offlineAlertMs: number;
  private timer?: NodeJS.Timeout;
  private watching?: Promise<void>;
  private closed = false;
  private readonly alerted = new Set<string>();
  private readonly finishWaiters = new Map<string, Set<() => void>>();
  private snapshotValue: RobotSnapshot = {
    robots_online: 0,
    jobs: { waiting: 0, active: 0, succeeded: 0, failed: 0, in_doubt: 0, cancelled: 0 },
  };

  constructor(private readonly options: OrchestratorOptions) {
    this.redis = new Redis(options.connection);
    this.subscriber = new Redis(options.connection);
    this.records = new JobRecords(this.redis);
    this.watchIntervalMs = options.watchIntervalMs ?? 1000;
    this.offlineAlertMs = options.offlineAlertMs ?? 120_000;
    for (const r of [this.redis, this.subscriber])
      r.on('error', (err) => this.options.logger.warn(`broker connection: ${err.message}`));
    void this.subscriber.subscribe(EVENTS_CHANNEL).catch(() => undefined);
    this.subscriber.on('message', (_channel, message) => this.onEvent(message));
  }

  /** Starts watching robots and active jobs. */
  start(): this {
    const loop = () => {
      if (this.closed) return;
      this.watching = this.watch()
        .catch((err: Error) => this.options.logger.warn(`robot watch: ${err.message}`))
        .finally(() => {
          if (!this.closed) this.timer = setTimeout(loop, this.watchIntervalMs);
        });
    };
    loop();
    return this;
  }

  /**
   * The workflows `workflows` call as sub-workflows, at any depth, each once: they travel with the
   * job so the robot runs them from there, with nothing copied by hand.
   */
  private async subWorkflowsOf(workflows: Workflow[]): Promise<Array<{ workflow: Workflow; baseDir?: string }>> {
    const seen = new Set(workflows.map((w) => w.workflow_id));
    const found: Array<{ workflow: Workflow; baseDir?: string }> = [];
    const pending = workflows.flatMap((w) => (w.sub_workflows ?? []).map((s) => s.sub_workflow_id));
    while (pending.length) {
      const id = pending.shift()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const target = await this.options.resolveTarget('workflow', id);
      for (const workflow of target.workflows) {
        found.push({ workflow, baseDir: target.baseDir });
        pending.push(...(workflow.sub_workflows ?? []).map((s) => s.sub_workflow_id));
      }
    }
    return found;
  }

  /** The last counts seen by the watch (metrics read this without a round trip). */
  snapshot(): RobotSnapshot {
    return this.snapshotValue;
  }

  async submit(request: JobRequest, options: SubmitOptions = {}): Promise<{ job_id: string; created: boolean }> {
    const kind = request.chain_id ? 'chain' : 'workflow';
    const targetId = (request.chain_id ?? request.workflow_id)!;
    const labels = normaliseLabels(request.labels);
    const target = options.target ?? (await this.options.resolveTarget(kind, targetId));
    const secrets = new Set(target.workflows.flatMap((w) => [...secretParameterNames(w)]));
    const given = Object.keys(request.params ?? {}).filter((p) => secrets.has(p));
    if (given.length)
      throw new InvalidJobRequest(
        `parameter(s) ${given.join(', ')} are secret: a job never carries a secret; give its value to the robots (RPA_VISION_SECRET_<NAME>)`,
        { parameters: given },
      );
    const id = `job-${Date.now().toString(36)}-${crypto.randomBytes(4).toString('hex')}`;
    const payload: JobPayload = {
      kind,
      target_id: targetId,
      workflows: target.workflows.map((w) => this.travelling(w, target.baseDir, id)),
      sub_workflows: (await this.subWorkflowsOf(target.workflows)).map((t) =>
        this.travelling(t.workflow, t.baseDir, id),
      ),
      params: maskSecrets(request.params ?? {}, secrets),
      ...(request.mode ? { mode: request.mode } : {}),
      ...(options.timeoutS ? { timeout_s: options.timeoutS } : {}),
    };
    const record: JobRecord = {
      job_id: id,
      kind,
      target_id: targetId,
      labels,
      priority: request.priority ?? 0,
      state: 'waiting',
      robot: null,
      attempts: 0,
      submitted_at: new Date().toISOString(),
      claimed_at: null,
      finished_at: null,
      acted: false,
      last_verified_step: null,
      current_step: null,
      resume_from: null,
      idempotency_key: request.idempotency_key ?? null,
      mode: request.mode ?? null,
      retry_on_robot_loss: target.workflows.every((w) => w.retry_on_robot_loss === true),
      error: null,
      bull_id: bullId(id),
      queue: queueFor(labels),
      payload,
    };
    const created = await this.records.create(record);
    if (!created.created) return created;
    await this.enqueue(record, record.bull_id);
    this.options.logger.info(
      `job ${id} (${kind} ${targetId}) queued for robots${labels.length ? ` labelled ${labels.join(', ')}` : ''}`,
      {
        job_id: id,
      },
    );
    return created;
  }

  async get(id: string): Promise<JobRecord> {
    const record = await this.records.get(id);
    if (!record) throw new JobNotFound(id);
    return record;
  }

  list(state?: JobState, limit?: number): Promise<JobRecord[]> {
    return this.records.list({ state, limit });
  }

  robots(): Promise<RobotView[]> {
    return listRobots(this.redis);
  }

  /** Cancels a waiting job at once; an active one stops before its next desktop action. */
  async cancel(id: string): Promise<JobRecord> {
    const record = await this.get(id);
    const outcome = await this.records.cancel(id);
    if (outcome === 'too_late')
      throw new JobConflict(`job ${id} is ${record.state}: only a waiting or active job can be cancelled`, {
        state: record.state,
      });
    if (outcome === 'cancelled') {
      await this.queue(record.queue)
        .remove(record.bull_id)
        .catch(() => undefined);
      this.notifyFinished(id);
    } else await this.redis.publish(CANCEL_CHANNEL, id);
    this.options.logger.info(`job ${id}: cancel ${outcome === 'cancelled' ? 'done' : 'requested from its robot'}`, {
      job_id: id,
    });
    return this.get(id);
  }

  /** A person's decision: run an in_doubt or failed job again, from the start or from the screen `fromNode`. */
  async retry(id: string, fromNode?: string): Promise<JobRecord> {
    const record = await this.get(id);
    if (fromNode && !record.payload.workflows.some((w) => (w as Workflow).nodes.some((n) => n.node_id === fromNode)))
      throw new JobConflict(`job ${id}'s workflow has no screen "${fromNode}" to resume from`, { node: fromNode });
    const next = bullId(id);
    if (!(await this.records.retry(id, next, fromNode ?? null)))
      throw new JobConflict(`job ${id} is ${record.state}: only an in_doubt or failed job can be retried`, {
        state: record.state,
      });
    await this.enqueue(record, next);
    this.options.logger.warn(
      `job ${id}: a person decided to run it again${fromNode ? ` from ${fromNode}` : ' from the start'}`,
      {
        job_id: id,
      },
    );
    return this.get(id);
  }

  /** A person's decision: an in_doubt job is closed as succeeded, failed or cancelled, with a note. */
  async close(id: string, outcome: 'succeeded' | 'failed' | 'cancelled', note?: string): Promise<JobRecord> {
    const record = await this.get(id);
    const resolution = `closed by a person as ${outcome}${note ? `: ${note}` : ''}`;
    if (!(await this.records.close(id, outcome, resolution)))
      throw new JobConflict(`job ${id} is ${record.state}: only an in_doubt job can be closed`, {
        state: record.state,
      });
    this.options.logger.warn(`job ${id}: ${resolution}`, { job_id: id });
    return this.get(id);
  }

  /** Resolves with the job's record once it is in a final state (or the signal aborted the wait). */
  async waitFor(id: string, signal?: AbortSignal, onUpdate?: (record: JobRecord) => void): Promise<JobRecord> {
    for (let record = await this.get(id); ; record = await this.get(id)) {
      // Closed: the last record seen, whatever its state (the caller does not wait for ever).
      if (FINAL_STATES.includes(record.state) || signal?.aborted || this.closed) return record;
      onUpdate?.(record);
      // Woken by the robot's events; the poll covers an event lost while the broker was away.
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.finishWaiters.get(id)?.delete(wake);
          signal?.removeEventListener('abort', wake);
          resolve();
        };
        const timer = setTimeout(wake, 2000);
        if (!this.finishWaiters.has(id)) this.finishWaiters.set(id, new Set());
        this.finishWaiters.get(id)!.add(wake);
        signal?.addEventListener('abort', wake, { once: true });
      });
      if (this.closed) return record;
    }
  }

  /**
   * Submits a job and resolves with its record once it is final: what the scheduler, triggers,
   * chains (through execute) and the run nodes wait for. An abort cancels the job and waits for
   * the robot to stop.
   */
  async runToEnd(request: JobRequest, options: RunJobOptions = {}): Promise<JobRecord> {
    const { job_id } = await this.submit(request, options);
    const onAbort = () => void this.cancel(job_id).catch(() => undefined);
    // Aborted while it was being submitted: cancelled now, as it would have been after.
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const record = await this.waitFor(job_id, options.signal, options.onUpdate);
      return FINAL_STATES.includes(record.state) || this.closed ? record : await this.waitFor(job_id);
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** WorkflowExecutor: the scheduler, triggers and chains run a workflow as a job and wait for it. */
  async execute(
    workflowId: string,
    params: Record<string, unknown>,
    options: ExecuteOptions,
  ): Promise<WorkflowExecutionResult> {
    const record = await this.runToEnd({ workflow_id: workflowId, params }, { signal: options.signal });
    const started = record.claimed_at ? Date.parse(record.claimed_at) : Date.parse(record.submitted_at);
    const duration_s = Math.max(
      0,
      Math.round((Date.parse(record.finished_at ?? new Date().toISOString()) - started) / 100) / 10,
    );
    if (record.state === 'succeeded') return { success: true, status: 'success', duration_s };
    if (record.state === 'cancelled')
      return { success: false, status: 'cancelled', duration_s, error: record.error ?? 'cancelled' };
    // in_doubt is a failure for the caller, never a technical error that its retries would repeat.
    return {
      success: false,
      status: 'failed',
      duration_s,
      error: jobError(record),
      ...(record.current_step ? { failed_at: record.current_step } : {}),
    };
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.watching;
    for (const waiters of this.finishWaiters.values()) for (const w of waiters) w();
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.subscriber.disconnect();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  // ——— inside ———

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.options.connection as ConnectionOptions });
      q.on('error', (err) => this.options.logger.warn(`queue ${name}: ${err.message}`));
      this.queues.set(name, q);
    }
    return q;
  }

  private async enqueue(record: JobRecord, id: string): Promise<void> {
    await this.queue(record.queue).add(
      record.kind,
      { job_id: record.job_id },
      {
        jobId: id,
        priority: bullPriority(record.priority),
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 1000 },
      },
    );
  }

  private onEvent(message: string): void {
    let event: { type?: string; job_id?: string; wait_s?: number };
    try {
      event = JSON.parse(message) as typeof event;
    } catch {
      return;
    }
    if (event.type === 'claimed' && typeof event.wait_s === 'number') this.options.onJobClaimed?.(event.wait_s);
    // A robot took the job or finished it: whoever waits on it looks again.
    if ((event.type === 'finished' || event.type === 'claimed') && event.job_id) this.notifyFinished(event.job_id);
  }

  /** A workflow as it goes with a job: no secret default, anchor images named by a file as data URLs. */
  private travelling(workflow: Workflow, baseDir: string | undefined, jobId: string): Workflow {
    const { workflow: inline, missing } = withAnchorsInline(withoutSecretDefaults(workflow), baseDir);
    for (const m of missing)
      this.options.logger.warn(
        `job ${jobId}: the anchor image ${m.image} of workflow ${workflow.workflow_id} is not at ${m.file}; the robot runs without it`,
        { job_id: jobId },
      );
    return inline;
  }

  private notifyFinished(id: string): void {
    for (const wake of this.finishWaiters.get(id) ?? []) wake();
    this.finishWaiters.delete(id);
  }

  private async watch(): Promise<void> {
    const robots = await listRobots(this.redis);
    const now = Date.now();
    for (const r of robots) {
      const since = now - Date.parse(r.last_heartbeat);
      if (r.state === 'offline' && since >= this.offlineAlertMs && !this.alerted.has(r.name)) {
        this.alerted.add(r.name);
        this.options.logger.error(
          `ALERT: robot ${r.name} has been offline for ${Math.round(since / 1000)} s (last heartbeat ${r.last_heartbeat})`,
          { robot: r.name, alert: 'robot_offline' },
        );
      } else if (r.state !== 'offline') this.alerted.delete(r.name);
    }
    for (const id of await this.records.activeIds()) {
      const record = await this.records.get(id);
      if (!record?.robot || (await isAlive(this.redis, record.robot))) continue;
      const reason = `robot ${record.robot} was lost (no heartbeat for its lease) ${record.acted ? `after acting${record.current_step ? ` at ${record.current_step}` : ''}` : 'before acting'}`;
      const next = bullId(id);
      const outcome = await this.records.lost(id, record.robot, next, reason);
      if (outcome === 'requeued') {
        await this.enqueue(record, next);
        this.options.logger.warn(`job ${id}: ${reason}; queued again`, { job_id: id });
      } else if (outcome === 'in_doubt') {
        this.options.logger.error(
          `job ${id} is IN DOUBT: ${reason}; last verified step ${record.last_verified_step ?? 'none'}. It is not run again: retry, resume or close it (dashboard, /api/jobs/${id})`,
          { job_id: id, robot: record.robot },
        );
        this.notifyFinished(id);
      }
    }
    this.snapshotValue = {
      robots_online: robots.filter((r) => r.state !== 'offline').length,
      jobs: await this.records.counts(),
    };
  }
}

/** Why a final job did not succeed, as a sentence (an in_doubt job says who decides and how). */
export function jobError(record: Pick<JobRecord, 'job_id' | 'state' | 'error'>): string {
  if (record.state === 'in_doubt')
    return `job ${record.job_id} is in doubt: ${record.error}; a person decides (POST /api/jobs/${record.job_id}/retry or /close)`;
  if (!FINAL_STATES.includes(record.state))
    return `job ${record.job_id} was still ${record.state} when Node-RED stopped waiting for it; its outcome will be in GET /api/jobs/${record.job_id}`;
  return record.error ?? record.state;
}

/** A workflow as it travels: a secret parameter's default is masked, the robot supplies the value. */
function withoutSecretDefaults(workflow: Workflow): Workflow {
  const secret = secretParameterNames(workflow);
  if (!workflow.parameters?.some((p) => p.default !== undefined && secret.has(p.name))) return workflow;
  return {
    ...workflow,
    parameters: workflow.parameters.map((p) =>
      p.default !== undefined && secret.has(p.name) ? { ...p, default: SECRET_MASK } : p,
    ),
  };
}
