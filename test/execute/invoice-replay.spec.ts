/**
 * End to end on a Chromium --app page of our own (the invoice application): a workflow whose
 * targets are described by meaning is replayed with a parameter value, first in the recorded
 * layout, then after the window was moved, resized and the application restyled — where the
 * confirmation dialog (which only sometimes appears) shows up and the branch follows it. The
 * result is checked in the application itself (its server state).
 */
import assert from 'assert';
import fs from 'fs';
import { ScreenObserver, WorkflowRunner, applyRunLearning, loadWorkflow } from '../../lib/execute';
import { invoiceWorkflow, tempDir, useInvoiceReplay, writeWorkflow } from './helpers';
import { initialInvoices } from '../fixtures/invoice-app/server';
import { getMonitoring, releaseMonitoring } from '../../lib/monitoring';
import { openStore } from '../../lib/store/store';
import type { Workflow, WorkflowEdge } from '../../lib/contracts/workflow';

/** The invoice workflow with a loop from the updated list back to the next pending invoice. */
function withNextInvoiceLoop(condition: NonNullable<WorkflowEdge['condition']>): Workflow {
  const workflow = invoiceWorkflow();
  workflow.edges.push({
    edge_id: 'E5_facture_suivante',
    from_node: 'N5_liste_factures_maj',
    to_node: 'N2_detail_facture',
    action: workflow.edges[0].action,
    condition,
  });
  return workflow;
}

