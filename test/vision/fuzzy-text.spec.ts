/**
 * Targets are found by what they say, however the user types it: without accents, in another
 * case, with a typo; and two equally good candidates are reported as ambiguous (strict mode)
 * unless nth or near picks one.
 */
import assert from 'assert';
import type { ScreenAnalysis } from '../../lib/vision';
import { textSimilarity } from '../../lib/vision';
import { toLine } from '../../lib/vision/ocr/text-recognizer';
import { INVOICE_BOXES, inside, renderHtml, renderInvoice, sharedEngine } from './helpers/render';

describe('vision: fuzzy text grounding', function () {
  this.timeout(120_000);
  let screen: ScreenAnalysis;
  let twins: ScreenAnalysis;

  before(async () => {
    const vision = await sharedEngine();
    screen = await vision.analyze(await renderInvoice());
    twins = await vision.analyze(
      await renderHtml(`<body style="font:15px 'DejaVu Sans';background:#fafafa">
        <div style="position:absolute;left:40px;top:40px">Commande A-17</div><button style="position:absolute;left:300px;top:36px;font:15px 'DejaVu Sans'">Supprimer</button>
        <div style="position:absolute;left:40px;top:120px">Commande B-42</div><button style="position:absolute;left:300px;top:116px;font:15px 'DejaVu Sans'">Supprimer</button></body>`),
    );
  });

  for (const query of ['valider la facture', 'VALIDER LA FACTURE', 'Valider la factur', 'Validr la facture']) {
    it(`finds the button for "${query}"`, async () => {
      const hit = await (await sharedEngine()).locate(screen, { text: query });
      assert.ok(hit.found && inside(hit.center, INVOICE_BOXES.valider), `${JSON.stringify(hit)}`);
    });
  }

  it('matches accents either way: "Categorie" finds "Catégorie"', async () => {
    const hit = await (await sharedEngine()).locate(screen, { text: 'Categorie' });
    assert.ok(hit.found && inside(hit.center, INVOICE_BOXES.categorie));
  });

  it('does not find text that is not there', async () => {
    const hit = await (await sharedEngine()).locate(screen, { text: 'Imprimer le bordereau de remise' });
    assert.strictEqual(hit.found, false);
  });

  it('reports two identical buttons as ambiguous, with both candidates', async () => {
    const hit = await (await sharedEngine()).locate(twins, { text: 'Supprimer', type: 'button' });
    assert.strictEqual(hit.found, false);
    assert.strictEqual(hit.ambiguous, true);
    assert.strictEqual(hit.candidates.length, 2);
  });

  it('picks one of them with nth or near', async () => {
    const vision = await sharedEngine();
    const second = await vision.locate(twins, { text: 'Supprimer', type: 'button', nth: 1 });
    assert.ok(second.found && second.center![1] > 100, JSON.stringify(second));
    const nearB = await vision.locate(twins, { text: 'Supprimer', type: 'button', near: 'Commande B-42' });
    assert.ok(nearB.found && nearB.center![1] > 100, JSON.stringify(nearB));
    const nearA = await vision.locate(twins, { text: 'Supprimer', type: 'button', near: 'Commande A-17' });
    assert.ok(nearA.found && nearA.center![1] < 100, JSON.stringify(nearA));
  });

  it('scores text similarity accent- and case-insensitively', () => {
    assert.strictEqual(textSimilarity('Espèces', 'ESPECES'), 1);
    assert.strictEqual(textSimilarity('Fenêtre', 'Fenetre'), 1);
    assert.ok(textSimilarity('Valider', 'Valider la facture') > 0.75);
    assert.ok(textSimilarity('Valider', 'Annuler') < 0.6);
  });

  it('never takes the middle of a word for a short query: "OK" is not the "ok" of "Stock"', async () => {
    const vision = await sharedEngine();
    const page = await vision.analyze(
      await renderHtml(`<body style="font:15px 'DejaVu Sans';background:#fafafa">
        <div style="position:absolute;left:40px;top:40px">Stock</div>
        <div style="position:absolute;left:40px;top:80px">Bookmarks</div>
        <button style="position:absolute;left:300px;top:76px;font:15px 'DejaVu Sans'">Cancel</button></body>`),
    );
    const hit = await vision.locate(page, { text: 'OK', type: 'button' });
    assert.strictEqual(hit.found, false, JSON.stringify(hit));
    // Wine's "File" menu read with its underline, a font list's "Bold" misread: not "11", not "OK".
    assert.ok(textSimilarity('11', 'File') < 0.75);
    assert.ok(textSimilarity('OK', 'Bokd') < 0.75);
    // A word's start is still a match ("MR" and the arrow of its key read "MRv"), below whole words.
    assert.ok(textSimilarity('MR', 'MRv') >= 0.75);
    assert.ok(textSimilarity('FontSmoothing', 'FontSmcthing') > textSimilarity('FontSmoothing', 'FontSmoothingType'));
  });

  it('takes a query\'s "€" for the letter OCR reads it as: "Montant (€)" is "Montant (E)" more than "Montant"', () => {
    assert.strictEqual(textSimilarity('Montant (€)', 'Montant (E)'), 1);
    assert.strictEqual(textSimilarity('120,00 €', '120,00E'), 1);
    assert.ok(textSimilarity('Montant (€)', 'Montant') < 1);
  });

  it('matches a label of signs by its signs: "(" is not ")", "M+" is not "M-", "×" is "*"', () => {
    assert.strictEqual(textSimilarity('(', '('), 1);
    assert.strictEqual(textSimilarity('(', ')'), 0);
    assert.strictEqual(textSimilarity('%', '%'), 1);
    assert.strictEqual(textSimilarity('M+', 'm+'), 1);
    assert.ok(textSimilarity('M+', 'M-') <= 0.5);
    assert.ok(textSimilarity('M+', 'MS') <= 0.5);
    assert.strictEqual(textSimilarity('×', '*'), 1);
    assert.strictEqual(textSimilarity('÷', '/'), 1);
    assert.strictEqual(textSimilarity('−', '-'), 1);
    assert.ok(textSimilarity('-', '+/-') < 0.5, 'a sign inside a longer label is not that label');
    assert.ok(textSimilarity('=', 'Total = 12,00 €') < 0.2);
    // The recogniser reads a lone "=" as the ideograph "二" at times; within a text it stays a word.
    assert.strictEqual(textSimilarity('=', '二'), 1);
    assert.strictEqual(textSimilarity('-', '一'), 1);
    assert.ok(textSimilarity('=', '二月') < 0.5);
  });
});

describe('vision: a mark read glued to its label', () => {
  it('makes "○oui" two words, so the radio labelled "Oui" is found by its label', () => {
    const spans: [number, number][] = [0, 1, 2, 3].map((i) => [i / 4, (i + 1) / 4]);
    const line = toLine({ text: '○oui', confidence: 0.9, spans }, [100, 10, 180, 30])!;
    assert.deepStrictEqual(
      line.words.map((w) => w.text),
      ['○', 'oui'],
    );
    assert.strictEqual(line.text, '○ oui');
    assert.ok(
      line.words[1].bbox[0] >= 115 && line.words[0].bbox[2] <= 130,
      JSON.stringify(line.words.map((w) => w.bbox)),
    );
    // Letters glued to each other, or a mark alone, are left as read.
    assert.deepStrictEqual(
      toLine({ text: 'Oui', confidence: 0.9, spans: spans.slice(0, 3) }, [100, 10, 160, 30])!.words.map((w) => w.text),
      ['Oui'],
    );
    assert.deepStrictEqual(
      toLine({ text: '○', confidence: 0.9, spans: spans.slice(0, 1) }, [100, 10, 120, 30])!.words.map((w) => w.text),
      ['○'],
    );
  });
});
