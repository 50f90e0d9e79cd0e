/**
 * The workflow config in the real Node-RED editor (headless Chromium): a flow exported by
 * `rpa-vision flow` deploys with every node valid (no "not properly configured" warning), the
 * match node's Screen and the execute-edge's Step are lists built from the config's workflow,
 * and the new nodes speak French to a French browser.
 */
import assert from 'assert';
import type { Browser, Page } from 'playwright-core';
import { NodeRedRuntime } from '../helpers/runtime';
import { launchChromium } from '../monitoring/helpers';
import { workflowToFlow, type FlowNode } from '../../lib/graph';
import { FIXTURE_DIR, invoiceWorkflow } from './helpers';
import type { Workflow } from '../../lib/contracts/workflow';
import { stepsOfAction as stepsOf } from '../../lib/graph/action-steps';

describe('the workflow config in the Node-RED editor (Chromium)', function () {
  this.timeout(120_000);
  const workflow = invoiceWorkflow();
  const flow = workflowToFlow(workflow, { baseDir: FIXTURE_DIR, mode: 'auto' });
  const config = flow.find((n) => n.type === 'rpa-vision-workflow')!;
  let runtime: NodeRedRuntime;
  let browser: Browser;

  before(async () => {
    runtime = await NodeRedRuntime.start({ flows: flow });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await runtime?.stop();
  });

  async function editor(locale: string): Promise<Page> {
    const page = await browser.newPage({ locale, viewport: { width: 1600, height: 1000 } });
    await page.goto(runtime.url);
    await page.waitForFunction(
      (id) => !!(window as never as { RED?: { nodes: { node(id: string): unknown } } }).RED?.nodes?.node(id),
      config.id,
      {
        timeout: 60_000,
      },
    );
    return page;
  }

  /** The values of a select of a node's edit dialog. */
  async function listIn(page: Page, node: FlowNode, select: string): Promise<string[]> {
    await page.evaluate((id) => {
      const RED = (
        window as never as { RED: { editor: { edit(n: unknown): void }; nodes: { node(id: string): unknown } } }
      ).RED;
      RED.editor.edit(RED.nodes.node(id));
    }, node.id);
    await page.waitForSelector(
      `${select} option[value="${String(node[select === '#node-input-node' ? 'node' : 'edgeId'])}"]`,
      {
        state: 'attached',
      },
    );
    const values = await page.$$eval(`${select} option`, (os) => os.map((o) => (o as HTMLOptionElement).value));
    const chosen = await page.$eval(select, (s) => (s as HTMLSelectElement).value);
    await page.evaluate(() => (window as never as { RED: { tray: { close(): void } } }).RED.tray.close());
    await page.waitForTimeout(400);
    return [chosen, ...values];
  }

  it("deploys the exported flow with every node valid, and offers the workflow's screens and steps as lists", async () => {
    const page = await editor('en-US');
    const invalid = await page.evaluate(() => {
      const RED = (
        window as never as {
          RED: {
            nodes: {
              eachNode(f: (n: { valid: boolean; type: string; id: string }) => void): void;
              eachConfig(f: (n: { valid: boolean; type: string; id: string }) => void): void;
            };
          };
        }
      ).RED;
      const bad: string[] = [];
      RED.nodes.eachNode((n) => void (n.valid === false && bad.push(`${n.type} ${n.id}`)));
      RED.nodes.eachConfig((n) => void (n.valid === false && bad.push(`${n.type} ${n.id}`)));
      return bad;
    });
    assert.deepStrictEqual(invalid, []);

    const match = flow.find((n) => n.type === 'rpa-match-node')!;
    const [chosenScreen, ...screens] = await listIn(page, match, '#node-input-node');
    assert.strictEqual(chosenScreen, match.node);
    assert.deepStrictEqual(screens, ['', ...workflow.nodes.map((n) => n.node_id)]);

    const step = flow.find((n) => n.type === 'rpa-execute-edge')!;
    const [chosenStep, ...steps] = await listIn(page, step, '#node-input-edgeId');
    assert.strictEqual(chosenStep, step.edgeId);
    assert.deepStrictEqual(steps, ['', ...workflow.edges.map((e) => e.edge_id)]);
    await page.close();
  });

  it('lets a person set the rule of a step that needs one in the config dialog; a bad rule is refused in words', async () => {
    const page = await editor('en-US');
    const unruled = structuredClone(workflow);
    unruled.workflow_id = 'validate-invoice-unruled';
    const open = unruled.edges.find((e) => e.edge_id === 'E1_ouvrir_facture')!;
    open.action.target!.selection_policy = 'needs_rule';
    open.metadata = {
      ...(open.metadata ?? {}),
      choice_rules: [{ step: 0, policy: 'needs_rule', also_consistent: [], demonstrations: 2, set_by: 'learner' }],
    };
    const id = await page.evaluate((graph) => {
      const RED = (
        window as never as {
          RED: {
            nodes: { id(): string; import(n: unknown[]): void; node(id: string): unknown };
            editor: { editConfig(...a: unknown[]): void };
          };
        }
      ).RED;
      const configId = RED.nodes.id();
      RED.nodes.import([{ id: configId, type: 'rpa-vision-workflow', name: 'unruled', graph }]);
      RED.editor.editConfig('', 'rpa-vision-workflow', configId);
      return configId;
    }, unruled);
    const row = page.locator('.rpa-vision-workflow-rule[data-edge="E1_ouvrir_facture"]');
    await row.getByText('needs a rule').waitFor();

    await row.locator('input').fill('the second one');
    await row.locator('button').click();
    await page.locator('.red-ui-notification', { hasText: 'is not a selection rule' }).waitFor();

    await row.locator('input').fill('status:À valider');
    await row.locator('button').click();
    await row.getByText('rule: status:À valider').waitFor();
    await page.locator('#node-config-dialog-ok').click();
    const saved = await page.evaluate(
      (configId) =>
        (window as never as { RED: { nodes: { node(id: string): { graph: Workflow } } } }).RED.nodes.node(configId)
          .graph,
      id,
    );
    const edge = saved.edges.find((e) => e.edge_id === 'E1_ouvrir_facture')!;
    assert.strictEqual(stepsOf(edge.action)[0].target!.selection_policy, 'status:À valider');
    assert.strictEqual(edge.metadata!.choice_rules![0].set_by, 'person');
    await page.close();
  });

  it('sets a rule on the live copy through the admin API, keeping its runs, and records who did it', async () => {
    const live = (await runtime.json<Workflow>(`/api/workflows/${workflow.workflow_id}`)).body;
    const post = (body: unknown) =>
      runtime.json<{ saved: boolean; workflow: Workflow; message?: string }>(
        `/api/workflows/${workflow.workflow_id}/choice-rule`,
        { method: 'POST', body: JSON.stringify(body) },
      );
    const bad = await post({ edge: 'E1_ouvrir_facture', policy: 'row_with:{{patient}}' });
    assert.strictEqual(bad.status, 400);
    assert.match(bad.body.message!, /parameter patient, which the workflow does not have/);
    const none = await post({ edge: 'E9', policy: 'first' });
    assert.strictEqual(none.status, 400);
    assert.match(none.body.message!, /has no step "E9"/);

    const ok = await post({ edge: 'E1_ouvrir_facture', policy: 'row_with:{{commentaire}}' });
    assert.strictEqual(ok.status, 200, JSON.stringify(ok.body));
    assert.strictEqual(ok.body.saved, true);
    const after = (await runtime.json<Workflow>(`/api/workflows/${workflow.workflow_id}`)).body;
    const target = stepsOf(after.edges.find((e) => e.edge_id === 'E1_ouvrir_facture')!.action)[0].target!;
    assert.strictEqual(target.selection_policy, 'row_with:{{commentaire}}');
    assert.deepStrictEqual(after.stats, live.stats);
    const audit = (await runtime.json<{ entries: Array<{ action: string; detail?: string }> }>('/api/audit?limit=20'))
      .body;
    assert.ok(
      audit.entries.some((e) => e.action === 'workflow.rule' && /row_with/.test(e.detail ?? '')),
      JSON.stringify(audit.entries.map((e) => e.action)),
    );
  });

  it('labels rpa-learn and the workflow config in French for a French browser', async () => {
    const page = await editor('fr-FR');
    const texts = await page.evaluate(() => {
      const RED = (window as never as { RED: { _(k: string): string } }).RED;
      return [
        RED._('node-red-contrib-rpa-vision/rpa-learn:rpa-learn.paletteLabel'),
        RED._('node-red-contrib-rpa-vision/rpa-vision-workflow:rpa-vision-workflow.label.live'),
      ];
    });
    assert.deepStrictEqual(texts, ['apprendre', 'Copie vivante']);
    await page.close();
  });
});
