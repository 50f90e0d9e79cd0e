/**
 * Learn the choice, not the coordinates (issue 15), end to end: a person validates "the first
 * invoice still to validate" twice, recorded with the real recorder (xdotool as the person), on
 * lists where that invoice is on the third row, then on the first. `learn` finds the rule that
 * explains both — the first row showing "À valider", not a position — and that the next screen
 * shows the invoice number of the row clicked. Replayed on a list where the invoice is on the
 * second row (the first and the third row would be another invoice), it validates that one,
 * checked in the application; when the application opens another invoice than the one clicked
 * the step fails with `wrong_item`; with the rule removed, or marked `needs_rule` as when no rule
 * explains the demonstrations, the run stops on `ambiguous_target` and clicks nothing.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { execFile } from 'child_process';
import { promisify } from 'util';
import { ScreenObserver, WorkflowRunner } from '../../lib/execute';
import { validateWorkflow } from '../../lib/contracts/validate';
import type { Workflow, WorkflowAction } from '../../lib/contracts/workflow';
import type { Invoice } from '../fixtures/invoice-app/server';
import { recordWith } from '../graph/helpers/order-app';
import { tempDir, useInvoiceReplay } from './helpers';

const execFileAsync = promisify(execFile);
const CLI = path.resolve(__dirname, '..', '..', 'bin', 'rpa-vision.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Page pixels from the window's top-left in the classic layout (measured once): "Ouvrir" of row k, "Valider". */
const ouvrir = (row: number): [number, number] => [770, 218 + 68 * (row - 1)];
const VALIDER: [number, number] = [117, 369];
const COMMENTAIRE: [number, number] = [468, 301];

const invoice = (id: string, patient: string, amount: number, status: Invoice['status']): Invoice => ({
  id,
  patient,
  amount,
  status,
  comment: '',
});

/** Amounts under 100 €: no confirmation dialog, the task is open → validate. */
const DEMOS: Array<{ invoices: Invoice[]; row: number; id: string }> = [
  {
    invoices: [
      invoice('F-1001', 'Martin Claire', 20, 'Validée'),
      invoice('F-1002', 'Durand Paul', 85.5, 'Validée'),
      invoice('F-1003', 'Bernard Lucie', 60, 'À valider'),
      invoice('F-1004', 'Petit Marc', 45, 'À valider'),
    ],
    row: 3,
    id: 'F-1003',
  },
  {
    invoices: [
      invoice('F-1005', 'Roux Nina', 70, 'À valider'),
      invoice('F-1006', 'Girard Paul', 35, 'Validée'),
      invoice('F-1007', 'Lambert Zoé', 30, 'À valider'),
      invoice('F-1008', 'Morel Jean', 95, 'Bloquée'),
    ],
    row: 1,
    id: 'F-1005',
  },
];

/** The replay's list: the first invoice to validate is on row 2; rows 1 and 3 (the demonstrated positions) are done. */
const REPLAY: Invoice[] = [
  invoice('F-1011', 'Faure Anne', 40, 'Validée'),
  invoice('F-1012', 'Blanc Louis', 50, 'À valider'),
  invoice('F-1013', 'Henry Marie', 25, 'Validée'),
  invoice('F-1014', 'Rousseau Eva', 65, 'À valider'),
];

function stepsOf(action: WorkflowAction): WorkflowAction[] {
  return action.type === 'compound' ? (action.steps ?? []) : [action];
}

