/**
 * Record → learn → approve → run without leaving the browser, as a person does it, on a real
 * program (galculator on Xvfb) and the real runtime behind a login. In the editor (Chromium):
 * log in, import inject → rpa-capture (record) → rpa-learn through Menu → Import, deploy; press
 * the inject's button around each demonstration typed with xdotool; rpa-learn's status says what
 * it learned and the editor puts the workflow into a config node, deployed with the flow. On the
 * dashboard's Workflows page: the new workflow in OBSERVATION, approved to AUTO_CONFIRMED with a
 * reason (the user in its history; the runs the learning rules want before that stand as their
 * counters), then run from its form with a new expression: the calculator shows the result.
 */
import assert from 'assert';
import type { Browser, Page } from 'playwright-core';
import { VirtualDesktop } from '../helpers/desktop';
import { NodeRedRuntime } from '../helpers/runtime';
import { deploy, importFlow, openEditor, pressInject, statusOf } from '../helpers/editor';
import { launchChromium } from '../monitoring/helpers';
import type { Workflow } from '../../lib/contracts/workflow';
import { learningOf } from '../../lib/graph/learning-state';
import { calculatorValue, compute, launchGalculator, type AppWindow } from '../execute/debian-apps';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const bcrypt = require('bcryptjs') as { hashSync(password: string, rounds: number): string };
const USER = 'marie';
const PASSWORD = 'calcul-pw-1';
const TAB = 'Record and learn';

/** What the person builds in the editor: an inject that starts and stops the recording, the learner after it. */
const FLOW = [
  { id: 'e2e_tab', type: 'tab', label: TAB },
  {
    id: 'e2e_inject',
    type: 'inject',
    z: 'e2e_tab',
    name: 'start / stop',
    props: [{ p: 'payload' }],
    payloadType: 'date',
    repeat: '',
    once: false,
    x: 140,
    y: 240,
    wires: [['e2e_capture']],
  },
  {
    id: 'e2e_capture',
    type: 'rpa-capture',
    z: 'e2e_tab',
    mode: 'record',
    user: USER,
    x: 360,
    y: 240,
    wires: [['e2e_learn']],
  },
  {
    id: 'e2e_learn',
    type: 'rpa-learn',
    z: 'e2e_tab',
    workflowName: 'Calcul',
    sessions: '',
    x: 560,
    y: 240,
    wires: [[]],
  },
];

