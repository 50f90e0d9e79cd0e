/**
 * A query's type is a strong hint, not a wall (issue 14, point 4): on a Bootstrap page rendered by
 * Chromium, a tab and a button asked for with a type the detector did not give them are still
 * found by their text, with a lower score and the strategy `text_fallback`; words shown twice
 * stay an error (not found); words only nearly read are no answer.
 */
import assert from 'assert';
import type { Browser } from 'playwright-core';
import { frameworkByName } from '../../bench/corpus/web/frameworks';
import { frameworkHtml, renderHtml } from '../../bench/corpus/web/generate';
import { launchChromium, toTruth } from '../../bench/screens/generate';
import type { TruthElement } from '../../bench/screens/types';
import { decodeImage } from '../../lib/image/codec';
import type { ElementType, ScreenAnalysis, VisionEngine } from '../../lib/vision';
import { inside, sharedEngine } from './helpers/render';

const display = { width: 1920, height: 1080, scale: 1.25 };

function page(): string {
  const fw = frameworkByName('bootstrap');
  const body = [
    fw.tabs(['Général', 'Adresses', 'Règlements', 'Historique'], 0),
    fw.card(
      'Fiche fournisseur',
      `<p>Cette fiche est partagée avec le service comptable.</p>${fw.input({ id: 'rs', label: 'Raison sociale' })}`,
    ),
    `<div style="display:flex;gap:12px">${fw.button('Imprimer')}${fw.button('Enregistrer', true)}${fw.button('Imprimer')}</div>`,
  ].join('');
  return frameworkHtml(fw, 'fr', 'Fournisseurs', body);
}

/**
 * A type that does not accept what the detector made of the element: a table row is asked for
 * only as a row (or plain text), so asking a button or a tab "as a row" finds nothing typed.
 */
function typeOtherThan(got: ElementType): ElementType {
  assert.notStrictEqual(got, 'text', 'the detector saw only text: every clickable type accepts it');
  return got === 'table_row' ? 'menu_item' : 'table_row';
}

describe('locate: a query type is a hint, not a wall (text_fallback)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let engine: VisionEngine;
  let analysis: ScreenAnalysis;
  let truth: TruthElement[];
  const byLabel = (label: string, type: string) => truth.find((e) => e.label === label && e.type === type)!;
  /** The type the detector gave the element under the truth box's centre. */
  const detectedType = (e: TruthElement): ElementType => {
    const c = [(e.bbox[0] + e.bbox[2]) / 2, (e.bbox[1] + e.bbox[3]) / 2] as [number, number];
    const hit = analysis.elements.find((d) => inside(c, d.bbox) && d.type !== 'form' && d.type !== 'table');
    assert.ok(hit, `the detector saw nothing at ${e.label}`);
    return hit.type;
  };

  before(async () => {
    browser = await launchChromium();
    const { png, dom } = await renderHtml(browser, page(), display);
    truth = toTruth(dom, display);
    engine = await sharedEngine();
    analysis = await engine.analyze(await decodeImage(png, display.scale));
  });
  after(async () => {
    await browser?.close();
  });

  for (const [label, type] of [
    ['Historique', 'tab'],
    ['Enregistrer', 'button'],
  ] as const) {
    it(`finds the ${type} "${label}" by its text, also when asked with a type it was not given`, async () => {
      const target = byLabel(label, type);
      const asked = await engine.locate(analysis, { text: label, type });
      assert.ok(asked.found && inside(asked.center, target.click_box), `asked as a ${type}: ${asked.strategy}`);
      const untyped = await engine.locate(analysis, { text: label });

      const wrongType = typeOtherThan(detectedType(target));
      const r = await engine.locate(analysis, { text: label, type: wrongType });
      assert.strictEqual(r.strategy, 'text_fallback', `asked as a ${wrongType}`);
      assert.ok(r.found && inside(r.center, target.click_box), JSON.stringify(r.center));
      assert.ok(r.score < untyped.score, `${r.score} < ${untyped.score}`);
    });
  }

  it('keeps words shown twice an error, whatever the type asked: nothing is guessed', async () => {
    const printButton = byLabel('Imprimer', 'button');
    const r = await engine.locate(analysis, { text: 'Imprimer', type: typeOtherThan(detectedType(printButton)) });
    assert.strictEqual(r.found, false);
    assert.notStrictEqual(r.strategy, 'text_fallback');
    // Untyped, the same words are the ambiguity they are.
    const untyped = await engine.locate(analysis, { text: 'Imprimer' });
    assert.strictEqual(untyped.ambiguous, true);
  });

  it("takes no card's header band for a field named by its title", async () => {
    // A band one line high holding only its title looks like a field holding only its label; but
    // the title sits in the band's middle, where a field's value would be, not over it.
    const r = await engine.locate(analysis, { label: 'Fiche fournisseur', type: 'text_input' });
    assert.strictEqual(r.found, false, `${r.strategy} at ${JSON.stringify(r.center)}`);
  });

  it('does not fall back on words it only nearly reads', async () => {
    const r = await engine.locate(analysis, { text: 'Histo', type: 'table_row' });
    assert.strictEqual(r.found, false, r.strategy);
  });
});
