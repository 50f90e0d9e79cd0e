/**
 * The platform layer on a real X server: capture a screen showing a known window, move and
 * click the mouse, type into a real text field and read the result back, hear global input.
 */
import assert from 'assert';
import { execFile } from 'child_process';
import { openDesktop, type Desktop, type RawInputEvent } from '../../lib/platform';
import { sharedDesktop, type VirtualDesktop } from '../helpers/desktop';

function pixel(img: { width: number; data: Buffer }, x: number, y: number): [number, number, number] {
  const i = (y * img.width + x) * 4;
  return [img.data[i], img.data[i + 1], img.data[i + 2]];
}

describe('platform layer on a real X display', function () {
  this.timeout(60_000);
  let vd: VirtualDesktop;
  let desktop: Desktop;

  before(async () => {
    vd = await sharedDesktop();
    desktop = await openDesktop();
  });

  it('captures the screen with a known window on it, and reports that window as active', async () => {
    // A window of a known colour at a known place: xmessage with a red background.
    const app = vd.launch('xmessage', [
      '-name',
      'rpa-known',
      '-bg',
      '#ff0000',
      '-geometry',
      '400x200+100+150',
      '-title',
      'Known window',
      'hello from the test',
    ]);
    try {
      const id = await vd.waitForWindow('^Known window$');
      await vd.activate(id);
      const screens = await desktop.screen.screens();
      assert.deepStrictEqual([screens[0].width, screens[0].height], [vd.width, vd.height]);
      const shot = await desktop.screen.grab();
      assert.strictEqual(shot.width, vd.width);
      assert.strictEqual(shot.data.length, vd.width * vd.height * 4);
      const geometry = await vd.xdotool(['getwindowgeometry', id]);
      const [, wx, wy] = /Position: (\d+),(\d+)/.exec(geometry)!.map(Number);
      const [, ww, wh] = /Geometry: (\d+)x(\d+)/.exec(geometry)!.map(Number);
      // Inside the window near its right edge, away from the centred text: red; far outside: not red.
      const inside = { x: wx + ww - 12, y: wy + Math.round(wh / 3) };
      assert.deepStrictEqual(pixel(shot, inside.x, inside.y), [255, 0, 0]);
      assert.notDeepStrictEqual(pixel(shot, vd.width - 5, vd.height - 5), [255, 0, 0]);
      const region = await desktop.screen.grab({ x: inside.x - 2, y: inside.y - 2, width: 50, height: 40 });
      assert.deepStrictEqual([region.width, region.height], [50, 40]);
      assert.deepStrictEqual(pixel(region, 2, 2), [255, 0, 0]);
      const active = await desktop.windows.active();
      assert.ok(active, 'an active window');
      assert.strictEqual(active.title, 'Known window');
      assert.strictEqual(active.appName, 'rpa-known');
      assert.ok(active.bounds.width >= 300 && active.bounds.height >= 100, `bounds ${JSON.stringify(active.bounds)}`);
    } finally {
      app.kill('SIGKILL');
    }
  });

  it('names a dialog after the program that opened it, also when its WM_CLASS names only the widget (Tk)', async () => {
    // Tk gives each toplevel a WM_CLASS of its own ("!toplevel", "!toplevel2"): the dialog is transient for the main window.
    const script = [
      'import tkinter as tk',
      'r = tk.Tk(); r.title("Owner window"); r.geometry("300x200+50+50")',
      't = tk.Toplevel(r); t.title("Owned dialog"); t.geometry("200x100+400+80"); t.transient(r)',
      'r.mainloop()',
    ].join('\n');
    const app = vd.launch('/usr/bin/python3', ['-c', script]);
    try {
      const owner = await vd.waitForWindow('^Owner window$');
      const dialog = await vd.waitForWindow('^Owned dialog$');
      assert.match(await vd.xprop(['-id', dialog, 'WM_CLASS']), /"!toplevel"/);
      await vd.activate(dialog);
      const active = await desktop.windows.active();
      const listed = await desktop.windows.list!();
      const ownerApp = listed.find((w) => w.id === String(Number(owner)))?.appName;
      assert.ok(ownerApp && !ownerApp.startsWith('!'), JSON.stringify(listed));
      assert.strictEqual(active?.title, 'Owned dialog');
      assert.strictEqual(active.appName, ownerApp);
      assert.strictEqual(listed.find((w) => w.title === 'Owned dialog')?.appName, ownerApp);
    } finally {
      app.kill('SIGKILL');
    }
  });

  it('moves and clicks the mouse where it is told', async () => {
    await desktop.mouse.move({ x: 321, y: 456 });
    assert.deepStrictEqual(await desktop.mouse.position(), { x: 321, y: 456 });
    const out = await vd.xdotool(['getmouselocation']);
    assert.match(out, /x:321 y:456/);
  });

  it('types into a real text field, with a key combination, and the application reads it back', async () => {
    // zenity --entry prints what the user typed when OK (Enter) is pressed.
    const result = new Promise<string>((resolve, reject) => {
      const child = execFile(
        'zenity',
        ['--entry', '--title', 'Platform typing test', '--text', 'Type here'],
        { env: vd.env, timeout: 30_000 },
        (err, stdout) => (err ? reject(err) : resolve(stdout.trim())),
      );
      child.on('error', reject);
    });
    const id = await vd.waitForWindow('^Platform typing test$');
    await vd.activate(id);
    await desktop.keyboard.type('wrong text');
    await desktop.keyboard.tap(['CTRL', 'A']);
    await desktop.keyboard.type('Facture n°42 été: 12*7 = 84 (ok)!');
    await desktop.keyboard.tap(['ENTER']);
    assert.strictEqual(await result, 'Facture n°42 été: 12*7 = 84 (ok)!');
  });

  it('hears global mouse and keyboard input with readable key names', async () => {
    const events: RawInputEvent[] = [];
    await desktop.input.start((e) => events.push(e));
    try {
      await new Promise((r) => setTimeout(r, 300));
      await vd.xdotool(['mousemove', '--sync', '600', '400']);
      await vd.xdotool(['click', '1']);
      await vd.xdotool(['key', 'ctrl+f']);
      await vd.xdotool(['type', 'Ab']);
      await vd.waitFor(() => events.some((e) => e.kind === 'keyup' && e.key === 'B'), 5000, 'the typed keys to arrive');
    } finally {
      await desktop.input.stop();
    }
    const down = events.find((e) => e.kind === 'mousedown');
    assert.ok(down && down.kind === 'mousedown', 'a mousedown');
    assert.deepStrictEqual([down.x, down.y, down.button], [600, 400, 'left']);
    const f = events.find((e) => e.kind === 'keydown' && e.key === 'F');
    assert.ok(f && f.kind === 'keydown' && f.modifiers.ctrl, 'CTRL+F with the ctrl modifier');
    assert.strictEqual(f.char, undefined, 'a shortcut types no character');
    const chars = events.filter((e) => e.kind === 'keydown' && e.char).map((e) => (e as { char: string }).char);
    assert.deepStrictEqual(chars, ['A', 'b']);
  });
});
