/**
 * A step and its reason worded for a person: the English the logs and the CLI always showed,
 * and French with no English word left in it, for the Questions and Coaching pages.
 */
import assert from 'assert';
import type { WorkflowAction } from '../../lib/contracts/workflow';
import { Locator } from '../../lib/execute';
import { amountReason, promptWords, stepWording, wordStep } from '../../lib/execute/step-wording';

const open: WorkflowAction = {
  type: 'mouse_click',
  target: { type: 'button', text: 'Ouvrir', near: 'F-1002', selection_policy: 'first_with:À valider' },
};
const comment: WorkflowAction = {
  type: 'type_text',
  text: '{{commentaire}}',
  target: { type: 'text_input', text: 'Commentaire' },
};

describe('step wording: English for the logs, French for a French page', () => {
  it('words a click, a typed text, keys and a compound step in English as the runner always did', () => {
    assert.strictEqual(
      wordStep(stepWording(open), 'en'),
      'click the button "Ouvrir" near "F-1002" (first_with:À valider)',
    );
    assert.strictEqual(
      wordStep(stepWording(comment), 'en'),
      'type "{{commentaire}}" into the text input "Commentaire"',
    );
    assert.strictEqual(wordStep(stepWording({ type: 'key_press', keys: ['ctrl', 's'] }), 'en'), 'press ctrl+s');
    assert.strictEqual(
      wordStep(stepWording({ type: 'compound', steps: [open, comment] } as WorkflowAction), 'en'),
      'do 2 steps',
    );
    assert.strictEqual(String(new Locator(open.target!)), 'the button "Ouvrir" near "F-1002" (first_with:À valider)');
  });

  it('words the same steps in French, with French quotes and element names', () => {
    assert.strictEqual(
      wordStep(stepWording(open, 'Ouvrir'), 'fr'),
      'cliquer sur le bouton « Ouvrir » près de « F-1002 » (règle first_with:À valider) (« Ouvrir »)',
    );
    assert.strictEqual(
      wordStep(stepWording(comment), 'fr'),
      'taper « {{commentaire}} » dans le champ de texte « Commentaire »',
    );
    assert.strictEqual(
      wordStep(stepWording({ type: 'double_click', target: { type: 'list_item', text: 'Dupont' } }), 'fr'),
      "double-cliquer sur l'élément de liste « Dupont »",
    );
    assert.strictEqual(wordStep(stepWording({ type: 'key_press', keys: ['Return'] }), 'fr'), 'appuyer sur Return');
  });

  it('gives each reason in both languages: confirmation, safety rule, amount, coaching with candidates', () => {
    const confirm = promptWords(stepWording(open), { code: 'confirm_each_step' });
    assert.strictEqual(confirm.reason, 'AUTO_CANDIDATE: confirm each step');
    assert.strictEqual(confirm.texts.fr.reason, 'AUTO_CANDIDATE : confirmez chaque étape');
    assert.strictEqual(confirm.description, confirm.texts.en.description);

    const rule = promptWords(stepWording(open), { code: 'confirmation_rule', rule: 'require_confirmation_for' });
    assert.strictEqual(rule.texts.fr.reason, 'règle de sécurité require_confirmation_for');

    const amount = promptWords(
      stepWording(open),
      amountReason({ threshold: 1000, amount: { amount: 1250, text: '1 250,00 €', source: 'parameter "montant"' } }),
    );
    assert.match(
      amount.reason,
      /^safety rule max_amount_without_manual_check: the amount 1 250,00 € \(.*from parameter "montant"\) is above/,
    );
    assert.match(
      amount.texts.fr.reason,
      /^règle de sécurité max_amount_without_manual_check : le montant 1 250,00 € \(.*\) dépasse /,
    );

    const coach = promptWords(stepWording(open), {
      code: 'coach',
      candidates: ['"Ouvrir" at [1,2,3,4]', '"Ouvrir" at [1,9,3,12]'],
    });
    assert.strictEqual(
      coach.reason,
      'COACHING: please do this step; several elements match equally well ("Ouvrir" at [1,2,3,4], "Ouvrir" at [1,9,3,12]) and no selection rule says which one',
    );
    assert.match(
      coach.texts.fr.reason,
      /^ACCOMPAGNEMENT : faites cette étape ; plusieurs éléments correspondent aussi bien/,
    );
    for (const w of [confirm, rule, amount, coach])
      assert.doesNotMatch(
        `${w.texts.fr.description} ${w.texts.fr.reason}`,
        /\b(click|type|into|near|please|confirm each)\b/,
      );
  });
});
