/**
 * `rpa-vision` as a user runs it: help, errors for bad input, and `doctor` telling in plain
 * words what works on a machine with a display and what is missing on one without.
 */
import assert from 'assert';
import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { VirtualDesktop } from '../helpers/desktop';

const cli = path.resolve(__dirname, '..', '..', 'bin', 'rpa-vision.js');

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { env: { ...process.env, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

interface DoctorReport {
  ok: boolean;
  checks: Array<{
    name: string;
    status: 'ok' | 'warn' | 'fail';
    detail: string;
    advice?: string;
    figures?: Record<string, number>;
  }>;
}

describe('rpa-vision command line', function () {
  this.timeout(90_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-cli-'));

  it('lists its commands with --help and exits 0', async () => {
    const r = await run(['--help']);
    assert.strictEqual(r.code, 0);
    assert.match(r.stdout, /Usage: rpa-vision <command>/);
    assert.match(r.stdout, /doctor\s+Check this machine/);
  });

  it('says which command is unknown and exits 2, without a stack trace', async () => {
    const r = await run(['frobnicate']);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /unknown command "frobnicate"/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it('says which option is unknown', async () => {
    const r = await run(['doctor', '--colour']);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /unknown option --colour/);
  });

  it('doctor without a display: says "no display (set DISPLAY)" and how to fix it, and still checks the rest', async () => {
    const r = await run(['doctor', '--json', '--data-dir', dataDir], { DISPLAY: '' });
    assert.strictEqual(r.code, 1);
    const report = JSON.parse(r.stdout) as DoctorReport;
    const by = Object.fromEntries(report.checks.map((c) => [c.name, c]));
    assert.strictEqual(report.ok, false);
    assert.strictEqual(by.display.status, 'fail');
    assert.strictEqual(by.display.detail, 'no display (set DISPLAY)');
    assert.match(by.display.advice ?? '', /Xvfb/);
    assert.strictEqual(by.models.status, 'ok');
    assert.strictEqual(by.store.status, 'ok');
    assert.match(by['node-red'].detail, /^Node-RED 4\./);
  });

  it('doctor on a real display: every check passes, with the capture time and model load times', async () => {
    const desktop = await VirtualDesktop.start({ windowManager: false });
    try {
      const r = await run(['doctor', '--data-dir', dataDir], { DISPLAY: desktop.display });
      assert.strictEqual(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /\[ok {2}\] display +display :\d+ is reachable/);
      assert.match(r.stdout, /\[ok {2}\] input hooks/);
      assert.match(r.stdout, /screen capture +captures the 1920×1080 screen in [\d.]+ ms/);
      assert.match(r.stdout, /models +OCR models load in onnxruntime \(ocr-det \d+ ms, ocr-rec \d+ ms/);
      assert.match(r.stdout, /store +the store of .* \(--data-dir\) is writable/);
      assert.match(r.stdout, /Everything the product needs is here/);
    } finally {
      await desktop.stop();
    }
  });

  it('doctor with an unwritable data directory says so', async () => {
    const file = path.join(dataDir, 'a-file');
    fs.writeFileSync(file, 'x');
    const r = await run(['doctor', '--json', '--data-dir', path.join(file, 'below')], { DISPLAY: '' });
    const report = JSON.parse(r.stdout) as DoctorReport;
    const store = report.checks.find((c) => c.name === 'store')!;
    assert.strictEqual(store.status, 'fail');
    assert.match(store.detail, /is not writable/);
    assert.match(store.advice ?? '', /RPA_VISION_DATA_DIR/);
  });
});
