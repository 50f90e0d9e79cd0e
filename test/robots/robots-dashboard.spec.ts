/**
 * The dashboard's Robots page decides on jobs in doubt (the product with its default flows, its
 * own redis-server, scripted robot processes, headless Chromium): three robots are killed with -9
 * after acting, their jobs are in doubt; in English a person retries one from the start and
 * resumes one from a named screen (a new robot runs them), in French closes the third as failed
 * with a note. The API shows each decision.
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { spawn, type ChildProcess } from 'child_process';
import type { Page } from 'playwright-core';
import { RedisServer } from '../helpers/redis';
import { NodeRedRuntime } from '../helpers/runtime';
import { defaultFlows } from '../../scripts/userdir';
import { invoiceWorkflow } from '../execute/helpers';
import { launchChromium } from '../monitoring/helpers';
import type { JobView } from '../../lib/robots/orchestrator';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SCRIPT = path.join(__dirname, 'scripted-robot.js');

describe('dashboard Robots page: a person decides on jobs in doubt (Chromium, Redis)', function () {
  this.timeout(120_000);
  const redis = new RedisServer();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-robots-dash-'));
  let product: NodeRedRuntime;
  const robots: ChildProcess[] = [];
  const ids: string[] = [];

  const job = async (id: string) => (await product.json<JobView>(`/api/jobs/${id}`)).body;
  async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  async function startRobot(name: string): Promise<ChildProcess> {
    const robot = spawn(process.execPath, [SCRIPT, redis.url, name, 'desk', dir, '1500'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    robots.push(robot);
    await new Promise<void>((resolve) =>
      robot.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()),
    );
    return robot;
  }
  const card = (page: Page, id: string) => page.locator(`[data-job="${id}"]`);
  async function pick(page: Page, id: string, label: string, option: string): Promise<void> {
    await card(page, id).getByLabel(label).click({ force: true });
    await page.getByRole('option', { name: option }).click();
  }

  before(async () => {
    await redis.start();
    const [runtime, ...three] = await Promise.all([
      NodeRedRuntime.start({ flows: defaultFlows(ROOT), env: { RPA_VISION_BROKER: redis.url } }),
      startRobot('PC-1'),
      startRobot('PC-2'),
      startRobot('PC-3'),
    ]);
    product = runtime;
    const imported = await product.json('/api/workflows?approve=true', {
      method: 'POST',
      body: JSON.stringify(invoiceWorkflow()),
    });
    assert.strictEqual(imported.status, 201, JSON.stringify(imported.body));
    // Slow jobs, one per robot: each robot is killed once it has acted.
    for (let i = 0; i < 3; i++) {
      const r = await product.json<{ job_id: string }>('/api/jobs', {
        method: 'POST',
        body: JSON.stringify({ workflow_id: 'WF_validation_facture', params: { steps: 3, step_ms: 1500 } }),
      });
      ids.push(r.body.job_id);
    }
    await until('three robots acting', async () => (await Promise.all(ids.map(job))).every((j) => j.acted));
    for (const r of three) r.kill('SIGKILL');
    await until('three jobs in doubt', async () =>
      (await Promise.all(ids.map(job))).every((j) => j.state === 'in_doubt'),
    );
    await startRobot('PC-NEW');
  });

  after(async () => {
    for (const r of robots) r.kill('SIGKILL');
    await product?.stop();
    await redis.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('in English: retry one job from the start, resume another from a named screen', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ locale: 'en-US', viewport: { width: 1400, height: 1000 } });
      await page.goto(`${product.url}/dashboard/robots`);
      for (const id of ids) await card(page, id).waitFor();
      const [retried, resumed] = ids;

      await card(page, retried).getByRole('button', { name: 'Retry from the start' }).click();
      await page.getByText(`${retried}: queued again from the start`).waitFor();
      const first = await until('the retried job done', async () => {
        const j = await job(retried);
        return j.state === 'succeeded' && j;
      });
      assert.strictEqual(first.robot, 'PC-NEW');
      assert.strictEqual(first.attempts, 2);
      assert.strictEqual(first.resume_from, null);

      await pick(page, resumed, 'Screen to resume from', 'Popup confirmation (N4_popup_confirmation)');
      await card(page, resumed).getByRole('button', { name: 'Resume from this screen' }).click();
      await page.getByText(`${resumed}: queued again from N4_popup_confirmation`).waitFor();
      const second = await until('the resumed job done', async () => {
        const j = await job(resumed);
        return j.state === 'succeeded' && j;
      });
      assert.strictEqual(second.resume_from, 'N4_popup_confirmation');
      // Decided jobs leave the list; the third is still waiting for a person.
      await card(page, retried).waitFor({ state: 'detached' });
      assert.strictEqual(await card(page, ids[2]).count(), 1);
    } finally {
      await browser.close();
    }
  });

  it('en français : clore la troisième comme échouée, avec une note', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ locale: 'fr-FR', viewport: { width: 1400, height: 1000 } });
      await page.goto(`${product.url}/dashboard/robots`);
      const closed = ids[2];
      await card(page, closed).waitFor();
      await card(page, closed).getByRole('button', { name: 'Clore' }).click();
      await page.getByText('Choisissez une issue').waitFor();
      await pick(page, closed, 'Issue', 'échouée');
      await card(page, closed).getByLabel('Note (ce que vous avez vérifié)').fill('facture F-1002 vérifiée à la main');
      await card(page, closed).getByRole('button', { name: 'Clore' }).click();
      await page.getByText(`${closed}: close comme échouée`).waitFor();
      const j = await job(closed);
      assert.strictEqual(j.state, 'failed');
      assert.match(String(j.resolution), /closed by a person as failed: facture F-1002 vérifiée à la main/);
      await page.getByText('Aucune tâche incertaine.').waitFor();
      assert.doesNotMatch(await page.innerText('body'), /Retry from the start|Resume from this screen/);
    } finally {
      await browser.close();
    }
  });
});
