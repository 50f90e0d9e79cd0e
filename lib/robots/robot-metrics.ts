/**
 * The robots' Prometheus metrics, in the monitoring's registry (GET /metrics): robots_online,
 * jobs_waiting and jobs_in_doubt read from the orchestrator's last watch, job_wait_seconds
 * observed when a robot takes a job.
 */
import { Gauge, Histogram, type Registry } from 'prom-client';
import type { RobotSnapshot } from './orchestrator';

export interface RobotMetrics {
  jobWait: Histogram;
  /** Removes the metrics from the registry (the orchestrator closed). */
  unregister(): void;
}

export function registerRobotMetrics(registry: Registry, snapshot: () => RobotSnapshot): RobotMetrics {
  for (const name of ['robots_online', 'jobs_waiting', 'jobs_in_doubt', 'job_wait_seconds'])
    registry.removeSingleMetric(name);
  const registers = [registry];
  new Gauge({
    name: 'robots_online',
    help: 'Robots whose heartbeat lease is current',
    registers,
    collect() {
      this.set(snapshot().robots_online);
    },
  });
  new Gauge({
    name: 'jobs_waiting',
    help: 'Jobs waiting for a robot',
    registers,
    collect() {
      this.set(snapshot().jobs.waiting);
    },
  });
  new Gauge({
    name: 'jobs_in_doubt',
    help: 'Jobs whose robot was lost after acting: a person decides',
    registers,
    collect() {
      this.set(snapshot().jobs.in_doubt);
    },
  });
  const jobWait = new Histogram({
    name: 'job_wait_seconds',
    help: 'Time from a job submitted to a robot taking it',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
    registers,
  });
  return {
    jobWait,
    unregister: () => {
      for (const name of ['robots_online', 'jobs_waiting', 'jobs_in_doubt', 'job_wait_seconds'])
        registry.removeSingleMetric(name);
    },
  };
}
