/**
 * With adminAuth configured (NODE_RED_ADMIN_USER / NODE_RED_ADMIN_PASSWORD_HASH), the
 * monitoring endpoints refuse requests without a token and serve them with one; the dashboard
 * asks for the same login (the browser's prompt) and then shows the scheduler (its nodes read
 * the runtime directly), and its log download button asks the user to log in to the editor,
 * then downloads with the editor's token.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import type { Browser } from 'playwright-core';
import { NodeRedRuntime } from '../helpers/runtime';
import { defaultFlows } from '../../scripts/userdir';
import { launchChromium, readZip } from './helpers';

const root = path.resolve(__dirname, '..', '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bcrypt = require('bcryptjs') as { hashSync(password: string, rounds: number): string };

describe('monitoring behind adminAuth', function () {
  this.timeout(90_000);
  let rt: NodeRedRuntime;
  let browser: Browser;

  before(async () => {
    rt = await NodeRedRuntime.start({
      flows: defaultFlows(root),
      env: {
        RPA_VISION_RESOURCE_INTERVAL_S: '0',
        NODE_RED_ADMIN_USER: 'admin',
        NODE_RED_ADMIN_PASSWORD_HASH: bcrypt.hashSync('s3cret-pw', 8),
      },
    });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await rt?.stop();
  });

  async function token(): Promise<string> {
    const res = await rt.fetch('/auth/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        client_id: 'node-red-admin',
        grant_type: 'password',
        scope: '*',
        username: 'admin',
        password: 's3cret-pw',
      }),
    });
    assert.strictEqual(res.status, 200);
    return ((await res.json()) as { access_token: string }).access_token;
  }

  it('refuses the monitoring endpoints without a token and serves them with one', async () => {
    for (const p of [
      '/metrics',
      '/api/logs',
      '/api/logs/download',
      '/api/health',
      '/api/analytics/executions',
      '/api/analytics/report',
    ]) {
      assert.strictEqual((await rt.fetch(p)).status, 401, p);
    }
    assert.strictEqual(
      (
        await rt.fetch('/api/logs', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{"message":"x"}',
        })
      ).status,
      401,
    );
    const auth = { Authorization: `Bearer ${await token()}` };
    const metrics = await rt.fetch('/metrics', { headers: auth });
    assert.strictEqual(metrics.status, 200);
    assert.match(await metrics.text(), /# TYPE workflow_executions_total counter/);
    assert.strictEqual((await rt.fetch('/api/health', { headers: auth })).status, 200);
  });

  it('the dashboard asks for the login, shows the scheduler, and downloads logs once the user has logged in to the editor', async () => {
    assert.strictEqual((await rt.fetch('/dashboard/automation')).status, 401);
    const context = await browser.newContext({
      locale: 'en-US',
      acceptDownloads: true,
      httpCredentials: { username: 'admin', password: 's3cret-pw' },
    });
    const page = await context.newPage();
    await page.goto(`${rt.url}/dashboard/automation`);
    await page.waitForFunction(() => /Scheduler\s*(Running|Stopped)/.test(document.body.innerText), undefined, {
      timeout: 15_000,
    });
    await page.goto(`${rt.url}/dashboard/monitoring`);
    const button = page.getByText('Download logs');
    await button.click();
    await page.waitForFunction(() => document.body.innerText.includes('Log in to the editor first'), undefined, {
      timeout: 10_000,
    });
    // what the editor stores in the browser when the user logs in
    const accessToken = await token();
    await page.evaluate(
      (t) =>
        localStorage.setItem(
          'auth-tokens',
          JSON.stringify({ access_token: t, expires_in: 604800, token_type: 'Bearer' }),
        ),
      accessToken,
    );
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    const file = path.join(rt.userDir, 'downloaded.zip');
    await download.saveAs(file);
    assert.deepStrictEqual(
      readZip(fs.readFileSync(file))
        .map((f) => f.name)
        .sort(),
      ['error_logs.json', 'execution_logs.json', 'metrics.json'],
    );
    await context.close();
  });
});
