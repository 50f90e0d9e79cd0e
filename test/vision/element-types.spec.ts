/**
 * Each kind of control on a real rendered form is detected with its type, its label and, where
 * visible, its state: buttons, text inputs, dropdowns, checkboxes, radios, tabs, links, table
 * rows, menu items.
 */
import assert from 'assert';
import { normalizeText, textSimilarity, type ScreenAnalysis, type UIElement } from '../../lib/vision';
import { renderInvoice, sharedEngine } from './helpers/render';

describe('vision: element types on a rendered form', function () {
  this.timeout(120_000);
  let screen: ScreenAnalysis;

  before(async () => {
    const vision = await sharedEngine();
    screen = await vision.analyze(await renderInvoice());
  });

  function find(type: UIElement['type'], label: string): UIElement {
    const hit = screen.elements.find((e) => e.type === type && textSimilarity(label, e.label) >= 0.8);
    assert.ok(hit, `no ${type} "${label}" among ${screen.elements.map((e) => `${e.type}:${e.label}`).join(', ')}`);
    return hit;
  }

  it('finds buttons with their text and a role', () => {
    assert.strictEqual(find('button', 'Valider la facture').role, 'submit');
    assert.strictEqual(find('button', 'Annuler').role, 'cancel');
  });

  it('finds text inputs labelled by the text left of them, with their value', () => {
    const nom = find('text_input', 'Nom du patient');
    assert.match(normalizeText(nom.state.value ?? ''), /dupont jean/);
    find('text_input', 'Montant à régler');
  });

  it('finds the dropdown and its current value', () => {
    const cat = find('dropdown', 'Catégorie');
    assert.match(normalizeText(cat.state.value ?? ''), /consultation generale/);
  });

  it('finds checkboxes and radios with their checked state', () => {
    assert.strictEqual(find('checkbox', 'Vérifié par le médecin').state.checked, true);
    assert.strictEqual(find('checkbox', 'Envoyer à la mutuelle').state.checked, false);
    assert.strictEqual(find('radio', 'Espèces').state.checked, true);
    assert.strictEqual(find('radio', 'Carte bancaire').state.checked, false);
  });

  it('finds tabs, the selected one marked', () => {
    const tabs = ['Général', 'Paiements', 'Historique'].map((t) => find('tab', t));
    assert.deepStrictEqual(
      tabs.map((t) => t.state.selected),
      [true, false, false],
    );
  });

  it('finds the link by its colour', () => {
    find('link', "Voir l'historique des paiements");
  });

  it('finds table rows with their cells as label, grouped', () => {
    const row = find('table_row', 'MARTIN Élodie - 120,00 € - À valider');
    assert.match(normalizeText(row.label), /martin elodie.*120.*a valider/);
    find('table_row', 'LEFÈVRE François - 45,50 € - Validée');
  });

  it('finds the items of a popup menu', () => {
    for (const item of ['Ouvrir la facture', 'Dupliquer', 'Imprimer', 'Exporter en PDF']) find('menu_item', item);
  });

  it('gives every element a box, a centre inside it, visual features and a stable-looking id', () => {
    for (const e of screen.elements) {
      const [x1, y1, x2, y2] = e.bbox;
      assert.ok(x1 < x2 && y1 < y2, `${e.element_id} box ${e.bbox}`);
      assert.match(e.element_id, /^el_[a-z_]+/);
      assert.match(e.visual_features.dominant_color, /^#[0-9a-f]{6}$/);
      assert.ok(e.confidence > 0 && e.confidence <= 1);
    }
    assert.strictEqual(
      new Set(screen.elements.map((e) => e.element_id)).size,
      screen.elements.length,
      'ids are unique',
    );
  });
});
