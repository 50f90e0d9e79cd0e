/**
 * Safety rules: destructive texts are refused by default in French and English, whatever the
 * case, accents or surrounding words; the user can allow one explicitly; forbidden roles are
 * refused; irreversible actions ask for confirmation.
 */
import assert from 'assert';
import type { Workflow } from '../../lib/contracts/workflow';
import { allowTextClick, checkSafety, safetyRulesOf } from '../../lib/graph';

const bare: Workflow = {
  workflow_id: 'WF_s',
  name: 'S',
  nodes: [{ node_id: 'N1', label: 'x', screen_template: {} }],
  edges: [],
};

describe('safety rules', () => {
  it('forbids Supprimer, Effacer, Delete and Remove by default, in any case and inside longer labels', () => {
    for (const text of [
      'Supprimer',
      'SUPPRIMER la facture',
      'effacer',
      'Delete',
      'delete row',
      'Remove',
      'Erase all',
      'Annuler la facture',
    ]) {
      const verdict = checkSafety(bare, { text, type: 'button', action: 'mouse_click' });
      assert.strictEqual(verdict.allowed, false, text);
      assert.match(verdict.rule!, /^forbidden_text_clicks: /, text);
    }
  });

  it('allows ordinary buttons and does not match inside other words', () => {
    for (const text of ['Valider', 'Suivant', 'Deleted items', 'Removal date', 'Enregistrer'])
      assert.strictEqual(checkSafety(bare, { text, action: 'mouse_click' }).allowed, true, text);
  });

  it('lets the user allow a forbidden text explicitly, for this workflow only', () => {
    const wf: Workflow = JSON.parse(JSON.stringify(bare));
    allowTextClick(wf, 'Supprimer');
    assert.strictEqual(checkSafety(wf, { text: 'Supprimer', action: 'mouse_click' }).allowed, true);
    assert.strictEqual(checkSafety(wf, { text: 'Effacer', action: 'mouse_click' }).allowed, false);
    assert.strictEqual(checkSafety(bare, { text: 'Supprimer' }).allowed, false, 'other workflows keep the default');
    assert.deepStrictEqual(wf.safety_rules?.allowed_text_clicks, ['Supprimer']);
  });

  it('refuses forbidden roles and asks confirmation for irreversible actions', () => {
    const verdict = checkSafety(bare, { text: 'OK', role: 'delete_action' });
    assert.deepStrictEqual([verdict.allowed, verdict.rule], [false, 'forbidden_roles: "delete_action"']);
    const confirm = checkSafety(bare, { text: 'Clôturer', role: 'irreversible_action', action: 'mouse_click' });
    assert.deepStrictEqual([confirm.allowed, confirm.requires_confirmation], [true, true]);
    assert.strictEqual(checkSafety(bare, { text: 'Valider', role: 'submit' }).requires_confirmation, false);
  });

  it("uses the workflow's own rules when it has them", () => {
    const wf: Workflow = {
      ...bare,
      safety_rules: { forbidden_text_clicks: ['Clôturer'], forbidden_roles: [], require_confirmation_for: [] },
    };
    assert.strictEqual(checkSafety(wf, { text: 'clôturer le mois' }).allowed, false);
    assert.strictEqual(checkSafety(wf, { text: 'Supprimer' }).allowed, true, 'replaced, not merged');
    assert.deepStrictEqual(safetyRulesOf(bare).forbidden_text_clicks.slice(0, 2), ['Supprimer', 'Effacer']);
  });
});
