/**
 * Recording a real person's session, end to end: Xvfb with openbox, mousepad and other real
 * windows, xdotool playing the human, the recording agent hearing it through the X input hook.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { VirtualDesktop } from '../helpers/desktop';
import { Recording } from '../../lib/capture/recording';
import { RECORDER_DEFAULTS } from '../../lib/capture/recorder';
import { validateRawSession } from '../../lib/contracts/validate';
import type { RawEvent, RawSession } from '../../lib/contracts/raw-session';
import { click, clientOrigin, darkPixels, pixel, shotImage, sleep, tempDir } from './helpers';

const of = (s: RawSession, type: RawEvent['type']) => s.events.filter((e) => e.type === type);

describe('recording a session on a real desktop', function () {
  this.timeout(90_000);
  let vd: VirtualDesktop;
  let editorId: string;
  let otherId: string;
  let editor: { x: number; y: number };

  before(async () => {
    vd = await VirtualDesktop.start();
    vd.launch('mousepad', []);
    editorId = await vd.waitForWindow('Mousepad');
    await vd.xdotool(['windowsize', '--sync', editorId, '800', '600']);
    await vd.xdotool(['windowmove', '--sync', editorId, '100', '100']);
    vd.launch('xmessage', [
      '-name',
      'otherapp',
      '-bg',
      '#ff0000',
      '-geometry',
      '400x200+1200+200',
      '-title',
      'Other window',
      'other',
    ]);
    otherId = await vd.waitForWindow('^Other window$');
    await vd.activate(editorId);
    editor = await clientOrigin(vd, editorId);
  });
  after(async () => {
    await vd?.stop();
  });

  it('records clicks, a double click, corrected typing, a shortcut, a scroll, a drag and a window switch, with the right shots', async () => {
    const dir = tempDir('rpa-rec-');
    const rec = await Recording.start({ outDir: dir, display: vd.display });
    const menu = { x: editor.x + 19, y: editor.y + 12 };
    const text = { x: editor.x + 300, y: editor.y + 250 };
    await sleep(300);
    await click(vd, menu.x, menu.y); // opens the File menu: the screen changes at once
    await sleep(700);
    await vd.key('Escape');
    await click(vd, text.x, text.y);
    await vd.type('Helo');
    await vd.key('BackSpace');
    await vd.type('lo world');
    await vd.key('ctrl+f');
    await sleep(500);
    await vd.key('Escape');
    await click(vd, text.x + 50, text.y + 10, 1, 2);
    await sleep(300);
    await click(vd, text.x + 100, text.y + 50, 5);
    await click(vd, text.x + 100, text.y + 50, 5);
    await sleep(300);
    const drag = { from: [text.x, text.y + 100], to: [text.x + 150, text.y + 120] };
    await vd.xdotool([
      'mousemove',
      ...drag.from.map(String),
      'mousedown',
      '1',
      'mousemove',
      ...drag.to.map(String),
      'mouseup',
      '1',
    ]);
    await sleep(300);
    await click(vd, 1300, 260); // into the other application
    await sleep(800);
    const result = await rec.stop();
    assert.strictEqual(result.error, undefined);
    const session = validateRawSession(
      JSON.parse(fs.readFileSync(path.join(dir, 'session.json'), 'utf8')),
      'session.json',
    );
    assert.strictEqual(session.end_reason, 'stopped');
    assert.deepStrictEqual(session.environment.screens?.[0].resolution, [1920, 1080]);
    assert.ok(session.performance && session.performance.memory_usage_mb > 0);

    const clicks = of(session, 'mouse_click');
    const menuClick = clicks.find((c) => c.pos![0] === menu.x && c.pos![1] === menu.y);
    assert.ok(menuClick, `the File menu click, in ${JSON.stringify(clicks.map((c) => c.pos))}`);
    assert.match(menuClick.window!.title, /Mousepad$/);
    assert.strictEqual(menuClick.window!.app_name, 'mousepad');
    assert.deepStrictEqual(menuClick.window!.bounds!.slice(0, 2), [editor.x, editor.y], 'window bounds on the screen');
    // Where the open menu lists its items: empty editor before the click, menu text after it.
    const menuArea = [editor.x + 25, editor.y + 140, editor.x + 200, editor.y + 300] as const;
    const before = await shotImage(dir, session, menuClick.screenshot_id);
    const after = await shotImage(dir, session, menuClick.after_screenshot_id);
    assert.ok(
      darkPixels(before, ...menuArea) < 20,
      `the shot before the click shows no menu (${darkPixels(before, ...menuArea)} dark pixels)`,
    );
    assert.ok(
      darkPixels(after, ...menuArea) > 200,
      `the shot after the click shows the menu (${darkPixels(after, ...menuArea)} dark pixels)`,
    );

    const typed = of(session, 'text_input');
    assert.deepStrictEqual(
      typed.map((t) => [t.text, t.pos, /Mousepad$/.test(t.window!.title)]),
      [['Hello world', [text.x, text.y], true]],
    );
    const presses = of(session, 'key_press').map((e) => e.keys!.join('+'));
    assert.deepStrictEqual(presses, ['ESCAPE', 'CTRL+F', 'ESCAPE']);
    assert.ok(of(session, 'key_release').some((e) => e.keys!.join('+') === 'CTRL+F'));
    assert.deepStrictEqual(clicks.find((c) => c.drag_to)?.pos, drag.from, 'a drag starts where the button went down');
    assert.deepStrictEqual(clicks.find((c) => c.drag_to)?.drag_to, drag.to, 'and ends where it was released');
    const double = clicks.find((c) => c.click_count === 2);
    assert.deepStrictEqual(double?.pos, [text.x + 50, text.y + 10]);
    assert.deepStrictEqual(
      of(session, 'mouse_scroll').map((e) => [e.delta, e.pos]),
      [[240, [text.x + 100, text.y + 50]]],
    );
    const switched = of(session, 'window_change').find((e) => e.to_window?.title === 'Other window');
    assert.ok(switched, `a switch to the other window in ${JSON.stringify(of(session, 'window_change'))}`);
    assert.match(switched.from_window!.title, /Mousepad$/);
    assert.strictEqual(switched.to_window!.app_name, 'otherapp');
    const otherShot = await shotImage(dir, session, switched.after_screenshot_id);
    const [ox1, oy1, ox2] = switched.to_window!.bounds!;
    assert.deepStrictEqual(
      pixel(otherShot, ox2 - 10, oy1 + 10),
      [255, 0, 0],
      'the other window, red, where its bounds say',
    );
    assert.ok(ox1 >= 1200 && ox1 <= 1210, `other window at x ${ox1}`);

    for (const shot of session.screenshots) {
      const file = path.join(dir, shot.relative_path);
      assert.ok(fs.existsSync(file), `${shot.relative_path} exists`);
      assert.deepStrictEqual([shot.width, shot.height], [1920, 1080]);
    }
    const ids = new Set(session.screenshots.map((s) => s.screenshot_id));
    for (const e of [...clicks, ...typed, ...of(session, 'key_press'), ...of(session, 'mouse_scroll')])
      assert.ok(e.screenshot_id && ids.has(e.screenshot_id), `${e.type} at ${e.t} has a screenshot`);
    assert.ok(
      session.screenshots.length < session.events.length,
      `shots are deduplicated (${session.screenshots.length} for ${session.events.length} events)`,
    );
  });

  it('loses no keystroke when input comes at 50 events a second for 10 seconds', async () => {
    const dir = tempDir('rpa-rec-fast-');
    await vd.activate(editorId);
    const rec = await Recording.start({ outDir: dir, display: vd.display });
    await click(vd, editor.x + 300, editor.y + 300);
    const words = 'the quick brown fox jumps over the lazy dog ';
    const text = words.repeat(Math.ceil(500 / words.length)).slice(0, 500);
    const started = Date.now();
    await vd.type(text, 20); // 500 key strokes, 1000 key events, in about 10 s
    const seconds = (Date.now() - started) / 1000;
    await sleep(300);
    const { session } = await rec.stop();
    validateRawSession(session);
    const typed = of(session, 'text_input')
      .map((t) => t.text)
      .join('');
    assert.strictEqual(typed.length, 500, `typed ${typed.length} of 500 characters in ${seconds.toFixed(1)} s`);
    assert.strictEqual(typed, text);
  });

  it('records a screen change nobody caused, and keeps excluded and sensitive windows private', async () => {
    const dir = tempDir('rpa-rec-private-');
    await vd.activate(editorId);
    const rec = await Recording.start({ outDir: dir, display: vd.display, privacy: { exclude: ['Private notes'] } });
    await sleep(1300); // quiet: what changes now is not the user's doing
    await vd.xdotool(['windowunmap', otherId]); // the red window goes away; the editor keeps the focus
    await sleep(RECORDER_DEFAULTS.idleFrameIntervalMs + 500); // long enough for an idle frame to see it
    await vd.xdotool(['windowmap', otherId]);
    const popup = vd.launch('xmessage', [
      '-name',
      'popup',
      '-bg',
      '#0000ff',
      '-geometry',
      '500x300+300+500',
      '-title',
      'Private notes',
      'private',
    ]);
    const popupId = await vd.waitForWindow('^Private notes$');
    await sleep(1500);
    await vd.activate(popupId);
    await vd.type('secret1');
    await click(vd, 550, 650);
    const password = vd.launch('zenity', ['--entry', '--hide-text', '--title', 'Mot de passe', '--text', 'Password']);
    await vd.activate(await vd.waitForWindow('^Mot de passe$'));
    await sleep(300);
    await vd.type('hunter2');
    await sleep(500);
    const { session } = await rec.stop();
    popup.kill('SIGKILL');
    password.kill('SIGKILL');
    validateRawSession(session);
    const json = JSON.stringify(session);
    assert.ok(!json.includes('secret1') && !json.includes('hunter2'), 'no private text in the session');
    assert.ok(
      session.events.every((e) => e.window?.title !== 'Private notes'),
      'the excluded window title is not kept',
    );
    const changes = of(session, 'screen_change');
    assert.ok(changes.length >= 1, `a screen_change in ${session.events.map((e) => e.type)}`);
    assert.ok(
      changes[0].similarity_score! < 0.99 && changes[0].similarity_score! > 0.5,
      `similarity ${changes[0].similarity_score}`,
    );
    assert.ok(changes[0].screenshot_id, 'the screen change has its screenshot');
    const inPrivate = session.events.filter((e) => e.window?.title === '[excluded]');
    assert.ok(inPrivate.length >= 1, 'events in the excluded window are recorded without their title');
    assert.ok(
      inPrivate.every((e) => e.screenshot_id === null && !e.after_screenshot_id && e.type !== 'text_input'),
      JSON.stringify(inPrivate),
    );
    const masked = of(session, 'text_input').find((t) => t.window?.title === 'Mot de passe');
    assert.deepStrictEqual([masked?.text, masked?.masked], ['•••••••', true]);
  });

  it('records each action in the window it was made in, also when it opens another window or closes its own', async () => {
    const dir = tempDir('rpa-rec-windows-');
    const bye = vd.launch('xmessage', [
      '-name',
      'byeapp',
      '-geometry',
      '300x120+300+300',
      '-title',
      'Bye window',
      '-buttons',
      'Fermer',
      'au revoir',
    ]);
    const byeId = await vd.waitForWindow('^Bye window$');
    const byeClient = await clientOrigin(vd, byeId);
    await vd.activate(editorId);
    const rec = await Recording.start({ outDir: dir, display: vd.display });
    await click(vd, editor.x + 300, editor.y + 300);
    await vd.type('a');
    // A person pauses before saving: the recorder, idle, last read the window up to 2 s ago.
    await sleep(2500);
    await vd.key('ctrl+s'); // opens Save As before the hook reports the key
    const dialogId = await vd.waitForWindow('^Save As$', 10_000);
    await sleep(600);
    await vd.key('Escape'); // closes the dialog it was pressed in
    await vd.waitFor(async () => (await vd.xdotool(['getactivewindow'])) !== dialogId, 10_000, 'Save As to close');
    await vd.activate(byeId);
    await sleep(400);
    // A person moves to the button, then clicks "Fermer": the window closes on the release.
    await vd.xdotool(['mousemove', String(byeClient.x + 30), String(byeClient.y + 95)]);
    await sleep(300);
    await click(vd, byeClient.x + 36, byeClient.y + 102);
    await vd.waitFor(() => bye.exitCode !== null, 10_000, 'xmessage to close');
    await sleep(500);
    const { session } = await rec.stop();
    validateRawSession(session);
    const windowOf = (e: RawEvent | undefined) => e?.window?.title ?? null;
    const presses = of(session, 'key_press');
    const save = presses.find((e) => e.keys?.join('+') === 'CTRL+S');
    assert.match(String(windowOf(save)), / - Mousepad$/, 'Ctrl+S was pressed in the editor');
    assert.strictEqual(windowOf(presses.find((e) => e.keys?.join('+') === 'ESCAPE')), 'Save As');
    const closing = of(session, 'mouse_click').find(
      (e) => e.pos![1] > byeClient.y + 80 && e.pos![0] < byeClient.x + 80,
    );
    assert.strictEqual(windowOf(closing), 'Bye window', JSON.stringify(of(session, 'mouse_click')));
    assert.ok(closing?.window?.bounds, 'the click keeps the bounds of the window it closed');
    const order = session.events.map((e) => e.type + ':' + (e.type === 'window_change' ? windowOf(e) : ''));
    const saveAt = session.events.indexOf(save!);
    assert.ok(
      session.events.slice(saveAt + 1).some((e) => e.type === 'window_change' && windowOf(e) === 'Save As'),
      `the dialog's window change comes after Ctrl+S: ${order.join(' ')}`,
    );
  });
});
