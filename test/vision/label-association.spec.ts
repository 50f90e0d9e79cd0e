/**
 * Fields are found by their label but the click lands on the control, not on the label text;
 * the label element points at its field (label_for).
 */
import assert from 'assert';
import { normalizeText, type ScreenAnalysis } from '../../lib/vision';
import { INVOICE_BOXES, inside, renderHtml, renderInvoice, sharedEngine } from './helpers/render';

describe('vision: label association', function () {
  this.timeout(120_000);
  let screen: ScreenAnalysis;

  before(async () => {
    const vision = await sharedEngine();
    screen = await vision.analyze(await renderInvoice());
  });

  for (const [label, box] of [
    ['Nom du patient', INVOICE_BOXES.nom],
    ['Montant à régler', INVOICE_BOXES.montant],
    ['Catégorie', INVOICE_BOXES.categorie],
  ] as const) {
    it(`clicks inside the field labelled "${label}", not on the label`, async () => {
      const vision = await sharedEngine();
      const hit = await vision.locate(screen, { text: label });
      assert.ok(hit.found, JSON.stringify(hit.candidates));
      assert.ok(inside(hit.center, box), `click ${hit.center} outside field ${box}`);
      assert.strictEqual(hit.strategy, 'label->control');
    });
  }

  it('clicks on the checkbox and the radio, left of their labels', async () => {
    const vision = await sharedEngine();
    const box = await vision.locate(screen, { text: 'Envoyer à la mutuelle', type: 'checkbox' });
    assert.ok(box.found && inside(box.center, [300, 240, 322, 268]), `checkbox click ${box.center}`);
    const radio = await vision.locate(screen, { text: 'Carte bancaire', type: 'radio' });
    assert.ok(radio.found && inside(radio.center, [300, 280, 322, 308]), `radio click ${radio.center}`);
  });

  it('links the label element to its field with label_for', () => {
    const field = screen.elements.find(
      (e) =>
        e.type === 'text_input' &&
        e.label ===
          screen.elements.find((l) =>
            l.relationships.some((r) => r.type === 'label_for' && r.target_element_id === e.element_id),
          )?.label,
    );
    assert.ok(field, 'a text_input whose label element points at it');
    assert.ok(field.relationships.some((r) => r.type === 'labelled_by'));
  });

  it('keeps a label of several words above its field whole (the feet of its letters are no underlines)', async () => {
    const vision = await sharedEngine();
    const form = await vision.analyze(
      await renderHtml(`<body style="margin:0;padding:24px;font:18px 'DejaVu Sans';background:#f4f6f8;color:#222">
        <label style="display:block;margin:14px 0 6px">Nom du client</label><input style="font-size:18px;padding:6px 8px;width:320px;border:1px solid #888">
        <label style="display:block;margin:14px 0 6px">Ville de livraison</label><input style="font-size:18px;padding:6px 8px;width:320px;border:1px solid #888"></body>`),
    );
    // Compared as targets are (case and accents aside): what matters here is that the label is whole.
    const fields = form.elements.filter((e) => e.type === 'text_input').map((e) => normalizeText(e.label ?? ''));
    assert.deepStrictEqual(
      fields,
      ['nom du client', 'ville de livraison'],
      JSON.stringify(form.elements.map((e) => [e.type, e.label])),
    );
    assert.ok(
      !form.elements.some((e) => e.label === 'du' || e.label === 'client'),
      'no word of the label stands alone',
    );
  });
});
