/**
 * A form drawn with the browser's own controls, no CSS framework (issue 14): a look none of the
 * corpus families has, used to check that what was learnt there holds elsewhere. It found:
 *  - Chromium's select draws its chevron a few pixels after the value, and OCR's box for "Open"
 *    runs over it: the select was a button, and "Status" picked the select two lines below it;
 *  - the form's first row ("Country [France ⌄]  Name [      ]") near the top of the screen was
 *    taken for a menu bar;
 *  - a fieldset around a row of selects was a text field, clicked for either select;
 *  - the fieldset's corner and the line to its legend ("⌐Shipping") was a check box.
 * Controls are placed at known positions, so the expected boxes come from the page itself.
 */
import assert from 'assert';
import type { VisionEngine } from '../../lib/vision';
import { inside, renderHtml, sharedEngine } from './helpers/render';

type Box = [number, number, number, number];
interface Control {
  label: string;
  type: 'dropdown' | 'text_input';
  /** Logical pixels: left, top, width; every control is 22 pixels high. */
  at: [number, number, number];
  /** Where the label is drawn: above the control, or left of it (130 pixels before it in the left column, 80 in the others). */
  labelAbove?: boolean;
  options?: string[];
  value?: string;
  /** Drawn as wide as its value (the chevron right after it); `at`'s width is then a lower bound. */
  auto?: boolean;
}

const CONTROLS: Control[] = [
  { label: 'Country', type: 'dropdown', at: [170, 40, 110], options: ['France', 'Belgique'] },
  { label: 'Name', type: 'text_input', at: [400, 40, 180] },
  { label: 'Payment method', type: 'dropdown', auto: true, at: [170, 72, 50], options: ['Card'] },
  { label: 'City', type: 'text_input', at: [400, 72, 180], value: 'Lyon' },
  { label: 'Status', type: 'dropdown', auto: true, at: [170, 104, 50], options: ['Open'] },
  { label: 'Priority', type: 'dropdown', auto: true, at: [400, 104, 50], options: ['High'] },
  { label: 'Currency', type: 'dropdown', at: [40, 172, 200], labelAbove: true, options: ['EUR'] },
  { label: 'Reference', type: 'text_input', at: [300, 172, 200], labelAbove: true },
  { label: 'Language', type: 'dropdown', at: [560, 172, 100], labelAbove: true, options: ['Français'] },
  { label: 'Carrier', type: 'dropdown', at: [190, 246, 100], options: ['La Poste'] },
  { label: 'Speed', type: 'dropdown', at: [400, 246, 50], auto: true, options: ['Express'] },
];

function page(): string {
  const abs = (x: number, y: number, w?: number) =>
    `position:absolute;left:${x}px;top:${y}px;${w ? `width:${w}px;height:22px;box-sizing:border-box;` : ''}`;
  const parts = CONTROLS.map((c, i) => {
    const [x, y, w] = c.at;
    const label = c.labelAbove
      ? `<label for="c${i}" style="${abs(x, y - 24)}">${c.label}</label>`
      : `<label for="c${i}" style="${abs(x < 300 ? x - 130 : x - 80, y + 2)}">${c.label}</label>`;
    const control =
      c.type === 'dropdown'
        ? `<select id="c${i}" style="${abs(x, y, c.auto ? undefined : w)}${c.auto ? 'height:22px;' : ''}">${c.options!.map((o) => `<option>${o}</option>`).join('')}</select>`
        : `<input id="c${i}" style="${abs(x, y, w)}" value="${c.value ?? ''}">`;
    return label + control;
  });
  return `<!doctype html><html><body style="font-family:sans-serif;font-size:16px;margin:0">
<fieldset style="${abs(40, 222, 480)}height:62px;box-sizing:border-box"><legend>Shipping</legend></fieldset>
${parts.join('\n')}
<button style="${abs(40, 310)}">Save</button> <button style="${abs(110, 310)}">Cancel</button>
</body></html>`;
}

describe("vision: a form of the browser's own controls, rendered", function () {
  this.timeout(120_000);
  let engine: VisionEngine;

  before(async () => {
    engine = await sharedEngine();
  });

  for (const scale of [1, 1.25, 1.5])
    it(`finds every field by its label at ${scale * 100} %, and no menu or check box`, async () => {
      const shot = await renderHtml(page(), { width: 720, height: 380, scale });
      const analysis = await engine.analyze(shot, { scaleFactor: scale });
      const wrong: string[] = [];
      for (const c of CONTROLS) {
        const [x, y, w] = c.at;
        const box = [x, y, x + w, y + 22].map((v) => v * scale) as Box;
        const r = await engine.locate(analysis, { label: c.label, type: c.type });
        if (!r.found || !inside(r.center, box))
          wrong.push(`${c.label}: ${r.strategy} at ${JSON.stringify(r.center)}, expected in ${JSON.stringify(box)}`);
      }
      assert.deepStrictEqual(wrong, []);
      const strays = analysis.elements.filter((e) => e.type === 'menu_item' || e.type === 'checkbox');
      assert.deepStrictEqual(
        strays.map((e) => `${e.type} "${e.label}"`),
        [],
      );
    });
});

