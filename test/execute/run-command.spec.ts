/**
 * `rpa-vision run` as a user calls it: exit 0 only when every step was verified, `--report`
 * writes the execution record, `--mode auto` is the operator's logged override of a workflow
 * still in OBSERVATION, a failed run exits 1 with the failure point and its screenshot, and
 * usage mistakes exit 2 without a stack trace.
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { execFile } from 'child_process';
import { invoiceWorkflow, startInvoiceDesktop, tempDir, writeWorkflow, type InvoiceDesktop } from './helpers';

const CLI = path.resolve(__dirname, '..', '..', 'bin', 'rpa-vision.js');

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({
        code: err ? (((err as NodeJS.ErrnoException & { code?: number }).code as unknown as number) ?? 1) : 0,
        stdout,
        stderr,
      });
    });
  });
}

describe('rpa-vision run (CLI, Chromium app, Xvfb)', function () {
  this.timeout(180_000);
  let inv: InvoiceDesktop;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    inv = await startInvoiceDesktop();
    env = {
      ...process.env,
      DISPLAY: inv.vd.display,
      RPA_VISION_DATA_DIR: tempDir('rpa-exec-cli-data-'),
      RPA_VISION_RESOURCE_INTERVAL_S: '0',
    };
  });
  beforeEach(async () => {
    inv.app.reset();
    await inv.open('/', 'Factures');
  });
  after(async () => {
    await inv?.stop();
  });

  it('--mode auto replays a workflow still in OBSERVATION (logged override), exits 0 and writes the report', async () => {
    const wf = invoiceWorkflow();
    wf.learning!.state = 'OBSERVATION';
    wf.learning_state = 'OBSERVATION';
    const file = writeWorkflow(wf);
    const report = path.join(tempDir('rpa-exec-cli-'), 'R.json');
    const r = await cli(['run', file, '--var', 'commentaire=Depuis la CLI', '--mode', 'auto', '--report', report], env);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stderr, /OPERATOR OVERRIDE/);
    assert.match(r.stderr, /\[\d+\/\d+/, 'progress lines');
    const record = JSON.parse(fs.readFileSync(report, 'utf8'));
    assert.strictEqual(record.status, 'success');
    assert.strictEqual(record.verified, true);
    assert.strictEqual(record.operator_override, true);
    assert.strictEqual(record.learned_state, 'OBSERVATION');
    assert.strictEqual(record.parameters.commentaire, 'Depuis la CLI');
    for (const s of record.steps) {
      assert.ok(s.verification.verified);
      assert.ok(fs.existsSync(s.screenshots.after), 'screenshots next to the report');
      assert.ok(s.started_at && s.completed_at && s.strategy);
    }
    assert.strictEqual(inv.app.state.invoices.find((i) => i.id === 'F-1002')!.comment, 'Depuis la CLI');

    // The run is on record in the audit log, under the OS user who ran it.
    const audit = fs
      .readFileSync(path.join(env.RPA_VISION_DATA_DIR!, 'audit', 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { actor: string; action: string; object: string; detail: string });
    const actor = `${os.userInfo().username} (cli)`;
    const object = `workflow:${wf.workflow_id}`;
    assert.deepStrictEqual(
      audit.slice(-2).map((e) => [e.actor, e.action, e.object]),
      [
        [actor, 'workflow.run.start', object],
        [actor, 'workflow.run.end', object],
      ],
    );
    assert.match(audit[audit.length - 2].detail, /^rpa-vision run, mode auto$/);
    assert.match(audit[audit.length - 1].detail, /^success in [\d.]+ s$/);
    const verify = await cli(['audit', 'verify'], env);
    assert.strictEqual(verify.code, 0, verify.stdout + verify.stderr);
  });

  it('exits 1 when a step cannot be verified, with the failure point and its screenshot in the report', async () => {
    const wf = invoiceWorkflow();
    wf.nodes.find((n) => n.node_id === 'N2_detail_facture')!.screen_template.required_text_any = [
      'Écran qui ne vient jamais',
    ];
    wf.edges[0].post_conditions = { expected_node: 'N2_detail_facture', timeout_seconds: 2 };
    const report = path.join(tempDir('rpa-exec-cli-'), 'R.json');
    const r = await cli(['run', writeWorkflow(wf), '--report', report, '--json'], env);
    assert.strictEqual(r.code, 1);
    const record = JSON.parse(r.stdout);
    assert.strictEqual(record.status, 'failed');
    assert.strictEqual(record.failure.edge_id, 'E1_ouvrir_facture');
    assert.ok(fs.existsSync(record.failure.screenshot));
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(report, 'utf8')).failure, record.failure);
    assert.match(r.stderr, /failed after 0 verified step\(s\), at E1_ouvrir_facture/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });

  it('exits 2 on usage mistakes, saying what is wrong', async () => {
    const file = writeWorkflow(invoiceWorkflow());
    const bad = await cli(['run', file, '--mode', 'fast'], env);
    assert.strictEqual(bad.code, 2);
    assert.match(bad.stderr, /--mode must be one of observe, coach, confirm, auto/);
    const missing = await cli(['run', path.join(tempDir('rpa-exec-cli-'), 'none.json')], env);
    assert.strictEqual(missing.code, 2);
    assert.match(missing.stderr, /no workflow file/);
  });
});
