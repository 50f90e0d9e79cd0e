/**
 * The whole pipeline on the invoice application, as a user does it: three demonstrations
 * recorded with the real recorder while xdotool plays the person (a different comment each
 * time; the confirmation dialog appears in two of them, for the amounts above 100 €),
 * `rpa-vision learn` turning them into a graph (the comment a parameter, the dialog a branch),
 * then that LEARNED graph replayed with another comment after the window was moved, resized
 * and the application restyled — the result checked in the application's own state.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { execFile } from 'child_process';
import { promisify } from 'util';
import { ScreenObserver, WorkflowRunner } from '../../lib/execute';
import { validateWorkflow } from '../../lib/contracts/validate';
import type { Workflow, WorkflowAction } from '../../lib/contracts/workflow';
import { initialInvoices, type Invoice } from '../fixtures/invoice-app/server';
import { recordWith } from '../graph/helpers/order-app';
import { tempDir, useInvoiceReplay } from './helpers';

const execFileAsync = promisify(execFile);
const CLI = path.resolve(__dirname, '..', '..', 'bin', 'rpa-vision.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Points of the classic layout, in page pixels from the window's top-left (measured once). */
const PAGE = {
  /** "Ouvrir" on the second row of the list. */
  ouvrirRow2: [770, 286],
  commentaire: [468, 301],
  valider: [117, 369],
  ouiValider: [426, 354],
} as const;

/** The list of one demonstration: a single invoice to validate, on the second row. */
function listWith(pending: Pick<Invoice, 'id' | 'patient' | 'amount'>): Invoice[] {
  const [first, , third, fourth] = initialInvoices();
  return [first, { ...pending, status: 'À valider', comment: '' }, { ...third, status: 'Validée' }, fourth];
}

const DEMOS = [
  { invoice: { id: 'F-1002', patient: 'Durand Paul', amount: 85.5 }, comment: 'Vu par Dr Alpha' },
  { invoice: { id: 'F-1005', patient: 'Roux Nina', amount: 310 }, comment: 'Controle B2' },
  { invoice: { id: 'F-1006', patient: 'Girard Paul', amount: 190 }, comment: 'RAS' },
];

function stepsOf(action: WorkflowAction): WorkflowAction[] {
  return action.type === 'compound' ? (action.steps ?? []) : [action];
}

