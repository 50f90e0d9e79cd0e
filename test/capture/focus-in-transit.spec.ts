/**
 * A click on a window that does not have the focus: the window manager takes the focus from the
 * one that had it and gives it to the clicked one, and for a moment no window has it. The
 * recorder read the active window in that moment in one CI run (galculator's menu, then a click
 * in mousepad) and recorded the click in no window, so the two demonstrations of one task
 * differed. Real Xvfb, openbox, xmessage windows and the X input hook; the desktop's active
 * window reads "none" for 200 ms after each mouse press, as it did then.
 */
import assert from 'assert';
import type { ChildProcess } from 'child_process';
import { sharedDesktop, type VirtualDesktop } from '../helpers/desktop';
import { openDesktop } from '../../lib/platform';
import { Recorder } from '../../lib/capture/recorder';
import { SessionBuilder } from '../../lib/capture/journal';
import type { RawInputEvent } from '../../lib/platform/types';
import { click, clientOrigin, sleep, tempDir } from './helpers';

const IN_TRANSIT_MS = 200;

describe('recording: a click while the focus moves between windows', function () {
  this.timeout(90_000);
  let vd: VirtualDesktop;

  before(async () => {
    // The native input hook opens $DISPLAY once per process: the process's shared desktop.
    vd = await sharedDesktop();
  });

  const windows: ChildProcess[] = [];
  after(() => {
    for (const w of windows) w.kill();
  });

  it('records the click in the window it gives the focus to, not in none', async () => {
    const open = (title: string, x: number) =>
      windows.push(vd.launch('xmessage', ['-geometry', `400x200+${x}+200`, '-title', title, '-buttons', '', title]));
    open('Left window', 100);
    const leftId = await vd.waitForWindow('^Left window$');
    open('Right window', 700);
    const rightId = await vd.waitForWindow('^Right window$');
    const right = await clientOrigin(vd, rightId);
    await vd.activate(leftId);
    await vd.waitFor(
      async () => (await vd.xdotool(['getactivewindow'])) === leftId,
      10_000,
      'the left window to focus',
    );
    await sleep(300);

    const desktop = await openDesktop({ display: vd.display });
    let pressedAt = 0;
    const hear = desktop.input.start.bind(desktop.input);
    desktop.input.start = (listener: (e: RawInputEvent) => void) =>
      hear((e) => {
        if (e.kind === 'mousedown') pressedAt = Date.now();
        listener(e);
      });
    const active = desktop.windows.active.bind(desktop.windows);
    desktop.windows.active = async () => (Date.now() - pressedAt < IN_TRANSIT_MS ? null : active());

    const session = new SessionBuilder();
    const recorder = new Recorder(desktop, { dir: tempDir('rpa-rec-transit-') }, (entry) => session.apply(entry));
    await recorder.start();
    try {
      await sleep(500);
      await click(vd, right.x + 200, right.y + 60);
      await vd.waitFor(async () => (await vd.xdotool(['getactivewindow'])) === rightId, 10_000, 'the click to focus');
      await sleep(1500);
    } finally {
      await recorder.stop();
    }
    const clicks = session.build().events.filter((e) => e.type === 'mouse_click');
    assert.deepStrictEqual(
      clicks.map((e) => e.window?.title ?? null),
      ['Right window'],
      JSON.stringify(session.build().events.map((e) => [e.type, e.window?.title ?? null])),
    );
  });
});
