/**
 * Salesforce's Lightning Design System, a family added to the web corpus and measured once before
 * anything was looked at (see the README): its three failures, each a general gap.
 * - A field's label whose text box reaches the field's top border ("Country" 4 px above its
 *   select) was a link: the border under it passed for an underline. An underline ends with the
 *   text; a line going on well past it is something else's edge.
 * - The gap between two fields, left of an open menu, holding the second field's label, was a
 *   field labelled by that label and took the click: its sides were the card's edge and the
 *   menu's side, lines running on past its corners. A box of its own has sides that end there.
 * - The "0" key at 100 %: its faint top row fell outside the glyph's box and its narrow oval's
 *   straight sides passed for a "D"'s stem.
 * Captured pages of the corpus (`bench/corpus/web`, 1920×1080).
 */
import assert from 'assert';
import type { BBox } from '../../lib/contracts/screen-state';
import { inside, locateOnCapture } from './helpers/render';

const show = (hit: object) => JSON.stringify({ ...hit, element: undefined, candidates: undefined });

describe('vision: a Lightning (SLDS) form, menu and keypad', function () {
  this.timeout(120_000);

  it('finds the dropdown "Country" by the label just above it, which is no link', async () => {
    const { analysis, hit } = await locateOnCapture('web-slds/form-100', 1, { label: 'Country', type: 'dropdown' });
    assert.ok(hit.found && inside(hit.center, [972, 255, 1886, 287]), show(hit));
    assert.ok(!analysis.elements.some((e) => e.type === 'link' && e.label === 'Country'));
    const terms = analysis.elements.find((e) => e.label === 'Terms and conditions');
    assert.strictEqual(terms?.type, 'link', 'an underlined link stays a link');
  });

  it('clicks the field under its label, not the gap holding the label beside an open menu', async () => {
    const field: BBox = [49, 398, 941, 446];
    const { analysis, hit } = await locateOnCapture('web-slds/menu-150', 1.5, {
      label: 'Intitulé du compte',
      type: 'text_input',
    });
    assert.ok(hit.found && inside(hit.center, field), show(hit));
    const label: [number, number] = [120, 381];
    assert.ok(
      !analysis.elements.some((e) => e.type === 'text_input' && inside(label, e.bbox as BBox)),
      'no field around the label',
    );
  });

  it('clicks the "0" key at 100 %', async () => {
    const { hit } = await locateOnCapture('web-slds/keypad-100', 1, { text: '0', type: 'button' });
    assert.ok(hit.found && inside(hit.center, [33, 305, 98, 337]), show(hit));
  });
});
