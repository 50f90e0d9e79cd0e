/**
 * A label names one field. Wine's Font dialog (classic theme, ×1) has a field under each label
 * ("Font Style:", "Size:") and a list under that field, whose selected row was taken for a second
 * field: both got the label, and asking for the field by its label was a tie. The nearest field
 * keeps the label. Asked for a list row whose words are also the field's value, the answer stays
 * a tie: the row taken for a field is no reason to click the value instead.
 */
import assert from 'assert';
import { inside, locateOnCapture } from './helpers/render';

const SCREEN = 'wine-notepad/font-dialog';

describe('vision: a label names the one field nearest to it', function () {
  this.timeout(120_000);

  it('clicks the field under "Font Style:", not the list under it', async () => {
    const { hit } = await locateOnCapture(SCREEN, 1, { label: 'Font Style', type: 'text_input' });
    assert.ok(hit.found && inside(hit.center, [187, 144, 281, 162]), JSON.stringify({ ...hit, element: undefined }));
  });

  it('clicks the field under "Size:"', async () => {
    const { hit } = await locateOnCapture(SCREEN, 1, { label: 'Size', type: 'text_input' });
    assert.ok(hit.found && inside(hit.center, [294, 144, 340, 162]), JSON.stringify({ ...hit, element: undefined }));
  });

  it('does not click the field\'s value "Regular" when asked for the list row "Regular"', async () => {
    const { hit } = await locateOnCapture(SCREEN, 1, { text: 'Regular', type: 'table_row' });
    assert.ok(!hit.found || inside(hit.center, [188, 164, 263, 178]), JSON.stringify({ ...hit, element: undefined }));
  });
});
