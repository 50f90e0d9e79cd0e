/**
 * Learning-state gating, as the user sees it on the invoice application:
 * OBSERVATION never acts (nothing moves, nothing changes); COACHING shows the next step with
 * the target outlined and waits for the person to do it; AUTO_CANDIDATE asks before each step
 * and stops when the person says no; a requested mode can only lower autonomy, except the
 * operator's explicit `--mode auto` override.
 */
import assert from 'assert';
import fs from 'fs';
import { ScreenObserver, WorkflowRunner, decideMode, type HumanGate, type StepPrompt } from '../../lib/execute';
import type { LearningState, Workflow } from '../../lib/contracts/workflow';
import { invoiceWorkflow, tempDir, useInvoiceReplay } from './helpers';

function inState(state: LearningState): Workflow {
  const wf = invoiceWorkflow();
  wf.learning!.state = state;
  wf.learning_state = state;
  return wf;
}

describe('learning-state gating (Chromium app, Xvfb)', function () {
  this.timeout(150_000);
  const ctx = useInvoiceReplay();

  beforeEach(async () => {
    ctx.inv.app.reset();
    await ctx.inv.open('/', 'Factures');
  });

  it('a requested mode only lowers the learned autonomy; only the operator override raises it, and says so', () => {
    assert.strictEqual(decideMode(inState('AUTO_CONFIRMED'), 'observe').mode, 'observe');
    assert.strictEqual(decideMode(inState('OBSERVATION'), 'auto').mode, 'observe');
    assert.strictEqual(decideMode(inState('COACHING'), 'confirm').mode, 'coach');
    const override = decideMode(inState('OBSERVATION'), 'auto', true);
    assert.strictEqual(override.mode, 'auto');
    assert.strictEqual(override.override, true);
    assert.match(override.reason, /operator override/);
    assert.strictEqual(
      decideMode(inState('OBSERVATION'), 'confirm', true).mode,
      'observe',
      'the override is --mode auto only',
    );
  });

  it('OBSERVATION never acts: the pointer does not move and the application does not change', async () => {
    await ctx.desktop.mouse.move({ x: 1700, y: 900 });
    const record = await new WorkflowRunner(inState('OBSERVATION'), new ScreenObserver(ctx.desktop, ctx.vision), {
      humanTimeoutMs: 3000,
    }).run();
    assert.strictEqual(record.mode, 'observe');
    // Nobody did the task while it watched: the step was not verified.
    assert.strictEqual(record.status, 'failed');
    assert.strictEqual(record.steps[0].human, 'observed');
    assert.deepStrictEqual(await ctx.inv.mouse(), { x: 1700, y: 900 });
    assert.deepStrictEqual(ctx.inv.app.state.events, []);
    assert.strictEqual(ctx.inv.app.servedSeq, ctx.inv.app.navSeq, 'no page was opened');
  });

  it('a lowered mode is obeyed too: an AUTO_CONFIRMED workflow run with mode "observe" does nothing', async () => {
    await ctx.desktop.mouse.move({ x: 1650, y: 950 });
    const record = await new WorkflowRunner(inState('AUTO_CONFIRMED'), new ScreenObserver(ctx.desktop, ctx.vision), {
      mode: 'observe',
      humanTimeoutMs: 2000,
    }).run();
    assert.strictEqual(record.mode, 'observe');
    assert.deepStrictEqual(await ctx.inv.mouse(), { x: 1650, y: 950 });
    assert.deepStrictEqual(ctx.inv.app.state.events, []);
  });

  it('COACHING shows the next step with its target outlined and waits for the person to do it', async () => {
    const wf = inState('COACHING');
    wf.end_nodes = ['N2_detail_facture'];
    const prompts: StepPrompt[] = [];
    const human: HumanGate = {
      confirm: async () => false,
      unexpected: async () => 'abort',
      coach: async (p) => {
        prompts.push(p);
        // The person does what was shown, where it was shown.
        setTimeout(() => void ctx.inv.vd.click(p.point![0], p.point![1]), 500);
      },
    };
    const shots = tempDir('rpa-exec-coach-');
    const record = await new WorkflowRunner(wf, new ScreenObserver(ctx.desktop, ctx.vision), {
      human,
      humanTimeoutMs: 20_000,
      screenshotsDir: shots,
    }).run();
    assert.strictEqual(record.status, 'success', JSON.stringify(record.failure));
    assert.strictEqual(record.mode, 'coach');
    assert.strictEqual(prompts.length, 1);
    assert.match(prompts[0].description, /invoice_row/);
    assert.ok(prompts[0].highlight && fs.existsSync(prompts[0].highlight), 'the highlighted screenshot exists');
    // The outlined target is the "Ouvrir" button on the first pending row (F-1002).
    const analysis = await ctx.vision.analyze(fs.readFileSync(record.steps[0].screenshots.before!));
    const row = analysis.text.find((l) => /F-1002/.test(l.text))!;
    assert.ok(Math.abs(prompts[0].point![1] - (row.bbox[1] + row.bbox[3]) / 2) < 20, 'the point is on the F-1002 row');
    assert.strictEqual(record.steps[0].human, 'coached');
    assert.strictEqual(record.steps[0].verification?.node_id, 'N2_detail_facture');
  });

  it('AUTO_CANDIDATE asks before each step and stops, having done nothing more, when the person says no', async () => {
    const asked: StepPrompt[] = [];
    const human: HumanGate = {
      coach: () => undefined,
      unexpected: async () => 'abort',
      confirm: async (p) => {
        asked.push(p);
        return p.step === 1;
      },
    };
    const record = await new WorkflowRunner(inState('AUTO_CANDIDATE'), new ScreenObserver(ctx.desktop, ctx.vision), {
      human,
      params: { commentaire: 'jamais tapé' },
    }).run();
    assert.strictEqual(record.mode, 'confirm');
    assert.deepStrictEqual(
      asked.map((p) => p.edge_id),
      ['E1_ouvrir_facture', 'E2_saisir_commentaire'],
    );
    assert.match(asked[1].description, /Commentaire/);
    assert.strictEqual(record.status, 'cancelled');
    assert.strictEqual(record.failure?.kind, 'confirmation_refused');
    assert.strictEqual(record.steps[0].human, 'confirmed');
    assert.strictEqual(record.steps[0].verification?.verified, true);
    await new Promise((r) => setTimeout(r, 800));
    assert.strictEqual(ctx.inv.app.state.invoices.find((i) => i.id === 'F-1002')!.comment, '');
    assert.deepStrictEqual(ctx.inv.app.state.events, []);
  });

  it('AUTO_CANDIDATE pauses on an unexpected screen and lets the person decide', async () => {
    const wf = inState('AUTO_CANDIDATE');
    wf.nodes.push({
      node_id: 'N_autre',
      label: 'Autre écran',
      screen_template: { required_text_any: ['Écran qui ne vient jamais'] },
    });
    Object.assign(wf.edges[0], { to_node: 'N_autre', post_conditions: { timeout_seconds: 2 } });
    const paused: string[] = [];
    const human: HumanGate = {
      coach: () => undefined,
      confirm: async () => true,
      unexpected: async (info) => {
        paused.push(`${info.edge_id}: ${info.seen}`);
        return 'abort';
      },
    };
    const record = await new WorkflowRunner(wf, new ScreenObserver(ctx.desktop, ctx.vision), { human }).run();
    assert.strictEqual(paused.length, 1);
    assert.match(paused[0], /^E1_ouvrir_facture: closest node N2_detail_facture/);
    assert.strictEqual(record.status, 'failed');
    assert.strictEqual(record.steps.length, 1, 'nothing after the pause');
  });

  it('a require_confirmation_for action waits for a person even in AUTO_CONFIRMED', async () => {
    const wf = inState('AUTO_CONFIRMED');
    wf.edges[0].metadata = { tags: ['irreversible_action'] };
    const asked: StepPrompt[] = [];
    const human: HumanGate = {
      coach: () => undefined,
      unexpected: async () => 'abort',
      confirm: async (p) => {
        asked.push(p);
        return false;
      },
    };
    await ctx.desktop.mouse.move({ x: 1600, y: 980 });
    const record = await new WorkflowRunner(wf, new ScreenObserver(ctx.desktop, ctx.vision), { human }).run();
    assert.strictEqual(asked.length, 1);
    assert.match(asked[0].reason, /irreversible_action/);
    assert.strictEqual(record.status, 'cancelled');
    assert.deepStrictEqual(await ctx.inv.mouse(), { x: 1600, y: 980 }, 'nothing was clicked');
  });
});
