/**
 * A form's fields in two columns, side by side, have their top and bottom edges at the same
 * heights: lines of one length at a regular pitch, with words between them in two columns, as a
 * table drawn only by lines between its rows looks. On a UIkit form at 200 % they were read as
 * such a table (the two parts of a table a dialog cuts in two are joined), and the dropdown asked
 * for by its label "Mode de règlement" was clicked in the field "Courriel" beside it: the whole
 * row "Courriel - Mode de reglement" stood for the label, and the first box under it was taken.
 * Parts are joined only as far apart as a dialog is wide, and a row holding other words than the
 * query is never a field's label.
 * Boxes are the DOM's.
 */
import assert from 'assert';
import { locateIn } from '../../lib/vision/locate';
import type { ScreenAnalysis } from '../../lib/vision';
import { element, line } from '../helpers/screen-parts';
import { analyzeCapture, inside, locateOnCapture } from './helpers/render';

const FORM = 'web-uikit/form-200';

describe("vision: a form's fields in two columns are no table (captured UIkit form, 200 %)", function () {
  this.timeout(120_000);

  it('reads no table row across the two columns of fields', async () => {
    const analysis = await analyzeCapture(FORM, 2);
    const rows = analysis.elements.filter((e) => e.type === 'table_row');
    assert.deepStrictEqual(
      rows.map((r) => r.label),
      [],
    );
  });

  it('clicks the dropdown "Mode de règlement" and the field "Courriel" beside it, each in its own box', async () => {
    const mode = await locateOnCapture(FORM, 2, { label: 'Mode de règlement', type: 'dropdown' });
    assert.ok(inside(mode.hit.center, [984, 939, 1779, 1019]), JSON.stringify({ ...mode.hit, element: undefined }));
    const mail = await locateOnCapture(FORM, 2, { label: 'Courriel', type: 'text_input' });
    assert.ok(inside(mail.hit.center, [140, 939, 935, 1019]), JSON.stringify({ ...mail.hit, element: undefined }));
  });
});

describe('locate: a table row is no label', () => {
  it('never clicks the box under a whole row for a field named by one of its cells', async () => {
    const labels = line('Courriel', 140, 880);
    const other = line('Mode de reglement', 984, 880);
    const row = element('table_row', 'Courriel - Mode de reglement', [140, 866, 1780, 942]);
    const analysis: ScreenAnalysis = {
      width: 1920,
      height: 1080,
      scaleFactor: 1,
      imageHash: 'h',
      text: [labels, other],
      elements: [row],
      timings: {},
      boxes: [
        [140, 940, 936, 1020],
        [984, 940, 1780, 1020],
      ],
    };
    const hit = await locateIn(analysis, { label: 'Mode de règlement', type: 'dropdown' });
    assert.ok(!hit.found || hit.center![0] > 984, JSON.stringify(hit));
  });
});
