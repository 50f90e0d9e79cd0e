/**
 * A robot: a process on a PC with a desktop that takes jobs from the broker and runs them.
 * It listens to the queue of every subset of its labels, runs at most `concurrency` jobs at
 * once (one per desktop: 1 by default), claims a job's record before running it, marks the
 * record before every desktop action (and stops when it cannot), and heartbeats so the
 * orchestrator knows it is alive. A robot that loses the broker for longer than its lease stops
 * before its next action: the orchestrator has declared its job lost by then.
 */
import { EventEmitter } from 'events';
import os from 'os';
import Redis, { type RedisOptions } from 'ioredis';
import { DelayedError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { queuesOfRobot, normaliseLabels } from './labels';
import { CANCEL_CHANNEL, EVENTS_CHANNEL, JobRecords, type JobRecord } from './job-records';
import { heartbeat, signOff, type RobotDescription, type RobotState } from './robot-registry';
import { RobotLostJob } from './errors';
import type { RobotsLogger } from './orchestrator';

export interface JobRunHooks {
  signal: AbortSignal;
  /** Awaited before every desktop action; throws when the job must not act (lost, cancelled, broker gone). */
  beforeAction(stepId: string): Promise<void>;
}

export interface JobOutcome {
  state: 'succeeded' | 'failed' | 'cancelled';
  /** The execution record(s): secrets masked by the runner. */
  record?: unknown;
  error?: string;
}

/** How a robot runs a job on its desktop; lib/robots/workflow-job-runner.ts is the real one. */
export interface JobRunner {
  run(job: JobRecord, hooks: JobRunHooks): Promise<JobOutcome>;
  close?(): Promise<void>;
}

export interface RobotOptions {
  connection: RedisOptions;
  name: string;
  labels?: string[];
  /** Jobs at once; one per desktop. Default 1. */
  concurrency?: number;
  /** How long the robot may go without a heartbeat before it counts as lost (ms). Default 30 s. */
  leaseMs?: number;
  runner: JobRunner;
  logger: RobotsLogger;
}

export const ROBOT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export interface FinishedJob {
  job_id: string;
  state: JobOutcome['state'] | 'lost';
  error?: string;
}

interface Running {
  controller: AbortController;
  cancelled: boolean;
}

export class Robot extends EventEmitter {
  readonly name: string;
  readonly labels: string[];
  readonly concurrency: number;
  readonly leaseMs: number;
  private readonly records: JobRecords;
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  private readonly workers: Worker[] = [];
  private readonly running = new Map<string, Running>();
  private heartbeatTimer?: NodeJS.Timeout;
  private lastBeatOk = Date.now();
  private readonly startedAt = new Date().toISOString();
  private online = false;
  private stopping = false;
  private brokerDropped = false;
  private readonly closingWorkers = new Set<Promise<void>>();

  constructor(private readonly options: RobotOptions) {
    super();
    if (!ROBOT_NAME_PATTERN.test(options.name))
      throw new Error(`robot name "${options.name}" must be 1-64 letters, digits, "_", "-" or "."`);
    this.name = options.name;
    this.labels = normaliseLabels(options.labels);
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
    this.leaseMs = options.leaseMs ?? 30_000;
    // Commands fail at once while the broker is away (no offline queue): a robot that cannot
    // record an action does not act.
    this.redis = new Redis({ ...options.connection, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.subscriber = new Redis(options.connection);
    this.records = new JobRecords(this.redis);
    for (const r of [this.redis, this.subscriber]) r.on('error', () => undefined);
  }

  get state(): RobotState {
    if (!this.online) return 'offline';
    return this.running.size ? 'busy' : 'idle';
  }

  currentJobs(): string[] {
    return [...this.running.keys()];
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      if (this.redis.status === 'ready') return resolve();
      this.redis.once('ready', () => resolve());
      this.redis.once('end', () => reject(new Error('the broker connection ended')));
    });
    await this.beat();
    this.heartbeatTimer = setInterval(() => void this.beat(), Math.max(200, Math.floor(this.leaseMs / 3)));
    await this.subscriber.subscribe(CANCEL_CHANNEL);
    this.subscriber.on('message', (_c, id: string) => {
      const r = this.running.get(id);
      if (r) {
        r.cancelled = true;
        r.controller.abort(new Error('cancelled by a person'));
      }
    });
    this.openWorkers();
    // Online means listening: each queue's worker has its connections up.
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
    // After the broker was away, listen with new workers: BullMQ's own reconnection has been
    // seen to leave a worker that never fetches again (the job waits, the robot says idle).
    this.redis.on('close', () => (this.brokerDropped = true));
    this.redis.on('ready', () => {
      if (!this.brokerDropped || this.stopping) return;
      this.brokerDropped = false;
      this.renewWorkers();
    });
    this.options.logger.info(
      `robot ${this.name} online (labels: ${this.labels.join(', ') || 'none'}; ${this.concurrency} job(s) at a time)`,
    );
  }

  private openWorkers(): void {
    for (const queue of queuesOfRobot(this.labels)) {
      const worker = new Worker(queue, (job, token) => this.process(job, token), {
        connection: this.options.connection as ConnectionOptions,
        concurrency: 1,
        lockDuration: this.leaseMs,
        stalledInterval: this.leaseMs,
        // Redelivery is harmless (a record is claimed once) but a job stalled twice is BullMQ's failure, not ours.
        maxStalledCount: 1,
        // BullMQ waits 15 s after a failed fetch by default: a broker back for a second would idle the robot that long.
        runRetryDelay: 1000,
      });
      worker.on('error', (err) => this.options.logger.warn(`robot ${this.name}: queue ${queue}: ${err.message}`));
      this.workers.push(worker);
    }
  }

  /** New workers for the robot's queues; the old ones finish the job they hold, then close. */
  private renewWorkers(): void {
    const old = this.workers.splice(0);
    this.openWorkers();
    for (const w of old) {
      const closed = w.close().catch(() => undefined);
      this.closingWorkers.add(closed);
      void closed.then(() => this.closingWorkers.delete(closed));
    }
    this.options.logger.info(`robot ${this.name}: the broker is back; listening to its queues again`);
  }

  /** Stops taking jobs, lets the running ones finish, and signs off. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    await Promise.all([...this.workers.map((w) => w.close()), ...this.closingWorkers]);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    await signOff(this.redis, this.description()).catch(() => undefined);
    this.online = false;
    this.emit('state', this.state);
    this.subscriber.disconnect();
    await this.redis.quit().catch(() => this.redis.disconnect());
    await this.options.runner.close?.();
  }

  private description(): RobotDescription {
    return {
      name: this.name,
      labels: this.labels,
      concurrency: this.concurrency,
      host: os.hostname(),
      started_at: this.startedAt,
      last_heartbeat: new Date().toISOString(),
      current_jobs: this.currentJobs(),
    };
  }

  private async beat(): Promise<void> {
    if (this.stopping) return;
    const was = this.state;
    try {
      await heartbeat(this.redis, this.description(), this.leaseMs);
      this.lastBeatOk = Date.now();
      this.online = true;
    } catch (err) {
      this.online = false;
      if (Date.now() - this.lastBeatOk > this.leaseMs && this.running.size) {
        this.options.logger.error(
          `robot ${this.name}: the broker has been unreachable for longer than the lease (${(err as Error).message}); stopping before the next desktop action`,
        );
        for (const r of this.running.values()) r.controller.abort(new RobotLostJob('the broker was lost'));
      }
    }
    if (this.state !== was) this.emit('state', this.state);
  }

  private setPaused(paused: boolean): void {
    for (const w of this.workers) {
      if (paused && !w.isPaused()) void w.pause(true);
      else if (!paused && w.isPaused()) void w.resume();
    }
  }

  private async process(job: Job<{ job_id: string }>, token?: string): Promise<string> {
    const id = job.data.job_id;
    if (this.running.size >= this.concurrency || this.stopping) {
      // Another queue's job holds the desktop: give this one back for another robot.
      await job.moveToDelayed(Date.now() + 250, token);
      throw new DelayedError();
    }
    const slot: Running = { controller: new AbortController(), cancelled: false };
    this.running.set(id, slot);
    if (this.running.size >= this.concurrency) this.setPaused(true);
    try {
      if (!(await this.records.claim(id, this.name, String(job.id)))) return 'not claimed';
      const record = (await this.records.get(id))!;
      this.emit('state', this.state);
      void this.beat();
      const wait_s = Math.max(0, (Date.now() - Date.parse(record.submitted_at)) / 1000);
      void this.redis
        .publish(EVENTS_CHANNEL, JSON.stringify({ type: 'claimed', job_id: id, robot: this.name, wait_s }))
        .catch(() => undefined);
      this.options.logger.info(`robot ${this.name}: job ${id} (${record.kind} ${record.target_id}) started`);
      const outcome = await this.runJob(record, slot);
      const finished = await this.finish(id, outcome);
      const result: FinishedJob = finished
        ? { job_id: id, state: outcome.state, ...(outcome.error ? { error: outcome.error } : {}) }
        : { job_id: id, state: 'lost', error: 'the orchestrator declared the job lost; its outcome is not recorded' };
      this.options.logger.info(
        `robot ${this.name}: job ${id} ${result.state}${result.error ? `: ${result.error}` : ''}`,
      );
      this.emit('job', result);
      return result.state;
    } finally {
      this.running.delete(id);
      this.setPaused(false);
      this.emit('state', this.state);
      void this.beat();
    }
  }

  private async runJob(record: JobRecord, slot: Running): Promise<JobOutcome> {
    const hooks: JobRunHooks = {
      signal: slot.controller.signal,
      beforeAction: async (stepId) => {
        let verdict: 'ok' | 'cancel' | 'lost';
        try {
          verdict = await this.records.act(record.job_id, this.name, stepId);
        } catch (err) {
          throw new RobotLostJob(`the broker cannot be reached (${(err as Error).message}): not acting at ${stepId}`);
        }
        if (verdict === 'cancel') {
          slot.cancelled = true;
          slot.controller.abort(new Error('cancelled by a person'));
          throw new Error('cancelled by a person');
        }
        if (verdict === 'lost')
          throw new RobotLostJob(`the job is no longer this robot's (declared lost): not acting at ${stepId}`);
      },
    };
    try {
      const outcome = await this.options.runner.run(record, hooks);
      return slot.cancelled ? { ...outcome, state: 'cancelled', error: 'cancelled by a person' } : outcome;
    } catch (err) {
      return slot.cancelled
        ? { state: 'cancelled', error: 'cancelled by a person' }
        : { state: 'failed', error: `${(err as Error).name}: ${(err as Error).message}` };
    }
  }

  /** Records the outcome, retrying while the broker is away (until the lease is over: then it is the orchestrator's call). */
  private async finish(id: string, outcome: JobOutcome): Promise<boolean> {
    const until = Date.now() + this.leaseMs;
    for (;;) {
      try {
        const done = await this.records.finish(id, this.name, outcome);
        await this.redis
          .publish(EVENTS_CHANNEL, JSON.stringify({ type: 'finished', job_id: id, state: outcome.state }))
          .catch(() => undefined);
        return done;
      } catch (err) {
        if (Date.now() > until) {
          this.options.logger.error(
            `robot ${this.name}: job ${id}'s outcome could not be recorded: ${(err as Error).message}`,
          );
          return false;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }
}
