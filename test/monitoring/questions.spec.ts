/**
 * The dashboard's Questions and Coaching pages (flows/questions.json) in headless Chromium, with
 * the real Node-RED running the invoice workflow on the invoice application (Chromium --app on
 * Xvfb): a run in confirm mode waits on each step until Yes is clicked on the Questions page,
 * then validates the invoice; a run in coach mode shows its step outlined on the live screen of
 * the Coaching page, and the page moves to the next step once the person has done it.
 */
import assert from 'assert';
import path from 'path';
import type { Page } from 'playwright-core';
import { NodeRedRuntime } from '../helpers/runtime';
import { defaultFlows } from '../../scripts/userdir';
import { invoiceWorkflow, startInvoiceDesktop, type InvoiceDesktop } from '../execute/helpers';
import { launchChromium } from './helpers';

const ROOT = path.resolve(__dirname, '..', '..', '..');

interface Question {
  execution_id: string;
  workflow_id: string;
  kind: string;
  step: number;
  description: string;
  bbox: number[] | null;
  screenshot_url: string;
}

/** Two run nodes on the invoice workflow carried by a config node, one per mode, each with its inject. */
function runFlow(): unknown[] {
  const run = (mode: string) => [
    {
      id: `go_${mode}`,
      z: 'spec_tab',
      type: 'inject',
      props: [{ p: 'payload' }],
      payload: JSON.stringify({ commentaire: `Vu en mode ${mode}` }),
      payloadType: 'json',
      repeat: '',
      once: false,
      wires: [[`run_${mode}`]],
    },
    {
      id: `run_${mode}`,
      z: 'spec_tab',
      type: 'rpa-workflow',
      workflowConfig: 'spec_wf',
      workflow: '',
      mode,
      timeout: '',
      wires: [[], [], []],
    },
  ];
  return [
    { id: 'spec_tab', type: 'tab', label: 'spec' },
    { id: 'spec_wf', type: 'rpa-vision-workflow', name: 'Factures', graph: invoiceWorkflow() },
    ...run('confirm'),
    ...run('coach'),
  ];
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Waits for the image and the target's outline over it; fails unless the outline is drawn around
 * `bbox` (screen pixels, grown by 6) wherever the page scaled the image to. Returns the image's width.
 */
async function outlined(page: Page, image: string, box: string, bbox: number[]): Promise<number> {
  const handle = await page.waitForFunction(
    ([i, b]) => {
      const img = document.querySelector<HTMLImageElement>(i);
      const outline = document.querySelector<HTMLElement>(b);
      if (!img?.complete || !img.naturalWidth || !outline) return null;
      const r = img.getBoundingClientRect();
      const o = outline.getBoundingClientRect();
      return { natural: img.naturalWidth, scale: r.width / img.naturalWidth, x: o.x - r.x, y: o.y - r.y, w: o.width };
    },
    [image, box],
    { timeout: 30_000 },
  );
  const at = (await handle.jsonValue())!;
  const near = (a: number, b: number) => Math.abs(a - b) <= 2;
  assert.ok(
    near(at.x, (bbox[0] - 6) * at.scale) &&
      near(at.y, (bbox[1] - 6) * at.scale) &&
      near(at.w, (bbox[2] - bbox[0] + 12) * at.scale),
    `outline at ${JSON.stringify(at)}, target ${JSON.stringify(bbox)}`,
  );
  return at.natural;
}

describe('dashboard Questions and Coaching pages (invoice app on Xvfb, Chromium)', function () {
  this.timeout(300_000);
  let inv: InvoiceDesktop;
  let runtime: NodeRedRuntime;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  const questions = () => runtime.json<Question[]>('/rpa-vision/questions').then((r) => r.body);

  before(async () => {
    inv = await startInvoiceDesktop();
    runtime = await NodeRedRuntime.start({
      flows: [...defaultFlows(ROOT), ...runFlow()],
      env: { DISPLAY: inv.vd.display, RPA_VISION_RESOURCE_INTERVAL_S: '0' },
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await runtime?.stop();
    await inv?.stop();
  });

  it('a run in confirm mode waits; Yes on the Questions page makes it go on and validate the invoice', async () => {
    await inv.open('/', 'Factures');
    assert.strictEqual((await runtime.fetch('/inject/go_confirm', { method: 'POST' })).status, 200);
    const [first] = await until('the first question', 180_000, async () => {
      const q = await questions();
      return q.length ? q : undefined;
    });
    assert.strictEqual(first.kind, 'confirm');
    assert.strictEqual(first.workflow_id, 'WF_validation_facture');
    assert.strictEqual(first.step, 1);
    assert.ok(first.bbox, 'the target was found');
    // The Ouvrir button of F-1002, the first invoice to validate (the window is at 60,40).
    assert.ok(
      first.bbox[0] > 700 && first.bbox[2] < 950 && first.bbox[1] > 250 && first.bbox[3] < 400,
      JSON.stringify(first.bbox),
    );
    assert.deepStrictEqual(inv.app.state.events, [], 'nothing is done before the answer');

    const page = await browser.newPage({ locale: 'en-US', viewport: { width: 1400, height: 1000 } });
    await page.goto(`${runtime.url}/dashboard/questions`);
    const card = page.locator('.rpa-question[data-step="1"]');
    await card.waitFor({ timeout: 30_000 });
    assert.ok((await card.innerText()).includes(first.description), await card.innerText());
    const width = await outlined(page, '.rpa-question .rpa-shot-image', '.rpa-question .rpa-target', first.bbox);
    assert.strictEqual(width, 1920, 'the whole screen');
    // A French reader gets the same question in French only.
    const french = await browser.newPage({ locale: 'fr-FR' });
    await french.goto(`${runtime.url}/dashboard/questions`);
    const frCard = french.locator('.rpa-question[data-step="1"]');
    await frCard.waitFor({ timeout: 30_000 });
    assert.strictEqual(
      await frCard.locator('.rpa-question-description').innerText(),
      "cliquer sur l'élément de rôle « invoice_row » (règle first_pending)",
    );
    assert.strictEqual(
      await frCard.locator('.rpa-question-reason').innerText(),
      'Pourquoi : AUTO_CANDIDATE : confirmez chaque étape',
    );
    await french.close();

    // Each step asks in turn: open the invoice, write the comment, validate (F-1002 is under 100 €).
    for (const step of [1, 2, 3]) {
      const asking = page.locator(`.rpa-question[data-step="${step}"]`);
      await asking.waitFor({ timeout: 90_000 });
      await asking.getByRole('button', { name: 'Yes, do it' }).click();
      await asking.waitFor({ state: 'detached', timeout: 10_000 });
    }
    const record = await until('the run to end', 90_000, async () => {
      const r = await runtime.json<{ executions: Array<{ status: string; execution_id: string }> }>(
        '/api/analytics/executions?workflow_id=WF_validation_facture',
      );
      return r.body.executions.find((e) => e.execution_id === first.execution_id);
    });
    assert.strictEqual(record.status, 'success', runtime.log);
    const f1002 = inv.app.state.invoices.find((i) => i.id === 'F-1002')!;
    assert.strictEqual(f1002.status, 'Validée');
    assert.strictEqual(f1002.comment, 'Vu en mode confirm');
    assert.deepStrictEqual(await questions(), []);
    await page.getByText('No question is waiting').waitFor();

    const fr = await browser.newPage({ locale: 'fr-FR' });
    await fr.goto(`${runtime.url}/dashboard/questions`);
    await fr.getByText('Aucune question en attente').waitFor();
    assert.doesNotMatch(runtime.log, /\[error\]/, runtime.log);
  });

  it('the Coaching page outlines the step of a coaching run on the live screen and follows the person', async () => {
    await inv.open('/', 'Factures');
    const page = await browser.newPage({ locale: 'en-US', viewport: { width: 1400, height: 1000 } });
    await page.goto(`${runtime.url}/dashboard/coaching`);
    await page.getByText('No run is being coached').waitFor({ timeout: 30_000 });
    assert.strictEqual((await runtime.fetch('/inject/go_coach', { method: 'POST' })).status, 200);

    const step1 = page.locator('.rpa-coaching-step[data-step="1"]');
    await step1.waitFor({ timeout: 120_000 });
    const [coached] = (await runtime.json<Question[]>('/rpa-vision/coaching')).body;
    assert.strictEqual(coached.step, 1);
    assert.ok(coached.bbox, 'the target was found');
    assert.strictEqual(await step1.locator('.rpa-coaching-description').innerText(), coached.description);
    assert.strictEqual(await outlined(page, '.rpa-live-screen', '.rpa-target[data-step="1"]', coached.bbox), 1920);
    assert.deepStrictEqual(inv.app.state.events, ['validate F-1002'], 'coaching never acts');

    // The person opens the next pending invoice: the run sees it and shows a later step. (Writing the
    // comment leaves the same screen, so the run may already be at the step after.)
    await inv.open('/facture/F-1003', 'F-1003');
    const next = page.locator('.rpa-coaching-step:not([data-step="1"])');
    await next.waitFor({ timeout: 60_000 });
    const step = Number(await next.getAttribute('data-step'));
    await page.locator(`.rpa-target[data-step="${step}"]`).waitFor();
    assert.notStrictEqual(await next.locator('.rpa-coaching-description').innerText(), coached.description);
  });
});
