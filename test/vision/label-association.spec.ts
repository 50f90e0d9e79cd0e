/**
 * Fields are found by their label but the click lands on the control, not on the label text;
 * the label element points at its field (label_for).
 */
import assert from 'assert';
import { normalizeText, type ScreenAnalysis } from '../../lib/vision';
import { INVOICE_BOXES, inside, locateOnCapture, renderHtml, renderInvoice, sharedEngine } from './helpers/render';

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

describe('vision: a dropdown beside its label, a group box below (captured 98.css pages)', function () {
  this.timeout(120_000);
  // 98.css's select is 17 pixels high beside a label whose text box is 28: it was taken as too
  // low for a control, and the "Delivery" group box under the label (three options high) was
  // clicked instead: a click on the wrong control.
  const cases = [
    { page: 'menu-100', scale: 1, label: 'Category', box: [1020, 165, 1094, 185] },
    { page: 'menu-125', scale: 1.25, label: 'Payment method', box: [1079, 206, 1201, 232] },
  ] as const;
  for (const c of cases)
    it(`clicks the dropdown "${c.label}" (${c.page}), not the group below`, async () => {
      const { hit: r } = await locateOnCapture(`web-98css/${c.page}`, c.scale, { label: c.label, type: 'dropdown' });
      assert.ok(r.found && inside(r.center, [...c.box]), `${r.strategy} at ${JSON.stringify(r.center)}`);
    });
});

describe('vision: a combo box whose arrow is a button beside its field (captured 98.css page)', function () {
  this.timeout(120_000);
  // 98.css draws the select's arrow on a button of its own right of the white field: the field
  // alone was a text field, its "▼" read "D", and asked for the dropdown "Statut" the table's
  // header cell "Statut" (a field-shaped box) tied with it.
  it('finds the field and its arrow button as one dropdown, by its label', async () => {
    const { hit: r } = await locateOnCapture('web-98css/list-100', 1, { label: 'Statut', type: 'dropdown' });
    assert.ok(r.found && inside(r.center, [346, 135, 427, 152]), `${r.strategy} at ${JSON.stringify(r.center)}`);
    assert.strictEqual(r.element?.type, 'dropdown');
    assert.ok(r.element.bbox[2] >= 424, `the arrow button is part of it: ${JSON.stringify(r.element.bbox)}`);
  });
});

describe("vision: labels of a Win32 file dialog's combo boxes (captured under Wine)", function () {
  this.timeout(120_000);
  // "Files of type:" labels the combo box right of it, yet it also sits right above "Encoding:"'s
  // combo box and was taken as that one's label: asked for "Files of type", the encoding was
  // clicked. The "*.txt" inside the file name's box is that box's value, not the next one's label.
  const cases = [
    { label: 'File name', box: [190, 313, 459, 333] },
    { label: 'Files of type', box: [190, 340, 459, 359] },
    { label: 'Encoding', box: [100, 375, 324, 394] },
  ] as const;
  for (const c of cases)
    it(`clicks the combo box labelled "${c.label}"`, async () => {
      const { hit: r } = await locateOnCapture('wine-notepad/save-as', 1, { label: c.label, type: 'dropdown' });
      assert.ok(r.found && inside(r.center, [...c.box]), `${r.strategy} at ${JSON.stringify(r.center)}`);
      assert.ok(r.element && r.element.label.startsWith(c.label), r.element?.label);
    });
});
