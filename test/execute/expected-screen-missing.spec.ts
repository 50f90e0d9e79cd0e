/**
 * When the expected screen never comes, the run stops there: status "failed", the failure point
 * (edge, node, step), what was seen, the screenshot of that moment — and no further action.
 */
import assert from 'assert';
import fs from 'fs';
import { ScreenObserver, WorkflowRunner } from '../../lib/execute';
import { invoiceWorkflow, tempDir, useInvoiceReplay } from './helpers';

describe('replay: the expected screen never comes (Chromium app, Xvfb)', function () {
  this.timeout(120_000);
  const ctx = useInvoiceReplay();

  it('stops with status failed at the step, with the screenshot, and does nothing more', async () => {
    const workflow = invoiceWorkflow();
    workflow.nodes.push({
      node_id: 'N_attendu',
      label: 'Écran attendu',
      screen_template: { required_text_any: ['Écran qui ne vient jamais'] },
    });
    const e1 = workflow.edges.find((e) => e.edge_id === 'E1_ouvrir_facture')!;
    e1.to_node = 'N_attendu';
    e1.post_conditions = { expected_node: 'N_attendu', min_similarity: 0.8, timeout_seconds: 3 };
    // From the missing screen the workflow would go on typing and validating.
    workflow.edges.find((e) => e.edge_id === 'E2_saisir_commentaire')!.from_node = 'N_attendu';
    const shots = tempDir('rpa-exec-fail-');
    const record = await new WorkflowRunner(workflow, new ScreenObserver(ctx.desktop, ctx.vision), {
      screenshotsDir: shots,
    }).run();
    assert.strictEqual(record.status, 'failed');
    assert.strictEqual(record.verified, false);
    assert.strictEqual(record.failure?.kind, 'unexpected_screen');
    assert.strictEqual(record.failure?.edge_id, 'E1_ouvrir_facture');
    assert.strictEqual(record.failure?.node_id, 'N1_liste_factures');
    assert.strictEqual(record.failure?.step, 1);
    assert.match(record.failure!.message, /N_attendu/);
    assert.match(record.failure!.seen!, /N2_detail_facture/, 'says what was seen instead');
    assert.ok(record.failure!.screenshot && fs.existsSync(record.failure!.screenshot), 'the screenshot was saved');
    assert.strictEqual(record.steps.length, 1, 'no further step');
    assert.strictEqual(record.steps[0].status, 'failed');
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepStrictEqual(ctx.inv.app.state.events, [], 'nothing was validated');
    assert.strictEqual(ctx.inv.app.state.invoices.find((i) => i.id === 'F-1002')!.comment, '', 'nothing was typed');
  });
});