describe('the editor and the dashboard alone: record, learn, approve and run a task (galculator, Xvfb, Chromium)', function () {
  this.timeout(180_000);
  let vd: VirtualDesktop;
  let runtime: NodeRedRuntime;
  let browser: Browser;
  let editor: Page;
  let calc: AppWindow | undefined;
  let workflowId: string;

  before(async () => {
    vd = await VirtualDesktop.start({ width: 1280, height: 800 });
    // Side by side; settled both, so that after() stops whichever started.
    const started = await Promise.allSettled([
      NodeRedRuntime.start({
        env: {
          DISPLAY: vd.display,
          RPA_VISION_RESOURCE_INTERVAL_S: '0',
          NODE_RED_ADMIN_USER: USER,
          NODE_RED_ADMIN_PASSWORD_HASH: bcrypt.hashSync(PASSWORD, 8),
        },
      }).then((r) => (runtime = r)),
      launchChromium().then((b) => (browser = b)),
    ]);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    const context = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 1400, height: 900 },
      httpCredentials: { username: USER, password: PASSWORD },
    });
    editor = await context.newPage();
  });

  after(async () => {
    calc?.close();
    // A browser that crashed must not keep Node-RED and the desktop alive.
    await browser?.close().catch(() => undefined);
    await runtime?.stop();
    await vd?.stop();
  });

  /** The token the editor keeps in the browser once the person logged in (the dashboard sends it too). */
  const token = () =>
    editor.evaluate(
      () => (JSON.parse(localStorage.getItem('auth-tokens') ?? '{}') as { access_token?: string }).access_token,
    );

  it('builds inject → rpa-capture → rpa-learn in the editor, records two demonstrations and learns the workflow', async () => {
    await openEditor(editor, runtime.url, { username: USER, password: PASSWORD });
    await importFlow(editor, FLOW, TAB);
    await deploy(editor);

    let learned = '';
    for (const [expression, learnedStatus] of [
      ['12*7', /^WF_\S+: 1 screens, 1 steps, 0 parameters/],
      ['45-18', /^WF_\S+: 1 screens, 1 steps, 1 parameters; 1 to check$/],
    ] as const) {
      calc?.close();
      calc = await launchGalculator(vd);
      await pressInject(editor, 'e2e_inject');
      await statusOf(editor, 'e2e_capture', /^recording · 0 events$/);
      await compute(vd, expression);
      await pressInject(editor, 'e2e_inject');
      await statusOf(editor, 'e2e_capture', /^session: [1-9]\d* events, [1-9]\d* shots$/);
      learned = await statusOf(editor, 'e2e_learn', learnedStatus, 60_000);
    }
    workflowId = /^(WF_\S+):/.exec(learned)![1];

    // The editor took the workflow into a config node: deployed, the flow carries it.
    await editor.getByText('Workflow "Calcul" learned: deploy to keep it in the flow.').first().waitFor();
    await deploy(editor);
    const flows = await runtime.json<Array<{ type: string; graph?: Workflow; workflowConfig?: string; id: string }>>(
      '/flows',
      { headers: { Authorization: `Bearer ${await token()}` } },
    );
    const config = flows.body.find((n) => n.type === 'rpa-vision-workflow');
    assert.strictEqual(config?.graph?.workflow_id, workflowId, 'the deployed flow holds the workflow');
    assert.deepStrictEqual(
      config.graph.parameters!.map((p) => [p.name, p.default]),
      [['text_1', '12*7']],
    );
    assert.strictEqual(flows.body.find((n) => n.id === 'e2e_learn')?.workflowConfig, config.id);
    assert.doesNotMatch(runtime.log, /\[error\]/, runtime.log);
  });

  it('approves it on the Workflows page, then runs it from its form with a new expression: the calculator shows the result', async () => {
    assert.ok(workflowId, 'no workflow was learned (see the test before)');
    const page = await editor.context().newPage();
    await page.goto(`${runtime.url}/dashboard/workflows`);
    const card = page.locator(`.rpa-workflow[data-workflow="${workflowId}"]`);
    await card.locator('.rpa-state', { hasText: 'Observation' }).waitFor({ timeout: 20_000 });
    // The two demonstrations count as observed runs.
    assert.match(await card.innerText(), /Before Coaching: observed runs: 2\/5/);
    assert.ok(await card.getByRole('button', { name: 'Approve → Coaching' }).isDisabled());

    // Before a person may approve AUTO_CONFIRMED the learning rules want each phase's runs (5
    // observed, 10 assisted, 20 supervised): their counters stand for them here, in the live
    // copy, taken in by the admin (?approve=true).
    const auth = { Authorization: `Bearer ${await token()}` };
    const live = await runtime.json<Workflow>(`/api/workflows/${workflowId}`, { headers: auth });
    const supervised = live.body;
    const learning = learningOf(supervised);
    learning.state = 'AUTO_CANDIDATE';
    supervised.learning_state = 'AUTO_CANDIDATE';
    supervised.stats!.auto_candidate_runs = learning.thresholds.min_auto_candidate_runs_for_auto_confirmed;
    supervised.stats!.auto_candidate_successes = learning.thresholds.min_auto_candidate_runs_for_auto_confirmed;
    const replaced = await runtime.json('/api/workflows?approve=true&replace=true', {
      method: 'POST',
      headers: auth,
      body: JSON.stringify(supervised),
    });
    assert.strictEqual(replaced.status, 201, JSON.stringify(replaced.body));

    await card.locator('.rpa-state', { hasText: 'Auto (candidate)' }).waitFor({ timeout: 20_000 });
    await card.getByRole('button', { name: 'Approve → Auto (confirmed)' }).click();
    await card.getByLabel('Why (kept in the history and the audit log)').fill('tried it on the calculator');
    await card.locator('.rpa-panel').getByRole('button', { name: 'Approve' }).click();
    await card.locator('.rpa-state', { hasText: 'Auto (confirmed)' }).waitFor({ timeout: 10_000 });
    await card.locator('summary').click();
    assert.match(
      await card.locator('.rpa-history tr').nth(1).innerText(),
      new RegExp(
        `Auto \\(candidate\\) → Auto \\(confirmed\\)\\s+${USER}\\s+approved by ${USER} \\(tried it on the calculator\\)`,
      ),
    );

    await card.getByRole('button', { name: 'Run' }).click();
    const field = card.getByLabel('text_1');
    assert.strictEqual(await field.inputValue(), '12*7', 'the recorded value as the default');
    await field.fill('8*9');
    await vd.activate(calc!.id);
    await card.getByRole('button', { name: 'Start the run' }).click();
    await page.getByText('Run of Calcul queued.').waitFor();

    await page.goto(`${runtime.url}/dashboard/runs`);
    const run = page.locator('.rpa-run', { hasText: 'text_1 = 8*9' });
    await run.waitFor({ timeout: 60_000 });
    assert.match(await run.locator('.rpa-status').innerText(), /^success$/, await run.innerText());
    assert.strictEqual(await calculatorValue(vd, calc!), '72');
  });
});
