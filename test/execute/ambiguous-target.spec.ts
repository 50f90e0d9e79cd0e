/**
 * Never guess at run time (issue 15): "Ouvrir" near "À valider" stands on two rows of the
 * invoice list and no selection rule says which. Alone (AUTO_CONFIRMED), the run stops with
 * `ambiguous_target` listing both and clicks nothing; in AUTO_CANDIDATE it asks the person.
 * Checked in the application: no invoice was opened, the pointer did not move.
 */
import assert from 'assert';
import { ScreenObserver, WorkflowRunner, type HumanGate, type StepPrompt } from '../../lib/execute';
import type { Workflow } from '../../lib/contracts/workflow';
import { initialInvoices } from '../fixtures/invoice-app/server';
import { invoiceWorkflow, useInvoiceReplay } from './helpers';

/** The invoice workflow's first step as a learner without a selection rule would describe it. */
function openPendingWithoutRule(): Workflow {
  const workflow = invoiceWorkflow();
  return {
    ...workflow,
    workflow_id: 'WF_open_pending_no_rule',
    entry_nodes: ['N1_liste_factures'],
    end_nodes: ['N2_detail_facture'],
    edges: [
      {
        edge_id: 'E1_ouvrir',
        from_node: 'N1_liste_factures',
        to_node: 'N2_detail_facture',
        action: { type: 'mouse_click', target: { text: 'Ouvrir', type: 'button', near: 'À valider' } },
        constraints: { max_delay_seconds: 3 },
      },
    ],
  };
}

describe('an ambiguous target is never guessed (Chromium app, Xvfb)', function () {
  this.timeout(120_000);
  const ctx = useInvoiceReplay();
  beforeEach(async () => {
    ctx.inv.app.reset(initialInvoices());
    await ctx.inv.open('/', 'Factures');
  });

  it('AUTO_CONFIRMED fails with ambiguous_target listing both rows, and clicks nothing', async () => {
    const pointer = await ctx.inv.mouse();
    const record = await new WorkflowRunner(openPendingWithoutRule(), new ScreenObserver(ctx.desktop, ctx.vision), {
      mode: 'auto',
    }).run();
    assert.strictEqual(record.status, 'failed');
    assert.strictEqual(record.failure?.kind, 'ambiguous_target', record.failure?.message);
    const candidates = record.failure!.candidates!;
    assert.ok(candidates.length >= 2, JSON.stringify(candidates));
    assert.ok(
      candidates.every((c) => /ouvrir/i.test(c.label)),
      JSON.stringify(candidates),
    );
    // The two candidates are on two different rows.
    assert.ok(Math.abs(candidates[0].bbox[1] - candidates[1].bbox[1]) > 10, JSON.stringify(candidates));
    assert.match(record.failure!.message, /selection policy/);
    // The application is the judge: nothing opened, nothing validated, the pointer never moved.
    assert.deepStrictEqual(ctx.inv.app.state.events, []);
    assert.deepStrictEqual(await ctx.inv.mouse(), pointer);
    assert.match(await ctx.inv.vd.xdotool(['getwindowname', ctx.inv.windowId]), /Factures/);
  });

  it('AUTO_CANDIDATE asks the person to do the step, naming the candidates, and acts on none', async () => {
    const asked: StepPrompt[] = [];
    let confirmations = 0;
    const human: HumanGate = {
      confirm: async () => {
        confirmations++;
        return true;
      },
      coach: (p) => void asked.push(p),
      unexpected: async () => 'abort',
    };
    const pointer = await ctx.inv.mouse();
    const record = await new WorkflowRunner(openPendingWithoutRule(), new ScreenObserver(ctx.desktop, ctx.vision), {
      mode: 'confirm',
      human,
      humanTimeoutMs: 1500,
    }).run();
    assert.strictEqual(asked.length, 1, JSON.stringify(record.failure));
    assert.match(asked[0].reason, /please do this step yourself; several elements match equally well/);
    assert.match(asked[0].reason, /Ouvrir/);
    assert.strictEqual(confirmations, 0, 'nothing to confirm: the runner chose nothing');
    assert.strictEqual(record.steps[0].human, 'coached');
    // Nobody did the step: the run waited for the person, then stopped; nothing was clicked.
    assert.strictEqual(record.status, 'failed');
    assert.strictEqual(record.failure?.kind, 'unexpected_screen');
    assert.deepStrictEqual(await ctx.inv.mouse(), pointer);
    assert.match(await ctx.inv.vd.xdotool(['getwindowname', ctx.inv.windowId]), /Factures/);
  });
});
