/**
 * Classic themes draw a radio as a sunken circle, dark on its left and light on its right, which
 * OCR reads as a "C" before the label ("C Mrs"). 98.css's "Title" group box (captured in the web
 * corpus at 150 %) holds three such options, one under the other: the group box was taken for a
 * popup menu of three items "C Ms", "C M", "0 Mx", and the options "Mrs" and "Mr" were not found.
 * A letter "c" that starts a word is not a mark: xp.css's "Accepter les conditions" (125 %) keeps
 * one check box.
 */
import assert from 'assert';
import { inside, locateOnCapture } from './helpers/render';

const centreIn = (b: number[], box: [number, number, number, number]) =>
  inside([(b[0] + b[2]) / 2, (b[1] + b[3]) / 2], box);

describe('vision: sunken radio circles read as "C"', function () {
  this.timeout(120_000);

  it('clicks the circle of "Mrs" in 98.css\'s group box', async () => {
    const { hit } = await locateOnCapture('web-98css/form-150', 1.5, { label: 'Mrs', type: 'radio' });
    assert.ok(
      hit.found && inside(hit.center, [995, 390, 1016, 411]),
      JSON.stringify({ ...hit, candidates: undefined }),
    );
  });

  it('takes the group box for options, not for a popup menu', async () => {
    const { analysis } = await locateOnCapture('web-98css/form-150', 1.5, { label: 'Mrs', type: 'radio' });
    const inGroup = analysis.elements.filter((e) => centreIn(e.bbox, [975, 380, 1850, 485]));
    assert.deepStrictEqual(
      inGroup.filter((e) => e.type === 'menu_item').map((e) => e.label),
      [],
    );
    // "Mrs" and "Mr" at least: the checked "Mx" is read "@Mx" or "Mx" depending on its neighbours.
    const radios = inGroup.filter((e) => e.type === 'radio');
    assert.ok(radios.length >= 2, JSON.stringify(inGroup.map((e) => [e.type, e.label])));
  });

  it('finds one check box before "Accepter les conditions", not a second one in its words', async () => {
    const { analysis, hit } = await locateOnCapture('web-xpcss/form-125', 1.25, {
      label: 'Accepter les conditions',
      type: 'checkbox',
    });
    assert.ok(hit.found && inside(hit.center, [974, 442, 994, 464]), JSON.stringify({ ...hit, candidates: undefined }));
    const marks = analysis.elements.filter((e) => e.type === 'checkbox' && e.bbox[1] < 470 && e.bbox[3] > 440);
    assert.strictEqual(marks.length, 1, JSON.stringify(marks));
  });
});
