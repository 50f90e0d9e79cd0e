/**
 * The Dashboard 2.0 pages deployed by `npm start` (flows/dashboard.json), in headless
 * Chromium against the real runtime: they load without console errors, show live progress
 * while a workflow runs (driven by the shipped example flow, examples/monitoring-report-runs.json,
 * through the inject buttons a user would click), then the finished run, its duration and the
 * success rate; the scheduler can be stopped and started from the page; the audit trail lists
 * who did what; the log download button downloads the ZIP.
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { NodeRedRuntime } from '../helpers/runtime';
import { defaultFlows } from '../../scripts/userdir';
import { launchChromium, readZip } from './helpers';

const root = path.resolve(__dirname, '..', '..', '..');
const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-dashboard-'));

describe('dashboard pages (Dashboard 2.0) in headless Chromium', function () {
  this.timeout(120_000);
  let rt: NodeRedRuntime;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  before(async () => {
    const example = JSON.parse(
      fs.readFileSync(path.join(root, 'examples', 'monitoring-report-runs.json'), 'utf8'),
    ) as unknown[];
    rt = await NodeRedRuntime.start({
      flows: [...defaultFlows(root), ...example],
      env: { RPA_VISION_RESOURCE_INTERVAL_S: '0' },
    });
    browser = await launchChromium();
    page = await browser.newPage({ locale: 'en-US', viewport: { width: 1600, height: 1300 }, acceptDownloads: true });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
  });
  after(async () => {
    await browser?.close();
    await rt?.stop();
  });

  const inject = async (id: string) =>
    assert.strictEqual((await rt.fetch(`/inject/${id}`, { method: 'POST' })).status, 200);
  /** A one-screen workflow imported through the API, as the editor's import does. */
  async function importWorkflow(id: string, name: string): Promise<void> {
    const wf = await rt.json('/api/workflows', {
      method: 'POST',
      body: JSON.stringify({
        workflow_id: id,
        name,
        nodes: [{ node_id: 'N1', label: 'liste', screen_template: {} }],
        edges: [],
      }),
    });
    assert.strictEqual(wf.status, 201, JSON.stringify(wf.body));
  }
  async function createChain(name: string, workflowId: string): Promise<void> {
    const chain = await rt.json('/api/chains', {
      method: 'POST',
      body: JSON.stringify({ name, workflows: [workflowId] }),
    });
    assert.strictEqual(chain.status, 201, JSON.stringify(chain.body));
  }
  const text = () => page.innerText('body');
  const waitForText = (t: string | RegExp, timeout = 15_000) =>
    page.waitForFunction(
      (s) =>
        s.startsWith('/')
          ? new RegExp(s.slice(1, -1)).test(document.body.innerText)
          : document.body.innerText.includes(s),
      t instanceof RegExp ? t.toString() : t,
      { timeout },
    );

  /** A screenshot that is really the page: right size and not blank. */
  async function screenshot(name: string): Promise<string> {
    const file = path.join(shots, `${name}.png`);
    await page.screenshot({ path: file });
    const { width, height } = await sharp(file).metadata();
    assert.deepStrictEqual([width, height], [1600, 1300]);
    const stats = await sharp(file).stats();
    assert.ok(
      stats.channels.some((c) => c.stdev > 10),
      `${file} looks blank`,
    );
    return file;
  }

  it('both pages load with their panels in the browser language (English) and no console errors', async () => {
    await page.goto(`${rt.url}/dashboard/monitoring`);
    await waitForText('Recent executions');
    await waitForText(/Health score/);
    await waitForText(/(Healthy|Degraded|Unhealthy) — \d+\/100/);
    for (const label of [
      'Running workflow',
      'Executions over time',
      'Durations (s)',
      'Error rate',
      'Recent errors',
      'Download logs',
    ]) {
      assert.ok((await text()).includes(label), `${label} missing`);
    }
    await page.goto(`${rt.url}/dashboard/automation`);
    await waitForText(/Scheduler\s*(Running|Stopped)/);
    await waitForText('Chains and success rates');
    await waitForText('Active triggers');
    assert.doesNotMatch(await text(), /Planificateur|Déclencheurs/);
    assert.deepStrictEqual(consoleErrors, []);
  });

  it('shows the live progress of a running workflow, then its state, duration and success rate', async () => {
    await page.goto(`${rt.url}/dashboard/monitoring`);
    await waitForText('No running execution');
    await inject('rpa_ex_mon_start');
    await inject('rpa_ex_mon_step');
    await inject('rpa_ex_mon_step');
    await waitForText(/facturation — 50 % — step 2\/4 — ETA/);
    // the gauge comes from its own message, which may land after the progress
    await waitForText(/Active workflows\s*1/);
    await screenshot('running');
    await inject('rpa_ex_mon_end');
    await waitForText(/facturation\s+Succeeded\s+\d+\.\d s/);
    await waitForText(/1 executions \(24 h\) · 100\.0 % success/);
    assert.match(await text(), /facturation\s+1\s+100\.0 %/);
    await waitForText('No running execution');
    await screenshot('finished');
    assert.deepStrictEqual(consoleErrors, []);
  });

  it('lists the active triggers and the chains with their success rate', async () => {
    await importWorkflow('wf_dash', 'Saisie factures');
    const trigger = await rt.json<{ trigger_id: string }>('/api/triggers', {
      method: 'POST',
      body: JSON.stringify({ trigger_type: 'manual', workflow_id: 'wf_dash', config: {} }),
    });
    assert.strictEqual(trigger.status, 201, JSON.stringify(trigger.body));
    await createChain('Clôture mensuelle', 'wf_dash');
    await page.goto(`${rt.url}/dashboard/automation`);
    await waitForText(new RegExp(`${trigger.body.trigger_id}\\s+manual\\s+wf_dash`));
    await waitForText(/Clôture mensuelle\s+wf_dash\s+\S+\s+0\.0 %/);
    assert.match(await text(), /Active triggers\s*1 \/ 1/);
    assert.deepStrictEqual(consoleErrors, []);
  });

  it('stops and starts the scheduler from the automation page', async () => {
    await page.goto(`${rt.url}/dashboard/automation`);
    await waitForText(/Scheduler\s*Running/);
    await page.getByRole('button', { name: 'Stop' }).click();
    await waitForText(/Scheduler\s*Stopped/);
    assert.strictEqual((await rt.json<{ running: boolean }>('/api/automation/status')).body.running, false);
    await page.getByRole('button', { name: 'Start' }).click();
    await waitForText(/Scheduler\s*Running/);
    assert.strictEqual((await rt.json<{ running: boolean }>('/api/automation/status')).body.running, true);
    await screenshot('automation');
    assert.deepStrictEqual(consoleErrors, []);
  });

  it('shows the audit trail: who changed what, the scheduler buttons of the dashboard, an intact chain', async () => {
    await importWorkflow('wf_audit', 'Audit');
    await createChain('Audit chain', 'wf_audit');
    await page.goto(`${rt.url}/dashboard/automation`);
    await waitForText(/Scheduler\s*Running/);
    await page.getByRole('button', { name: 'Stop' }).click();
    await waitForText(/Scheduler\s*Stopped/);
    await page.getByRole('button', { name: 'Start' }).click();
    await waitForText(/Scheduler\s*Running/);
    await waitForText('Audit trail');
    await waitForText(/anonymous\s+workflow\.import\s+workflow:wf_audit/);
    await waitForText(/anonymous\s+chain\.create\s+chain:/);
    await waitForText(/dashboard\s+scheduler\.stop\s+scheduler/);
    await waitForText(/dashboard\s+scheduler\.start\s+scheduler/);
    await waitForText(/Chain\s*\d+ entries, intact/);
    assert.deepStrictEqual(consoleErrors, []);
  });

  it('the log download button downloads the ZIP of the logs', async () => {
    await page.goto(`${rt.url}/dashboard/monitoring`);
    await waitForText('Download logs');
    await inject('rpa_ex_mon_start');
    await inject('rpa_ex_mon_end');
    await waitForText(/facturation\s+Succeeded/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByText('Download logs').click()]);
    assert.match(download.suggestedFilename(), /^rpa-vision-logs-\d{8}T\d{6}Z\.zip$/);
    const file = path.join(shots, 'logs.zip');
    await download.saveAs(file);
    const files = readZip(fs.readFileSync(file));
    assert.deepStrictEqual(files.map((f) => f.name).sort(), ['error_logs.json', 'execution_logs.json', 'metrics.json']);
    const logs = JSON.parse(files.find((f) => f.name === 'execution_logs.json')!.data.toString()) as Array<{
      message: string;
    }>;
    assert.ok(
      logs.some((e) => /Workflow facturation succeeded/.test(e.message)),
      'the run this test made is in the logs',
    );
    // a range that ends before it starts is refused in the page, before any request
    await page.locator('input[type="datetime-local"]').nth(0).fill('2026-02-01T10:00');
    await page.locator('input[type="datetime-local"]').nth(1).fill('2026-01-01T10:00');
    await page.getByText('Download logs').click();
    await waitForText('Start is after end');
    assert.deepStrictEqual(consoleErrors, []);
  });

  it('in a French browser, every page speaks French only', async () => {
    const fr = await browser.newPage({ locale: 'fr-FR', viewport: { width: 1600, height: 1300 } });
    try {
      /** Texts still holding both languages, "français / English" (numbers such as "1 / 1" aside). */
      const bilingual = () =>
        fr.evaluate(() => {
          const found: string[] = [];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) {
            const t = walker.currentNode.nodeValue ?? '';
            if (/\p{L}[^/]* \/ [^/]*\p{L}/u.test(t)) found.push(t);
          }
          return found;
        });
      await fr.goto(`${rt.url}/dashboard/monitoring`);
      await fr.waitForFunction(() => document.body.innerText.includes('Exécutions récentes'));
      await fr.waitForFunction(() => /(Bon|Dégradé|Critique) — \d+\/100/.test(document.body.innerText));
      const monitoring = await fr.innerText('body');
      for (const label of [
        'Supervision',
        'Exécution en cours',
        'Durées (s)',
        "Taux d'erreur",
        'Télécharger les journaux',
      ])
        assert.ok(monitoring.includes(label), `${label} missing`);
      assert.doesNotMatch(monitoring, /Recent executions|Health score|Download logs|Monitoring/);
      assert.deepStrictEqual(await bilingual(), []);
      await fr.goto(`${rt.url}/dashboard/automation`);
      await fr.waitForFunction(() => /Planificateur\s*(En marche|Arrêté)/.test(document.body.innerText));
      await fr.waitForFunction(() => document.body.innerText.includes("Journal d'audit"));
      assert.doesNotMatch(await fr.innerText('body'), /Scheduler|Active triggers|Audit trail|Items per page/);
      assert.deepStrictEqual(await bilingual(), []);
      assert.strictEqual(await fr.evaluate(() => document.documentElement.lang), 'fr');
    } finally {
      await fr.close();
    }
    assert.deepStrictEqual(consoleErrors, []);
  });
});