/**
 * The same browser's check boxes, radios, buttons a space apart and a bordered table whose header
 * says "Montant" beside a field labelled "Montant (€)". The buttons were a tab strip (boxes a few
 * pixels apart). On a first version of this page, at 200 %, "Montant (€)" clicked a cell under
 * the header: the recognizer has no "€" and reads it "E", and the query's "€" was dropped, so the
 * header matched whole (see fuzzy-text.spec.ts).
 */
describe("vision: the browser's own buttons, marks and a table, rendered", function () {
  this.timeout(120_000);
  let engine: VisionEngine;
  const at = (x: number, y: number, w: number, h: number) =>
    `position:absolute;left:${x}px;top:${y}px;width:${w}px;height:${h}px;margin:0;box-sizing:border-box`;
  const marks = [
    { label: 'Envoyer par courriel', type: 'checkbox', box: [40, 80, 56, 96] },
    { label: 'Urgent', type: 'checkbox', box: [40, 110, 56, 126] },
    { label: 'Carte', type: 'radio', box: [300, 80, 316, 96] },
    { label: 'Espèces', type: 'radio', box: [300, 110, 316, 126] },
  ] as const;
  const buttons = ['Valider', 'Supprimer', 'Envoyer', 'Annuler'].map((text, i) => ({
    text,
    box: [40 + i * 104, 300, 140 + i * 104, 328] as Box,
  }));
  const amount: Box = [150, 200, 300, 226];
  const html = `<!doctype html><html><body style="font-family:sans-serif;font-size:15px;margin:0">
${marks
  .map(
    (m, i) =>
      `<input id="m${i}" type="${m.type}" name="${m.type}${i}"${i % 2 ? '' : ' checked'} style="${at(m.box[0], m.box[1], 16, 16)}">` +
      `<label for="m${i}" style="position:absolute;left:${m.box[2] + 6}px;top:${m.box[1]}px">${m.label}</label>`,
  )
  .join('\n')}
<label for="amount" style="position:absolute;left:40px;top:204px">Montant (€)</label>
<input id="amount" type="number" value="120" style="${at(amount[0], amount[1], 150, 26)}">
<table border="1" style="position:absolute;left:560px;top:80px;border-collapse:collapse">
<tr><th>Patient</th><th>Montant</th></tr><tr><td>Dupont</td><td>45,00 €</td></tr><tr><td>Martin</td><td>120,00 €</td></tr></table>
${buttons.map((b) => `<button style="${at(b.box[0], b.box[1], 100, 28)}">${b.text}</button>`).join('\n')}
</body></html>`;

  before(async () => {
    engine = await sharedEngine();
  });

  for (const scale of [1, 1.5, 2])
    it(`finds each button, mark and the amount field at ${scale * 100} %`, async () => {
      const shot = await renderHtml(html, { width: 800, height: 360, scale });
      const analysis = await engine.analyze(shot, { scaleFactor: scale });
      const px = (b: readonly number[]) => b.map((v) => v * scale) as Box;
      const wrong: string[] = [];
      for (const m of marks) {
        const r = await engine.locate(analysis, { label: m.label, type: m.type });
        if (!r.found || !inside(r.center, px(m.box)))
          wrong.push(`${m.label}: ${r.strategy} at ${JSON.stringify(r.center)}`);
      }
      for (const b of buttons) {
        const r = await engine.locate(analysis, { text: b.text, type: 'button' });
        if (!r.found || !inside(r.center, px(b.box)) || r.element?.type !== 'button')
          wrong.push(`${b.text}: ${r.element?.type ?? r.strategy} at ${JSON.stringify(r.center)}`);
      }
      const r = await engine.locate(analysis, { label: 'Montant (€)', type: 'text_input' });
      if (!r.found || !inside(r.center, px(amount)))
        wrong.push(`Montant (€): ${r.strategy} at ${JSON.stringify(r.center)} (${r.element?.label})`);
      assert.deepStrictEqual(wrong, []);
    });
});
