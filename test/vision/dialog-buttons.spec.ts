/**
 * A dialog's "OK": Wine's configuration dialog draws it in a tight focus frame, the recognizer
 * reads nothing in its box, and the second look, cropped tight for a lone glyph, read "K" and was
 * sure of it. Two glyphs stand apart in the box, more than the reading has: it is read again
 * with a line's margin, and the reading that accounts for both wins. With "OK" read, the row
 * "OK Cancel Apply" a few pixels apart at the window's right edge looked like a tab strip on a
 * panel: the dark outside of the window beside it passed for the panel's edge. Screens captured
 * in the corpus (winecfg, classic and light themes). Notepad's Font dialog draws its default
 * "OK" in a blue frame that the detected box reached over: the frame's rows inked every column
 * (no second glyph seen) and made the crop with a line's margin three times the letters' height
 * (read as nothing). A key's border is no ink of its glyphs.
 */
import assert from 'assert';
import type { BBox } from '../../lib/contracts/screen-state';
import { inside, locateOnCapture } from './helpers/render';

const show = (hit: object) => JSON.stringify({ ...hit, element: undefined });

describe('vision: a dialog’s "OK" and the buttons beside it', function () {
  this.timeout(120_000);

  for (const [page, text, box] of [
    ['wine-winecfg/applications-classic', 'OK', [170, 406, 245, 427]],
    ['wine-winecfg/graphics-light', 'OK', [170, 406, 244, 426]],
    ['wine-winecfg/applications-classic', 'Cancel', [251, 406, 326, 427]],
    ['wine-notepad/font-dialog', 'OK', [351, 132, 425, 152]],
  ] as Array<[string, string, BBox]>)
    it(`finds the button "${text}" at the foot of the dialog (${page})`, async () => {
      const { hit } = await locateOnCapture(page, 1, { text, type: 'button' });
      assert.ok(hit.found && inside(hit.center, box), show(hit));
      assert.strictEqual(hit.element?.type, 'button');
    });

  it('keeps the tabs along the top of the same dialog tabs', async () => {
    const { hit } = await locateOnCapture('wine-winecfg/applications-classic', 1, { text: 'Libraries', type: 'tab' });
    assert.ok(hit.found && inside(hit.center, [109, 47, 186, 64]), show(hit));
  });
});
