/**
 * A control is named by its whole label. Wine's regedit (captured in the desktop corpus, Light
 * theme, ×1) lists `FontSmoothing`, read "Font Smcthing", under `FontSmoothingOrientation`, whose
 * first two words read "Font Smoothing" exactly: asked for the row `FontSmoothing`, the longer
 * name's row was clicked. Bulma's button "Aperçu" at 125 % (read "Aperqu", taken for plain text)
 * lies below an open File menu whose line "Aperçu avant impression" reads the word exactly: asked
 * for the button, that line was clicked. Words set far apart on one OCR line are labels of their
 * own: xp.css's menu bar read "File  Edit" still gives the menu "Edit".
 */
import assert from 'assert';
import { inside, locateOnCapture } from './helpers/render';

describe('locate: part of a longer label against a whole label read a little wrong', function () {
  this.timeout(120_000);

  it('does not click the row "FontSmoothingOrientation" for "FontSmoothing"', async () => {
    const { hit } = await locateOnCapture('wine-regedit/light-x1', 1, { text: 'FontSmoothing', type: 'table_row' });
    assert.ok(
      !hit.found || inside(hit.center, [258, 264, 457, 280]),
      JSON.stringify({ ...hit, candidates: undefined }),
    );
  });

  it('does not click the menu line "Aperçu avant impression" for the button "Aperçu" (Bulma, 125 %)', async () => {
    const { hit } = await locateOnCapture('web-bulma/menu-125', 1.25, { text: 'Aperçu', type: 'button' });
    assert.ok(
      !hit.found || inside(hit.center, [223, 755, 327, 804]),
      JSON.stringify({ ...hit, candidates: undefined }),
    );
    if (!hit.found) assert.strictEqual(hit.strategy, 'ambiguous');
  });

  it('still clicks the menu "Edit" of a menu bar read as one line "File Edit" (xp.css, 125 %)', async () => {
    const { hit } = await locateOnCapture('web-xpcss/menu-125', 1.25, { text: 'Edit', type: 'menu_item' });
    assert.ok(hit.found && inside(hit.center, [89, 82, 133, 107]), JSON.stringify({ ...hit, candidates: undefined }));
  });
});
