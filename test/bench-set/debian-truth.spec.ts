/**
 * The hand-written ground truth of the Debian application screens, checked the only way that
 * counts: clicking the middle of a target's click box with the real mouse does what the target
 * says (the dialog answers Yes, the form is accepted, the window closes).
 */
import assert from 'assert';
import { ChildProcess } from 'child_process';
import { DEBIAN_DESKTOP, DEBIAN_SCENARIOS, showScenario } from '../../bench/screens/debian';
import { VirtualDesktop } from '../helpers/desktop';

function exitCode(app: ChildProcess, timeoutMs = 10_000): Promise<number | null> {
  if (app.exitCode !== null) return Promise.resolve(app.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the application did not exit within ${timeoutMs} ms of the click`)),
      timeoutMs,
    );
    app.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe('benchmark set: the hand-measured targets of real Debian applications', function () {
  this.timeout(60_000);
  let desktop: VirtualDesktop;
  before(async () => {
    desktop = await VirtualDesktop.start(DEBIAN_DESKTOP);
  });
  after(async () => desktop?.stop());

  const cases: Array<[scenario: string, target: string, expectedExit: number]> = [
    ['zenity-question', 'Yes', 0],
    ['zenity-question', 'No', 1],
    ['zenity-forms', 'OK', 0],
    ['yad-form', 'Fermer', 1],
  ];
  for (const [name, label, expected] of cases) {
    it(`${name}: clicking the middle of "${label}" answers with exit code ${expected}`, async () => {
      const scenario = DEBIAN_SCENARIOS.find((s) => s.name === name)!;
      const shown = await showScenario(desktop, scenario);
      const target = shown.elements.find((e) => e.label === label)!;
      const [x1, y1, x2, y2] = target.click_box;
      await desktop.click(Math.round((x1 + x2) / 2), Math.round((y1 + y2) / 2));
      assert.strictEqual(await exitCode(shown.app), expected);
    });
  }
});
