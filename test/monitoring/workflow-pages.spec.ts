/**
 * The dashboard's Workflows and Runs pages and the batch quick action, in Chromium, as the person
 * uses them, on a real program (galculator on Xvfb) and a Node-RED behind adminAuth: a workflow
 * learned from two recorded demonstrations, waiting for approval (AUTO_CANDIDATE with its
 * supervised runs done), is approved from the Workflows page (the state changes; the editor's
 * user is in the history and the audit log), run from its form with a new value (the
 * calculator shows the result; the Runs page lists the run with its step screenshots), then run
 * over a 3-row CSV from the Quick actions page (the bar reaches 3/3, the runs one after the
 * other, the one in progress on the Runs page). The pages in French; the Run form's fields (a
 * secret one a password field); Export and Demote. Bad batch requests are 400s that say what is wrong.
 * Each test imports its own copy of the learned workflow at the state it starts from, so any one
 * of them runs alone (`--grep`) as it runs with the others.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { NodeRedRuntime } from '../helpers/runtime';
import { sharedDesktop, type VirtualDesktop } from '../helpers/desktop';
import { defaultFlows } from '../../scripts/userdir';
import { learnWorkflow } from '../../lib/graph/learn';
import { learningOf } from '../../lib/graph/learning-state';
import type { Workflow } from '../../lib/contracts/workflow';
import { recordWith } from '../graph/helpers/order-app';
import { calculatorValue, compute, launchGalculator, sleep, type AppWindow } from '../execute/debian-apps';
import { invoiceWorkflow, tempDir } from '../execute/helpers';
import { launchChromium } from './helpers';

const ROOT = path.resolve(__dirname, '..', '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bcrypt = require('bcryptjs') as { hashSync(password: string, rounds: number): string };
const USER = 'marie';
const PASSWORD = 'calcul-pw-1';

interface Json {
  [k: string]: unknown;
}
interface RecentRun {
  execution_id: string;
  workflow_id: string;
  status: string;
  started_at: string;
  completed_at: string;
  parameters: Record<string, string>;
  screenshots: string[];
}

describe('dashboard: Workflows and Runs pages, batch quick action (galculator, Xvfb)', function () {
  this.timeout(300_000);
  let vd: VirtualDesktop;
  let calc: AppWindow;
  let runtime: NodeRedRuntime;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let learned: Workflow;
  let token: string;

  const api = async <T = Json>(pathname: string, init: { method?: string; body?: unknown } = {}) => {
    const request = () =>
      runtime.json<T>(pathname, {
        method: init.method ?? 'GET',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      });
    // While a run reads the screen, Node-RED's event loop can be busy past the keep-alive
    // timeout: the idle connection it then closes may be the one a GET was just sent on.
    return init.method === undefined ? request().catch(request) : request();
  };

  /** The runs of a workflow, oldest first, once `count` of them have finished. */
  async function finishedRuns(workflowId: string, count: number): Promise<RecentRun[]> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const r = await api<{ recent: RecentRun[] }>('/rpa-vision/dashboard/runs');
      const mine = r.body.recent.filter((e) => e.workflow_id === workflowId).reverse();
      if (mine.length >= count) return mine;
      if (Date.now() > deadline) throw new Error(`${mine.length} of ${count} runs finished: ${JSON.stringify(r.body)}`);
      await sleep(500);
    }
  }

  before(async () => {
    vd = await sharedDesktop();
    const sessions: string[] = [];
    for (const expression of ['12*7', '45-18']) {
      const demo = await launchGalculator(vd);
      sessions.push(await recordWith(vd, () => compute(vd, expression)));
      demo.close();
      await sleep(300);
    }
    learned = await learnWorkflow(sessions, { name: 'Calcul' });

    runtime = await NodeRedRuntime.start({
      flows: defaultFlows(ROOT),
      env: {
        DISPLAY: vd.display,
        RPA_VISION_RESOURCE_INTERVAL_S: '0',
        NODE_RED_ADMIN_USER: USER,
        NODE_RED_ADMIN_PASSWORD_HASH: bcrypt.hashSync(PASSWORD, 8),
      },
    });
    const login = await runtime.fetch('/auth/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        client_id: 'node-red-admin',
        grant_type: 'password',
        scope: '*',
        username: USER,
        password: PASSWORD,
      }),
    });
    token = ((await login.json()) as { access_token: string }).access_token;

    browser = await launchChromium();
    context = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 1400, height: 1000 },
      acceptDownloads: true,
      httpCredentials: { username: USER, password: PASSWORD },
    });
    page = await context.newPage();
    await page.goto(`${runtime.url}/dashboard/workflows`);
    // What the editor keeps in the browser once the user logged in to it.
    await page.evaluate(
      (t) => localStorage.setItem('auth-tokens', JSON.stringify({ access_token: t, token_type: 'Bearer' })),
      token,
    );
    calc = await launchGalculator(vd);
  });

  after(async () => {
    await browser?.close();
    await runtime?.stop();
    calc?.close();
  });

  /**
   * A copy of the learned workflow of its own for one test (so no test needs another to have run
   * first), imported by an admin at `state`; at AUTO_CANDIDATE its supervised runs are done, so
   * what is left is a person's approval. `pauseAfterMs`: a pause after each step.
   */
  async function workflowAt(
    suffix: string,
    state: 'AUTO_CANDIDATE' | 'AUTO_CONFIRMED',
    pauseAfterMs?: number,
  ): Promise<string> {
    const copy = JSON.parse(JSON.stringify(learned)) as Workflow;
    copy.workflow_id = `${learned.workflow_id}_${suffix}`;
    if (pauseAfterMs)
      for (const e of copy.edges) e.action.parameters = { ...e.action.parameters, wait_after_ms: pauseAfterMs };
    const learning = learningOf(copy);
    learning.state = state;
    copy.learning_state = state;
    copy.stats!.auto_candidate_runs = learning.thresholds.min_auto_candidate_runs_for_auto_confirmed;
    copy.stats!.auto_candidate_successes = learning.thresholds.min_auto_candidate_runs_for_auto_confirmed;
    const imported = await api('/api/workflows?approve=true', { method: 'POST', body: copy });
    assert.strictEqual(imported.status, 201, JSON.stringify(imported.body));
    return copy.workflow_id;
  }

  it('approving on the Workflows page makes it AUTO_CONFIRMED, with the editor user in the history and the audit log', async () => {
    const workflowId = await workflowAt('approve', 'AUTO_CANDIDATE');
    await page.reload();
    const card = page.locator(`.rpa-workflow[data-workflow="${workflowId}"]`);
    await card.locator('.rpa-state', { hasText: 'Auto (candidate)' }).waitFor({ timeout: 20_000 });
    await card.getByRole('button', { name: 'Approve → Auto (confirmed)' }).click();
    await card.getByLabel('Why (kept in the history and the audit log)').fill('checked the supervised runs');
    await card.locator('.rpa-panel').getByRole('button', { name: 'Approve' }).click();
    await card.locator('.rpa-state', { hasText: 'Auto (confirmed)' }).waitFor({ timeout: 10_000 });
    await card.locator('summary').click();
    const lastChange = card.locator('.rpa-history tr').nth(1);
    assert.match(await lastChange.innerText(), new RegExp(`Auto \\(candidate\\) → Auto \\(confirmed\\)\\s+${USER}\\s`));

    const stored = await api<Workflow>(`/api/workflows/${workflowId}`);
    const history = stored.body.learning!.history!;
    assert.strictEqual(stored.body.learning!.state, 'AUTO_CONFIRMED');
    assert.match(history.at(-1)!.reason, new RegExp(`approved by ${USER} \\(checked the supervised runs\\)`));
    const audit = await api<{ entries: Array<{ actor: string; action: string; object: string; detail?: string }> }>(
      '/api/audit?limit=20',
    );
    const promoted = audit.body.entries.find((e) => e.action === 'workflow.promote');
    assert.deepStrictEqual(promoted && [promoted.actor, promoted.object, promoted.detail], [
      USER,
      `workflow:${workflowId}`,
      'AUTO_CANDIDATE → AUTO_CONFIRMED: checked the supervised runs',
    ]);
  });

  it('Run with a new value from its form: the calculator shows the result, the Runs page the run with its screenshots', async () => {
    const workflowId = await workflowAt('run', 'AUTO_CONFIRMED');
    await page.goto(`${runtime.url}/dashboard/workflows`);
    const card = page.locator(`.rpa-workflow[data-workflow="${workflowId}"]`);
    await card.getByRole('button', { name: 'Run' }).click();
    await card.getByLabel('text_1').fill('8*9');
    await vd.activate(calc.id);
    await card.getByRole('button', { name: 'Start the run' }).click();
    await page.getByText('Run of Calcul queued.').waitFor();
    const [run] = await finishedRuns(workflowId, 1);
    assert.strictEqual(run.status, 'success', JSON.stringify(run));
    assert.deepStrictEqual(run.parameters, { text_1: '8*9' });
    assert.strictEqual(await calculatorValue(vd, calc), '72');
    assert.ok(run.screenshots.length >= 2, JSON.stringify(run.screenshots));

    await page.goto(`${runtime.url}/dashboard/runs`);
    const shown = page.locator(`.rpa-run[data-execution="${run.execution_id}"]`);
    assert.match(await shown.innerText({ timeout: 10_000 }), /success\s+\S+.*text_1 = 8\*9/s);
    await shown.getByRole('button', { name: /Step screenshots/ }).click();
    await shown.locator('.rpa-shot img').first().waitFor();
    // Every screenshot decoded by the browser: a PNG of the whole screen.
    const sizes = await shown.locator('.rpa-shot img').evaluateAll(async (imgs) => {
      await Promise.all(imgs.map((i) => (i as HTMLImageElement).decode().catch(() => undefined)));
      return imgs.map((i) => `${(i as HTMLImageElement).naturalWidth}x${(i as HTMLImageElement).naturalHeight}`);
    });
    assert.strictEqual(sizes.length, run.screenshots.length);
    assert.ok(
      sizes.every((s) => s === `${vd.width}x${vd.height}`),
      `screenshots shown: ${sizes.join(', ')}`,
    );
  });

  it('a batch over a 3-row CSV from the Quick actions page runs 3 times, one after the other (live on the Runs page), and its bar reaches 3/3', async () => {
    // Runs of 1.5 s, 0.4 s apart, read every 2 s: the reads can fall between the runs all three
    // times. A pause after the step makes each run outlast a read.
    const workflowId = await workflowAt('batch', 'AUTO_CONFIRMED', 2500);
    // In the data directory, where a batch may read (as file triggers), named relative to it.
    fs.mkdirSync(path.join(runtime.dataDir, 'batches'), { recursive: true });
    fs.writeFileSync(path.join(runtime.dataDir, 'batches', 'rows.csv'), 'text_1\n1+1\n2+2\n"3+3"\n');
    await page.goto(`${runtime.url}/dashboard/quick-actions`);
    const form = page.locator('.rpa-batch');
    await form.getByLabel('Workflow').click({ force: true });
    await page.getByRole('option', { name: `Calcul (${workflowId})` }).click();
    await form
      .getByLabel('CSV file (in the data directory or an allowed folder; columns = parameters)')
      .fill('batches/rows.csv');
    const runsPage = await context.newPage();
    await runsPage.goto(`${runtime.url}/dashboard/runs`);
    await runsPage.getByText('No workflow is running.').waitFor({ timeout: 30_000 });
    await vd.activate(calc.id);
    await form.getByRole('button', { name: 'Start the batch' }).click();
    // The Runs page shows the run in progress with its step ("step 0/1" before it starts).
    await runsPage
      .locator('.rpa-live .rpa-step', { hasText: /^step [01]\/1$/ })
      .first()
      .waitFor({ timeout: 60_000 })
      .catch(async (err: Error) => {
        throw new Error(`${err.message}\nthe Runs page shows: ${await runsPage.locator('.rpa-runs').innerText()}`);
      });
    await runsPage.close();
    await form
      .locator('.rpa-batch-count', { hasText: '3/3 · 0 failed · finished' })
      .waitFor({ timeout: 150_000 })
      .catch(async (err: Error) => {
        throw new Error(`${err.message}\nthe form shows: ${await form.innerText()}`);
      });
    const runs = await finishedRuns(workflowId, 3);
    assert.deepStrictEqual(
      runs.map((r) => [r.status, r.parameters.text_1]),
      [
        ['success', '1+1'],
        ['success', '2+2'],
        ['success', '3+3'],
      ],
    );
    for (let i = 1; i < runs.length; i++)
      assert.ok(runs[i].started_at >= runs[i - 1].completed_at, 'one run at a time on the desktop');
    assert.strictEqual(await calculatorValue(vd, calc), '6');
  });

  it("the pages in the browser's language: French", async () => {
    // A workflow with a run of its own, for the pages to have a state and a status to name.
    const workflowId = await workflowAt('fr', 'AUTO_CONFIRMED');
    await vd.activate(calc.id);
    const queued = await api(`/api/workflows/${workflowId}/execute`, {
      method: 'POST',
      body: { params: { text_1: '2+3' } },
    });
    assert.ok(queued.status < 300, JSON.stringify(queued.body));
    const [run] = await finishedRuns(workflowId, 1);
    assert.strictEqual(run.status, 'success', JSON.stringify(run));
    const fr = await browser.newContext({ locale: 'fr-FR', httpCredentials: { username: USER, password: PASSWORD } });
    try {
      await fr.addInitScript(
        (t) => localStorage.setItem('auth-tokens', JSON.stringify({ access_token: t, token_type: 'Bearer' })),
        token,
      );
      const p = await fr.newPage();
      await p.goto(`${runtime.url}/dashboard/workflows`);
      const card = p.locator(`.rpa-workflow[data-workflow="${workflowId}"]`);
      await card.locator('.rpa-state', { hasText: 'Auto (confirmé)' }).waitFor({ timeout: 20_000 });
      const text = await card.innerText();
      assert.match(text, /Taux de réussite: 100 % \(\d+ exécutions\) · Dernière exécution: réussie, /);
      for (const b of ['Exécuter', 'Rétrograder', 'Exporter']) await card.getByRole('button', { name: b }).waitFor();
      assert.doesNotMatch(text, /Success rate|Last run|History|Demote|Export\b/);
      await p.goto(`${runtime.url}/dashboard/runs`);
      await p.getByText('Exécutions récentes').waitFor();
      await p.locator('.rpa-run .rpa-status', { hasText: 'réussie' }).first().waitFor();
      await p.goto(`${runtime.url}/dashboard/quick-actions`);
      await p.getByRole('button', { name: 'Lancer le lot' }).waitFor();
    } finally {
      await fr.close();
    }
  });

  it('the Run form has a field per parameter with its default, a secret one as an empty password field; Export downloads the WF.json', async () => {
    const invoice = invoiceWorkflow();
    invoice.parameters = [...(invoice.parameters ?? []), { name: 'mot_de_passe', default: 'S3cret!' }];
    const imported = await api('/api/workflows', { method: 'POST', body: invoice });
    assert.strictEqual(imported.status, 201, JSON.stringify(imported.body));
    await page.goto(`${runtime.url}/dashboard/workflows`);
    const card = page.locator(`.rpa-workflow[data-workflow="${invoice.workflow_id}"]`);
    await card.getByRole('button', { name: 'Run' }).click();
    const fields = await card
      .locator('.rpa-panel input')
      .evaluateAll((inputs) => inputs.map((i) => [(i as HTMLInputElement).type, (i as HTMLInputElement).value]));
    assert.deepStrictEqual(fields, [
      ['text', 'Contrôlé'],
      ['password', ''],
    ]);
    assert.doesNotMatch(await page.content(), /S3cret!/);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      card.getByRole('button', { name: 'Export' }).click(),
    ]);
    assert.strictEqual(download.suggestedFilename(), `${invoice.workflow_id}.json`);
    const exported = JSON.parse(fs.readFileSync(await download.path(), 'utf8')) as Workflow;
    assert.deepStrictEqual(
      exported.parameters!.map((p) => [p.name, p.default]),
      [
        ['commentaire', 'Contrôlé'],
        ['mot_de_passe', ''],
      ],
    );
    assert.strictEqual(exported.nodes.length, invoice.nodes.length);
  });

  it('a bad batch is a 400 that says what is wrong', async () => {
    const workflowId = await workflowAt('bad-batch', 'AUTO_CONFIRMED');
    const dir = path.join(runtime.dataDir, 'batches');
    fs.mkdirSync(dir, { recursive: true });
    const badCsv = path.join(dir, 'bad.csv');
    fs.writeFileSync(badCsv, 'text_1;montant\n1+1;3\n');
    const outside = tempDir('rpa-batch-outside-');
    fs.writeFileSync(path.join(outside, 'rows.csv'), 'text_1\n1+1\n');
    const cases: Array<[Json, RegExp]> = [
      [{ workflow_id: 'WF_nope', csv: badCsv }, /"WF_nope" is not a workflow/],
      [{ workflow_id: workflowId, folder: 'missing' }, /cannot be read \(ENOENT\)/],
      [{ workflow_id: workflowId, folder: dir, csv: badCsv }, /either a folder .* or a csv/],
      [{ workflow_id: workflowId, csv: badCsv }, /"montant" is not \(its parameters: text_1\)/],
      [{ workflow_id: workflowId, csv: dir }, /is a folder, not a CSV file/],
      [{ workflow_id: workflowId, csv: path.join(outside, 'rows.csv') }, /must be inside the data directory/],
      [{ workflow_id: workflowId, csv: '/etc/passwd' }, /must be inside the data directory/],
    ];
    for (const [body, message] of cases) {
      const r = await api('/rpa-vision/quick-actions/batch', { method: 'POST', body });
      assert.strictEqual(r.status, 400, JSON.stringify(r.body));
      assert.match(String(r.body.message), message);
    }
  });

  it('Demote on the Workflows page lowers the state one phase, with the user and the reason in the history', async () => {
    const workflowId = await workflowAt('demote', 'AUTO_CONFIRMED');
    await page.goto(`${runtime.url}/dashboard/workflows`);
    const card = page.locator(`.rpa-workflow[data-workflow="${workflowId}"]`);
    await card.getByRole('button', { name: 'Demote' }).click();
    await card.getByLabel('Why (kept in the history and the audit log)').fill('the application changed');
    await card.locator('.rpa-panel').getByRole('button', { name: 'Demote' }).click();
    await card.locator('.rpa-state', { hasText: 'Auto (candidate)' }).waitFor({ timeout: 10_000 });
    const stored = await api<Workflow>(`/api/workflows/${workflowId}`);
    assert.strictEqual(stored.body.learning!.history!.at(-1)!.reason, `demoted by ${USER}: the application changed`);
  });
});
