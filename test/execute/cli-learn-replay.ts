/**
 * Learning and replaying with the real CLI, as the mouse-driven specs do after recording a
 * person: `rpa-vision learn` on the recorded sessions (its time per demonstration printed),
 * `rpa-vision run` in AUTO mode with the run's parameters, and the learned steps in a form
 * assertions can compare.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import type { VirtualDesktop } from '../helpers/desktop';
import { validateWorkflow } from '../../lib/contracts/validate';
import type { Workflow } from '../../lib/contracts/workflow';
import { stepsOfAction } from '../../lib/graph/action-steps';
import { cli } from './debian-apps';
import { tempDir } from './helpers';

export interface RunReport {
  status: string;
  verified: boolean;
  steps: Array<{
    edge_id: string;
    status: string;
    verification: { verified: boolean } | null;
    targets: Array<{ label?: string; match: string }>;
  }>;
  failure: { kind: string; message: string } | null;
}

/** `rpa-vision learn` on the sessions; the workflow it wrote. */
export async function learn(vd: VirtualDesktop, sessions: string[], demonstrations: number): Promise<Workflow> {
  const file = path.join(tempDir('rpa-mouse-wf-'), 'workflow.json');
  const started = performance.now();
  await cli(vd, ['learn', ...sessions, '--out', file]);
  const perDemo = (performance.now() - started) / demonstrations;
  console.log(`      learning: ${Math.round(perDemo)} ms per demonstration (${demonstrations} demonstrations)`);
  return validateWorkflow(JSON.parse(fs.readFileSync(file, 'utf8')), file);
}

/** `rpa-vision run` of the workflow in AUTO mode with `vars`, learning nothing; its report. A run that fails (`mayFail`) still has one. */
export async function replay(
  vd: VirtualDesktop,
  workflow: Workflow,
  vars: Record<string, string>,
  mayFail = false,
): Promise<RunReport> {
  const dir = tempDir('rpa-mouse-run-');
  const file = path.join(dir, 'workflow.json');
  fs.writeFileSync(file, JSON.stringify(workflow));
  const report = path.join(dir, 'report.json');
  await cli(vd, [
    'run',
    file,
    ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}=${v}`]),
    '--mode',
    'auto',
    '--report',
    report,
    '--no-learn',
    '--data-dir',
    tempDir('rpa-mouse-data-'),
  ]).catch((err: unknown) => {
    if (!mayFail || !fs.existsSync(report)) throw err;
  });
  return JSON.parse(fs.readFileSync(report, 'utf8')) as RunReport;
}

export function assertOneVerifiedStep(record: RunReport): void {
  assert.strictEqual(record.status, 'success', JSON.stringify(record.failure));
  assert.strictEqual(record.steps.length, 1, JSON.stringify(record.steps.map((s) => s.edge_id)));
  assert.ok(record.steps[0].verification?.verified, JSON.stringify(record.steps[0]));
}

/** Each step of the workflow's edges as [type, what it clicks or types]. */
export const learnedSteps = (workflow: Workflow) =>
  workflow.edges.map((e) =>
    stepsOfAction(e.action).map((s) => [s.type, s.type === 'type_text' ? s.text : (s.target?.text ?? s.target?.label)]),
  );
