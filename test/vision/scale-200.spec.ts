/**
 * The same form on a 200 % display (twice the pixels): the same elements are found and clicks
 * land on the same controls at physical coordinates — no template re-recording.
 */
import assert from 'assert';
import type { ScreenAnalysis } from '../../lib/vision';
import { INVOICE_BOXES, inside, renderInvoice, scaled, sharedEngine } from './helpers/render';

describe('vision: 200 % display scale', function () {
  this.timeout(120_000);
  let hiDpi: ScreenAnalysis;

  before(async () => {
    const vision = await sharedEngine();
    hiDpi = await vision.analyze(await renderInvoice({}, { width: 960, height: 540, scale: 2 }), { scaleFactor: 2 });
  });

  it('renders and analyses a 1920×1080 screenshot of a 960×540 layout', () => {
    assert.deepStrictEqual([hiDpi.width, hiDpi.height], [1920, 1080]);
  });

  for (const [query, type, box] of [
    ['Valider la facture', 'button', INVOICE_BOXES.valider],
    ['Annuler', 'button', INVOICE_BOXES.annuler],
    ['Nom du patient', 'text_input', INVOICE_BOXES.nom],
    ['Catégorie', 'dropdown', INVOICE_BOXES.categorie],
  ] as const) {
    it(`clicks the ${type} "${query}" at doubled coordinates`, async () => {
      const hit = await (await sharedEngine()).locate(hiDpi, { text: query, type });
      assert.ok(hit.found, JSON.stringify(hit.candidates));
      assert.ok(inside(hit.center, scaled(box, 2)), `click ${hit.center} outside ${scaled(box, 2)}`);
    });
  }

  it('finds checkboxes and radios at 200 % too', () => {
    const types = hiDpi.elements.map((e) => e.type);
    assert.strictEqual(
      types.filter((t) => t === 'checkbox').length,
      2,
      hiDpi.elements.map((e) => `${e.type}:${e.label}@${e.bbox}`).join(', '),
    );
    assert.strictEqual(types.filter((t) => t === 'radio').length, 2, types.join(','));
  });
});
