/**
 * Encryption at rest end to end: with RPA_VISION_DATA_KEY set, `rpa-vision record` leaves a
 * session.json that is not JSON and screenshots that are not PNGs to anyone reading the disk,
 * owner-only; the product reads them back (learn, detect) and says why without the key.
 */
import assert from 'assert';
import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import { spawn } from 'child_process';
import { VirtualDesktop } from '../helpers/desktop';
import { click, sleep, tempDir } from './helpers';

const CLI = path.resolve(__dirname, '..', '..', 'bin', 'rpa-vision.js');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function cli(
  args: string[],
  env: NodeJS.ProcessEnv,
  onStderr: (text: string) => void = () => undefined,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    stderr += d;
    onStderr(stderr);
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('encryption at rest of a recording', function () {
  this.timeout(120_000);
  let vd: VirtualDesktop;
  before(async () => {
    vd = await VirtualDesktop.start();
    vd.launch('xmessage', ['-name', 'target', '-geometry', '500x200+200+200', '-title', 'Sealed target', 'seal me']);
    await vd.activate(await vd.waitForWindow('^Sealed target$'));
  });
  after(async () => {
    await vd?.stop();
  });

  it('writes sealed, owner-only files that only the product, with the key, reads back', async () => {
    const work = tempDir('rpa-sealed-rec-');
    const dir = path.join(work, 'session');
    // An empty data directory: no key file of this machine's own is picked up.
    const plain = { ...vd.env, RPA_VISION_DATA_DIR: path.join(work, 'data') };
    const keyed = { ...plain, RPA_VISION_DATA_KEY: crypto.randomBytes(32).toString('base64') };
    let clicked: Promise<void> | undefined;
    const recorded = await cli(['record', '--out', dir, '--duration', '3'], keyed, (stderr) => {
      if (!clicked && /press Ctrl\+C to stop/.test(stderr)) clicked = sleep(300).then(() => click(vd, 300, 250));
    });
    await clicked;
    assert.strictEqual(recorded.code, 0, recorded.stderr);

    const sessionFile = path.join(dir, 'session.json');
    const sessionBytes = fs.readFileSync(sessionFile);
    assert.throws(() => JSON.parse(sessionBytes.toString('utf8')), SyntaxError, 'session.json is not plain JSON');
    assert.strictEqual(sessionBytes.subarray(0, 8).toString('ascii'), 'RPAVSEAL');
    assert.strictEqual(fs.statSync(sessionFile).mode & 0o777, 0o600);
    const shotsDir = path.join(dir, 'shots');
    assert.strictEqual(fs.statSync(shotsDir).mode & 0o777, 0o700);
    const shots = fs.readdirSync(shotsDir).map((f) => path.join(shotsDir, f));
    assert.ok(shots.length > 0, 'the recording took screenshots');
    for (const shot of shots) {
      assert.ok(!fs.readFileSync(shot).subarray(0, 8).equals(PNG_SIGNATURE), `${shot} does not read as a PNG`);
      assert.strictEqual(fs.statSync(shot).mode & 0o777, 0o600);
    }

    const workflow = path.join(work, 'wf.json');
    const learned = await cli(['learn', dir, '--out', workflow], keyed);
    assert.strictEqual(learned.code, 0, learned.stderr);
    assert.strictEqual(fs.readFileSync(workflow).subarray(0, 8).toString('ascii'), 'RPAVSEAL');

    const detected = await cli(['detect', shots[0], '--json'], keyed);
    assert.strictEqual(detected.code, 0, detected.stderr);
    assert.ok(
      (JSON.parse(detected.stdout) as Array<{ elements: unknown[] }>)[0].elements.length > 0,
      'the sealed screenshot is seen',
    );

    const withoutKey = await cli(['detect', shots[0]], plain);
    assert.strictEqual(withoutKey.code, 1);
    assert.match(withoutKey.stderr, /is encrypted and no data key is configured: set RPA_VISION_DATA_KEY/);
    fs.rmSync(work, { recursive: true, force: true });
  });
});