describe('learned invoice workflow: recorded, learned, replayed restyled (Chromium app, Xvfb)', function () {
  this.timeout(300_000);
  const ctx = useInvoiceReplay();
  const wfFile = path.join(tempDir('rpa-exec-learned-'), 'invoice.json');
  const demoDirs: string[] = [];
  let workflow: Workflow;

  /** The person: open the pending invoice, write the comment, validate, confirm if asked. */
  async function demonstrate(comment: string, dialog: boolean): Promise<void> {
    const vd = ctx.inv.vd;
    const click = async (p: readonly [number, number]) => {
      await vd.click(60 + p[0], 40 + p[1]);
      await sleep(400);
    };
    await click(PAGE.ouvrirRow2);
    await sleep(900);
    await click(PAGE.commentaire);
    await vd.type(comment, 25);
    await sleep(300);
    await click(PAGE.valider);
    await sleep(1000);
    if (dialog) {
      await click(PAGE.ouiValider);
      await sleep(1000);
    }
    // The hand moves on: the recorder sees the final screen once more.
    await vd.xdotool(['mousemove_relative', '--', '60', '40']);
    await sleep(200);
  }

  before(async () => {
    for (const demo of DEMOS) {
      ctx.inv.app.reset(listWith(demo.invoice));
      await ctx.inv.open('/', 'Factures');
      demoDirs.push(await recordWith(ctx.inv.vd, () => demonstrate(demo.comment, demo.invoice.amount > 100)));
      const done = ctx.inv.app.state.invoices.find((i) => i.id === demo.invoice.id)!;
      assert.deepStrictEqual(
        [done.status, done.comment],
        ['Validée', demo.comment],
        `demonstration ${demo.invoice.id} was done`,
      );
    }
  });

  it('learns the comment as a parameter and the sometimes-shown dialog as a branch', async () => {
    const { stdout } = await execFileAsync(
      process.execPath,
      [CLI, 'learn', ...demoDirs, '--out', wfFile, '--name', 'Validation facture', '--json'],
      {
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, DISPLAY: '' },
      },
    );
    assert.strictEqual(JSON.parse(stdout).instances, 3, stdout);
    workflow = validateWorkflow(JSON.parse(fs.readFileSync(wfFile, 'utf8')), wfFile);
    const describe = JSON.stringify({
      nodes: workflow.nodes.map((n) => n.label),
      edges: workflow.edges.map((e) => [e.from_node, e.to_node ?? e.to_node_candidates]),
    });
    // The typed comment differed every time: a parameter, its default the first comment.
    assert.deepStrictEqual(
      workflow.parameters?.map((p) => p.default),
      ['Vu par Dr Alpha'],
      describe,
    );
    const param = workflow.parameters![0].name;
    const typing = workflow.edges.flatMap((e) => stepsOf(e.action)).find((s) => s.type === 'type_text')!;
    assert.strictEqual(typing.text, `{{${param}}}`);
    // Validating leads to the dialog (2 of 3) or straight back to the list: a branch.
    const branch = workflow.edges.find((e) => e.to_node_candidates?.length === 2);
    assert.ok(branch, `a branching edge: ${describe}`);
    // The list the task starts on is where it ends too: validating sends the user back to it.
    assert.deepStrictEqual(workflow.end_nodes, workflow.entry_nodes, describe);
    const dialog = branch.to_node_candidates!.find((n) => !workflow.entry_nodes!.includes(n))!;
    assert.ok(
      workflow.nodes
        .find((n) => n.node_id === dialog)!
        .screen_template.required_text_any!.some((t) => /Confirmer la validation/.test(t)),
      describe,
    );
    assert.strictEqual(branch.branching?.learned_probability?.[dialog], 0.667);
    const confirm = workflow.edges.find((e) => e.from_node === dialog)!;
    assert.match(String(stepsOf(confirm.action)[0].target?.text), /Oui/);
    assert.strictEqual(workflow.learning?.state, 'OBSERVATION');
  });

  it('replays the learned graph with another comment after the window moved, resized and the page was restyled', async () => {
    assert.ok(workflow, 'learned by the previous test');
    // Another pending invoice, above 100 € (the dialog will appear), on another row.
    const [first, second, , fourth] = initialInvoices();
    ctx.inv.app.reset([
      first,
      { ...second, status: 'Validée' },
      { id: 'F-1007', patient: 'Lambert Zoé', amount: 520, status: 'À valider', comment: '' },
      fourth,
    ]);
    ctx.inv.app.setTheme('restyled');
    await ctx.inv.moveResize(420, 150, 1380, 900);
    await ctx.inv.open('/', 'Factures');
    const param = workflow.parameters![0].name;
    const record = await new WorkflowRunner(workflow, new ScreenObserver(ctx.desktop, ctx.vision), {
      params: { [param]: 'Relu par Dr Zoe' },
      // The person who just recorded the task tries it at once (logged operator override).
      mode: 'auto',
      operatorOverride: true,
      learn: false,
      workflowFile: wfFile,
      screenshotsDir: tempDir('rpa-exec-learned-shots-'),
    }).run();
    assert.strictEqual(record.status, 'success', JSON.stringify(record.failure));
    assert.ok(record.verified);
    const f1007 = ctx.inv.app.state.invoices.find((i) => i.id === 'F-1007')!;
    assert.deepStrictEqual([f1007.status, f1007.comment], ['Validée', 'Relu par Dr Zoe']);
    assert.deepStrictEqual(ctx.inv.app.state.events, ['validate F-1007']);
    assert.deepStrictEqual(ctx.inv.app.state.deleted, []);
    // Found where the window is now, and the branch followed the dialog this time.
    assert.ok(record.steps[0].targets[0].point[0] > 420, JSON.stringify(record.steps[0].targets));
    const branch = workflow.edges.find((e) => e.to_node_candidates?.length === 2)!;
    const dialog = branch.to_node_candidates!.find((n) => !workflow.entry_nodes!.includes(n))!;
    assert.deepStrictEqual(
      record.steps.map((s) => s.verification?.node_id),
      [branch.from_node, dialog, workflow.entry_nodes![0]],
      JSON.stringify(record.steps.map((s) => [s.edge_id, s.verification])),
    );
    assert.strictEqual(record.end_node, workflow.entry_nodes![0], 'back on the list, where the task started');
  });
});
