/**
 * Fields laid out in columns, each under its label and drawn only by a line under it (or a faint
 * box and a darker bottom line): asked for by its label, the field is clicked, not the label.
 * A line is no field when other text sits between it and the label.
 */
import assert from 'assert';
import type { ScreenAnalysis } from '../../lib/vision';
import { inside, renderHtml, sharedEngine } from './helpers/render';

const FIELD = "position:absolute;width:360px;height:34px;box-sizing:border-box;font:16px 'DejaVu Sans';padding:0 8px";
const LINE = `${FIELD};border:none;border-bottom:1px solid #777;background:#fff`;
const FAINT = `${FIELD};border:1px solid #ececec;border-bottom:1px solid #8a8a8a;background:#fff`;
const label = (x: number, y: number, text: string): string =>
  `<div style="position:absolute;left:${x}px;top:${y}px">${text}</div>`;

const PAGE = `<body style="margin:0;background:#fff;font:16px 'DejaVu Sans';color:#222">
  ${label(40, 40, 'Nom du patient')}<input style="${LINE};left:40px;top:66px">
  ${label(40, 130, 'Ville')}<input style="${FAINT};left:40px;top:156px" placeholder="ex. Lyon">
  ${label(480, 40, 'Téléphone')}<input style="${FAINT};left:480px;top:66px">
  ${label(480, 130, 'Mutuelle')}<input style="${LINE};left:480px;top:156px">
  ${label(40, 240, 'Remarques')}
  <div style="position:absolute;left:40px;top:266px;width:500px">Le dossier est transmis au service comptable.</div>
  <div style="position:absolute;left:40px;top:294px;width:800px;border-bottom:1px solid #777"></div>
</body>`;

describe('vision: fields under their labels, drawn by a line', function () {
  this.timeout(120_000);
  let screen: ScreenAnalysis;

  before(async () => {
    const vision = await sharedEngine();
    screen = await vision.analyze(await renderHtml(PAGE, { width: 960, height: 360 }));
  });

  for (const [name, box] of [
    ['Nom du patient', [40, 66, 400, 100]],
    ['Ville', [40, 156, 400, 190]],
    ['Téléphone', [480, 66, 840, 100]],
    ['Mutuelle', [480, 156, 840, 190]],
  ] as const) {
    it(`clicks inside the field under "${name}", in its column`, async () => {
      const vision = await sharedEngine();
      const hit = await vision.locate(screen, { label: name, type: 'text_input' });
      assert.ok(hit.found, JSON.stringify(hit.candidates));
      assert.ok(inside(hit.center, [...box]), `click ${hit.center} outside field ${box} (${hit.strategy})`);
    });
  }

  it('takes no separator for a field when a sentence sits between it and the label', async () => {
    const vision = await sharedEngine();
    const hit = await vision.locate(screen, { label: 'Remarques', type: 'text_input' });
    assert.ok(!hit.found, `clicked ${hit.center} by ${hit.strategy}`);
  });
});
