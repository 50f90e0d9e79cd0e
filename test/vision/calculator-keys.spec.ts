/**
 * galculator as it opens under Xvfb (issue 14, wrong-item risks): its display shows "0" above a
 * keypad whose own "0" key the recognizer reads as a letter unless it looks again, and a
 * backspace key "<-" next to the minus key. A click query must land on the key or be called
 * ambiguous; never on the display, never on a neighbour that merely looks alike.
 */
import assert from 'assert';
import { execFile } from 'child_process';
import { promisify } from 'util';
import type { Point2, ScreenAnalysis, VisionEngine } from '../../lib/vision';
import { VirtualDesktop } from '../helpers/desktop';
import { geometry, keyCenter, launchGalculator, type AppWindow, type Geometry } from '../execute/debian-apps';
import { sharedEngine } from './helpers/render';

const execFileAsync = promisify(execFile);

/** Half a key of the keypad, in pixels: a click this close to a key's centre is on that key. */
const HALF_KEY = { x: 26, y: 14 };

function onKey(point: Point2 | null, key: Point2): boolean {
  return !!point && Math.abs(point[0] - key[0]) <= HALF_KEY.x && Math.abs(point[1] - key[1]) <= HALF_KEY.y;
}

describe('locate on galculator: keys, not the display nor a look-alike key (Xvfb)', function () {
  this.timeout(120_000);
  let vd: VirtualDesktop;
  let app: AppWindow;
  let engine: VisionEngine;
  let analysis: ScreenAnalysis;
  let g: Geometry;

  before(async () => {
    vd = await VirtualDesktop.start({ width: 1280, height: 800 });
    app = await launchGalculator(vd);
    g = await geometry(vd, app.id);
    const { stdout } = await execFileAsync('import', ['-window', 'root', 'png:-'], {
      env: vd.env,
      encoding: 'buffer',
      maxBuffer: 1 << 26,
    });
    engine = await sharedEngine();
    analysis = await engine.analyze(stdout);
  });

  after(async () => {
    app?.close();
    await vd?.stop();
  });

  const describeResult = (r: { strategy: string; center: Point2 | null; candidates: unknown }) =>
    `${r.strategy} at ${JSON.stringify(r.center)}; candidates ${JSON.stringify(r.candidates)}`;

  it('clicks "0" on the 0 key, or calls it ambiguous with the key among the candidates; never the display', async () => {
    const zero = keyCenter(g, '0');
    const r = await engine.locate(analysis, { text: '0' });
    if (r.found) assert.ok(onKey(r.center, zero), `"0" clicked off the 0 key: ${describeResult(r)}`);
    else {
      assert.ok(r.ambiguous, describeResult(r));
      assert.ok(
        r.candidates.some((c) => onKey(c.center, zero)),
        `the 0 key is not among the candidates: ${describeResult(r)}`,
      );
    }
  });

  it('never clicks the display for "0" asked as a button', async () => {
    const r = await engine.locate(analysis, { text: '0', type: 'button' });
    assert.ok(r.ambiguous || (r.found && onKey(r.center, keyCenter(g, '0'))), describeResult(r));
  });

  it('clicks "-" on the minus key or calls it ambiguous, never on the backspace key', async () => {
    const r = await engine.locate(analysis, { text: '-' });
    assert.ok(!onKey(r.center, keyCenter(g, '<-')), `"-" clicked the backspace key: ${describeResult(r)}`);
    assert.ok(r.ambiguous || onKey(r.center, keyCenter(g, '-')), describeResult(r));
  });

  it('finds the backspace key as "<-" and as "←"', async () => {
    for (const text of ['<-', '←']) {
      const r = await engine.locate(analysis, { text });
      assert.ok(r.found && onKey(r.center, keyCenter(g, '<-')), `${text}: ${describeResult(r)}`);
    }
  });

  it('reads "C" and "(" on their keys', async () => {
    const c = await engine.locate(analysis, { text: 'C', type: 'button' });
    assert.ok(c.found && onKey(c.center, keyCenter(g, 'C')), describeResult(c));
    const open = await engine.locate(analysis, { text: '(' });
    assert.ok(open.found && onKey(open.center, keyCenter(g, '(')), describeResult(open));
  });
});
