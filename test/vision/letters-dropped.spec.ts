/**
 * One label on two controls, one of them read with letters missing: 98.css's button
 * "Enregistrer" read "Eregister" beside its toolbar's "Enregistrer" (150 %). (xp.css's toolbar
 * caption read "Enregister" at 125 % is read whole since the frame's line is kept out of its
 * crop: rounded-frames.spec.ts.) OCR drops letters of
 * small bitmap fonts far more often than it adds any: the exact reading does not make the other a
 * different control. Asked for either, nothing is clicked (captured pages of the web corpus).
 */
import assert from 'assert';
import { readsWithLettersMisread } from '../../lib/vision/text-match';
import { inside, locateOnCapture } from './helpers/render';

describe('locate: a label read whole on one control and with letters dropped on another', function () {
  this.timeout(120_000);

  it('takes a reading with a letter or two missing for the same words, not a shorter label', () => {
    assert.ok(readsWithLettersMisread('Enregistrer', 'Eregister'));
    assert.ok(readsWithLettersMisread('Enregistrer', 'Enregister'));
    assert.ok(!readsWithLettersMisread('Mrs', 'Mr'), 'one letter in three is a different label');
    assert.ok(!readsWithLettersMisread('Factures', 'Facture'), 'the last letter only: another word as often');
    assert.ok(!readsWithLettersMisread('Enregistrer', 'Enregistrer'));
    assert.ok(!readsWithLettersMisread('Enregistrer', 'Egiste'), 'five letters missing');
    assert.ok(!readsWithLettersMisread('Imprimer', 'Imprimé'), 'the end changed: another form of the word');
    assert.ok(readsWithLettersMisread('Imprimer', 'Irm primer'), 'a letter added inside');
    assert.ok(!readsWithLettersMisread('Copier', 'Coller'), 'letters changed: another word');
    assert.ok(!readsWithLettersMisread('Facture', 'Factures'), 'a letter added at the end: another word');
  });

  it('clicks neither "Enregistrer" of 98.css at 150 % when one is read "Eregister"', async () => {
    for (const type of ['button', 'icon'] as const) {
      const { hit } = await locateOnCapture('web-98css/list-150', 1.5, { text: 'Enregistrer', type });
      assert.ok(!hit.found && hit.ambiguous, `${type}: ${JSON.stringify({ ...hit, candidates: undefined })}`);
    }
  });

  it('clicks neither "Details" of xp.css at 100 % when the tab, a word of a line of links, is read "Detais"', async () => {
    // The tab strip is drawn as one line of links; "details" is a word of the link "View details".
    const { hit } = await locateOnCapture('web-xpcss/form-100', 1, { text: 'Details', type: 'tab' });
    assert.ok(!hit.found && hit.ambiguous, JSON.stringify({ ...hit, candidates: undefined }));
  });

  it('still clicks a label read whole that no other control may be: the toolbar\'s "Actualiser"', async () => {
    const { hit } = await locateOnCapture('web-98css/list-150', 1.5, { text: 'Actualiser', type: 'icon' });
    assert.ok(hit.found && inside(hit.center, [177, 92, 267, 151]), JSON.stringify({ ...hit, candidates: undefined }));
  });

  it('clicks no field asked as "Font" where "Font:" is read "Eont:" beside "Font Style:" (Wine)', async () => {
    // The part of a longer label read right is no better evidence than the whole read with one
    // letter wrong; clicking "Font Style:" would type into the wrong field.
    const { hit } = await locateOnCapture('wine-notepad/font-dialog', 1, { label: 'Font', type: 'text_input' });
    assert.ok(!hit.found, `clicked ${JSON.stringify(hit.center)} by ${hit.strategy}`);
    assert.ok(hit.ambiguous, hit.strategy);
  });
});
