/**
 * The background scheduler (seed: AutomationScheduler). Every `checkIntervalMs` (1 s) it looks
 * at the enabled triggers: schedule triggers that are due put a job in the desktop's queue, and
 * each file trigger's folder gets a watch (see folder-watch.ts) that queues a job per new,
 * completely written file as the OS reports it; the queue runs one job at a time.
 *
 * Policies (documented for users in the report/README):
 * - One job at a time on the desktop; waiting jobs run by priority (higher first), then in the
 *   order they were enqueued.
 * - Clash: a schedule fire of a trigger whose previous job is still waiting or running is
 *   skipped (logged), so a slow workflow never piles up a backlog. File fires always queue
 *   (each file is its own job); manual fires always queue.
 * - Retries: technical failures (status "error": the executor threw, no display, …) are retried
 *   up to `retry.maxAttempts` launches in all, waiting baseDelayMs, 2×, 4×… (capped at
 *   maxDelayMs). A workflow that ran and failed a step ("failed") is not retried.
 * - Auto-disable: after `maxConsecutiveFailures` failed launches in a row (final outcome after
 *   retries), the trigger is disabled with a log entry saying why; enabling it again resets the count.
 * - Missed runs (scheduler stopped or Node-RED down when a schedule was due): "run_once"
 *   (default) fires once at start however many slots were missed; "skip" drops them and fires
 *   at the next slot.
 * - stop() stops firing, closes the folder watches and holds waiting trigger jobs (kept,
 *   persisted) until start(), whose first look at each folder picks up the files that arrived
 *   meanwhile; the job running finishes. Runs requested explicitly (API execute, rpa-chain
 *   node) still go through the queue while stopped.
 * - A job that was running when the process died is not run again (at most once), and is logged.
 */
import type { Stats } from 'fs';
import path from 'path';
import type { SubStore } from '../store/store';
import type { ChainExecutionResult, ChainManager, ChainProgress } from './chains';
import { systemClock, type Clock, type TimerHandle } from './clock';
import { storageFault } from '../contracts';
import { withDesktopLease } from '../platform';
import { ChainNotFound } from './errors';
import { workflowExecutedEvent, type AutomationEventHub, type AutomationLogger } from './events';
import { executeSafely, type ExecutionStatus, type WorkflowExecutor, type WorkflowProgress } from './executor';
import { FolderWatch } from './folder-watch';
import { JobQueue, type FileMarker, type Job } from './job-queue';
import { isScheduleDue, nextScheduledFire, skipMissedSlots, intervalDue } from './schedule';
import type { FileTriggerConfig, ScheduleTriggerConfig, Trigger, TriggerManager } from './triggers';

export type MissedRunPolicy = 'run_once' | 'skip';

export interface RetryPolicy {
  /** Launches in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface SchedulerOptions {
  /** How often triggers are checked (ms). Default 1000. */
  checkIntervalMs?: number;
  /** Failed launches in a row that disable a trigger. Default 3. */
  maxConsecutiveFailures?: number;
  retry?: Partial<RetryPolicy>;
  missedRuns?: MissedRunPolicy;
  /** How long close() waits for the running job before aborting it (ms). Default 10000. */
  closeTimeoutMs?: number;
  /** How long a new file's size must stay the same before it counts as completely written (ms). Default 2000. */
  fileStableMs?: number;
  clock?: Clock;
}

export interface JobResult {
  job_id: string;
  success: boolean;
  status: ExecutionStatus;
  duration_s: number;
  error?: string;
  failed_at?: string | null;
  attempts: number;
  /** The chain's detailed result when the job ran a chain. */
  chain?: ChainExecutionResult;
}

export interface RunRequest {
  target_type: 'workflow' | 'chain';
  target_id: string;
  params?: Record<string, unknown>;
  priority?: number;
  signal?: AbortSignal;
  /** Chain jobs: which workflow of the chain runs. */
  onProgress?(progress: ChainProgress): void;
  /** Workflow jobs: the executor's progress. */
  onWorkflowProgress?(progress: WorkflowProgress): void;
}

