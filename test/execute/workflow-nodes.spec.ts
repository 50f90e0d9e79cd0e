/**
 * The workflow and execute-edge nodes in a real Node-RED (node-red-node-test-helper) driving the
 * invoice application on Xvfb: parameters from msg.payload, progress "step k/n" in the status,
 * success and failure outputs, a question on the third output answered with msg.confirm,
 * cancel via msg.cancel, a failed run in one place only: the failure output (with msg.error) by
 * default, or Catch nodes when "send failures to an output" is unticked (the questions output
 * then being the second), and the edge's statistics written back to the workflow file.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import helper from 'node-red-node-test-helper';
import workflowNode from '../../nodes/rpa-workflow/rpa-workflow';
import executeEdgeNode from '../../nodes/rpa-execute-edge/rpa-execute-edge';
import { invoiceWorkflow, startInvoiceDesktop, tempDir, writeWorkflow, type InvoiceDesktop } from './helpers';
import { executeSafely, workflowExecutors } from '../../lib/automation/executor';
import { testNode, nextMessage, coreNode, flowOf, type FlowMessage } from '../helpers/node-red';

helper.init(require.resolve('node-red'));
const catchNode = coreNode('common/25-catch.js');
const statusNode = coreNode('common/25-status.js');

describe('rpa-workflow and rpa-execute-edge nodes (Node-RED, Chromium app, Xvfb)', function () {
  this.timeout(150_000);
  let inv: InvoiceDesktop;
  const dataDir = tempDir('rpa-exec-nodes-');
  const statuses: Array<{ fill?: string; text?: string }> = [];

  const flow = (node: object) => [
    { id: 'f1', type: 'tab' },
    { id: 'run', z: 'f1', name: '', mode: '', timeout: '', wires: [['ok'], ['failed'], ['questions']], ...node },
    { id: 'ok', z: 'f1', type: 'helper' },
    { id: 'failed', z: 'f1', type: 'helper' },
    { id: 'questions', z: 'f1', type: 'helper' },
    { id: 'watcher', z: 'f1', type: 'status', scope: ['run'], wires: [['statuses']] },
    { id: 'statuses', z: 'f1', type: 'helper' },
    { id: 'catcher', z: 'f1', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'f1', type: 'helper' },
  ];
  const next = (id: string) => nextMessage(id);

  async function load(node: object): Promise<void> {
    statuses.length = 0;
    await helper.load([workflowNode, executeEdgeNode, catchNode, statusNode], flowOf(flow(node)));
    testNode('statuses').on('input', (m) => statuses.push(m.status));
  }

  before(async () => {
    helper.settings({ rpaVision: { dataDir } } as object);
    inv = await startInvoiceDesktop();
  });
  beforeEach(async () => {
    inv.app.reset();
    await inv.open('/', 'Factures');
    await new Promise<void>((r) => helper.startServer(() => r()));
  });
  afterEach(async () => {
    await helper.unload();
    await new Promise<void>((r) => helper.stopServer(() => r()));
  });
  after(async () => {
    helper.settings({});
    await inv?.stop();
  });

  it('rpa-workflow runs the graph with msg.payload as parameters, shows step k/n, and sends the record on success', async () => {
    const file = writeWorkflow(invoiceWorkflow());
    await load({ type: 'rpa-workflow', workflow: file });
    const ok = next('ok');
    testNode('run').receive({ payload: { commentaire: 'Par Node-RED' } });
    const msg = await ok;
    assert.strictEqual(msg.payload.status, 'success');
    assert.strictEqual(msg.payload.parameters.commentaire, 'Par Node-RED');
    assert.strictEqual(inv.app.state.invoices.find((i) => i.id === 'F-1002')!.comment, 'Par Node-RED');
    assert.ok(
      statuses.some((s) => /^step \d+\/\d+/.test(s.text ?? '')),
      JSON.stringify(statuses),
    );
    assert.ok(statuses.some((s) => s.fill === 'green' && /success/.test(s.text ?? '')));
    // The run's edge statistics were written back to the file.
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.strictEqual(saved.edges.find((e: FlowMessage) => e.edge_id === 'E1_ouvrir_facture').stats.success_count, 1);
  });

  it('rpa-workflow stops on msg.cancel and sends the record on the failure output', async () => {
    const wf = invoiceWorkflow();
    // A step that waits long enough to be cancelled.
    wf.edges.find((e) => e.edge_id === 'E1_ouvrir_facture')!.action = { type: 'wait', parameters: { wait_ms: 20_000 } };
    await load({ type: 'rpa-workflow', workflow: writeWorkflow(wf) });
    const failed = next('failed');
    const run = testNode('run');
    run.receive({ payload: {} });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (statuses.some((s) => /^step/.test(s.text ?? ''))) {
          clearInterval(poll);
          resolve();
        }
      }, 100);
    });
    let caught = false;
    testNode('caught').on('input', () => (caught = true));
    run.receive({ cancel: true });
    const msg = await failed;
    assert.strictEqual(msg.payload.status, 'cancelled');
    assert.deepStrictEqual(inv.app.state.events, []);
    await new Promise((r) => setTimeout(r, 300));
    assert.strictEqual(caught, false, 'a cancel the flow asked for is not an error');
  });

  it('rpa-workflow stops a run that exceeds the node\'s timeout with status "timeout", on the failure output only', async () => {
    const wf = invoiceWorkflow();
    wf.edges.find((e) => e.edge_id === 'E1_ouvrir_facture')!.action = { type: 'wait', parameters: { wait_ms: 20_000 } };
    await load({ type: 'rpa-workflow', workflow: writeWorkflow(wf), timeout: '3' });
    const failed = next('failed');
    let caught = false;
    testNode('caught').on('input', () => (caught = true));
    testNode('run').receive({ payload: {} });
    const msg = await failed;
    assert.strictEqual(msg.payload.status, 'timeout');
    assert.strictEqual(msg.payload.failure.kind, 'timeout');
    assert.ok(
      statuses.some((s) => s.fill === 'red' && /timeout at E1_ouvrir_facture/.test(s.text ?? '')),
      JSON.stringify(statuses),
    );
    // msg.error as a Catch node would get it, the failure kind as its code; no Catch node gets it.
    assert.strictEqual(msg.error.code, 'timeout');
    assert.match(msg.error.message, /WF_validation_facture timeout at E1_ouvrir_facture/);
    assert.strictEqual(msg.error.source.id, 'run');
    await new Promise((r) => setTimeout(r, 300));
    assert.strictEqual(caught, false, 'a failure goes to one place');
  });

  it('rpa-workflow reports a step that cannot be verified on the failure output, and does nothing more', async () => {
    const wf = invoiceWorkflow();
    // The detail screen never comes: the step's post-condition expects a screen the app never shows.
    wf.nodes.find((n) => n.node_id === 'N2_detail_facture')!.screen_template.required_text_any = [
      'Écran qui ne vient jamais',
    ];
    wf.edges.find((e) => e.edge_id === 'E1_ouvrir_facture')!.post_conditions = {
      expected_node: 'N2_detail_facture',
      timeout_seconds: 2,
    };
    await load({ type: 'rpa-workflow', workflow: writeWorkflow(wf) });
    const failed = next('failed');
    testNode('run').receive({ payload: {} });
    const msg = await failed;
    assert.strictEqual(msg.payload.status, 'failed');
    assert.strictEqual(msg.error.code, 'unexpected_screen');
    assert.match(msg.error.message, /failed at E1_ouvrir_facture: after step 1/);
    assert.strictEqual(msg.payload.failure.edge_id, 'E1_ouvrir_facture');
    assert.strictEqual(msg.payload.steps.length, 1, 'no further step');
    assert.deepStrictEqual(inv.app.state.events, []);
  });

  it('rpa-workflow without a failure output reports a run that cannot start (unknown workflow) to Catch', async () => {
    await load({
      type: 'rpa-workflow',
      workflow: path.join(dataDir, 'nope.json'),
      errorOutput: false,
      wires: [['ok'], ['questions']],
    });
    const caught = next('caught');
    testNode('run').receive({ payload: {} });
    const msg = await caught;
    assert.match(msg.error.message, /no workflow "/);
  });

  it('rpa-workflow asks on the question output before validating an amount above max_amount_without_manual_check; "no" stops it (to Catch without a failure output)', async () => {
    inv.app.reset(inv.app.state.invoices.map((i) => (i.id === 'F-1002' ? { ...i, status: 'Validée' as const } : i)));
    await inv.open('/', 'Factures');
    const wf = invoiceWorkflow();
    wf.safety_rules!.max_amount_without_manual_check = 200;
    // Without the failure output, the questions are the second output.
    await load({
      type: 'rpa-workflow',
      workflow: writeWorkflow(wf),
      errorOutput: false,
      wires: [['ok'], ['questions']],
    });
    const question = next('questions');
    const caught = next('caught');
    const run = testNode('run');
    run.receive({ payload: { commentaire: 'Montant élevé' } });
    const q = await question;
    assert.strictEqual(q.topic, 'confirm');
    assert.strictEqual(q.payload.prompt.edge_id, 'E3_valider');
    assert.match(q.payload.prompt.reason, /max_amount_without_manual_check: the amount .*240.*\(200\)/);
    assert.ok(
      statuses.some((s) => /waiting for confirmation/.test(s.text ?? '')),
      JSON.stringify(statuses),
    );
    run.receive({ confirm: false });
    const error = await caught;
    assert.strictEqual(error.payload.failure.kind, 'manual_check_required');
    assert.strictEqual(error.error.code, 'manual_check_required');
    assert.match(error.error.message, /did not mouse click "Valider"/);
    assert.deepStrictEqual(inv.app.state.events, [], 'F-1003 (240 €) was not validated');
  });

  it('rpa-execute-edge runs one edge after the person confirms it on the question output', async () => {
    const wf = invoiceWorkflow();
    wf.learning!.state = 'AUTO_CANDIDATE';
    const file = writeWorkflow(wf);
    await load({ type: 'rpa-execute-edge', workflow: file, edgeId: 'E1_ouvrir_facture' });
    const question = next('questions');
    const ok = next('ok');
    const run = testNode('run');
    run.receive({ payload: {} });
    const q = await question;
    assert.strictEqual(q.topic, 'confirm');
    assert.strictEqual(q.payload.prompt.edge_id, 'E1_ouvrir_facture');
    assert.ok(q.payload.prompt.bbox, 'the question shows where the target is');
    run.receive({ confirm: true });
    const msg = await ok;
    assert.strictEqual(msg.payload.status, 'success');
    assert.deepStrictEqual(
      msg.payload.steps.map((s: FlowMessage) => [s.edge_id, s.human, s.verification.node_id]),
      [['E1_ouvrir_facture', 'confirmed', 'N2_detail_facture']],
    );
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.strictEqual(saved.edges.length, 4, 'the whole workflow is kept in the file');
    assert.strictEqual(saved.edges[0].stats.assist_executions, 1);
  });

  it("loading the nodes makes the runner the automation's executor for the workflows of the data directory", async () => {
    await load({ type: 'rpa-workflow', workflow: '' });
    fs.mkdirSync(path.join(dataDir, 'workflows'), { recursive: true });
    writeWorkflow(invoiceWorkflow(), path.join(dataDir, 'workflows'));
    const progress: string[] = [];
    const result = await executeSafely(
      workflowExecutors,
      'WF_validation_facture',
      { commentaire: 'Planifié' },
      { onProgress: (p) => progress.push(`${p.step}/${p.total}`) },
    );
    assert.strictEqual(result.status, 'success', result.error);
    assert.ok(progress.length >= 3);
    assert.strictEqual(inv.app.state.invoices.find((i) => i.id === 'F-1002')!.comment, 'Planifié');
  });
});
