/** How the X11 platform tells monitors apart (environment.screens of a recording). */
import assert from 'assert';
import { parseMonitors } from '../../lib/platform/x11/x11-monitors';

describe('X11 monitors (xrandr --listmonitors)', () => {
  it('lists each monitor with its size, primary first', () => {
    // A laptop panel and a primary external monitor to its left, as xrandr 1.5 prints them.
    const out = 'Monitors: 2\n 0: +eDP-1 1920/344x1080/194+2560+0  eDP-1\n 1: +*DP-1 2560/597x1440/336+0+0  DP-1\n';
    assert.deepStrictEqual(parseMonitors(out), [
      { name: 'DP-1', width: 2560, height: 1440, x: 0, y: 0, isPrimary: true },
      { name: 'eDP-1', width: 1920, height: 1080, x: 2560, y: 0, isPrimary: false },
    ]);
  });

  it("takes the first monitor as primary when none is marked, and reads Xvfb's single screen", () => {
    assert.deepStrictEqual(parseMonitors('Monitors: 1\n 0: +screen 1920/508x1080/286+0+0  screen\n'), [
      { name: 'screen', width: 1920, height: 1080, x: 0, y: 0, isPrimary: true },
    ]);
    assert.deepStrictEqual(parseMonitors(''), []);
  });
});
