/**
 * A small font's hyphen-minus is 4 by 2 pixels (galculator, Adwaita dark, French, ×1, from the
 * desktop corpus): the recognizer reads nothing in it, so the key's lone short stroke across the
 * middle, twice as wide as thick, is read as "-" by its shape, even where text detection boxed it.
 */
import assert from 'assert';
import { inside, locateOnCapture } from './helpers/render';

describe('locate: the minus key of a small dark keypad', function () {
  this.timeout(120_000);

  it('finds galculator\'s "-" key as a button', async () => {
    const { hit } = await locateOnCapture('gtk3-galculator/keypad-dark-fr', 1, { text: '-', type: 'button' });
    assert.ok(hit.found && inside(hit.center, [675, 499, 734, 533]), JSON.stringify({ ...hit, element: undefined }));
  });

  it('still reads the keys around it as themselves, not as minus signs', async () => {
    const { analysis } = await locateOnCapture('gtk3-galculator/keypad-dark-fr', 1, { text: '-' });
    const keys = analysis.elements.filter((e) => e.type === 'button' && e.bbox[1] >= 459 && e.bbox[3] <= 573);
    const label = (x: number, y: number) =>
      keys.find((k) => inside([x, y], k.bbox as [number, number, number, number]))?.label;
    assert.deepStrictEqual(
      [label(509, 516), label(574, 516), label(639, 516), label(704, 516), label(704, 556)],
      ['1', '2', '3', '-', '+'],
    );
  });
});
