/**
 * safety_rules.max_amount_without_manual_check on the invoice application: an invoice whose
 * amount (read in the detail form next to "Valider") is above the workflow's limit is never
 * validated by the runner alone — with nobody to ask, the run stops with
 * "manual_check_required" and the application's state is unchanged; below the limit the run
 * goes through; with a person who confirms, it goes through. Amounts are read as money only
 * (never an invoice number), typed parameter amounts count too.
 */
import assert from 'assert';
import { ScreenObserver, WorkflowRunner, amountsTyped, type HumanGate, type StepPrompt } from '../../lib/execute';
import { amountsIn, typedAmount } from '../../lib/execute/amounts';
import type { Workflow } from '../../lib/contracts/workflow';
import { initialInvoices } from '../fixtures/invoice-app/server';
import { invoiceWorkflow, useInvoiceReplay } from './helpers';

function withLimit(limit: number): Workflow {
  const wf = invoiceWorkflow();
  wf.safety_rules = { ...wf.safety_rules!, max_amount_without_manual_check: limit };
  return wf;
}

describe('safety: max_amount_without_manual_check', function () {
  describe('reading amounts', () => {
    it('reads money in OCR text, never an invoice number, a date or a bare number outside an amount field', () => {
      assert.deepStrictEqual(
        amountsIn('Montant 1 250,00 €').map((a) => a.amount),
        [1250],
      );
      assert.deepStrictEqual(
        amountsIn('Total: €1,250.50').map((a) => a.amount),
        [1250.5],
      );
      assert.deepStrictEqual(
        amountsIn('F-1002 Durand Paul 85,50 € A valider').map((a) => a.amount),
        [85.5],
      );
      assert.deepStrictEqual(
        amountsIn('240,00').map((a) => a.amount),
        [240],
      );
      assert.deepStrictEqual(amountsIn('Facture F-1002 du 12/03/2025, 3 lignes'), []);
      assert.deepStrictEqual(amountsIn('240'), []);
      assert.deepStrictEqual(
        amountsIn('240', true).map((a) => a.amount),
        [240],
        'inside a field labelled like an amount',
      );
    });

    it("counts a typed parameter as an amount when it is money or typed under an amount's name", () => {
      assert.strictEqual(typedAmount('1250', ['montant']), 1250);
      assert.strictEqual(typedAmount('1 250,50 €', ['commentaire']), 1250.5);
      assert.strictEqual(typedAmount('75001', ['code_postal', 'Code postal']), null);
      assert.strictEqual(typedAmount('Vu par Dr Alpha 1200', ['commentaire']), null);
      assert.deepStrictEqual(
        amountsTyped('{{montant}}', { montant: '1500' }, 'Montant').map((a) => [a.amount, a.source]),
        [[1500, 'parameter "montant" typed into "Montant"']],
      );
    });
  });

  describe('on the invoice application (Chromium app, Xvfb)', function () {
    this.timeout(150_000);
    const ctx = useInvoiceReplay();
    /** Only F-1003 (240 €) waits for validation. */
    const onlyF1003 = () =>
      initialInvoices().map((i) => (i.id === 'F-1002' ? { ...i, status: 'Validée' as const } : i));

    it('never validates an amount above the limit without a person: manual_check_required, nothing submitted', async () => {
      ctx.inv.app.reset(onlyF1003());
      await ctx.inv.open('/', 'Factures');
      const record = await new WorkflowRunner(withLimit(200), new ScreenObserver(ctx.desktop, ctx.vision), {
        params: { commentaire: 'Trop cher' },
      }).run();
      assert.strictEqual(record.status, 'failed');
      assert.strictEqual(record.failure?.kind, 'manual_check_required', record.failure?.message);
      assert.strictEqual(record.failure?.edge_id, 'E3_valider');
      // The message says the amount, the limit and what was not clicked.
      assert.match(record.failure!.message, /did not mouse click "Valider"/);
      assert.match(record.failure!.message, /240/);
      assert.match(record.failure!.message, /max_amount_without_manual_check \(200\)/);
      assert.strictEqual(record.steps.length, 3, 'no step after the refused one');
      // The application is the judge: nothing was validated, not even the comment submitted.
      const f1003 = ctx.inv.app.state.invoices.find((i) => i.id === 'F-1003')!;
      assert.deepStrictEqual([f1003.status, f1003.comment], ['À valider', '']);
      assert.deepStrictEqual(ctx.inv.app.state.events, []);
    });

    it('validates an amount below the limit alone', async () => {
      ctx.inv.app.reset();
      await ctx.inv.open('/', 'Factures');
      const record = await new WorkflowRunner(withLimit(200), new ScreenObserver(ctx.desktop, ctx.vision), {
        params: { commentaire: 'Petit montant' },
      }).run();
      assert.strictEqual(record.status, 'success', JSON.stringify(record.failure));
      assert.ok(
        record.steps.every((s) => s.human === undefined),
        'nobody was asked',
      );
      assert.deepStrictEqual(ctx.inv.app.state.events, ['validate F-1002']);
    });

    it('validates an amount above the limit once a person confirms it, after being shown the amount and the button', async () => {
      ctx.inv.app.reset(onlyF1003());
      await ctx.inv.open('/', 'Factures');
      const asked: StepPrompt[] = [];
      const human: HumanGate = {
        confirm: async (p) => (asked.push(p), true),
        coach: () => undefined,
        unexpected: async () => 'abort',
      };
      const record = await new WorkflowRunner(withLimit(200), new ScreenObserver(ctx.desktop, ctx.vision), {
        params: { commentaire: 'Vu, montant élevé' },
        human,
      }).run();
      assert.strictEqual(record.status, 'success', JSON.stringify(record.failure));
      assert.ok(asked.length >= 1);
      assert.strictEqual(asked[0].edge_id, 'E3_valider');
      assert.match(
        asked[0].reason,
        /max_amount_without_manual_check: the amount .*240.* is above max_amount_without_manual_check \(200\)/,
      );
      assert.ok(asked[0].bbox, 'the question shows where the button is');
      assert.strictEqual(record.steps.find((s) => s.edge_id === 'E3_valider')?.human, 'confirmed');
      const f1003 = ctx.inv.app.state.invoices.find((i) => i.id === 'F-1003')!;
      assert.deepStrictEqual([f1003.status, f1003.comment], ['Validée', 'Vu, montant élevé']);
      assert.deepStrictEqual(ctx.inv.app.state.events, ['validate F-1003']);
    });
  });
});
