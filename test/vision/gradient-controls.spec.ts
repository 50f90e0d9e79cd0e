/**
 * Controls whose face is a gradient and whose outline is a drawn frame (issue 14: Nimbus-like
 * themes): the buttons are buttons, not tabs or plain text, and a combo box is found by the
 * label beside it and clicked on its face.
 */
import assert from 'assert';
import type { BBox, ScreenAnalysis, VisionEngine } from '../../lib/vision';
import { inside, renderHtml, sharedEngine } from './helpers/render';

// A highlight at the top, darker in the middle, light again at the bottom: no flat fill, and
// bands that do not run one way (as Nimbus draws them).
const FACE = 'linear-gradient(#fbfbfc, #dfe3e8 55%, #f2f4f7)';
const BUTTONS: Array<[string, BBox]> = [
  ['Annuler', [300, 300, 390, 326]],
  ['Non', [402, 300, 462, 326]],
  ['Enregistrer', [474, 300, 584, 326]],
];
const COMBO: BBox = [140, 200, 480, 222];

function page(): string {
  const at = ([x1, y1, x2, y2]: BBox) => `left:${x1}px;top:${y1}px;width:${x2 - x1}px;height:${y2 - y1}px`;
  const buttons = BUTTONS.map(([label, box]) => `<div class="face" style="${at(box)}">${label}</div>`).join('\n');
  return `<!doctype html><html><body style="margin:0;background:#d6d9df;font:14px 'DejaVu Sans',sans-serif;color:#1b1b1b">
<style>.face{position:absolute;box-sizing:border-box;border:1px solid #7d8289;border-radius:5px;background:${FACE};
display:flex;align-items:center;justify-content:center}</style>
<div style="position:absolute;left:96px;top:202px">Pays</div>
<div class="face" style="${at(COMBO)};justify-content:flex-start;padding-left:4px">France
<div style="position:absolute;right:0;top:0;bottom:0;width:20px;border-left:1px solid #7d8289;background:#a9bbd0"></div></div>
${buttons}</body></html>`;
}

describe('vision: gradient-faced controls with a drawn frame', function () {
  this.timeout(120_000);
  let engine: VisionEngine;
  let analysis: ScreenAnalysis;

  before(async () => {
    engine = await sharedEngine();
    analysis = await engine.analyze(await renderHtml(page()));
  });

  for (const [label, box] of BUTTONS) {
    it(`detects "${label}" as a button and clicks it`, async () => {
      const r = await engine.locate(analysis, { text: label, type: 'button' });
      assert.ok(r.found && inside(r.center, box), `${r.strategy} ${JSON.stringify(r.candidates)}`);
      assert.strictEqual(r.element?.type, 'button');
    });
  }

  it('finds the combo box by the label beside it, on its face', async () => {
    const r = await engine.locate(analysis, { label: 'Pays', type: 'dropdown' });
    assert.ok(r.found && inside(r.center, COMBO), `${r.strategy} ${JSON.stringify(r.candidates)}`);
  });
});
