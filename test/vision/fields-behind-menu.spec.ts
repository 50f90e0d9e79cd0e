/**
 * A popup menu open over a form (Fluent UI and Bootstrap pages of the web corpus, ×1.25) hides the
 * middle of the fields it crosses. Fluent's white menu joined the white faces of the pieces left
 * and right of it, so neither was a field; Bootstrap's left piece, with its placeholder, passed
 * for a button and the right piece had no label. Either way "the Courriel field" was not found.
 * The field behind the menu is one field, named by its label, and clicked where it shows.
 */
import assert from 'assert';
import { analyzeCapture, inside, locateOnCapture } from './helpers/render';

type Box = [number, number, number, number];

const PAGES: { page: string; label: string; field: Box; menu: Box; items: string[]; item: string; itemBox: Box }[] = [
  {
    page: 'web-fluent/menu-125',
    label: 'Courriel',
    field: [46, 243, 944, 283],
    menu: [110, 130, 362, 340],
    items: ['Nouveau', 'Enregistrer sous…', 'Ouvrir…', 'Propriétés', 'Quitter'],
    item: 'Ouvrir…',
    itemBox: [116, 215, 356, 254],
  },
  {
    page: 'web-bootstrap/menu-125',
    label: 'Description',
    field: [51, 321, 944, 368],
    menu: [182, 168, 384, 378],
    items: ['New', 'Save as…', 'Properties', 'Open…', 'Print preview'],
    item: 'Properties',
    itemBox: [184, 253, 382, 293],
  },
];

for (const p of PAGES) {
  describe(`a field an open menu crosses (${p.page})`, function () {
    this.timeout(120_000);

    it(`finds the "${p.label}" field by its label and clicks it where it shows, not under the menu`, async () => {
      const { hit } = await locateOnCapture(p.page, 1.25, { label: p.label, type: 'text_input' });
      assert.ok(hit.found && inside(hit.center, p.field), JSON.stringify({ ...hit, element: undefined }));
      assert.ok(!inside(hit.center, p.menu), `clicked under the menu: ${JSON.stringify(hit.center)}`);
    });

    it('reads the field as one field across the menu, and the menu still as its items', async () => {
      const analysis = await analyzeCapture(p.page, 1.25);
      const fields = analysis.elements.filter(
        (e) => e.type === 'text_input' && e.bbox[1] < p.field[3] && e.bbox[3] > p.field[1],
      );
      assert.strictEqual(fields.length, 1, JSON.stringify(fields.map((f) => [f.label, f.bbox])));
      assert.ok(fields[0].bbox[0] < p.menu[0] && fields[0].bbox[2] > p.menu[2], JSON.stringify(fields[0].bbox));
      assert.strictEqual(fields[0].label, p.label);
      const items = analysis.elements.filter((e) => e.type === 'menu_item' && inside(e.center, p.menu));
      assert.deepStrictEqual(
        items.map((e) => e.label.replace(/\.\.\.$/, '…').replace(/\.\.$/, '…')),
        p.items,
      );
    });

    it('still clicks a menu item asked for, in the menu', async () => {
      const { hit } = await locateOnCapture(p.page, 1.25, { text: p.item, type: 'menu_item' });
      assert.ok(hit.found && inside(hit.center, p.itemBox), JSON.stringify({ ...hit, element: undefined }));
    });
  });
}
