/**
 * The frame the person acted on: on a loaded machine a grab asked for just before a click may be
 * served after it, showing the screen the click made (a dialog already closed by its button).
 */
import assert from 'assert';
import { FrameGrabber } from '../../lib/capture/frame-grabber';
import type { RgbaImage, ScreenProvider } from '../../lib/platform/types';

/** A screen whose grabs take `ms` each and return images numbered in order (their width). */
function slowScreen(ms: number): ScreenProvider {
  let n = 0;
  return {
    screens: async () => [],
    grab: () =>
      new Promise<RgbaImage>((resolve) =>
        setTimeout(() => resolve({ width: ++n, height: 1, data: Buffer.alloc(4), scaleFactor: 1 }), ms),
      ),
  };
}

describe('capture: the frame before an action', () => {
  it('for a click, is the newest frame in hand before it, not one whose grab was still running then', async () => {
    const grabber = new FrameGrabber(slowScreen(60));
    await grabber.grab();
    const running = grabber.grab();
    await new Promise((r) => setTimeout(r, 20));
    const click = Date.now();
    await running;
    assert.strictEqual(grabber.before(click, true)?.image.width, 1, 'the frame that ended before the click');
    assert.strictEqual(grabber.before(Date.now() + 1, true)?.image.width, 2);
    // A key's frame: the newest begun before it (the frame in hand may lag the text typed).
    assert.strictEqual(grabber.before(click)?.image.width, 2);
  });

  it('falls back to a grab begun before the action when none had ended, and to nothing before any', async () => {
    const grabber = new FrameGrabber(slowScreen(40));
    const before = Date.now();
    const first = grabber.grab();
    await new Promise((r) => setTimeout(r, 10));
    const click = Date.now();
    await first;
    assert.strictEqual(grabber.before(click, true)?.image.width, 1);
    assert.strictEqual(grabber.before(before - 1, true), null);
  });
});
