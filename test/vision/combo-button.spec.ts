/**
 * A combo box whose arrow is on a button of its own inside the field's right end (xp.css, as XP
 * and Vista draw them) is one dropdown holding its value, not a text field beside an icon.
 */
import assert from 'assert';
import { analyzeCapture, inside, locateOnCapture } from './helpers/render';

describe('combo boxes with their arrow on a button inside the field (captured xp.css)', function () {
  this.timeout(120_000);

  it('reads both selects of the form as dropdowns with their values, and their buttons as no icons', async () => {
    const analysis = await analyzeCapture('web-xpcss/form-100', 1);
    const row = (y: number) => analysis.elements.filter((e) => e.bbox[1] < y + 12 && e.bbox[3] > y && e.bbox[0] > 1000);
    for (const [y, value] of [
      [177, 'France'],
      [218, 'Bank transfer'],
    ] as const) {
      const seen = row(y).map((e) => `${e.type}:${JSON.stringify(e.state.value ?? e.label)}@${e.bbox.join(',')}`);
      assert.deepStrictEqual(
        row(y).map((e) => e.type),
        ['dropdown'],
        seen.join('\n'),
      );
      assert.ok(String(row(y)[0].state.value).startsWith(value.slice(0, 4)), seen.join('\n'));
    }
  });

  it('clicks the Country select by its label, as a dropdown', async () => {
    const { hit } = await locateOnCapture('web-xpcss/form-100', 1, { label: 'Country', type: 'dropdown' });
    assert.strictEqual(hit.element?.type, 'dropdown');
    assert.ok(inside(hit.center, [1014, 166, 1125, 189]), `${hit.strategy} at ${JSON.stringify(hit.center)}`);
  });
});
