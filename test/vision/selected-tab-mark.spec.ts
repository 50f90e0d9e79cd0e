/**
 * Tabs drawn as words, the selected one marked by a bar under it alone (Fluent; Material's as
 * wide as the tab), are tabs even when OCR reads the strip as one line; a field's top edge under its label (Bulma) and the
 * underline GTK draws under a menu bar's open title are no such mark.
 */
import assert from 'assert';
import { iou } from '../../bench/grounding';
import { inside, locateOnCapture } from './helpers/render';

describe('tabs whose selected one is marked by a bar under it (captured screens)', function () {
  this.timeout(120_000);

  it("finds Fluent's strip as three tabs, the first one selected, and clicks a tab as a tab", async () => {
    const { analysis, hit } = await locateOnCapture('web-fluent/form-125', 1.25, { text: 'Contracts', type: 'tab' });
    const tabs = analysis.elements.filter((e) => e.type === 'tab');
    assert.deepStrictEqual(
      tabs.map((t) => [t.label, t.state.selected]),
      [
        ['Contact', true],
        ['Contracts', false],
        ['Attachments', false],
      ],
    );
    assert.ok(hit.found && hit.strategy !== 'text_fallback', `${hit.strategy} at ${JSON.stringify(hit.center)}`);
    assert.ok(inside(hit.center, tabs[1].bbox), JSON.stringify(hit.center));
  });

  it("clicks Bulma's payment dropdown under its label, the label's row of keys no tab strip", async () => {
    const { analysis, hit } = await locateOnCapture('web-bulma/keypad-125', 1.25, {
      label: 'Mode de règlement',
      type: 'dropdown',
    });
    assert.deepStrictEqual(
      analysis.elements.filter((e) => e.type === 'tab').map((e) => e.label),
      [],
    );
    assert.ok(inside(hit.center, [500, 255, 678, 304]), `${hit.strategy} at ${JSON.stringify(hit.center)}`);
  });

  it("keeps mousepad's menu bar, its open title underlined, from being tabs", async () => {
    const { analysis, hit } = await locateOnCapture('gtk3-mousepad/file-menu-dark-fr', 1, {
      text: 'Fichier',
      type: 'menu_item',
    });
    assert.deepStrictEqual(
      analysis.elements.filter((e) => e.type === 'tab').map((e) => e.label),
      [],
    );
    assert.ok(inside(hit.center, [320, 167, 378, 191]), `${hit.strategy} at ${JSON.stringify(hit.center)}`);
  });

  it("finds Material's strip, its indicator wider than the selected word, a tab where the page has one", async () => {
    // The indicator runs under the whole tab, past the word on both sides (an underline ends with
    // its word). Boxes are the DOM's, wider than the words (the benchmark's detection match).
    const { analysis, hit } = await locateOnCapture('web-mdc/form-150', 1.5, { text: 'Contrats', type: 'tab' });
    const tabs = analysis.elements.filter((e) => e.type === 'tab');
    assert.deepStrictEqual(
      tabs.map((t) => t.state.selected),
      [true, false, false],
      JSON.stringify(tabs.map((t) => t.label)),
    );
    const truth: Array<[number, number, number, number]> = [
      [36, 228, 295, 299],
      [295, 228, 496, 299],
      [496, 228, 766, 299],
    ];
    truth.forEach((box, i) => assert.ok(iou(tabs[i].bbox as typeof box, box) >= 0.5, JSON.stringify(tabs[i].bbox)));
    assert.ok(hit.found && inside(hit.center, truth[1]), `${hit.strategy} at ${JSON.stringify(hit.center)}`);
  });
});
