/**
 * Robots announce themselves in Redis: `rpa:robots` keeps each robot's description and last
 * heartbeat (so an offline robot is still listed), `rpa:robot:<name>:alive` expires when a
 * robot misses its lease. A robot is online while its alive key exists.
 */
import type Redis from 'ioredis';
import { aliveKey, ROBOTS_KEY } from './job-records';

export interface RobotDescription {
  name: string;
  labels: string[];
  concurrency: number;
  host: string;
  started_at: string;
  last_heartbeat: string;
  /** The jobs it runs now. */
  current_jobs: string[];
}

export type RobotState = 'idle' | 'busy' | 'offline';

export interface RobotView extends RobotDescription {
  state: RobotState;
  /** The first of current_jobs (one job at a time per desktop), or null. */
  current_job: string | null;
}

/** Writes a robot's heartbeat: its description and a lease that expires after `leaseMs`. */
export async function heartbeat(redis: Redis, robot: RobotDescription, leaseMs: number): Promise<void> {
  await redis
    .multi()
    .hset(ROBOTS_KEY, robot.name, JSON.stringify(robot))
    .set(aliveKey(robot.name), robot.last_heartbeat, 'PX', leaseMs)
    .exec();
}

/** Says goodbye: the robot is offline at once rather than after its lease. */
export async function signOff(redis: Redis, robot: RobotDescription): Promise<void> {
  await redis
    .multi()
    .hset(ROBOTS_KEY, robot.name, JSON.stringify({ ...robot, current_jobs: [] }))
    .del(aliveKey(robot.name))
    .exec();
}

export async function isAlive(redis: Redis, name: string): Promise<boolean> {
  return (await redis.exists(aliveKey(name))) === 1;
}

/** Every robot seen, online or not, by name. */
export async function listRobots(redis: Redis): Promise<RobotView[]> {
  const all = await redis.hgetall(ROBOTS_KEY);
  const names = Object.keys(all).sort();
  if (!names.length) return [];
  const alive = await redis.mget(...names.map(aliveKey));
  return names.map((name, i) => {
    const d = JSON.parse(all[name]) as RobotDescription;
    const online = alive[i] !== null;
    const current = online ? d.current_jobs : [];
    return {
      ...d,
      current_jobs: current,
      state: !online ? 'offline' : current.length ? 'busy' : 'idle',
      current_job: current[0] ?? null,
    };
  });
}
