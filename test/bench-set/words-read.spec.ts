/**
 * The grounding bench's reading measure: the words of the target names found among the words
 * read on a screen, accents kept and folded.
 */
import assert from 'assert';
import { addWordsRead, wordsRead } from '../../bench/words-read';

describe('grounding bench: words of the target names read', function () {
  it('counts a word read without its accent as read folded, not as written', function () {
    assert.deepStrictEqual(wordsRead(['Édition'], ['Fichier Edition Affichage']), { asked: 1, exact: 0, folded: 1 });
    assert.deepStrictEqual(wordsRead(['Édition'], ['Fichier Édition']), { asked: 1, exact: 1, folded: 1 });
  });

  it('asks each word once, case aside, and leaves out one-letter words', function () {
    const read = wordsRead(['Nom du patient', 'NOM', 'Mot de passe :', 'A'], ['nom du patient', 'Mot de pase']);
    assert.deepStrictEqual(read, { asked: 6, exact: 5, folded: 5 });
  });

  it('finds no word in a screen where nothing was read, and adds screens up', function () {
    const none = wordsRead(['Valider la facture'], []);
    assert.deepStrictEqual(none, { asked: 3, exact: 0, folded: 0 });
    const all = addWordsRead([none, wordsRead(['Valider'], ['Valider'])]);
    assert.deepStrictEqual(all, { asked: 4, exact: 1, folded: 1 });
  });
});
