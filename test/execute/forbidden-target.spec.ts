/**
 * A forbidden button is never clicked, even when it is the closest match: on a locked invoice
 * the "Valider" button is missing and "Supprimer" sits exactly where "Valider" was recorded, so
 * the healing strategies (type, relative position) all land on it. The safety gate refuses it
 * every time; the run fails with a safety violation and the invoice still exists.
 */
import assert from 'assert';
import { ScreenObserver, WorkflowRunner, checkActionSafety } from '../../lib/execute';
import type { Workflow } from '../../lib/contracts/workflow';
import { invoiceWorkflow, useInvoiceReplay } from './helpers';

describe('safety: a forbidden button is never clicked (Chromium app, Xvfb)', function () {
  this.timeout(120_000);
  const ctx = useInvoiceReplay();

  before(async () => {
    await ctx.inv.open('/facture/F-1004', 'F-1004');
  });

  it('clicks nothing where "Valider" used to be when "Supprimer" and others stand there now', async () => {
    const base = invoiceWorkflow();
    const workflow: Workflow = {
      ...base,
      workflow_id: 'WF_locked',
      entry_nodes: ['N2_detail_facture'],
      edges: [
        {
          edge_id: 'E3_valider',
          from_node: 'N2_detail_facture',
          to_node_candidates: ['N4_popup_confirmation', 'N5_liste_factures_maj'],
          // Where "Valider" was recorded: the first button of the action row.
          action: { type: 'mouse_click', target: { text: 'Valider', type: 'button', relative_position: [0.09, 0.43] } },
          constraints: { max_delay_seconds: 3 },
        },
      ],
    };
    const before = await ctx.inv.mouse();
    const record = await new WorkflowRunner(workflow, new ScreenObserver(ctx.desktop, ctx.vision), {}).run();
    assert.strictEqual(record.status, 'failed');
    // The text strategies find nothing; the window-relative position sees buttons where
    // "Valider" was, each reading other words, and takes none of them in its place.
    assert.strictEqual(record.failure?.kind, 'target_not_found', record.failure?.message);
    assert.ok(
      record.failure!.tried!.some((t) => /^anchor_text_relative: no button whose words could be "Valider"/.test(t)),
      record.failure!.tried!.join('\n'),
    );
    // Healing tried the looser strategies, each reported as a recovery attempt.
    const strategies = record.steps[0].recoveries.map((r) => r.strategy);
    assert.ok(strategies.includes('anchor_text_relative'), strategies.join(','));
    assert.ok(
      record.steps[0].recoveries.every((r) => !r.success),
      JSON.stringify({ r: record.steps[0].recoveries, tried: record.failure!.tried }),
    );
    // The application is the judge: nothing was deleted, nothing changed.
    assert.deepStrictEqual(ctx.inv.app.state.deleted, []);
    assert.deepStrictEqual(ctx.inv.app.state.events, []);
    const after = await ctx.inv.mouse();
    const supprimer = (
      await ctx.vision.locate(await ctx.vision.analyze(await ctx.desktop.screen.grab()), { text: 'Supprimer' })
    ).bbox!;
    const inside =
      after.x >= supprimer[0] && after.x < supprimer[2] && after.y >= supprimer[1] && after.y < supprimer[3];
    assert.ok(!inside || (after.x === before.x && after.y === before.y), 'the pointer never went onto "Supprimer"');
  });

  it('refuses a forbidden text under the pointer even when the target description looks harmless', async () => {
    const analysis = await ctx.vision.analyze(await ctx.desktop.screen.grab());
    const hit = await ctx.vision.locate(analysis, { text: 'Supprimer' });
    assert.ok(hit.found);
    const verdict = checkActionSafety(invoiceWorkflow(), {
      action: 'mouse_click',
      target: { type: 'button' },
      element: hit.element,
      point: hit.center!,
      bbox: hit.bbox,
      analysis,
    });
    assert.strictEqual(verdict.allowed, false);
    assert.match(verdict.rule!, /Supprimer|delete_action/);
  });
});
