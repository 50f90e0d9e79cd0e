/**
 * The failure-policy checkbox in the real Node-RED editor (headless Chromium): an rpa-workflow
 * node of a flow saved before the setting shows it ticked; unticking it removes the failure
 * output, its wire goes and the questions' wire moves up to the second output; ticking it again
 * brings the failure output back before the questions. A one-output node (rpa-health) gains a
 * second output when ticked.
 */
import assert from 'assert';
import type { Browser, Page } from 'playwright-core';
import { NodeRedRuntime } from '../helpers/runtime';
import { launchChromium } from '../monitoring/helpers';

const FLOW = [
  { id: 'tab', type: 'tab', label: 'failures' },
  // As saved before the setting existed: no errorOutput, three wired outputs.
  {
    id: 'run',
    z: 'tab',
    type: 'rpa-workflow',
    workflow: '',
    mode: '',
    timeout: '',
    x: 200,
    y: 100,
    wires: [['ok'], ['bad'], ['ask']],
  },
  { id: 'health', z: 'tab', type: 'rpa-health', x: 200, y: 300, wires: [['checked']] },
  ...['ok', 'bad', 'ask', 'checked'].map((id, i) => ({
    id,
    z: 'tab',
    type: 'debug',
    name: id,
    active: false,
    x: 450,
    y: 60 + i * 80,
    wires: [],
  })),
];

type EditorRED = {
  editor: { edit(n: unknown): void };
  nodes: {
    node(id: string): { outputs: number; errorOutput?: boolean } | null;
    filterLinks(f: object): Array<{ sourcePort: number; target: { id: string } }>;
  };
};

describe('the failure output checkbox in the Node-RED editor (Chromium)', function () {
  this.timeout(120_000);
  let runtime: NodeRedRuntime;
  let browser: Browser;
  let page: Page;

  before(async () => {
    runtime = await NodeRedRuntime.start({ flows: FLOW });
    browser = await launchChromium();
    page = await browser.newPage({ locale: 'en-US', viewport: { width: 1600, height: 1000 } });
    await page.goto(runtime.url);
    await page.waitForFunction(() => !!(window as never as { RED?: EditorRED }).RED?.nodes?.node('run'), null, {
      timeout: 60_000,
    });
  });
  after(async () => {
    await browser?.close();
    await runtime?.stop();
  });

  /** Opens the node's dialog, sets the checkbox, saves; answers whether it was ticked before, and its label. */
  async function setFailureOutput(id: string, ticked: boolean): Promise<{ before: boolean; label: string }> {
    await page.evaluate((nodeId) => {
      const RED = (window as never as { RED: EditorRED }).RED;
      RED.editor.edit(RED.nodes.node(nodeId));
    }, id);
    const box = page.locator('#node-input-errorOutput');
    await box.waitFor({ state: 'visible' });
    const before = await box.isChecked();
    const label = await page.locator('label[for="node-input-errorOutput"]').innerText();
    await box.setChecked(ticked);
    await page.click('#node-dialog-ok');
    await page.waitForSelector('#node-input-errorOutput', { state: 'detached' });
    return { before, label };
  }

  /** The node's number of outputs and its wires as [output, target]. */
  function ports(id: string): Promise<{ outputs: number; wires: Array<[number, string]> }> {
    return page.evaluate((nodeId) => {
      const RED = (window as never as { RED: EditorRED }).RED;
      const node = RED.nodes.node(nodeId)!;
      const wires = RED.nodes
        .filterLinks({ source: node })
        .map((l) => [Number(l.sourcePort), l.target.id] as [number, string])
        .sort((a, b) => a[0] - b[0]);
      return { outputs: Number(node.outputs), wires };
    }, id);
  }

  it('a run node saved before the setting has it ticked; unticked, the questions become output 2', async () => {
    assert.deepStrictEqual(await ports('run'), {
      outputs: 3,
      wires: [
        [0, 'ok'],
        [1, 'bad'],
        [2, 'ask'],
      ],
    });
    assert.deepStrictEqual(await setFailureOutput('run', false), {
      before: true,
      label: 'Send failures to a failure output (else to Catch nodes)',
    });
    assert.deepStrictEqual(await ports('run'), {
      outputs: 2,
      wires: [
        [0, 'ok'],
        [1, 'ask'],
      ],
    });
  });

  it('ticked again, the failure output comes back before the questions, their wire with them', async () => {
    assert.strictEqual((await setFailureOutput('run', true)).before, false);
    assert.deepStrictEqual(await ports('run'), {
      outputs: 3,
      wires: [
        [0, 'ok'],
        [2, 'ask'],
      ],
    });
  });

  it('a one-output node gains a second output when ticked', async () => {
    assert.strictEqual((await setFailureOutput('health', true)).before, false);
    assert.deepStrictEqual(await ports('health'), { outputs: 2, wires: [[0, 'checked']] });
  });
});