export interface SchedulerStatus {
  running: boolean;
  check_interval: number;
  active_triggers: number;
  total_triggers: number;
  queue_length: number;
  current_job: {
    job_id: string;
    target_type: string;
    target_id: string;
    trigger_id?: string;
    started_at: string;
    attempt: number;
  } | null;
  started_at: string | null;
  last_check: string | null;
  missed_runs: MissedRunPolicy;
  max_consecutive_failures: number;
  retry: RetryPolicy;
}

interface WatchedFolder {
  /** What the watch was opened for: a trigger whose folder, pattern or polling changed gets a new one. */
  key: string;
  watch: FolderWatch;
}

interface Waiter {
  resolve(result: JobResult): void;
  onProgress?(p: ChainProgress): void;
  onWorkflowProgress?(p: WorkflowProgress): void;
}

export interface SchedulerDeps {
  triggers: TriggerManager;
  chains: ChainManager;
  executor: WorkflowExecutor;
  /** Sub-store "automation-jobs". */
  jobs: SubStore<unknown>;
  /** Sub-store "automation-state": remembers a deliberate stop across restarts. */
  state: SubStore<{ running: boolean }>;
  events: AutomationEventHub;
  logger: AutomationLogger;
}

export class AutomationScheduler {
  readonly checkIntervalMs: number;
  readonly maxConsecutiveFailures: number;
  readonly retry: RetryPolicy;
  readonly missedRuns: MissedRunPolicy;
  private readonly clock: Clock;
  private readonly closeTimeoutMs: number;
  private readonly fileStableMs: number;
  private readonly queue: JobQueue;
  private running = false;
  private closing = false;
  private startedAt: number | null = null;
  private lastCheck: number | null = null;
  private tickTimer?: TimerHandle;
  private wakeTimer?: TimerHandle;
  private ticking?: Promise<void>;
  private current?: { job: Job; started: number; abort: AbortController; done: Promise<void> };
  private waiters = new Map<string, Waiter>();
  private idleWaiters: Array<() => void> = [];
  private folders = new Map<string, WatchedFolder>();
  /** Schedule anchors moved forward by the "skip" missed-run policy. */
  private skipAnchors = new Map<string, number>();
  private initialised?: Promise<void>;

  constructor(
    private readonly deps: SchedulerDeps,
    options: SchedulerOptions = {},
  ) {
    this.checkIntervalMs = options.checkIntervalMs ?? 1000;
    this.maxConsecutiveFailures = options.maxConsecutiveFailures ?? 3;
    this.retry = { maxAttempts: 3, baseDelayMs: 5000, maxDelayMs: 300_000, ...options.retry };
    this.missedRuns = options.missedRuns ?? 'run_once';
    this.closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
    this.fileStableMs = options.fileStableMs ?? 2000;
    this.clock = options.clock ?? systemClock;
    this.queue = new JobQueue(deps.jobs as SubStore<never>);
  }

  /** Loads triggers and persisted jobs; jobs cut short by the end of the last process are logged. */
  init(): Promise<void> {
    this.initialised ??= (async () => {
      await this.deps.triggers.load();
      const { restored, interrupted } = await this.queue.load();
      for (const job of interrupted) {
        this.deps.logger.warn(
          `job ${job.job_id} (${job.target_type} ${job.target_id}) was running when the previous process ended; it is not run again`,
          {
            job_id: job.job_id,
            trigger_id: job.trigger_id,
            workflow_id: job.target_id,
            file_name: job.file_name,
          },
        );
      }
      if (restored.length)
        this.deps.logger.info(`${restored.length} queued job(s) restored from the previous run`, {
          count: restored.length,
        });
    })();
    return this.initialised;
  }

  /** Starts unless a previous stop() was persisted and `force` is not set (used at Node-RED start). */
  async startIfWanted(): Promise<SchedulerStatus> {
    await this.init();
    const saved = await this.deps.state.get('scheduler');
    return saved?.running === false ? this.status() : this.start();
  }