describe('a learned choice rule: the first invoice to validate, wherever it is (Chromium app, Xvfb)', function () {
  this.timeout(300_000);
  const ctx = useInvoiceReplay();
  const wfFile = path.join(tempDir('rpa-exec-choice-'), 'invoice.json');
  let workflow: Workflow;
  let openEdge: string;

  /** The person, recorded: open the invoice of `row`, write `comment` if given, validate. */
  async function demonstrate(invoices: Invoice[], row: number, comment?: string): Promise<string> {
    ctx.inv.app.reset(invoices.map((i) => ({ ...i })));
    await ctx.inv.open('/', 'Factures');
    const click = async (p: [number, number]) => {
      await ctx.inv.vd.click(60 + p[0], 40 + p[1]);
      await sleep(400);
    };
    return recordWith(ctx.inv.vd, async () => {
      await click(ouvrir(row));
      await sleep(900);
      if (comment) {
        await click(COMMENTAIRE);
        await ctx.inv.vd.type(comment, 25);
        await sleep(300);
      }
      await click(VALIDER);
      await sleep(1000);
      await ctx.inv.vd.xdotool(['mousemove_relative', '--', '60', '40']);
      await sleep(200);
    });
  }

  /** `rpa-vision learn` on the demonstrations; its output. */
  async function learn(demoDirs: string[], out: string): Promise<string> {
    const { stdout } = await execFileAsync(process.execPath, [CLI, 'learn', ...demoDirs, '--out', out], {
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, DISPLAY: '' },
    });
    return stdout;
  }

  before(async () => {
    await ctx.inv.moveResize(60, 40, 1300, 860);
    ctx.inv.app.setTheme('classic');
    const demoDirs: string[] = [];
    for (const demo of DEMOS) {
      demoDirs.push(await demonstrate(demo.invoices, demo.row));
      assert.deepStrictEqual(ctx.inv.app.state.events, [`validate ${demo.id}`], 'the demonstration was done');
    }
    const stdout = await learn(demoDirs, wfFile);
    // The learn output says which rule it found, in words.
    assert.match(stdout, /choices \(1\)/, stdout);
    assert.match(stdout, /status:A valider: the first item whose row shows "A valider"/, stdout);
    workflow = validateWorkflow(JSON.parse(fs.readFileSync(wfFile, 'utf8')), wfFile);
  });

  it('learns "the first row showing À valider" and that the next screen shows the invoice clicked', () => {
    const edge = workflow.edges.find((e) => stepsOf(e.action).some((s) => /ouvrir/i.test(s.target?.text ?? '')));
    assert.ok(edge, JSON.stringify(workflow.edges.map((e) => e.action)));
    openEdge = edge.edge_id;
    const target = stepsOf(edge.action)[0].target!;
    // OCR reads the accent off; the runner compares accent-insensitively.
    assert.strictEqual(target.selection_policy, 'status:A valider');
    // Neither the demonstration's neighbour nor its place on the screen describes the target.
    assert.strictEqual(target.near, undefined);
    assert.strictEqual(target.relative_position, undefined);
    assert.deepStrictEqual(edge.metadata?.choice_rules, [
      { step: 0, policy: 'status:A valider', also_consistent: [], demonstrations: 2, set_by: 'learner' },
    ]);
    // The invoice number (the row's first cell) shows on the detail screen: the post-condition.
    assert.deepStrictEqual(edge.post_conditions?.same_item, { step: 0, cell: 0 });
  });

  it('replays on other data: the invoice on row 2 is validated, the record names it', async () => {
    ctx.inv.app.reset(REPLAY.map((i) => ({ ...i })));
    await ctx.inv.open('/', 'Factures');
    const record = await new WorkflowRunner(workflow, new ScreenObserver(ctx.desktop, ctx.vision), {
      mode: 'auto',
      operatorOverride: true,
      learn: false,
      workflowFile: wfFile,
    }).run();
    assert.strictEqual(record.status, 'success', JSON.stringify(record.failure));
    assert.deepStrictEqual(ctx.inv.app.state.events, ['validate F-1012']);
    const opened = record.steps.find((s) => s.edge_id === openEdge)!;
    assert.strictEqual(opened.targets[0].row?.[0], 'F-1012', JSON.stringify(opened.targets));
    assert.match(opened.targets[0].match, /^policy:status:A valider$/);
    assert.deepStrictEqual(opened.verification?.same_item, { text: 'F-1012', shown: true });
  });

  it('fails the step with wrong_item when the screen that opens is about another invoice', async () => {
    ctx.inv.app.reset(REPLAY.map((i) => ({ ...i })));
    // The application shows F-1014 when F-1012 is opened: the expected screen, about another item.
    ctx.inv.app.misroute = { 'F-1012': 'F-1014' };
    try {
      await ctx.inv.open('/', 'Factures');
      const record = await new WorkflowRunner(workflow, new ScreenObserver(ctx.desktop, ctx.vision), {
        mode: 'auto',
        operatorOverride: true,
        learn: false,
        workflowFile: wfFile,
      }).run();
      assert.strictEqual(record.status, 'failed');
      assert.strictEqual(record.failure?.kind, 'wrong_item', record.failure?.message);
      assert.match(record.failure!.message, /about another item: the step acted on the row "F-1012 \|/);
      assert.match(record.failure!.message, /does not show "F-1012"/);
      assert.strictEqual(record.steps.length, 1, 'nothing after the wrong screen');
      assert.deepStrictEqual(ctx.inv.app.state.events, []);
    } finally {
      ctx.inv.app.misroute = {};
    }
  });

  it('with the rule removed, AUTO_CONFIRMED stops on ambiguous_target and clicks nothing', async () => {
    ctx.inv.app.reset(REPLAY.map((i) => ({ ...i })));
    await ctx.inv.open('/', 'Factures');
    const unruled = JSON.parse(JSON.stringify(workflow)) as Workflow;
    delete stepsOf(unruled.edges.find((e) => e.edge_id === openEdge)!.action)[0].target!.selection_policy;
    const pointer = await ctx.inv.mouse();
    const record = await new WorkflowRunner(unruled, new ScreenObserver(ctx.desktop, ctx.vision), {
      mode: 'auto',
      operatorOverride: true,
      learn: false,
      workflowFile: wfFile,
    }).run();
    assert.strictEqual(record.status, 'failed');
    assert.strictEqual(record.failure?.kind, 'ambiguous_target', record.failure?.message);
    assert.ok(record.failure!.candidates!.length >= 4, JSON.stringify(record.failure!.candidates));
    assert.deepStrictEqual(ctx.inv.app.state.events, []);
    assert.deepStrictEqual(await ctx.inv.mouse(), pointer);
  });

  it('a step marked needs_rule is not done alone, even with a single invoice on the list', async () => {
    ctx.inv.app.reset([REPLAY[1]].map((i) => ({ ...i })));
    await ctx.inv.open('/', 'Factures');
    const unruled = JSON.parse(JSON.stringify(workflow)) as Workflow;
    stepsOf(unruled.edges.find((e) => e.edge_id === openEdge)!.action)[0].target!.selection_policy = 'needs_rule';
    const pointer = await ctx.inv.mouse();
    const record = await new WorkflowRunner(unruled, new ScreenObserver(ctx.desktop, ctx.vision), {
      mode: 'auto',
      operatorOverride: true,
      learn: false,
      workflowFile: wfFile,
    }).run();
    assert.strictEqual(record.failure?.kind, 'ambiguous_target', record.failure?.message);
    assert.match(record.failure!.message, /a person must set the rule \(rpa-vision learn --out WF.json --rule/);
    assert.deepStrictEqual(ctx.inv.app.state.events, []);
    assert.deepStrictEqual(await ctx.inv.mouse(), pointer);
  });
  describe("the invoice whose patient is the run's parameter", () => {
    /** Every row is to validate: neither the status nor a position explains the rows chosen. */
    const pending = (ids: number, names: string[]) =>
      names.map((name, i) => invoice(`F-${ids + i}`, name, 20 + 10 * i, 'À valider'));
    const NAMED_DEMOS = [
      { invoices: pending(1031, ['Martin Claire', 'Durand Paul', 'Bernard Lucie', 'Petit Marc']), row: 3 },
      { invoices: pending(1041, ['Roux Nina', 'Girard Paul', 'Lambert Zoe', 'Morel Jean']), row: 1 },
    ];
    const namedFile = path.join(tempDir('rpa-exec-choice-param-'), 'invoice.json');
    let named: Workflow;

    before(async () => {
      const demoDirs: string[] = [];
      for (const demo of NAMED_DEMOS) {
        const patient = demo.invoices[demo.row - 1].patient;
        demoDirs.push(await demonstrate(demo.invoices, demo.row, patient));
        const done = ctx.inv.app.state.invoices.find((i) => i.patient === patient)!;
        assert.deepStrictEqual([done.status, done.comment], ['Validée', patient], 'the demonstration was done');
      }
      await learn(demoDirs, namedFile);
      named = validateWorkflow(JSON.parse(fs.readFileSync(namedFile, 'utf8')), namedFile);
    });

    it('learns "the row showing the patient typed", and validates that patient\'s invoice on another row', async () => {
      const edge = named.edges.find((e) => stepsOf(e.action).some((s) => /ouvrir/i.test(s.target?.text ?? '')))!;
      assert.ok(edge, JSON.stringify(named.edges.map((e) => e.action)));
      const policy = stepsOf(edge.action)[0].target!.selection_policy ?? '';
      const param = /^row_with:\{\{(\w+)\}\}$/.exec(policy)?.[1];
      assert.ok(param, `the rule is the row showing a parameter, got "${policy}"`);

      // Row 2: neither demonstrated position; rows 1, 3 and 4 are to validate too.
      ctx.inv.app.reset(pending(1051, ['Faure Anne', 'Blanc Louis', 'Henry Marie', 'Rousseau Eva']));
      await ctx.inv.open('/', 'Factures');
      const record = await new WorkflowRunner(named, new ScreenObserver(ctx.desktop, ctx.vision), {
        mode: 'auto',
        operatorOverride: true,
        learn: false,
        workflowFile: namedFile,
        params: { [param]: 'Blanc Louis' },
      }).run();
      assert.strictEqual(record.status, 'success', JSON.stringify(record.failure));
      assert.deepStrictEqual(ctx.inv.app.state.events, ['validate F-1052']);
      const done = ctx.inv.app.state.invoices.find((i) => i.id === 'F-1052')!;
      assert.strictEqual(done.comment, 'Blanc Louis');
    });
  });
});
