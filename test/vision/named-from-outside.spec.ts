/**
 * A field is named by a text outside it, its label. Words inside the field that read like that
 * name are other words: galculator's menu bar (captured in the desktop corpus, Adwaita, ×1) is
 * taken for a field named by the window title "galculator" above it, and asked for the menu
 * "Calculator", the title was clicked.
 */
import assert from 'assert';
import { inside, locateOnCapture } from './helpers/render';

describe('locate: words inside a field named from outside are not its name', function () {
  this.timeout(120_000);

  it('clicks galculator\'s menu "Calculator", not the window title "galculator"', async () => {
    const { hit } = await locateOnCapture('gtk3-galculator/main-window', 1, { text: 'Calculator', type: 'menu_item' });
    assert.ok(hit.found && inside(hit.center, [602, 236, 683, 260]), JSON.stringify({ ...hit, candidates: undefined }));
  });
});