  async start(): Promise<SchedulerStatus> {
    await this.init();
    if (this.closing) throw new Error('the scheduler is closed');
    if (!this.running) {
      this.running = true;
      this.startedAt = this.clock.now();
      await this.deps.state.put('scheduler', { running: true });
      this.applyMissedRunPolicy();
      await this.syncFolderWatches();
      this.deps.logger.info(
        `automation scheduler started (check every ${this.checkIntervalMs / 1000} s, missed runs: ${this.missedRuns})`,
        {},
      );
      this.scheduleTick(0);
      this.pump();
      this.deps.events.emit('onSchedulerChanged', { running: true });
    }
    return this.status();
  }

  async stop(): Promise<SchedulerStatus> {
    await this.init();
    if (this.running) {
      this.running = false;
      this.startedAt = null;
      if (this.tickTimer) this.clock.clearTimeout(this.tickTimer);
      this.tickTimer = undefined;
      await this.syncFolderWatches();
      await this.deps.state.put('scheduler', { running: false });
      this.deps.logger.info('automation scheduler stopped; waiting trigger jobs are kept until it starts again', {
        queued: this.queue.all().length,
      });
      this.deps.events.emit('onSchedulerChanged', { running: false });
    }
    await this.ticking;
    return this.status();
  }

  status(): SchedulerStatus {
    const counts = this.deps.triggers.count();
    const c = this.current;
    return {
      running: this.running,
      check_interval: this.checkIntervalMs / 1000,
      active_triggers: counts.enabled,
      total_triggers: counts.total,
      queue_length: this.queue.all().filter((j) => j.state === 'queued').length,
      current_job: c
        ? {
            job_id: c.job.job_id,
            target_type: c.job.target_type,
            target_id: c.job.target_id,
            ...(c.job.trigger_id ? { trigger_id: c.job.trigger_id } : {}),
            started_at: new Date(c.started).toISOString(),
            attempt: c.job.attempt,
          }
        : null,
      started_at: this.startedAt === null ? null : new Date(this.startedAt).toISOString(),
      last_check: this.lastCheck === null ? null : new Date(this.lastCheck).toISOString(),
      missed_runs: this.missedRuns,
      max_consecutive_failures: this.maxConsecutiveFailures,
      retry: this.retry,
    };
  }

  isRunning(): boolean {
    return this.running;
  }

  /** When a trigger will fire next (schedule), or null (file/manual/disabled, or the scheduler is stopped). */
  nextFireTime(trigger: Trigger): number | null {
    if (!trigger.enabled || trigger.trigger_type !== 'schedule' || !this.running) return null;
    return nextScheduledFire(trigger.config as ScheduleTriggerConfig, this.anchor(trigger), this.clock.now());
  }

  /** Fires a trigger now, whatever its type (API "fire", rpa-trigger node input). */
  async fireNow(triggerId: string, params: Record<string, unknown> = {}): Promise<{ job_id?: string }> {
    await this.init();
    const trigger = await this.deps.triggers.get(triggerId);
    return this.fire(trigger, { params, reason: 'manual' });
  }

  /**
   * Runs a workflow or chain through the desktop queue and resolves with its outcome
   * (API execute, rpa-chain node). Not persisted: the caller is waiting for it.
   */
  async run(request: RunRequest): Promise<JobResult> {
    await this.init();
    if (this.closing)
      throw new Error('the automation scheduler is shutting down; try again once Node-RED has restarted');
    const now = this.clock.now();
    const job: Job = {
      job_id: this.queue.newJobId(now),
      target_type: request.target_type,
      target_id: request.target_id,
      params: request.params ?? {},
      priority: request.priority ?? 0,
      enqueued_at: now,
      not_before: now,
      attempt: 1,
      state: 'queued',
      source: 'request',
    };
    const result = new Promise<JobResult>((resolve) =>
      this.waiters.set(job.job_id, {
        resolve,
        onProgress: request.onProgress,
        onWorkflowProgress: request.onWorkflowProgress,
      }),
    );
    request.signal?.addEventListener('abort', () => void this.cancel(job), { once: true });
    await this.queue.add(job);
    this.pump();
    return result;
  }

