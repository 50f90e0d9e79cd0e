/**
 * OCR reads French UI labels, accents included: what the user sees on screen is what
 * analyze() returns (compared accent-insensitively where the model's dictionary lacks a letter).
 */
import assert from 'assert';
import { normalizeText, textSimilarity, type ScreenAnalysis } from '../../lib/vision';
import { renderInvoice, sharedEngine } from './helpers/render';

describe('vision: OCR of French labels', function () {
  this.timeout(120_000);
  let screen: ScreenAnalysis;

  before(async () => {
    const vision = await sharedEngine();
    screen = await vision.analyze(await renderInvoice());
  });

  const all = (): string => normalizeText(screen.text.map((l) => l.text).join(' | '));

  it('reads every label of the form, accents folded', () => {
    let exact = 0;
    const labels = [
      'Nom du patient',
      'Montant à régler',
      'Catégorie',
      'Vérifié par le médecin',
      'Envoyer à la mutuelle',
      'Espèces',
      'Carte bancaire',
      'Valider la facture',
      'Annuler',
    ];
    for (const label of labels) {
      if (all().includes(normalizeText(label))) exact++;
      // At most a one-letter slip per label (the model sometimes doubles an accented letter).
      const best = Math.max(...screen.text.map((l) => textSimilarity(label, l.text)));
      assert.ok(best >= 0.85, `"${label}" not read (best similarity ${best}): ${all()}`);
    }
    assert.ok(exact >= labels.length - 1, `only ${exact}/${labels.length} labels read exactly: ${all()}`);
  });

  it('keeps the accents the model knows (é, è, à)', () => {
    const raw = screen.text.map((l) => l.text).join(' ');
    assert.match(raw, /[éèà]/, raw);
  });

  it('gives words with boxes inside their line and confidences', () => {
    const line = screen.text.find((l) => normalizeText(l.text).includes('valider la facture'));
    assert.ok(line, 'line "Valider la facture" found');
    assert.ok(line.confidence > 0.8, `confidence ${line.confidence}`);
    const words = line.words.map((w) => normalizeText(w.text));
    assert.deepStrictEqual(words.slice(0, 3), ['valider', 'la', 'facture']);
    for (let i = 0; i < line.words.length; i++) {
      const [x1, , x2] = line.words[i].bbox;
      assert.ok(
        x1 >= line.bbox[0] && x2 <= line.bbox[2] && x1 < x2,
        `word box ${line.words[i].bbox} inside line ${line.bbox}`,
      );
      if (i) assert.ok(x1 >= line.words[i - 1].bbox[0], 'words left to right');
    }
  });
});
