/**
 * Jobs through a real Redis and BullMQ to robot processes: each job runs exactly once on a
 * robot whose labels cover it; a robot killed with -9 after acting leaves its job in_doubt,
 * never re-run until a person decides; a broker restart loses and repeats nothing; the same
 * idempotency key is one job. The robots' "desktop" is a folder of action lines (see
 * scripted-robot.ts); the robots-on-desktops spec runs the real runner on Xvfb.
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { spawn, type ChildProcess } from 'child_process';
import { RedisServer } from '../helpers/redis';
import { JobOrchestrator, FINAL_STATES } from '../../lib/robots/orchestrator';
import { brokerConnection } from '../../lib/robots/broker-connection';
import type { Workflow } from '../../lib/contracts/workflow';

const LEASE_MS = 1500;
const SCRIPT = path.join(__dirname, 'scripted-robot.js');

function workflow(id: string, extra: Partial<Workflow> = {}): Workflow {
  return {
    workflow_id: id,
    name: id,
    nodes: [{ node_id: 'N1', label: 'N1', screen_template: {} }],
    edges: [],
    ...extra,
  } as Workflow;
}

describe('robots: jobs through Redis and BullMQ, each desktop action done once', function () {
  this.timeout(60_000);
  const redis = new RedisServer();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-robots-'));
  const robots = new Map<string, ChildProcess>();
  const log: string[] = [];
  let orchestrator: JobOrchestrator;

  async function startRobot(name: string, labels: string): Promise<ChildProcess> {
    const child = spawn(process.execPath, [SCRIPT, redis.url, name, labels, dir, String(LEASE_MS)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    robots.set(name, child);
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`robot ${name} exited with ${code}`)));
    });
    return child;
  }

  const actions = (id: string) => {
    const f = path.join(dir, `${id}.actions`);
    return fs.existsSync(f) ? fs.readFileSync(f, 'utf8').trim().split('\n') : [];
  };

  async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The job's final record; on a timeout, the error says where the job and the robots stand. */
  const finished = (id: string, timeoutMs?: number) =>
    until(
      `job ${id} to finish`,
      async () => {
        const r = await orchestrator.get(id);
        return FINAL_STATES.includes(r.state) ? r : undefined;
      },
      timeoutMs,
    ).catch(async (err: Error) => {
      const r = await orchestrator.get(id);
      const robotsNow = (await orchestrator.robots()).map((x) => `${x.name} ${x.state}`).join(', ');
      throw new Error(
        `${err.message}: it is ${r.state} (robot ${r.robot ?? 'none'}, ${r.attempts} attempts, queue ${r.queue}); robots: ${robotsNow}; log: ${log.slice(-8).join(' | ')}`,
      );
    });

  before(async () => {
    await redis.start();
    orchestrator = new JobOrchestrator({
      connection: brokerConnection(redis.url),
      resolveTarget: async (_kind, id) => ({
        workflows: [workflow(id, id === 'WF_repeatable' ? { retry_on_robot_loss: true } : {})],
      }),
      logger: { info: (m) => log.push(m), warn: (m) => log.push(m), error: (m) => log.push(m) },
      watchIntervalMs: 200,
      offlineAlertMs: 2000,
    }).start();
    await Promise.all([startRobot('PC-CALC', 'calc'), startRobot('PC-NOTES', 'notes,office')]);
  });

  after(async () => {
    for (const child of robots.values()) child.kill('SIGKILL');
    await orchestrator?.shutdown();
    await redis.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('6 jobs: each runs exactly once, on a robot whose labels cover the job', async () => {
    const labelsOf = [['calc'], ['notes'], ['calc'], ['notes', 'office'], [], ['calc']];
    const ids = await Promise.all(
      labelsOf.map(async (labels, i) => (await orchestrator.submit({ workflow_id: `WF_${i}`, labels })).job_id),
    );
    for (const [i, id] of ids.entries()) {
      const r = await finished(id);
      assert.strictEqual(r.state, 'succeeded', `${id}: ${r.error}`);
      assert.strictEqual(r.attempts, 1);
      const done = actions(id);
      assert.deepStrictEqual(
        done.map((l) => l.split(' ')[1]),
        ['step1', 'step2'],
        `job ${i} acted ${done.length} times: ${done.join('; ')}`,
      );
      const robot = done[0].split(' ')[0];
      assert.strictEqual(r.robot, robot);
      if (labelsOf[i].includes('calc')) assert.strictEqual(robot, 'PC-CALC');
      if (labelsOf[i].includes('notes')) assert.strictEqual(robot, 'PC-NOTES');
    }
    // A robot says it is idle on the beat after its job's outcome is recorded.
    const listed = await until('both robots idle', async () => {
      const all = await orchestrator.robots();
      return all.every((r) => r.state === 'idle') && all;
    }).catch(async () => orchestrator.robots());
    assert.deepStrictEqual(
      listed.map((r) => [r.name, r.labels, r.state]),
      [
        ['PC-CALC', ['calc'], 'idle'],
        ['PC-NOTES', ['notes', 'office'], 'idle'],
      ],
    );
  });

  it('the same idempotency key twice is one job, run once', async () => {
    const a = await orchestrator.submit({ workflow_id: 'WF_pay', idempotency_key: 'invoice-F-1004' });
    const b = await orchestrator.submit({ workflow_id: 'WF_pay', idempotency_key: 'invoice-F-1004' });
    assert.strictEqual(b.job_id, a.job_id);
    assert.strictEqual(b.created, false);
    await finished(a.job_id);
    assert.strictEqual(actions(a.job_id).length, 2);
  });

  it('kill -9 of a robot after its first action: the job is in_doubt, not re-run; the other robot works on; a retry runs once', async () => {
    const { job_id } = await orchestrator.submit({
      workflow_id: 'WF_validate',
      labels: ['calc'],
      params: { steps: 3, step_ms: 1200 },
    });
    await until('the first action', async () => actions(job_id).length === 1);
    robots.get('PC-CALC')!.kill('SIGKILL');
    const killedAt = Date.now();
    const other = await orchestrator.submit({ workflow_id: 'WF_notes', labels: ['notes'] });
    const doubt = await finished(job_id);
    assert.strictEqual(doubt.state, 'in_doubt');
    assert.ok(Date.now() - killedAt < LEASE_MS + 2000, `in_doubt after ${Date.now() - killedAt} ms`);
    assert.strictEqual(doubt.current_step, 'step1');
    assert.strictEqual(doubt.last_verified_step, null);
    assert.match(doubt.error ?? '', /PC-CALC was lost/);
    assert.strictEqual((await finished(other.job_id)).state, 'succeeded');
    assert.ok(log.some((l) => l.includes(`job ${job_id} is IN DOUBT`)));
    await until('the offline alert', async () =>
      log.some((l) => l.startsWith('ALERT: robot PC-CALC has been offline')),
    );

    // A new robot with the label comes: nothing runs until a person decides.
    await startRobot('PC-CALC-2', 'calc');
    await new Promise((r) => setTimeout(r, 1500));
    assert.strictEqual((await orchestrator.get(job_id)).state, 'in_doubt');
    assert.strictEqual(actions(job_id).length, 1);

    await orchestrator.retry(job_id);
    const retried = await finished(job_id);
    assert.strictEqual(retried.state, 'succeeded');
    assert.strictEqual(retried.attempts, 2);
    assert.strictEqual(retried.robot, 'PC-CALC-2');
    assert.deepStrictEqual(actions(job_id), ['PC-CALC step1', 'PC-CALC-2 step1', 'PC-CALC-2 step2', 'PC-CALC-2 step3']);
  });

  it('a robot lost before acting: its job is queued again; retry_on_robot_loss lets a safe workflow repeat', async () => {
    await startRobot('PC-SLOW', 'slow');
    const plain = await orchestrator.submit({
      workflow_id: 'WF_plain',
      labels: ['slow'],
      params: { hold_before_ms: 3000 },
    });
    await until('the robot to take it', async () => (await orchestrator.get(plain.job_id)).state === 'active');
    robots.get('PC-SLOW')!.kill('SIGKILL');
    await until('the job to wait again', async () => (await orchestrator.get(plain.job_id)).state === 'waiting');
    const repeatable = await orchestrator.submit({
      workflow_id: 'WF_repeatable',
      labels: ['slow'],
      params: { steps: 2, step_ms: 1500 },
    });
    await startRobot('PC-SLOW-2', 'slow');
    await until('the repeatable job to act', async () => actions(repeatable.job_id).length === 1);
    robots.get('PC-SLOW-2')!.kill('SIGKILL');
    await until(
      'the repeatable job to wait again',
      async () => (await orchestrator.get(repeatable.job_id)).state === 'waiting',
    );
    await startRobot('PC-SLOW-3', 'slow');
    const p = await finished(plain.job_id);
    assert.strictEqual(p.state, 'succeeded');
    assert.strictEqual(actions(plain.job_id).length, 2);
    const r = await finished(repeatable.job_id);
    assert.strictEqual(r.state, 'succeeded');
    assert.strictEqual(r.attempts, 2);
  });

  it('Redis restarted while jobs wait: nothing lost, nothing run twice', async function () {
    this.timeout(120_000);
    const ids = [];
    for (let i = 0; i < 3; i++)
      ids.push((await orchestrator.submit({ workflow_id: `WF_late_${i}`, labels: ['late'] })).job_id);
    await redis.restart();
    await startRobot('PC-LATE', 'late');
    const more = await orchestrator.submit({ workflow_id: 'WF_after', labels: ['notes'] });
    // The robots that were online reconnect on their own (at most 2 s apart); a first run after the
    // broker came back may wait for BullMQ's blocking read to return.
    for (const id of [...ids, more.job_id]) {
      const r = await finished(id, 45_000);
      assert.strictEqual(r.state, 'succeeded', `${id}: ${r.error}`);
      assert.strictEqual(actions(id).length, 2, `${id}: ${actions(id).join('; ')}`);
    }
    // Away for longer than the lease: every robot went offline; each takes work again once it is back.
    await redis.restart(LEASE_MS + 1000);
    const again = await Promise.all(
      ['notes', 'late'].map(
        async (label) => (await orchestrator.submit({ workflow_id: `WF_back_${label}`, labels: [label] })).job_id,
      ),
    );
    // As above, a robot back from offline may first wait for BullMQ's blocking read to return
    // (a CI run on a loaded machine waited more than 15 s here, the robot idle).
    for (const id of again) {
      assert.strictEqual((await finished(id, 45_000)).state, 'succeeded');
      assert.strictEqual(actions(id).length, 2);
    }
  });
});