  /** Resolves when every watched folder's first listing has been dealt with (tests, start-up). */
  async whenWatching(): Promise<void> {
    await Promise.all([...this.folders.values()].map((f) => f.watch.ready));
  }

  /** Resolves when no job is running and none is ready to run (tests, shutdown). */
  whenIdle(): Promise<void> {
    if (!this.current && !this.queue.next(this.clock.now(), this.running)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** A trigger was deleted or disabled: its folder watch and waiting jobs go too. */
  async forgetTrigger(triggerId: string, options: { files?: boolean } = {}): Promise<void> {
    await this.init();
    const folder = this.folders.get(triggerId);
    this.folders.delete(triggerId);
    await folder?.watch.close();
    const dropped = await this.queue.dropJobsOf(triggerId);
    if (dropped)
      this.deps.logger.info(`${dropped} waiting job(s) of trigger ${triggerId} dropped`, { trigger_id: triggerId });
    this.skipAnchors.delete(triggerId);
    if (options.files) await this.queue.forgetAllFiles(triggerId);
  }

  /** Stops ticking, lets the running job finish (aborting it after closeTimeoutMs) and releases timers. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.running = false;
    if (this.tickTimer) this.clock.clearTimeout(this.tickTimer);
    if (this.wakeTimer) this.clock.clearTimeout(this.wakeTimer);
    await this.ticking;
    await this.syncFolderWatches();
    const current = this.current;
    if (current) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        current.done.then(() => false),
        new Promise<boolean>((r) => {
          timer = setTimeout(() => r(true), this.closeTimeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        current.abort.abort();
        await current.done;
      }
    }
    for (const [id, w] of this.waiters)
      w.resolve({
        job_id: id,
        success: false,
        status: 'cancelled',
        duration_s: 0,
        error: 'the scheduler was closed',
        attempts: 0,
      });
    this.waiters.clear();
    this.idleWaiters.splice(0).forEach((r) => r());
  }

  // ——— checking triggers ———

  private scheduleTick(delayMs: number): void {
    if (!this.running || this.closing) return;
    this.tickTimer = this.clock.setTimeout(() => {
      this.ticking = this.tick();
      return this.ticking;
    }, delayMs);
  }

  private anchor(t: Trigger): number {
    return this.skipAnchors.get(t.trigger_id) ?? Date.parse(t.last_fired ?? t.enabled_at);
  }

  private applyMissedRunPolicy(): void {
    const now = this.clock.now();
    for (const t of this.deps.triggers.enabledNow()) {
      if (t.trigger_type !== 'schedule') continue;
      const config = t.config as ScheduleTriggerConfig;
      const anchor = this.anchor(t);
      if (intervalDue(config, anchor) > now - this.checkIntervalMs) continue; // nothing missed
      if (this.missedRuns === 'skip') {
        this.skipAnchors.set(t.trigger_id, skipMissedSlots(config, anchor, now));
        this.deps.logger.info(
          `trigger ${t.trigger_id}: runs missed while stopped are skipped; next at ${new Date(nextScheduledFire(config, this.anchor(t), now)).toISOString()}`,
          { trigger_id: t.trigger_id },
        );
      } else {
        this.deps.logger.info(`trigger ${t.trigger_id}: missed runs while stopped, running once now`, {
          trigger_id: t.trigger_id,
        });
      }
    }
  }

  private async tick(): Promise<void> {
    this.tickTimer = undefined;
    if (!this.running) return;
    const now = this.clock.now();
    this.lastCheck = now;
    await this.syncFolderWatches();
    for (const t of this.deps.triggers.enabledNow()) {
      if (!this.running) break;
      try {
        if (t.trigger_type === 'schedule' && isScheduleDue(t.config as ScheduleTriggerConfig, this.anchor(t), now))
          await this.fire(t, { reason: 'schedule' });
      } catch (err) {
        this.deps.logger.error(`trigger ${t.trigger_id}: check failed: ${(err as Error).message}`, {
          trigger_id: t.trigger_id,
        });
      }
    }
    this.scheduleTick(this.checkIntervalMs);
  }

  /**
   * Opens a watch for each enabled file trigger (while running) and closes the others. Only
   * memory is compared here: the folders themselves are listed and watched by chokidar, off
   * the event loop's hot path.
   */
  private async syncFolderWatches(): Promise<void> {
    const wanted = () => {
      const byId = new Map<string, Trigger>();
      if (this.running && !this.closing)
        for (const t of this.deps.triggers.enabledNow()) if (t.trigger_type === 'file') byId.set(t.trigger_id, t);
      return byId;
    };
    const closing: Array<Promise<void>> = [];
    const keep = wanted();
    for (const [id, folder] of this.folders) {
      const t = keep.get(id);
      if (t && folderKey(t) === folder.key) continue;
      this.folders.delete(id);
      closing.push(folder.watch.close());
    }
    await Promise.all(closing);
    // Asked again: a stop or a disable may have come while the old watches were closing.
    for (const [id, t] of wanted())
      if (!this.folders.has(id)) this.folders.set(id, { key: folderKey(t), watch: this.watchFolder(t) });
  }

  private watchFolder(t: Trigger): FolderWatch {
    const id = t.trigger_id;
    const config = t.config as FileTriggerConfig;
    let lastProblem: string | undefined;
    return new FolderWatch(
      {
        directory: config.watch_directory,
        pattern: config.file_pattern,
        usePolling: config.use_polling === true,
        stableMs: this.fileStableMs,
      },
      {
        known: async () => (await this.queue.fileMarkers(id)).keys(),
        onFile: (name, stats) => this.fileArrived(id, name, stats),
        onGone: (names) => this.queue.forgetFiles(id, names),
        onError: (problem) => {
          if (problem !== lastProblem) this.deps.logger.warn(`trigger ${id}: ${problem}`, { trigger_id: id });
          lastProblem = problem;
        },
      },
    );
  }

  private async fileArrived(triggerId: string, name: string, stats: Stats): Promise<boolean> {
    const t = this.deps.triggers.cached(triggerId);
    if (!this.running || !t?.enabled || t.trigger_type !== 'file') return false;
    const directory = (t.config as FileTriggerConfig).watch_directory;
    const marker: FileMarker = {
      file_name: name,
      size: stats.size,
      mtime_ms: stats.mtimeMs,
      fired_at: new Date(this.clock.now()).toISOString(),
    };
    await this.fire(t, { reason: 'file', params: { file_path: path.join(directory, name), file_name: name }, marker });
    return true;
  }

  private async fire(
    t: Trigger,
    how: { reason: 'schedule' | 'file' | 'manual'; params?: Record<string, unknown>; marker?: FileMarker },
  ): Promise<{ job_id?: string }> {
    const now = this.clock.now();
    const firedAt = new Date(now).toISOString();
    const params = { ...t.params, ...how.params };
    let jobId: string | undefined;
    if (t.target_type === 'flow') {
      if (how.marker) await this.queue.putFileMarker(t.trigger_id, how.marker);
    } else if (how.reason === 'schedule' && this.queue.hasJobOf(t.trigger_id)) {
      this.deps.logger.info(
        `trigger ${t.trigger_id}: skipped a scheduled run because its previous run is still waiting or running`,
        { trigger_id: t.trigger_id, workflow_id: t.workflow_id },
      );
      await this.deps.triggers.patch(t.trigger_id, { last_fired: firedAt });
      this.skipAnchors.delete(t.trigger_id);
      return {};
    } else {
      jobId = this.queue.newJobId(now);
      const job: Job = {
        job_id: jobId,
        target_type: t.target_type,
        target_id: t.workflow_id,
        params,
        priority: t.priority,
        enqueued_at: now,
        not_before: now,
        attempt: 1,
        state: 'queued',
        source: 'trigger',
        trigger_id: t.trigger_id,
        ...(how.marker ? { file_name: how.marker.file_name } : {}),
      };
      await this.queue.add(
        job,
        how.marker ? { trigger_id: t.trigger_id, marker: { ...how.marker, job_id: jobId } } : undefined,
      );
    }
    await this.deps.triggers.patch(t.trigger_id, { last_fired: firedAt });
    this.skipAnchors.delete(t.trigger_id);
    this.deps.events.emit('onTriggerFired', {
      trigger_id: t.trigger_id,
      trigger_type: t.trigger_type,
      workflow_id: t.workflow_id,
      target_type: t.target_type,
      fired_at: firedAt,
      params,
    });
    this.pump();
    return jobId ? { job_id: jobId } : {};
  }

  // ——— running jobs ———

  private pump(): void {
    if (this.current || this.closing) return;
    const now = this.clock.now();
    const job = this.queue.next(now, this.running);
    if (this.wakeTimer) this.clock.clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    if (!job) {
      const wake = this.queue.nextWake(now, this.running);
      if (wake !== undefined) this.wakeTimer = this.clock.setTimeout(() => this.pump(), wake - now);
      this.idleWaiters.splice(0).forEach((r) => r());
      return;
    }
    const abort = new AbortController();
    const slot = { job, started: now, abort, done: Promise.resolve() };
    this.current = slot;
    slot.done = this.runJob(job, abort.signal)
      .catch((err) =>
        this.deps.logger.error(`job ${job.job_id} broke the queue: ${(err as Error).message}`, { job_id: job.job_id }),
      )
      .finally(() => {
        this.current = undefined;
        this.pump();
      });
  }

  private async cancel(job: Job): Promise<void> {
    if (this.current?.job === job) this.current.abort.abort();
    else if (this.queue.all().includes(job)) {
      await this.queue.remove(job);
      this.finish(job, {
        job_id: job.job_id,
        success: false,
        status: 'cancelled',
        duration_s: 0,
        error: 'cancelled while waiting for the desktop',
        attempts: job.attempt - 1,
      });
    }
  }

  private async execute(job: Job, signal: AbortSignal): Promise<JobResult> {
    const waiter = this.waiters.get(job.job_id);
    const now = () => this.clock.now();
    let result: JobResult;
    if (job.target_type === 'workflow') {
      const r = await executeSafely(
        this.deps.executor,
        job.target_id,
        job.params,
        { signal, onProgress: waiter?.onWorkflowProgress },
        now,
      );
      this.deps.events.emit(
        'onWorkflowExecuted',
        workflowExecutedEvent(job.target_id, r, { trigger_id: job.trigger_id }),
      );
      result = { job_id: job.job_id, ...r, attempts: job.attempt };
    } else {
      try {
        const chain = await this.deps.chains.execute(job.target_id, {
          params: job.params,
          signal,
          trigger_id: job.trigger_id,
          onProgress: waiter?.onProgress,
        });
        result = {
          job_id: job.job_id,
          success: chain.success,
          status: chain.status,
          duration_s: chain.duration_s,
          failed_at: chain.failed_at,
          ...(chain.error ? { error: chain.error } : {}),
          attempts: job.attempt,
          chain,
        };
      } catch (err) {
        // A chain deleted since the fire is the user's doing, not a technical fault: no retry.
        const status: ExecutionStatus = err instanceof ChainNotFound ? 'failed' : 'error';
        result = {
          job_id: job.job_id,
          success: false,
          status,
          duration_s: 0,
          // a full store would otherwise put its file path into the API's answer
          error: (storageFault(err, 'the chain run') as Error).message,
          attempts: job.attempt,
        };
      }
    }
    return result;
  }

  private async runJob(job: Job, signal: AbortSignal): Promise<void> {
    await this.queue.update(job, { state: 'running' });
    this.deps.events.emit('onRunStarted', {
      job_id: job.job_id,
      target_type: job.target_type,
      target_id: job.target_id,
      ...(job.trigger_id ? { trigger_id: job.trigger_id } : {}),
      attempt: job.attempt,
    });
    // A chain's workflows run under the lease its job takes: no other run slips in between.
    const result = await withDesktopLease(
      { holder: `job ${job.job_id} (${job.target_type} ${job.target_id})`, signal },
      () => this.execute(job, signal),
    ).catch((err: Error): JobResult => ({
      job_id: job.job_id,
      success: false,
      status: 'cancelled',
      duration_s: 0,
      error: `cancelled while waiting for the desktop: ${err.message}`,
      attempts: job.attempt,
    }));
    if (!result.success && result.status === 'error' && job.attempt < this.retry.maxAttempts && !this.closing) {
      const delay = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (job.attempt - 1));
      this.deps.logger.warn(
        `${job.target_type} ${job.target_id}: technical failure (${result.error}); retry ${job.attempt + 1}/${this.retry.maxAttempts} in ${delay / 1000} s`,
        {
          job_id: job.job_id,
          trigger_id: job.trigger_id,
          workflow_id: job.target_id,
        },
      );
      await this.queue.update(job, { state: 'queued', attempt: job.attempt + 1, not_before: this.clock.now() + delay });
      return;
    }
    await this.queue.remove(job);
    const level = result.success ? 'info' : 'warn';
    this.deps.logger[level](
      `${job.target_type} ${job.target_id} ${result.success ? 'succeeded' : `ended with "${result.status}"${result.failed_at ? ` at ${result.failed_at}` : ''}: ${result.error ?? ''}`} (${result.duration_s} s, launch ${job.attempt})`,
      {
        job_id: job.job_id,
        trigger_id: job.trigger_id,
        workflow_id: job.target_id,
        status: result.status,
        duration_s: result.duration_s,
        ...(job.file_name ? { file_name: job.file_name } : {}),
      },
    );
    if (job.trigger_id && result.status !== 'cancelled') await this.recordLaunch(job.trigger_id, result);
    this.finish(job, result);
  }

  private finish(job: Job, result: JobResult): void {
    const waiter = this.waiters.get(job.job_id);
    this.waiters.delete(job.job_id);
    waiter?.resolve(result);
  }

  /** Counts failed launches in a row and disables the trigger when they reach the limit. */
  private async recordLaunch(triggerId: string, result: JobResult): Promise<void> {
    const trigger = await this.deps.triggers.get(triggerId).catch(() => undefined);
    if (!trigger) return;
    if (result.success) {
      if (trigger.consecutive_failures) await this.deps.triggers.patch(triggerId, { consecutive_failures: 0 });
      return;
    }
    const failures = trigger.consecutive_failures + 1;
    if (failures < this.maxConsecutiveFailures || !trigger.enabled) {
      await this.deps.triggers.patch(triggerId, { consecutive_failures: failures });
      return;
    }
    const reason = `disabled after ${failures} consecutive failed launches (limit ${this.maxConsecutiveFailures}); last: ${result.status}${result.failed_at ? ` at ${result.failed_at}` : ''}: ${result.error ?? 'no error message'}`;
    await this.deps.triggers.patch(triggerId, {
      enabled: false,
      consecutive_failures: failures,
      disabled_reason: reason,
    });
    await this.forgetTrigger(triggerId);
    this.deps.logger.warn(`trigger ${triggerId} ${reason}`, {
      trigger_id: triggerId,
      workflow_id: trigger.workflow_id,
      consecutive_failures: failures,
    });
    this.deps.events.emit('onAutoDisabled', { trigger_id: triggerId, consecutive_failures: failures, reason });
  }
}

function folderKey(t: Trigger): string {
  const c = t.config as FileTriggerConfig;
  return JSON.stringify([c.watch_directory, c.file_pattern, c.use_polling === true]);
}
