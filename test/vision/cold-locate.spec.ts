/**
 * A locate on a screen the engine has not analysed reads first only the text that can be the
 * target (or its near text), then around the candidates: it must answer exactly what a locate
 * on the full analysis answers, and the screen's analysis asked for afterwards is complete.
 */
import assert from 'assert';
import { createVisionEngine, type LocateTarget, type ScreenAnalysis, type VisionEngine } from '../../lib/vision';
import { decodeImage } from '../../lib/image/png';
import type { RgbaImage } from '../../lib/platform/types';
import * as fs from 'fs';
import { INVOICE_BOXES, inside, renderInvoice } from './helpers/render';

describe('vision: cold locate (text read where the target can be first)', function () {
  this.timeout(180_000);
  let image: RgbaImage;
  let full: ScreenAnalysis;
  let cold: VisionEngine;

  before(async () => {
    image = await decodeImage(fs.readFileSync(await renderInvoice({}, { width: 1920, height: 1080 })));
    // Keeps no analysis: every locate below starts on a screen it has never seen.
    cold = await createVisionEngine({ analysisCacheSize: 0 });
    full = await cold.analyze(image);
  });
  after(() => cold?.close());

  const cases: Array<[string, LocateTarget, [number, number, number, number] | null]> = [
    ['a button by its text', { text: 'Valider la facture', type: 'button' }, INVOICE_BOXES.valider],
    ['a field by its label (label association)', { text: 'Montant à régler', type: 'text_input' }, INVOICE_BOXES.montant],
    ['a row button near a cell', { text: 'Ouvrir la facture', near: 'LEFÈVRE François' }, null],
    ['a text that is not on the screen', { text: 'Supprimer définitivement' }, null],
  ];
  for (const [what, target, box] of cases) {
    it(`finds ${what} where a locate on the full analysis finds it`, async () => {
      const expected = await cold.locate(full, target);
      const got = await cold.locate(image, target);
      assert.strictEqual(got.found, expected.found);
      assert.strictEqual(got.ambiguous, expected.ambiguous);
      assert.deepStrictEqual(got.center, expected.center);
      assert.strictEqual(got.strategy, expected.strategy);
      assert.deepStrictEqual(got.candidates, expected.candidates);
      if (box) assert.ok(inside(got.center, box), `click ${got.center} outside ${box}`);
    });
  }

  it('leaves the rest of the screen to read when the analysis is asked for: then it is complete', async () => {
    const vision = await createVisionEngine();
    try {
      const hit = await vision.locate(image, { text: 'Montant à régler', type: 'text_input' });
      assert.ok(hit.found && inside(hit.center, INVOICE_BOXES.montant), `click ${hit.center}`);
      const later = await vision.analyze(image);
      assert.deepStrictEqual(later.text, full.text);
      assert.deepStrictEqual(later.elements, full.elements);
    } finally {
      await vision.close();
    }
  });
});
