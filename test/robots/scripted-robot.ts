/**
 * A robot process whose desktop is a folder: each job's "desktop actions" are lines appended
 * to <dir>/<job_id>.actions, so a spec can count what was done, and kill -9 the process in the
 * middle of a job. It is the real Robot with the JobRunner port given a scripted runner (the
 * real WorkflowJobRunner is exercised by the robots-on-desktops spec).
 *
 * Usage: node scripted-robot.js BROKER_URL NAME LABELS DIR LEASE_MS
 */
import fs from 'fs';
import path from 'path';
import { brokerConnection } from '../../lib/robots/broker-connection';
import { Robot, type JobRunner } from '../../lib/robots/robot';

const [url, name, labels, dir, lease] = process.argv.slice(2);

export const scriptedRunner = (folder: string, robotName: string): JobRunner => ({
  async run(job, hooks) {
    const steps = Number(job.payload.params.steps ?? 2);
    const stepMs = Number(job.payload.params.step_ms ?? 50);
    await new Promise((r) => setTimeout(r, Number(job.payload.params.hold_before_ms ?? 0)));
    for (let i = 1; i <= steps; i++) {
      await hooks.beforeAction(`step${i}`);
      fs.appendFileSync(path.join(folder, `${job.job_id}.actions`), `${robotName} step${i}\n`);
      await new Promise((r) => setTimeout(r, stepMs));
      if (hooks.signal.aborted) return { state: 'cancelled', error: 'cancelled' };
    }
    return { state: 'succeeded', record: { steps } };
  },
});

if (require.main === module) {
  const robot = new Robot({
    connection: brokerConnection(url),
    name,
    labels: labels ? labels.split(',') : [],
    leaseMs: Number(lease),
    runner: scriptedRunner(dir, name),
    logger: { info: () => undefined, warn: () => undefined, error: (m) => process.stderr.write(`${m}\n`) },
  });
  void robot.start().then(() => process.stdout.write('ready\n'));
  process.once('SIGTERM', () => void robot.stop().then(() => process.exit(0)));
}
