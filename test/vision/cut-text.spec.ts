/**
 * Text detection runs below full size; 98.css's grey bitmap captions under its toolbar buttons
 * then come out in pieces ("Imprimer" found as "m" and "pr") or not at all, and the toolbar could
 * not be used by its captions. Controls whose text boxes cover only part of their ink are detected
 * again at full size (captured page of the web corpus at 100 %).
 */
import assert from 'assert';
import { inside, locateOnCapture } from './helpers/render';

describe('locate: captions cut by text detection are detected again', function () {
  this.timeout(120_000);

  it('clicks the toolbar buttons of 98.css by their grey captions', async () => {
    const toolbar: Record<string, [number, number, number, number]> = {
      Exporter: [191, 59, 254, 102],
      Nouveau: [267, 59, 330, 102],
    };
    for (const [text, box] of Object.entries(toolbar)) {
      const { hit } = await locateOnCapture('web-98css/form-100', 1, { text, type: 'icon' });
      assert.ok(hit.found && inside(hit.center, box), `${text}: ${JSON.stringify({ ...hit, candidates: undefined })}`);
    }
  });

  it('reads the caption whole, not the pieces the first detection found', async () => {
    const { analysis } = await locateOnCapture('web-98css/form-100', 1, { text: 'Exporter' });
    const toolbar = analysis.text.filter((l) => l.bbox[1] >= 59 && l.bbox[3] <= 104);
    assert.ok(
      toolbar.some((l) => l.text === 'Nouveau' && l.bbox[0] >= 267 && l.bbox[2] <= 330),
      JSON.stringify(toolbar.map((l) => [l.text, l.bbox])),
    );
  });

  it('clicks neither "Imprimer" when the toolbar\'s is still misread beside the button\'s', async () => {
    for (const type of ['icon', 'button'] as const) {
      const { hit } = await locateOnCapture('web-98css/form-100', 1, { text: 'Imprimer', type });
      assert.ok(!hit.found && hit.ambiguous, `${type}: ${JSON.stringify({ ...hit, candidates: undefined })}`);
    }
  });
});
