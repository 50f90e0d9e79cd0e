/**
 * Demonstrating, learning and replaying with the real CLI, as the specs of real programs do:
 * the real recorder around each demonstration of the person (xdotool), `rpa-vision learn` on
 * the recorded sessions (its time per demonstration printed; without a display, as learning
 * needs none), `rpa-vision run` in AUTO mode with the run's parameters, and the learned steps
 * in a form assertions can compare.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import type { VirtualDesktop } from '../helpers/desktop';
import { recordWith } from '../graph/helpers/order-app';
import { validateWorkflow } from '../../lib/contracts/validate';
import type { Workflow } from '../../lib/contracts/workflow';
import { stepsOfAction } from '../../lib/graph/action-steps';
import { cli, cliIn, sleep } from './debian-apps';
import { tempDir } from './helpers';

export interface RunReport {
  status: string;
  verified: boolean;
  parameters: Record<string, string>;
  start_node: string;
  end_node: string;
  steps: Array<{
    edge_id: string;
    status: string;
    verification: { verified: boolean; node_id: string | null } | null;
    targets: Array<{ label?: string; match: string; point: [number, number] }>;
  }>;
  failure: { kind: string; message: string } | null;
}

/** What the person does in one demonstration. */
export interface Demonstration<App extends { close(): void }> {
  /** The program(s) the demonstration starts, closed once it is recorded; left out: what is already open. */
  launch?: () => Promise<App>;
  /** The person's actions: the only part recorded. */
  act: (app: App) => Promise<void>;
  /** Checked once recorded, before the program closes: what the demonstration did. */
  check?: (app: App) => Promise<void>;
}

/** The real recorder around one demonstration; its session directory. */
export async function demonstrate<App extends { close(): void }>(
  vd: VirtualDesktop,
  demonstration: Demonstration<App>,
): Promise<string> {
  const app = await demonstration.launch?.();
  const session = await recordWith(vd, () => demonstration.act(app as App));
  await demonstration.check?.(app as App);
  if (app) {
    app.close();
    await sleep(300); // its window gone before the next one opens: a launch finds windows by title
  }
  return session;
}

export interface LearnOptions {
  /** The workflow's name (`--name`). */
  name?: string;
  /** The workflow file: learned into again when it exists (`--out`). Default: a new one. */
  out?: string;
  /** How many demonstrations the sessions hold, for the time printed. Default: one per session. */
  demonstrations?: number;
  /** `--json`: the summary on stdout. */
  json?: boolean;
}

export interface Learned {
  workflow: Workflow;
  file: string;
  stdout: string;
  stderr: string;
}

/** `rpa-vision learn` on the sessions: the workflow it wrote, its file and what it printed. */
export async function learn(sessions: string[], options: LearnOptions = {}): Promise<Learned> {
  const file = options.out ?? path.join(tempDir('rpa-cli-wf-'), 'workflow.json');
  const started = performance.now();
  const { stdout, stderr } = await cliIn({ ...process.env, DISPLAY: '' }, [
    'learn',
    ...sessions,
    '--out',
    file,
    ...(options.name ? ['--name', options.name] : []),
    ...(options.json ? ['--json'] : []),
  ]);
  const demonstrations = options.demonstrations ?? sessions.length;
  const perDemo = (performance.now() - started) / demonstrations;
  console.log(`      learning: ${Math.round(perDemo)} ms per demonstration (${demonstrations} demonstrations)`);
  return { workflow: validateWorkflow(JSON.parse(fs.readFileSync(file, 'utf8')), file), file, stdout, stderr };
}

/** Each demonstration recorded in a session of its own, then learned from all of them. */
export async function learnFromDemonstrations<App extends { close(): void }>(
  vd: VirtualDesktop,
  demonstrations: Array<Demonstration<App>>,
  options: LearnOptions = {},
): Promise<Learned> {
  const sessions: string[] = [];
  for (const d of demonstrations) sessions.push(await demonstrate(vd, d));
  return learn(sessions, options);
}

/**
 * `rpa-vision run` of the workflow (or its file) in AUTO mode with `vars`, learning nothing; its
 * report. A run that fails (`mayFail`) still has one.
 */
export async function replay(
  vd: VirtualDesktop,
  workflow: Workflow | string,
  vars: Record<string, string>,
  mayFail = false,
): Promise<RunReport> {
  const dir = tempDir('rpa-cli-run-');
  let file = workflow;
  if (typeof file !== 'string') {
    file = path.join(dir, 'workflow.json');
    fs.writeFileSync(file, JSON.stringify(workflow));
  }
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
    tempDir('rpa-cli-data-'),
  ]).catch((err: unknown) => {
    if (!mayFail || !fs.existsSync(report)) throw err;
  });
  return JSON.parse(fs.readFileSync(report, 'utf8')) as RunReport;
}

export function assertOneVerifiedStep(record: RunReport): void {
  assertEveryStepVerified(record, 1);
}

/** The run succeeded (through `steps` steps when given), each step verified on the screen it reached. */
export function assertEveryStepVerified(record: RunReport, steps?: number): void {
  assert.strictEqual(record.status, 'success', JSON.stringify(record.failure));
  assert.strictEqual(record.verified, true);
  if (steps !== undefined)
    assert.strictEqual(record.steps.length, steps, JSON.stringify(record.steps.map((s) => s.edge_id)));
  for (const s of record.steps)
    assert.ok(
      s.status === 'success' && s.verification?.verified,
      `step ${s.edge_id} verified: ${JSON.stringify(s.verification)}`,
    );
}

/** Each step of the workflow's edges as [type, what it clicks or types]. */
export const learnedSteps = (workflow: Workflow) =>
  workflow.edges.map((e) =>
    stepsOfAction(e.action).map((s) => [s.type, s.type === 'type_text' ? s.text : (s.target?.text ?? s.target?.label)]),
  );
