/**
 * The desktop's job queue: one job runs at a time, the next is the ready job with the highest
 * priority, then the earliest enqueued. Jobs launched by triggers are persisted in the
 * sub-store "automation-jobs" (keys `q/<job_id>`), together with the file-trigger markers of
 * files already handed to a job (keys `f/<trigger_id>/<file name>`), in the same atomic batch:
 * a file is either both marked and queued or neither, so a restart neither loses nor repeats it.
 */
import crypto from 'crypto';
import type { SubStore } from '../store/store';

export interface Job {
  job_id: string;
  target_type: 'workflow' | 'chain';
  target_id: string;
  params: Record<string, unknown>;
  priority: number;
  /** Epoch ms; the tie-breaker after priority. */
  enqueued_at: number;
  /** A retry waits until then (epoch ms). */
  not_before: number;
  /** 1 for the first launch, 2 for the first retry, … */
  attempt: number;
  state: 'queued' | 'running';
  /** Jobs of triggers survive restarts; jobs of API requests and chain nodes do not (their caller is gone). */
  source: 'trigger' | 'request';
  trigger_id?: string;
  /** For file triggers: the file the job processes. */
  file_name?: string;
}

export interface FileMarker {
  file_name: string;
  size: number;
  mtime_ms: number;
  fired_at: string;
  job_id?: string;
}

type Entry = Job | FileMarker;

const jobKey = (id: string) => `q/${id}`;
export const fileKey = (triggerId: string, name: string) => `f/${triggerId}/${name}`;

export class JobQueue {
  private jobs: Job[] = [];
  private seq = 0;
  private readonly instance = crypto.randomBytes(3).toString('hex');

  constructor(private readonly sub: SubStore<Entry>) {}

  /** Restores persisted jobs; those that were running when the process ended are returned apart (and dropped). */
  async load(): Promise<{ restored: Job[]; interrupted: Job[] }> {
    const entries = (await this.sub.entries({ gte: 'q/', lte: 'q/\uffff' })) as Array<[string, Job]>;
    const restored: Job[] = [];
    const interrupted: Job[] = [];
    for (const [, job] of entries) (job.state === 'running' ? interrupted : restored).push(job);
    if (interrupted.length)
      await this.sub.batch(interrupted.map((j) => ({ type: 'del' as const, key: jobKey(j.job_id) })));
    this.jobs = restored;
    return { restored, interrupted };
  }

  /** Unique across restarts too (the sequence restarts at 0; the random part tells the processes apart). */
  newJobId(now: number): string {
    return `job_${now.toString(36)}_${(this.seq++).toString(36)}${this.instance}`;
  }

  /** Adds a job, and for file triggers the file's marker in the same write. */
  async add(job: Job, marker?: { trigger_id: string; marker: FileMarker }): Promise<void> {
    const ops: Array<{ type: 'put'; key: string; value: Entry }> = [];
    if (job.source === 'trigger') ops.push({ type: 'put', key: jobKey(job.job_id), value: job });
    if (marker)
      ops.push({ type: 'put', key: fileKey(marker.trigger_id, marker.marker.file_name), value: marker.marker });
    if (ops.length) await this.sub.batch(ops);
    this.jobs.push(job);
  }

  /** The job to run now, if any: highest priority, then earliest enqueued; `triggerJobs` false holds trigger jobs back. */
  next(now: number, triggerJobs: boolean): Job | undefined {
    let best: Job | undefined;
    for (const j of this.jobs) {
      if (j.state !== 'queued' || j.not_before > now || (!triggerJobs && j.source === 'trigger')) continue;
      if (!best || j.priority > best.priority || (j.priority === best.priority && j.enqueued_at < best.enqueued_at))
        best = j;
    }
    return best;
  }

  /** When the earliest waiting retry becomes ready. */
  nextWake(now: number, triggerJobs: boolean): number | undefined {
    let at: number | undefined;
    for (const j of this.jobs) {
      if (j.state === 'queued' && j.not_before > now && (triggerJobs || j.source !== 'trigger'))
        at = at === undefined ? j.not_before : Math.min(at, j.not_before);
    }
    return at;
  }

  async update(job: Job, change: Partial<Job>): Promise<void> {
    Object.assign(job, change);
    if (job.source === 'trigger') await this.sub.put(jobKey(job.job_id), job);
  }

  async remove(job: Job): Promise<void> {
    this.jobs = this.jobs.filter((j) => j !== job);
    if (job.source === 'trigger') await this.sub.del(jobKey(job.job_id));
  }

  /** Whether a job of this trigger is waiting or running (a schedule fire then skips). */
  hasJobOf(triggerId: string): boolean {
    return this.jobs.some((j) => j.trigger_id === triggerId);
  }

  all(): readonly Job[] {
    return this.jobs;
  }

  /** Drops the waiting jobs of a trigger (deleted or disabled). */
  async dropJobsOf(triggerId: string): Promise<number> {
    const drop = this.jobs.filter((j) => j.trigger_id === triggerId && j.state === 'queued');
    for (const j of drop) await this.remove(j);
    return drop.length;
  }

  async fileMarkers(triggerId: string): Promise<Map<string, FileMarker>> {
    const entries = (await this.sub.entries({ gte: `f/${triggerId}/`, lte: `f/${triggerId}/\uffff` })) as Array<
      [string, FileMarker]
    >;
    return new Map(entries.map(([, m]) => [m.file_name, m]));
  }

  async forgetFiles(triggerId: string, names: string[]): Promise<void> {
    if (names.length) await this.sub.batch(names.map((n) => ({ type: 'del' as const, key: fileKey(triggerId, n) })));
  }

  async putFileMarker(triggerId: string, marker: FileMarker): Promise<void> {
    await this.sub.put(fileKey(triggerId, marker.file_name), marker);
  }

  async forgetAllFiles(triggerId: string): Promise<void> {
    const keys = await this.sub.entries({ gte: `f/${triggerId}/`, lte: `f/${triggerId}/\uffff` });
    await this.forgetFiles(
      triggerId,
      keys.map(([, m]) => (m as FileMarker).file_name),
    );
  }
}