describe('replay of the invoice workflow (Chromium app, Xvfb)', function () {
  this.timeout(180_000);
  const ctx = useInvoiceReplay();

  it('validates the first pending invoice with the comment given, every step verified', async () => {
    const shots = tempDir('rpa-exec-shots-');
    const dataDir = tempDir('rpa-exec-analytics-');
    const monitoring = getMonitoring(dataDir, () => openStore(dataDir), {
      resourceIntervalSeconds: 0,
      processMetrics: false,
    });
    const runner = new WorkflowRunner(invoiceWorkflow(), new ScreenObserver(ctx.desktop, ctx.vision), {
      params: { commentaire: 'Vu par Dr Alpha' },
      screenshotsDir: shots,
      analytics: monitoring.analytics,
    });
    const record = await runner.run();
    // The analytics hooks saw the execution, step by step (seed: analytics-integration-guide.md).
    await monitoring.flush();
    const [stored] = await monitoring.analytics.executions({ workflow_id: 'WF_validation_facture' });
    await releaseMonitoring(dataDir);
    assert.strictEqual(stored.execution_id, record.execution_id);
    assert.strictEqual(stored.status, 'success');
    assert.strictEqual(stored.steps.length, 3);
    assert.ok(stored.steps.every((s) => s.success));
    assert.strictEqual(record.status, 'success', JSON.stringify(record.failure));
    assert.ok(record.verified);
    assert.deepStrictEqual(
      record.steps.map((s) => [s.edge_id, s.verification?.node_id]),
      [
        ['E1_ouvrir_facture', 'N2_detail_facture'],
        ['E2_saisir_commentaire', 'N2_detail_facture'],
        ['E3_valider', 'N5_liste_factures_maj'],
      ],
    );
    const f1002 = ctx.inv.app.state.invoices.find((i) => i.id === 'F-1002')!;
    assert.strictEqual(f1002.status, 'Validée');
    assert.strictEqual(f1002.comment, 'Vu par Dr Alpha');
    assert.deepStrictEqual(ctx.inv.app.state.events, ['validate F-1002']);
    for (const s of record.steps) {
      assert.ok(s.screenshots.before && fs.existsSync(s.screenshots.before), `before screenshot of ${s.edge_id}`);
      assert.ok(s.screenshots.after && fs.existsSync(s.screenshots.after), `after screenshot of ${s.edge_id}`);
    }
  });

  it('replays after the window was moved, resized and restyled, and confirms the dialog when it appears', async () => {
    await ctx.inv.moveResize(480, 160, 1250, 860);
    ctx.inv.app.setTheme('restyled');
    await ctx.inv.open('/', 'Factures');
    const workflow = invoiceWorkflow();
    const runner = new WorkflowRunner(workflow, new ScreenObserver(ctx.desktop, ctx.vision), {
      params: { commentaire: 'Controle B2' },
    });
    const record = await runner.run();
    assert.strictEqual(record.status, 'success', JSON.stringify(record.failure));
    // F-1003 is above 100 €: this time the confirmation dialog appeared and the branch took it.
    assert.deepStrictEqual(
      record.steps.map((s) => s.verification?.node_id),
      ['N2_detail_facture', 'N2_detail_facture', 'N4_popup_confirmation', 'N5_liste_factures_maj'],
    );
    const f1003 = ctx.inv.app.state.invoices.find((i) => i.id === 'F-1003')!;
    assert.strictEqual(f1003.status, 'Validée');
    assert.strictEqual(f1003.comment, 'Controle B2');
    assert.deepStrictEqual(ctx.inv.app.state.events, ['validate F-1002', 'validate F-1003']);
    // The runner left the workflow alone and returned what worked for each edge.
    assert.strictEqual(workflow.edges.find((e) => e.edge_id === 'E3_valider')!.stats, undefined);
    applyRunLearning(workflow, runner.learned);
    const e3 = workflow.edges.find((e) => e.edge_id === 'E3_valider')!;
    assert.strictEqual(e3.stats?.success_count, 1);
    assert.ok((e3.metadata?.healing as { preferred_strategy?: string })?.preferred_strategy);
  });

  it("loops over the pending invoices while there is one, up to the loop's maximum", async () => {
    ctx.inv.app.reset(initialInvoices().map((i) => (i.id === 'F-1004' ? { ...i, status: 'À valider' as const } : i)));
    await ctx.inv.open('/', 'Factures');
    const workflow = withNextInvoiceLoop({ type: 'while', expression: 'visible("À valider")', max_iterations: 1 });
    const record = await new WorkflowRunner(workflow, new ScreenObserver(ctx.desktop, ctx.vision), {
      params: { commentaire: 'Lot' },
    }).run();
    assert.strictEqual(record.status, 'success', JSON.stringify(record.failure));
    assert.deepStrictEqual(
      record.steps.map((s) => s.edge_id),
      [
        'E1_ouvrir_facture',
        'E2_saisir_commentaire',
        'E3_valider',
        'E5_facture_suivante',
        'E2_saisir_commentaire',
        'E3_valider',
        'E4_confirmer',
      ],
    );
    // One pass through the loop, as its maximum says: the third pending invoice is left alone.
    assert.deepStrictEqual(ctx.inv.app.state.events, ['validate F-1002', 'validate F-1003']);
    assert.strictEqual(ctx.inv.app.state.invoices.find((i) => i.id === 'F-1003')!.comment, 'Lot');
    assert.strictEqual(ctx.inv.app.state.invoices.find((i) => i.id === 'F-1004')!.status, 'À valider');
    // The record says the maximum, not the condition, ended the loop.
    assert.deepStrictEqual(record.loops_stopped_at_max, [
      { edge_id: 'E5_facture_suivante', max_iterations: 1, condition: 'while visible("À valider")' },
    ]);
    assert.deepStrictEqual(record.steps[3].loop, {
      iteration: 1,
      max_iterations: 1,
      condition: 'while visible("À valider")',
    });
  });

  it('goes round an "until" loop until its expression holds on the screen, well before its maximum', async () => {
    ctx.inv.app.reset(
      initialInvoices().map((i) =>
        i.id === 'F-1003'
          ? { ...i, status: 'Validée' as const }
          : i.id === 'F-1004'
            ? { ...i, status: 'À valider' as const }
            : i,
      ),
    );
    await ctx.inv.open('/', 'Factures');
    const workflow = withNextInvoiceLoop({ type: 'until', expression: 'count("À valider") == 0', max_iterations: 5 });
    const record = await new WorkflowRunner(workflow, new ScreenObserver(ctx.desktop, ctx.vision), {
      params: { commentaire: 'Tout' },
    }).run();
    assert.strictEqual(record.status, 'success', JSON.stringify(record.failure));
    assert.deepStrictEqual(
      record.steps.map((s) => s.edge_id),
      [
        'E1_ouvrir_facture',
        'E2_saisir_commentaire',
        'E3_valider',
        'E5_facture_suivante',
        'E2_saisir_commentaire',
        'E3_valider',
      ],
    );
    assert.deepStrictEqual(ctx.inv.app.state.events, ['validate F-1002', 'validate F-1004']);
    assert.strictEqual(record.loops_stopped_at_max, undefined, 'the condition ended the loop');
  });

  it('runs a sub-workflow at its entry edge and goes on once its result is verified', async () => {
    ctx.inv.app.reset();
    await ctx.inv.open('/', 'Factures');
    const dir = tempDir('rpa-exec-sub-');
    // The comment typing as its own reusable workflow.
    const sub = invoiceWorkflow();
    sub.workflow_id = 'SUB_commentaire';
    sub.entry_nodes = ['N2_detail_facture'];
    sub.end_nodes = ['N2_detail_facture'];
    sub.edges = sub.edges.filter((e) => e.edge_id === 'E2_saisir_commentaire');
    writeWorkflow(sub, dir);
    const main = invoiceWorkflow();
    main.sub_workflows = [{ sub_workflow_id: 'SUB_commentaire', entry_edge: 'E2_saisir_commentaire' }];
    const record = await new WorkflowRunner(main, new ScreenObserver(ctx.desktop, ctx.vision), {
      params: { commentaire: 'Via sous-workflow' },
      loadWorkflow: (ref) => loadWorkflow(ref, { baseDir: dir }).workflow,
    }).run();
    assert.strictEqual(record.status, 'success', JSON.stringify(record.failure));
    assert.deepStrictEqual(
      record.steps[1].sub_workflow && {
        id: record.steps[1].sub_workflow.workflow_id,
        status: record.steps[1].sub_workflow.status,
      },
      { id: 'SUB_commentaire', status: 'success' },
    );
    assert.strictEqual(ctx.inv.app.state.invoices.find((i) => i.id === 'F-1002')!.comment, 'Via sous-workflow');
    assert.deepStrictEqual(ctx.inv.app.state.events, ['validate F-1002']);
  });
});
