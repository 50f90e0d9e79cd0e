/**
 * libadwaita's message dialog (GTK 4) draws its answers flat, in a row of cells closing the
 * panel: "Annuler | Abandonner". Read as a tab strip, a query for the button "Annuler" found only
 * the form's own framed "Annuler" behind the dialog and clicked it: a click on a window that
 * takes no input while the dialog is up, in place of the answer asked for. The row closing a
 * dialog drawn over the content is read as its buttons; and a candidate of the same label in a
 * dialog on top makes one behind it no sure pick. Screens of the desktop corpus (our GTK 4 form,
 * light at ×1 in French, dark at ×2 in English).
 */
import assert from 'assert';
import type { BBox } from '../../lib/contracts/screen-state';
import { inside, locateOnCapture, sharedEngine } from './helpers/render';

const show = (hit: object) => JSON.stringify({ ...hit, element: undefined, candidates: undefined });

describe('vision: the answers of a GTK 4 message dialog', function () {
  this.timeout(120_000);

  for (const [page, scale, text, box, behind] of [
    ['gtk4-adwaita/dialog-light-fr', 1, 'Annuler', [461, 439, 639, 482], [668, 556, 759, 599]],
    ['gtk4-adwaita/dialog-light-fr', 1, 'Abandonner', [641, 439, 818, 482], null],
    ['gtk4-adwaita/dialog-dark-en-x2', 2, 'Cancel', [320, 539, 619, 626], [790, 832, 957, 919]],
  ] as Array<[string, number, string, BBox, BBox | null]>)
    it(`clicks the dialog's "${text}" (${page})`, async () => {
      const { hit } = await locateOnCapture(page, scale, { text, type: 'button' });
      assert.ok(hit.found && inside(hit.center, box), show(hit));
      assert.strictEqual(hit.element?.type, 'button');
      if (behind) assert.ok(!inside(hit.center, behind), 'not the button behind the dialog');
    });

  it('reads the row closing the dialog as buttons, not tabs', async () => {
    const { analysis } = await locateOnCapture('gtk4-adwaita/dialog-light-fr', 1, { text: 'Annuler' });
    const row = analysis.elements.filter((e) => e.bbox[1] > 430 && e.bbox[3] < 490 && e.bbox[0] > 450);
    assert.deepStrictEqual(
      row.map((e) => [e.label, e.type]),
      [
        ['Annuler', 'button'],
        ['Abandonner', 'button'],
      ],
    );
  });

  it('does not click the button behind when the dialog’s own answer is read as another type', async () => {
    const { analysis } = await locateOnCapture('gtk4-adwaita/dialog-light-fr', 1, { text: 'Annuler' });
    // The dialog's answers as the tab strip they were read as before.
    const asTabs = Object.create(analysis) as typeof analysis; // keeps the pixels (not enumerable)
    asTabs.elements = analysis.elements.map((e) =>
      e.bbox[1] > 430 && e.bbox[3] < 490 && e.type === 'button' ? { ...e, type: 'tab' as const } : e,
    );
    const vision = await sharedEngine();
    const typed = await vision.locate(asTabs, { text: 'Annuler', type: 'button' });
    assert.ok(!typed.found && typed.ambiguous, show(typed));
    const untyped = await vision.locate(asTabs, { text: 'Annuler' });
    assert.ok(untyped.found && inside(untyped.center, [461, 439, 639, 482]), show(untyped));
  });
});
