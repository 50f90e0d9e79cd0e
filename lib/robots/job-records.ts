/**
 * The record of each job, kept in Redis beside the BullMQ queues and changed only by atomic
 * scripts: BullMQ carries a job to a robot and holds its lease, this record says what happened
 * to it. A robot runs a job only after claiming its record (state waiting → active, once), and
 * marks it before every desktop action; the orchestrator turns the active job of a lost robot
 * into in_doubt when it had acted, or back into waiting when it had not. Whatever BullMQ
 * redelivers after a broker restart or a stalled lease, a record claimed once is not run again.
 *
 * Keys (prefix `rpa:`): `job:<id>` hash, `jobs` sorted set by submission time, `active` set of
 * the active jobs, `idem:<key>` the job of an idempotency key, `robots` hash of the robots
 * seen, `robot:<name>:alive` a robot's heartbeat (expires after its lease).
 */
import type Redis from 'ioredis';

export const JOB_STATES = ['waiting', 'active', 'succeeded', 'failed', 'in_doubt', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const EVENTS_CHANNEL = 'rpa:events';
export const CANCEL_CHANNEL = 'rpa:cancel';

export const jobKey = (id: string) => `rpa:job:${id}`;
export const aliveKey = (robot: string) => `rpa:robot:${robot}:alive`;
export const JOBS_KEY = 'rpa:jobs';
export const ACTIVE_KEY = 'rpa:active';
export const ROBOTS_KEY = 'rpa:robots';
export const idempotencyKey = (key: string) => `rpa:idem:${key}`;

/** What a robot needs to run a job: the workflows travel with it, so nothing is copied by hand. */
export interface JobPayload {
  kind: 'workflow' | 'chain';
  /** The workflow's or the chain's id. */
  target_id: string;
  /** The documents, in the order they run (one for a workflow; the chain's for a chain). */
  workflows: unknown[];
  /** The workflows they call as sub-workflows (at any depth), which the robot does not run on their own. */
  sub_workflows?: unknown[];
  /** Secret parameters are not here: the robot takes them from its own environment (see the README). */
  params: Record<string, unknown>;
  mode?: string;
  /** The whole run's budget on the robot (s), e.g. a run node's timeout. */
  timeout_s?: number;
}

export interface JobRecord {
  job_id: string;
  kind: 'workflow' | 'chain';
  target_id: string;
  labels: string[];
  priority: number;
  state: JobState;
  robot: string | null;
  attempts: number;
  submitted_at: string;
  claimed_at: string | null;
  finished_at: string | null;
  /** Whether the current attempt has acted on a desktop. */
  acted: boolean;
  /** The edge of the last step verified, and the step about to act (or acting) now. */
  last_verified_step: string | null;
  current_step: string | null;
  /** The screen the next attempt starts from (a person's resume). */
  resume_from: string | null;
  idempotency_key: string | null;
  mode: string | null;
  retry_on_robot_loss: boolean;
  error: string | null;
  /** The execution record(s) of the last attempt, secrets masked by the runner. */
  record?: unknown;
  /** How a person closed an in_doubt job. */
  resolution?: string;
  /** The BullMQ job carrying the current attempt. */
  bull_id: string;
  queue: string;
  payload: JobPayload;
}

// Every script checks the state (and the robot holding the job) before changing anything.
const CLAIM = `
if redis.call('hget', KEYS[1], 'state') ~= 'waiting' or redis.call('hget', KEYS[1], 'bull_id') ~= ARGV[2] then return 0 end
redis.call('hset', KEYS[1], 'state', 'active', 'robot', ARGV[1], 'claimed_at', ARGV[3], 'acted', '0', 'current_step', '')
redis.call('hincrby', KEYS[1], 'attempts', 1)
redis.call('sadd', KEYS[2], ARGV[4])
return 1`;

const ACT = `
if redis.call('hget', KEYS[1], 'state') ~= 'active' or redis.call('hget', KEYS[1], 'robot') ~= ARGV[1] then return 0 end
if redis.call('hget', KEYS[1], 'cancel_requested') == '1' then return 2 end
local current = redis.call('hget', KEYS[1], 'current_step')
if current and current ~= '' then redis.call('hset', KEYS[1], 'last_verified_step', current) end
redis.call('hset', KEYS[1], 'acted', '1', 'current_step', ARGV[2])
return 1`;

const FINISH = `
if redis.call('hget', KEYS[1], 'state') ~= 'active' or redis.call('hget', KEYS[1], 'robot') ~= ARGV[1] then return 0 end
if ARGV[2] == 'succeeded' then
  local current = redis.call('hget', KEYS[1], 'current_step')
  if current and current ~= '' then redis.call('hset', KEYS[1], 'last_verified_step', current) end
  redis.call('hset', KEYS[1], 'current_step', '')
end
redis.call('hset', KEYS[1], 'state', ARGV[2], 'finished_at', ARGV[3], 'record', ARGV[4], 'error', ARGV[5])
redis.call('srem', KEYS[2], ARGV[6])
return 1`;

/** The robot holding it is gone: in_doubt if it acted (unless the workflow may repeat), else waiting again. */
const LOST = `
if redis.call('hget', KEYS[1], 'state') ~= 'active' or redis.call('hget', KEYS[1], 'robot') ~= ARGV[1] then return 0 end
redis.call('srem', KEYS[2], ARGV[4])
if redis.call('hget', KEYS[1], 'acted') == '1' and redis.call('hget', KEYS[1], 'retry_on_robot_loss') ~= '1' then
  redis.call('hset', KEYS[1], 'state', 'in_doubt', 'finished_at', ARGV[3], 'error', ARGV[5])
  return 1
end
redis.call('hset', KEYS[1], 'state', 'waiting', 'robot', '', 'bull_id', ARGV[2], 'acted', '0', 'current_step', '')
return 2`;

const CANCEL = `
local state = redis.call('hget', KEYS[1], 'state')
if state == 'waiting' then
  redis.call('hset', KEYS[1], 'state', 'cancelled', 'finished_at', ARGV[1], 'error', 'cancelled before a robot took it')
  return 1
end
if state == 'active' then redis.call('hset', KEYS[1], 'cancel_requested', '1') return 2 end
return 0`;

/** A person's decision on an in_doubt (or failed) job: run it again, from the start or a named screen. */
const RETRY = `
local state = redis.call('hget', KEYS[1], 'state')
if state ~= 'in_doubt' and state ~= 'failed' then return 0 end
redis.call('hset', KEYS[1], 'state', 'waiting', 'robot', '', 'bull_id', ARGV[1], 'acted', '0', 'current_step', '',
  'resume_from', ARGV[2], 'finished_at', '', 'error', '', 'cancel_requested', '0')
return 1`;

const CLOSE = `
if redis.call('hget', KEYS[1], 'state') ~= 'in_doubt' then return 0 end
redis.call('hset', KEYS[1], 'state', ARGV[1], 'resolution', ARGV[2], 'finished_at', ARGV[3])
return 1`;

const SCRIPTS = { CLAIM, ACT, FINISH, LOST, CANCEL, RETRY, CLOSE };

type Scripted = Redis & Record<string, (...args: unknown[]) => Promise<number>>;

/** Registers the scripts on a connection (once per connection). */
function scripted(redis: Redis): Scripted {
  const r = redis as Scripted;
  for (const [name, lua] of Object.entries(SCRIPTS)) {
    const command = `rpa${name}`;
    if (typeof r[command] !== 'function') r.defineCommand(command, { numberOfKeys: 2, lua });
  }
  return r;
}

const iso = (ms = Date.now()) => new Date(ms).toISOString();

function toHash(record: JobRecord): Record<string, string> {
  return {
    job_id: record.job_id,
    kind: record.kind,
    target_id: record.target_id,
    labels: JSON.stringify(record.labels),
    priority: String(record.priority),
    state: record.state,
    robot: record.robot ?? '',
    attempts: String(record.attempts),
    submitted_at: record.submitted_at,
    claimed_at: record.claimed_at ?? '',
    finished_at: record.finished_at ?? '',
    acted: record.acted ? '1' : '0',
    last_verified_step: record.last_verified_step ?? '',
    current_step: record.current_step ?? '',
    resume_from: record.resume_from ?? '',
    idempotency_key: record.idempotency_key ?? '',
    mode: record.mode ?? '',
    retry_on_robot_loss: record.retry_on_robot_loss ? '1' : '0',
    error: record.error ?? '',
    bull_id: record.bull_id,
    queue: record.queue,
    payload: JSON.stringify(record.payload),
  };
}

function fromHash(h: Record<string, string>): JobRecord | undefined {
  if (!h.job_id) return undefined;
  const orNull = (v: string | undefined) => (v ? v : null);
  return {
    job_id: h.job_id,
    kind: h.kind as JobRecord['kind'],
    target_id: h.target_id,
    labels: JSON.parse(h.labels || '[]') as string[],
    priority: Number(h.priority || 0),
    state: h.state as JobState,
    robot: orNull(h.robot),
    attempts: Number(h.attempts || 0),
    submitted_at: h.submitted_at,
    claimed_at: orNull(h.claimed_at),
    finished_at: orNull(h.finished_at),
    acted: h.acted === '1',
    last_verified_step: orNull(h.last_verified_step),
    current_step: orNull(h.current_step),
    resume_from: orNull(h.resume_from),
    idempotency_key: orNull(h.idempotency_key),
    mode: orNull(h.mode),
    retry_on_robot_loss: h.retry_on_robot_loss === '1',
    error: orNull(h.error),
    ...(h.record ? { record: JSON.parse(h.record) as unknown } : {}),
    ...(h.resolution ? { resolution: h.resolution } : {}),
    bull_id: h.bull_id,
    queue: h.queue,
    payload: JSON.parse(h.payload || '{}') as JobPayload,
  };
}

/** The job records on one Redis connection. */
export class JobRecords {
  private readonly redis: Scripted;

  constructor(redis: Redis) {
    this.redis = scripted(redis);
  }

  /**
   * Stores a new record unless its idempotency key already names a job; returns the job that
   * holds the key (the new one, or the earlier one).
   */
  async create(record: JobRecord): Promise<{ job_id: string; created: boolean }> {
    if (record.idempotency_key) {
      const taken = await this.redis.set(idempotencyKey(record.idempotency_key), record.job_id, 'NX');
      if (taken !== 'OK') {
        const existing = await this.redis.get(idempotencyKey(record.idempotency_key));
        if (existing) return { job_id: existing, created: false };
      }
    }
    await this.redis
      .multi()
      .hset(jobKey(record.job_id), toHash(record))
      .zadd(JOBS_KEY, Date.parse(record.submitted_at), record.job_id)
      .exec();
    return { job_id: record.job_id, created: true };
  }

  async get(id: string): Promise<JobRecord | undefined> {
    return fromHash(await this.redis.hgetall(jobKey(id)));
  }

  /** The most recent jobs first, at most `limit`, optionally of one state. */
  async list(options: { state?: JobState; limit?: number } = {}): Promise<JobRecord[]> {
    const limit = options.limit ?? 100;
    const out: JobRecord[] = [];
    const page = Math.max(limit, 200);
    for (let start = 0; out.length < limit; start += page) {
      const ids = await this.redis.zrevrange(JOBS_KEY, start, start + page - 1);
      if (!ids.length) break;
      const pipe = this.redis.pipeline();
      for (const id of ids) pipe.hgetall(jobKey(id));
      for (const [, h] of (await pipe.exec()) ?? []) {
        const r = fromHash(h as Record<string, string>);
        if (r && (!options.state || r.state === options.state)) out.push(r);
        if (out.length >= limit) break;
      }
    }
    return out;
  }

  /** How many jobs are in each state (the metrics and the dashboard). */
  async counts(): Promise<Record<JobState, number>> {
    const ids = await this.redis.zrange(JOBS_KEY, 0, -1);
    const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
    const pipe = this.redis.pipeline();
    for (const id of ids) pipe.hget(jobKey(id), 'state');
    for (const [, state] of (await pipe.exec()) ?? [])
      if (typeof state === 'string' && state in counts) counts[state as JobState]++;
    return counts;
  }

  activeIds(): Promise<string[]> {
    return this.redis.smembers(ACTIVE_KEY);
  }

  claim(id: string, robot: string, bullId: string): Promise<boolean> {
    return this.redis.rpaCLAIM(jobKey(id), ACTIVE_KEY, robot, bullId, iso(), id).then((r) => r === 1);
  }

  /** Before a desktop action: 'ok', 'cancel' (a person asked), or 'lost' (the job is no longer this robot's). */
  async act(id: string, robot: string, stepId: string): Promise<'ok' | 'cancel' | 'lost'> {
    const r = await this.redis.rpaACT(jobKey(id), ACTIVE_KEY, robot, stepId);
    return r === 1 ? 'ok' : r === 2 ? 'cancel' : 'lost';
  }

  finish(
    id: string,
    robot: string,
    outcome: { state: 'succeeded' | 'failed' | 'cancelled'; record?: unknown; error?: string },
  ): Promise<boolean> {
    return this.redis
      .rpaFINISH(
        jobKey(id),
        ACTIVE_KEY,
        robot,
        outcome.state,
        iso(),
        outcome.record === undefined ? '' : JSON.stringify(outcome.record),
        outcome.error ?? '',
        id,
      )
      .then((r) => r === 1);
  }

  /** 'in_doubt', 'requeued' (under `nextBullId`) or 'unchanged' (no longer active on that robot). */
  async lost(
    id: string,
    robot: string,
    nextBullId: string,
    reason: string,
  ): Promise<'in_doubt' | 'requeued' | 'unchanged'> {
    const r = await this.redis.rpaLOST(jobKey(id), ACTIVE_KEY, robot, nextBullId, iso(), id, reason);
    return r === 1 ? 'in_doubt' : r === 2 ? 'requeued' : 'unchanged';
  }

  /** 'cancelled' (it was waiting), 'requested' (its robot is told), or 'too_late'. */
  async cancel(id: string): Promise<'cancelled' | 'requested' | 'too_late'> {
    const r = await this.redis.rpaCANCEL(jobKey(id), ACTIVE_KEY, iso());
    return r === 1 ? 'cancelled' : r === 2 ? 'requested' : 'too_late';
  }

  retry(id: string, nextBullId: string, fromNode: string | null): Promise<boolean> {
    return this.redis.rpaRETRY(jobKey(id), ACTIVE_KEY, nextBullId, fromNode ?? '').then((r) => r === 1);
  }

  close(id: string, state: 'succeeded' | 'failed' | 'cancelled', resolution: string): Promise<boolean> {
    return this.redis.rpaCLOSE(jobKey(id), ACTIVE_KEY, state, resolution, iso()).then((r) => r === 1);
  }
}
