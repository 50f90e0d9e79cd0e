/**
 * Robots on many PCs (issue 18), against a real redis-server started for the run:
 * - dispatch latency: from a job submitted (what POST /api/jobs calls) to a robot's first
 *   desktop action, with one idle robot in this process (median, p95; 50 jobs, 10 with --quick);
 * - scale: 200 simulated robots heartbeating every second from a child process and 1,000 jobs
 *   waiting, while the orchestrator watches for 20 s (5 s with --quick): the orchestrator's
 *   CPU (this process) and memory, and Redis's memory.
 */
import { fork } from 'child_process';
import { brokerConnection } from '../lib/robots/broker-connection';
import { JobOrchestrator } from '../lib/robots/orchestrator';
import { heartbeat } from '../lib/robots/robot-registry';
import { Robot } from '../lib/robots/robot';
import Redis from 'ioredis';
import { RedisServer } from './redis-server';
import type { Benchmark, BenchResult } from './types';
import type { Workflow } from '../lib/contracts/workflow';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

const WORKFLOW = { workflow_id: 'WF_bench', name: 'bench', nodes: [], edges: [] } as unknown as Workflow;

/** The child process: `count` robots heartbeating every second until killed. */
async function simulateRobots(url: string, count: number): Promise<void> {
  const redis = new Redis(brokerConnection(url));
  const started = new Date().toISOString();
  for (;;) {
    const now = new Date().toISOString();
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        heartbeat(
          redis,
          {
            name: `SIM-${i}`,
            labels: ['sim'],
            concurrency: 1,
            host: 'sim',
            started_at: started,
            last_heartbeat: now,
            current_jobs: [],
          },
          3000,
        ),
      ),
    );
    process.send?.('beat');
    await sleep(1000);
  }
}

if (require.main === module && process.argv[2] === '--simulate')
  void simulateRobots(process.argv[3], Number(process.argv[4]));

export const robots: Benchmark = {
  name: 'robots',
  description:
    'dispatch latency to a robot; 200 robots heartbeating + 1,000 waiting jobs: orchestrator CPU/memory, Redis memory',
  async run({ quick, log }) {
    const redis = await new RedisServer().start();
    const connection = brokerConnection(redis.url);
    const orchestrator = new JobOrchestrator({
      connection,
      resolveTarget: async () => ({ workflows: [WORKFLOW] }),
      logger: quiet,
    }).start();
    const firstAction = new Map<string, number>();
    const robot = new Robot({
      connection,
      name: 'BENCH',
      labels: ['fast'],
      runner: {
        async run(job, hooks) {
          firstAction.set(job.job_id, performance.now());
          await hooks.beforeAction('step1');
          return { state: 'succeeded' };
        },
      },
      logger: quiet,
    });
    const results: BenchResult[] = [];
    try {
      await robot.start();
      const latencies: number[] = [];
      const jobs = quick ? 10 : 50;
      for (let i = 0; i < jobs; i++) {
        const t0 = performance.now();
        const { job_id } = await orchestrator.submit({ workflow_id: 'WF_bench', labels: ['fast'] });
        while (!firstAction.has(job_id)) await sleep(1);
        latencies.push(firstAction.get(job_id)! - t0);
        await orchestrator.waitFor(job_id);
      }
      log(`dispatch: ${jobs} jobs`);
      results.push(
        {
          benchmark: 'robots',
          metric: 'dispatch latency, median',
          subject: 'submit → first action',
          value: percentile(latencies, 0.5),
          unit: 'ms',
          n: jobs,
        },
        {
          benchmark: 'robots',
          metric: 'dispatch latency, p95',
          subject: 'submit → first action',
          value: percentile(latencies, 0.95),
          unit: 'ms',
          n: jobs,
        },
      );

      const robotsCount = 200;
      const waiting = 1000;
      const child = fork(__filename, ['--simulate', redis.url, String(robotsCount)], { stdio: 'ignore' } as never);
      await new Promise((r) => child.once('message', r));
      for (let i = 0; i < waiting; i += 50)
        await Promise.all(
          Array.from({ length: 50 }, () => orchestrator.submit({ workflow_id: 'WF_bench', labels: ['nobody'] })),
        );
      log(`${waiting} jobs waiting, ${robotsCount} robots heartbeating`);
      await sleep(2000);
      const windowMs = quick ? 5000 : 20_000;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await sleep(windowMs);
      const cpu = process.cpuUsage(cpu0);
      const elapsed = performance.now() - t0;
      const snapshot = orchestrator.snapshot();
      child.kill('SIGKILL');
      const info = await redis.cli('INFO', 'memory');
      const used = Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
      results.push(
        {
          benchmark: 'robots',
          metric: 'robots online seen by the orchestrator',
          subject: 'orchestrator',
          value: snapshot.robots_online,
          unit: 'robots',
        },
        {
          benchmark: 'robots',
          metric: 'jobs waiting seen by the orchestrator',
          subject: 'orchestrator',
          value: snapshot.jobs.waiting,
          unit: 'jobs',
        },
        {
          benchmark: 'robots',
          metric: 'orchestrator CPU (200 robots, 1,000 waiting)',
          subject: 'orchestrator',
          value: ((cpu.user + cpu.system) / 1000 / elapsed) * 100,
          unit: '% of a core',
        },
        {
          benchmark: 'robots',
          metric: 'orchestrator RSS',
          subject: 'orchestrator',
          value: process.memoryUsage().rss / 2 ** 20,
          unit: 'MiB',
        },
        {
          benchmark: 'robots',
          metric: 'orchestrator heap used',
          subject: 'orchestrator',
          value: process.memoryUsage().heapUsed / 2 ** 20,
          unit: 'MiB',
        },
        {
          benchmark: 'robots',
          metric: 'Redis memory (used_memory)',
          subject: 'redis-server',
          value: used / 2 ** 20,
          unit: 'MiB',
        },
      );
    } finally {
      await robot.stop();
      await orchestrator.shutdown();
      await redis.stop();
    }
    return results;
  },
};
