/**
 * A robot process whose desktop is a folder: each job's "desktop actions" are lines appended
 * to <dir>/<job_id>.actions, so a spec can count what was done, and kill -9 the process in the
 * middle of a job; what the job brought (its payload, the anchor images it carried) is in
 * <dir>/<job_id>.job.json. Its execution record has the runner's shape (params.fail=yes: failed). It is the real Robot with the JobRunner port given a scripted runner (the
 * real WorkflowJobRunner is exercised by the robots-on-desktops spec).
 *
 * Usage: node scripted-robot.js BROKER_URL NAME LABELS DIR LEASE_MS
 */
import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import { brokerConnection } from '../../lib/robots/broker-connection';
import { Robot, type JobRunner } from '../../lib/robots/robot';

const [url, name, labels, dir, lease] = process.argv.slice(2);

/** The anchor images a job's workflows carry as data URLs, each as the sha256 of its bytes. */
function carriedAnchors(workflows: unknown[]): string[] {
  const found = JSON.stringify(workflows).match(/data:image\/png;base64,[A-Za-z0-9+/=]+/g) ?? [];
  return found.map((url) =>
    crypto
      .createHash('sha256')
      .update(Buffer.from(url.split(',')[1], 'base64'))
      .digest('hex'),
  );
}

export const scriptedRunner = (folder: string, robotName: string): JobRunner => ({
  async run(job, hooks) {
    const started = Date.now();
    fs.writeFileSync(
      path.join(folder, `${job.job_id}.job.json`),
      JSON.stringify({ payload: job.payload, anchors: carriedAnchors(job.payload.workflows) }),
    );
    const steps = Number(job.payload.params.steps ?? 2);
    const stepMs = Number(job.payload.params.step_ms ?? 50);
    await new Promise((r) => setTimeout(r, Number(job.payload.params.hold_before_ms ?? 0)));
    for (let i = 1; i <= steps; i++) {
      await hooks.beforeAction(`step${i}`);
      fs.appendFileSync(path.join(folder, `${job.job_id}.actions`), `${robotName} step${i}\n`);
      await new Promise((r) => setTimeout(r, stepMs));
      if (hooks.signal.aborted) return { state: 'cancelled', error: 'cancelled' };
    }
    // An execution record shaped as the runner's, so run nodes show it as they show a local one.
    const failed = job.payload.params.fail === 'yes';
    const record = {
      execution_id: `exec-${job.job_id}`,
      workflow_id: job.target_id,
      status: failed ? 'failed' : 'success',
      parameters: job.payload.params,
      duration_s: (Date.now() - started) / 1000,
      steps: Array.from({ length: steps }, (_, i) => ({ edge_id: `step${i + 1}`, status: 'success' })),
      failure: failed
        ? { kind: 'target_not_found', message: 'scripted failure', edge_id: `step${steps}`, node_id: null }
        : null,
    };
    return failed
      ? { state: 'failed', record, error: 'target_not_found: scripted failure' }
      : { state: 'succeeded', record };
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
