/**
 * A combo box right of its label, drawn as a gradient frame around its value (Nimbus): asked for
 * by its label, the click lands inside the frame, not on the label nor on the value's words alone.
 */
import assert from 'assert';
import type { ScreenAnalysis } from '../../lib/vision';
import { inside, renderHtml, sharedEngine } from './helpers/render';

const COMBO =
  'position:absolute;height:26px;box-sizing:border-box;border:1px solid #5a6b80;border-radius:6px;' +
  'background:linear-gradient(#fbfcfd,#c9d2dc);padding:3px 8px';

const PAGE = `<body style="margin:0;background:#d6d9df;font:15px 'DejaVu Sans';color:#222">
  <div style="position:absolute;left:12px;top:34px">Rechercher dans :</div>
  <div style="${COMBO};left:160px;top:30px;width:220px">partage</div>
  <div style="position:absolute;left:12px;top:84px">Type de fichier :</div>
  <div style="${COMBO};left:160px;top:80px;width:420px">Tous les fichiers</div>
</body>`;

describe('vision: a framed combo box right of its label', function () {
  this.timeout(120_000);
  let screen: ScreenAnalysis;

  before(async () => {
    const vision = await sharedEngine();
    screen = await vision.analyze(await renderHtml(PAGE, { width: 640, height: 300 }));
  });

  for (const [name, box] of [
    ['Rechercher dans', [160, 30, 380, 56]],
    ['Type de fichier', [160, 80, 580, 106]],
  ] as const) {
    it(`clicks inside the frame right of "${name}"`, async () => {
      const vision = await sharedEngine();
      const hit = await vision.locate(screen, { label: name, type: 'dropdown' });
      assert.ok(hit.found, JSON.stringify(hit.candidates));
      assert.ok(inside(hit.center, [...box]), `click ${hit.center} outside the combo ${box} (${hit.strategy})`);
    });
  }
});
