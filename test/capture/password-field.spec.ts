/**
 * A password field recognised from its pixels: `rpa-vision record` on its own Xvfb display, a
 * GTK form (zenity) whose window title says nothing of a password, typed into with xdotool. The
 * text typed into the field that draws bullets is masked in the session; the other field's is
 * not; the secret is in no file of the session and in nothing the command prints.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { spawn } from 'child_process';
import { VirtualDesktop } from '../helpers/desktop';
import { validateRawSession } from '../../lib/contracts/validate';
import { sleep, tempDir } from './helpers';
import { findBulletRows } from '../../lib/image/bullet-row';
import type { RgbaImage } from '../../lib/platform/types';

const CLI = path.resolve(__dirname, '..', '..', 'bin', 'rpa-vision.js');
const SECRET = 'S3cretPw9x';

describe('rpa-vision record: a field that shows bullets (GTK, Xvfb)', function () {
  this.timeout(90_000);
  let vd: VirtualDesktop;
  before(async () => {
    vd = await VirtualDesktop.start({ width: 1024, height: 768 });
  });
  after(async () => {
    await vd?.stop();
  });

  /** Every file under `dir`, as bytes. */
  function filesOf(dir: string): Array<[string, Buffer]> {
    return fs
      .readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => [path.join(e.parentPath, e.name), fs.readFileSync(path.join(e.parentPath, e.name))]);
  }

  it('masks what is typed into the password field of a window with an ordinary title', async () => {
    const form = vd.launch('zenity', [
      '--forms',
      '--title',
      'Factures - Clinique',
      '--text',
      'Dossier',
      '--add-entry',
      'Nom',
      '--add-password',
      'Code',
    ]);
    const win = await vd.waitForWindow('^Factures - Clinique$');
    await vd.activate(win);

    const dir = tempDir('rpa-bullets-');
    const child = spawn(process.execPath, [CLI, 'record', '--out', dir, '--json'], {
      env: vd.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    await vd.waitFor(() => /press Ctrl\+C to stop/.test(out), 30_000, 'the recorder to listen');

    // The form opens with the caret in "Nom"; Tab goes to "Code"; Enter sends the form.
    await vd.type('Dupont', 60);
    await sleep(300);
    await vd.key('Tab');
    await vd.type(SECRET, 60);
    await sleep(600);
    await vd.key('Return');
    await sleep(800);
    child.kill('SIGINT');
    assert.strictEqual(await exited, 0, out);
    form.kill();

    const session = validateRawSession(JSON.parse(fs.readFileSync(path.join(dir, 'session.json'), 'utf8')));
    const texts = session.events.filter((e) => e.type === 'text_input');
    assert.deepStrictEqual(
      texts.map((t) => [t.text, t.masked ?? false, t.window?.title]),
      [
        ['Dupont', false, 'Factures - Clinique'],
        ['•'.repeat(SECRET.length), true, 'Factures - Clinique'],
      ],
    );
    for (const [file, bytes] of filesOf(dir)) assert.strictEqual(bytes.indexOf(SECRET), -1, `${file} holds the secret`);
    assert.ok(!out.includes(SECRET), 'nothing printed holds the secret');
  });
});

describe('rows of bullets found from pixels', () => {
  /** A white image with dark shapes drawn by `ink(x, y)`. */
  function image(width: number, height: number, ink: (x: number, y: number) => boolean): RgbaImage {
    const data = Buffer.alloc(width * height * 4, 255);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) if (ink(x, y)) data.fill(30, (y * width + x) * 4, (y * width + x) * 4 + 3);
    return { width, height, data, scaleFactor: 1 };
  }
  /** `n` shapes of diameter `d` at pitch `pitch` on the line y = 20; `inside(dx, dy)` from the centre. */
  const row = (n: number, d: number, pitch: number, inside: (dx: number, dy: number) => boolean) =>
    image(200, 40, (x, y) => {
      const i = Math.floor((x - 10) / pitch);
      if (x < 10 || i >= n) return false;
      const cx = 10 + i * pitch + d / 2;
      return inside(x + 0.5 - cx, y + 0.5 - 20);
    });
  const disc = (d: number) => (dx: number, dy: number) => Math.hypot(dx, dy) <= d / 2;
  const ring = (d: number) => (dx: number, dy: number) => Math.abs(Math.hypot(dx, dy) - d / 2 + 1) <= 1;

  it('finds filled dots of one size at an even pitch, and counts them', () => {
    const rows = findBulletRows(row(7, 8, 12, disc(8)));
    assert.deepStrictEqual(
      rows.map((r) => [r.count, r.diameter]),
      [[7, 8]],
    );
  });

  it('does not take hollow letters, full stops or squares for bullets', () => {
    assert.deepStrictEqual(findBulletRows(row(6, 9, 12, ring(9))), [], '"oooooo"');
    assert.deepStrictEqual(findBulletRows(row(3, 2, 5, disc(2))), [], '"..."');
    assert.deepStrictEqual(findBulletRows(row(5, 8, 12, () => true)), [], 'squares');
    assert.deepStrictEqual(findBulletRows(row(2, 8, 12, disc(8))), [], 'two dots are not a row');
  });
});
