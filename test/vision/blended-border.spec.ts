/**
 * Bulma's white buttons have a 1-pixel light grey border; at 125 % it lands one pixel out on some
 * sides and two on others, blended with the page. "Imprimer" and "Aperçu" (captured in the web
 * corpus, a File menu open above the form) were read as plain text, and asked for the button
 * "Aperçu", the word "Apercu" of the menu's "Aperçu avant impression" was clicked: a wrong click.
 */
import assert from 'assert';
import { inside, locateOnCapture } from './helpers/render';

describe('vision: buttons whose thin border is blended at 125 % (Bulma)', function () {
  this.timeout(120_000);

  it('finds "Imprimer" and "Aperçu" as buttons', async () => {
    const { analysis } = await locateOnCapture('web-bulma/menu-125', 1.25, { text: 'Imprimer', type: 'button' });
    const buttons = analysis.elements.filter((e) => e.type === 'button' && e.bbox[1] > 740 && e.bbox[3] < 820);
    for (const box of [
      [92, 757, 207, 803],
      [225, 757, 326, 803],
    ])
      assert.ok(
        buttons.some((b) => inside(b.center, box as [number, number, number, number])),
        JSON.stringify(buttons.map((b) => [b.label, b.bbox])),
      );
  });

  it('does not click the menu line "Aperçu avant impression" for the button "Aperçu"', async () => {
    const { hit } = await locateOnCapture('web-bulma/menu-125', 1.25, { text: 'Aperçu', type: 'button' });
    // The button reads "Aperqu": it or an ambiguity, never the menu's words.
    assert.ok(
      !hit.found || inside(hit.center, [223, 755, 327, 804]),
      JSON.stringify({ ...hit, candidates: undefined }),
    );
    if (!hit.found) assert.strictEqual(hit.strategy, 'ambiguous');
  });
});
