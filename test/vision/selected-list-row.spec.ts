/**
 * A list's selected row is drawn as a saturated bar (the selection colour) with light words on
 * it. Read as a box with left-aligned text, it looked like a text field: Wine's Font dialog then
 * had two "text fields" saying "Normal" (the style box and the list's selected row) and the row
 * could not be found as a row. A field is white or grey with dark text; the bar is a selected
 * `table_row`. Screens captured in the corpus (Wine's Notepad, Font dialog, ×1 and ×1.5).
 */
import assert from 'assert';
import type { BBox } from '../../lib/contracts/screen-state';
import { inside, locateOnCapture } from './helpers/render';

const show = (hit: object) => JSON.stringify({ ...hit, element: undefined });

describe('vision: a list’s selected row is a row, not a text field', function () {
  this.timeout(120_000);

  for (const [page, scale, text, row] of [
    ['wine-notepad/font-dialog-fr-150', 1.5, 'Normal', [279, 230, 393, 247]],
    ['wine-notepad/font-dialog-fr-150', 1.5, 'C059', [50, 230, 231, 246]],
    ['wine-notepad/font-dialog', 1, 'Regular', [188, 164, 262, 177]],
    ['wine-notepad/font-dialog', 1, '6', [295, 164, 321, 177]],
  ] as Array<[string, number, string, BBox]>)
    it(`finds the selected row "${text}" of a list as a selected table row (${page})`, async () => {
      const { hit } = await locateOnCapture(page, scale, { text, type: 'table_row' });
      assert.ok(hit.found && inside(hit.center, row), show(hit));
      assert.strictEqual(hit.element?.type, 'table_row');
      assert.strictEqual(hit.element?.state.selected, true);
    });

  it('keeps the box above the list, white with dark text, a text field holding the same word', async () => {
    const { hit } = await locateOnCapture('wine-notepad/font-dialog-fr-150', 1.5, {
      label: 'Style',
      type: 'text_input',
    });
    assert.ok(hit.found && inside(hit.center, [278, 205, 420, 228]), show(hit));
    assert.strictEqual(hit.element?.state.value, 'Normal');
  });
});
