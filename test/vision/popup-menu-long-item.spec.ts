/**
 * galculator's Edit menu open (GTK 3, Adwaita, ×1), captured with its "Copy Display Value" item
 * hovered and not: one item, "Paste and Append to Display Value", is six words long, and the
 * menu was taken for a table (its rows with their shortcuts when an item was highlighted, loose
 * text when not), so a recorded click on the item read differently from one demonstration to
 * the next. The menu bar above it underlines the open title, and text detection cut the bar into
 * overlapping lines ("File", "e Edit View …"): its titles were one item, or none.
 * The learner reads the window the person acted in, cut out of the screen: the menu then reaches
 * the image's edge and is as wide as the image (the same two captures, cut to the window).
 */
import assert from 'assert';
import { analyzeCapture, inside, locateOnCapture } from './helpers/render';

const ITEMS = ['Cut Display Value', 'Copy Display Value', 'Paste and Append to Display Value', 'Preferences...'];
const TITLES = ['File', 'Edit', 'View', 'Calculator', 'Help'];

for (const page of ['edit-menu', 'edit-menu-hovered']) {
  describe(`a GTK popup menu with a long item, and its menu bar (galculator, ${page})`, function () {
    this.timeout(120_000);

    it('reads the popup as menu items, one per line, with no table row over them', async () => {
      const { analysis, hit } = await locateOnCapture(`gtk3-galculator/${page}`, 1, {
        text: 'Copy Display Value',
        type: 'menu_item',
      });
      assert.ok(hit.found && inside(hit.center, [80, 130, 414, 155]), JSON.stringify({ ...hit, element: undefined }));
      const inMenu = analysis.elements.filter(
        (e) => e.bbox[0] >= 78 && e.bbox[2] <= 416 && e.bbox[1] >= 104 && e.bbox[3] <= 208,
      );
      assert.deepStrictEqual(
        inMenu.map((e) => [e.type, e.label.toLowerCase()]),
        ITEMS.map((i) => ['menu_item', i.toLowerCase()]),
      );
    });

    it('reads the menu bar as its five titles, the open one among them', async () => {
      const { analysis, hit } = await locateOnCapture(`gtk3-galculator/${page}`, 1, {
        text: 'View',
        type: 'menu_item',
      });
      assert.ok(hit.found && inside(hit.center, [125, 80, 165, 104]), JSON.stringify({ ...hit, element: undefined }));
      const bar = analysis.elements.filter(
        (e) => e.type === 'menu_item' && e.bbox[2] <= 420 && e.bbox[1] >= 78 && e.bbox[3] <= 106,
      );
      assert.deepStrictEqual(
        bar.map((e) => e.label),
        TITLES,
      );
    });
  });
}

describe('a GTK popup menu in its window cut out of the screen, as the learner reads it (galculator)', function () {
  this.timeout(120_000);

  for (const page of ['edit-menu-window', 'edit-menu-window-hovered']) {
    it(`reads the popup, cut at the window's edge, as menu items (${page})`, async () => {
      const analysis = await analyzeCapture(`gtk3-galculator/${page}`, 1);
      const inMenu = analysis.elements.filter((e) => e.bbox[0] >= 37 && e.bbox[1] >= 45 && e.bbox[3] <= 150);
      assert.deepStrictEqual(
        inMenu.map((e) => [e.type, e.label.toLowerCase()]),
        ITEMS.map((i) => ['menu_item', i.toLowerCase()]),
      );
    });
  }
});
