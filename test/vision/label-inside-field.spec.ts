/**
 * Fields that carry their label inside them (Material Components for the web, an open family of
 * the web corpus): a filled field is a tinted box with a line along its bottom and its label,
 * small, at its top, above the value; an outlined field has its label set into a cut of its top
 * border. Before, a box holding two rows of text was taken for a card, the cut border closed no
 * box, and the words of one field's label, inside it, named the field under it as well: "Category"
 * was a tie between its own dropdown and "Country" below it, and a table's column heading "Status"
 * named the row of cells under it, clicked for the dropdown "Status".
 */
import assert from 'assert';
import { analyzeCapture, inside, locateOnCapture } from './helpers/render';

type Box = [number, number, number, number];

const CASES: { page: string; scale: number; label: string; type: 'text_input' | 'dropdown'; box: Box }[] = [
  // Filled, with a value under the label.
  { page: 'web-mdc/form-100', scale: 1, label: 'Category', type: 'dropdown', box: [972, 285, 1878, 340] },
  { page: 'web-mdc/form-100', scale: 1, label: 'Phone number', type: 'text_input', box: [41, 353, 947, 408] },
  // Outlined: the label in the cut of the top border.
  { page: 'web-mdc/form-100', scale: 1, label: 'Country', type: 'dropdown', box: [972, 353, 1878, 408] },
  { page: 'web-mdc/form-100', scale: 1, label: 'Description', type: 'text_input', box: [41, 421, 947, 476] },
  // At 150 % the outline's bottom comes out in pieces that meet end to end.
  { page: 'web-mdc/form-150', scale: 1.5, label: 'Pays', type: 'dropdown', box: [978, 427, 1858, 511] },
  { page: 'web-mdc/form-150', scale: 1.5, label: 'Devise', type: 'dropdown', box: [978, 529, 1858, 613] },
  // Outlined, its value a dash the recogniser does not read: the label alone tells it.
  { page: 'web-mdc/list-100', scale: 1, label: 'Statut', type: 'dropdown', box: [24, 220, 243, 275] },
  // Two filled fields stacked on a white card beside a panel whose edge is shaded (251 by 255):
  // a row starting on the shade took in both the white and the fields' 245, and the fields were
  // lost in the page.
  { page: 'web-mdc/keypad-100', scale: 1, label: 'Montant à encaisser', type: 'text_input', box: [376, 88, 635, 143] },
  { page: 'web-mdc/keypad-100', scale: 1, label: 'Mode de règlement', type: 'dropdown', box: [376, 156, 635, 211] },
  // At 200 % an outlined field's 2-pixel sides take in a pixel of their rounded corners, and a
  // filled field's face began on its corner's blend, which chained it to the white beside it.
  { page: 'web-mdc/menu-200', scale: 2, label: 'Pays', type: 'dropdown', box: [984, 570, 1837, 681] },
  { page: 'web-mdc/menu-200', scale: 2, label: 'Mode de règlement', type: 'dropdown', box: [984, 434, 1837, 545] },
];

/** Empty full-width search fields: a box that wide is taken for a bar, not a control. */
const SEARCH: { page: string; scale: number; label: string; box: Box }[] = [
  { page: 'web-mdc/list-100', scale: 1, label: 'Rechercher', box: [24, 152, 1895, 207] },
  { page: 'web-mdc/list-200', scale: 2, label: 'Search', box: [48, 304, 1871, 415] },
];

describe('vision: a field with its label inside it (Material filled and outlined fields)', function () {
  this.timeout(300000);

  for (const c of CASES)
    it(`finds the ${c.type} "${c.label}" of ${c.page} by the label inside it`, async () => {
      const { hit } = await locateOnCapture(c.page, c.scale, { label: c.label, type: c.type });
      assert.ok(hit.found, `not found (${hit.strategy}; candidates ${JSON.stringify(hit.candidates)})`);
      assert.ok(inside(hit.center, c.box), `clicked ${hit.center} outside ${JSON.stringify(c.box)}`);
      assert.strictEqual(hit.element?.type, c.type);
    });

  for (const c of SEARCH)
    it(`clicks the words "${c.label}" alone inside a field-shaped box of ${c.page}, as a text fallback`, async () => {
      const { hit } = await locateOnCapture(c.page, c.scale, { label: c.label, type: 'text_input' });
      assert.ok(hit.found, `not found (${hit.strategy}; candidates ${JSON.stringify(hit.candidates)})`);
      assert.strictEqual(hit.strategy, 'text_fallback');
      assert.ok(inside(hit.center, c.box), `clicked ${hit.center} outside ${JSON.stringify(c.box)}`);
    });

  it('takes no column heading of a table for the label of the box under it', async () => {
    // At 200 % the outlined "Status" field is not closed (its rounded corners join its strokes);
    // the table's heading "Status" lies over a row of cells, which is no dropdown.
    const { hit } = await locateOnCapture('web-mdc/list-200', 2, { label: 'Status', type: 'dropdown' });
    assert.ok(!hit.found || inside(hit.center, [48, 440, 487, 551]), `clicked ${hit.center} (${hit.strategy})`);
  });

  it('names a field by the label inside it, its value apart, and not by the border read as a dash', async () => {
    const form = await analyzeCapture('web-mdc/form-100', 1);
    const at = (box: Box) => form.elements.find((e) => inside(e.center, box));
    assert.strictEqual(at([972, 285, 1878, 340])?.label, 'Category');
    assert.strictEqual(at([972, 285, 1878, 340])?.state.value, 'Supplies');
    const list = await analyzeCapture('web-mdc/list-100', 1);
    assert.strictEqual(list.elements.find((e) => inside(e.center, [24, 220, 243, 275]))?.label, 'Statut');
  });
});
