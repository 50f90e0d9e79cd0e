/**
 * Elements found where a user sees them, box for box (captured corpus screens, the corpus's
 * DOM boxes as the truth): Windows-classic tabs drawn as boxes open at the bottom, a list
 * view's column headers set edge to edge (headers, not fields), a table's rows as tall as their
 * pitch (not their padded text boxes, which reach into the rows around them), a link as tall as
 * its letters even where its underline skips a descender, keys whose thin border a 125 % scale
 * smears over two pixels, and fields drawn by a line under their label (Fluent) found as
 * fields, while a panel's top edge under a page's title is none, nor is a value typed in the
 * field above another (Swing forms).
 */
import assert from 'assert';
import type { BBox, UIElement } from '../../lib/contracts/screen-state';
import { analyzeCapture, inside, locateOnCapture } from './helpers/render';

function iou(a: BBox, b: BBox): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  const area = (x: BBox): number => (x[2] - x[0]) * (x[3] - x[1]);
  return (w * h) / (area(a) + area(b) - w * h);
}

/** The element of that type that best covers the box, and how well. */
function best(elements: UIElement[], type: string, box: BBox): { element: UIElement | undefined; iou: number } {
  let found: UIElement | undefined;
  let score = 0;
  for (const e of elements.filter((x) => x.type === type)) {
    const s = iou(e.bbox, box);
    if (s > score) [found, score] = [e, s];
  }
  return { element: found, iou: score };
}

describe('vision: element boxes as the user sees them (captured screens)', function () {
  this.timeout(180_000);

  it('finds 98.css tabs, boxes open at the bottom, the raised first one selected', async () => {
    const { analysis, hit } = await locateOnCapture('web-98css/form-100', 1, { text: 'Contrats', type: 'tab' });
    const truth: BBox[] = [
      [39, 113, 114, 138],
      [114, 115, 165, 138],
      [165, 115, 241, 138],
    ];
    const tabs = truth.map((box) => best(analysis.elements, 'tab', box));
    tabs.forEach((t, i) => assert.ok(t.iou >= 0.6, `tab ${i + 1}: best overlap ${t.iou.toFixed(2)}`));
    assert.deepStrictEqual(
      tabs.map((t) => t.element!.state.selected),
      [true, false, false],
    );
    assert.ok(hit.found && hit.strategy !== 'text_fallback', `${hit.strategy}`);
    assert.ok(inside(hit.center, truth[1]), JSON.stringify(hit.center));
  });

  it('finds the same strip at 125 %, its sides read as no letters of the titles', async () => {
    const analysis = await analyzeCapture('web-98css/form-125', 1.25);
    const truth: BBox[] = [
      [48, 141, 116, 173],
      [116, 143, 169, 173],
      [170, 143, 239, 173],
      [240, 143, 288, 173],
    ];
    const tabs = truth.map((box) => best(analysis.elements, 'tab', box));
    tabs.forEach((t, i) => assert.ok(t.iou >= 0.6, `tab ${i + 1}: best overlap ${t.iou.toFixed(2)}`));
    assert.strictEqual(tabs[3].element!.label, 'Notes');
  });

  it("takes a list view's column headers for headers, and gives each row its own height", async () => {
    const analysis = await analyzeCapture('web-98css/list-100', 1);
    const headerRow = analysis.elements.filter((e) => e.bbox[1] >= 165 && e.bbox[3] <= 188);
    assert.deepStrictEqual(
      headerRow.filter((e) => e.type === 'text_input' || e.type === 'dropdown').map((e) => e.bbox),
      [],
    );
    assert.ok(headerRow.filter((e) => e.role === 'column_header').length >= 4, JSON.stringify(headerRow));
    for (let k = 0; k < 6; k++) {
      const row: BBox = [41, 185 + 14 * k, 1878, 198 + 14 * k];
      const { iou: overlap } = best(analysis.elements, 'table_row', row);
      assert.ok(overlap >= 0.6, `row ${k + 1}: best overlap ${overlap.toFixed(2)}`);
    }
    const link = best(analysis.elements, 'link', [39, 294, 95, 305]);
    assert.ok(link.iou >= 0.6, `link "Voir le détail": best overlap ${link.iou.toFixed(2)}`);
  });

  it('finds Fluent fields drawn by a line under their label as labelled fields', async () => {
    const analysis = await analyzeCapture('web-fluent/form-125', 1.25);
    for (const [type, label, box] of [
      ['text_input', 'Billing address', [46, 336, 944, 376]],
      ['text_input', 'Company name', [46, 421, 944, 461]],
      ['dropdown', 'Payment method', [975, 333, 1873, 373]],
      ['dropdown', 'Currency', [975, 416, 1873, 456]],
    ] as const) {
      const { element, iou: overlap } = best(analysis.elements, type, [...box]);
      assert.ok(overlap >= 0.6, `${type} "${label}": best overlap ${overlap.toFixed(2)}`);
      assert.strictEqual(element!.label.replace(/\s/g, '').toLowerCase(), label.replace(/\s/g, '').toLowerCase());
    }
  });

  it("finds Bulma's keys at 125 %, their one-pixel borders smeared over two pixels", async () => {
    const analysis = await analyzeCapture('web-bulma/keypad-125', 1.25);
    const keys: BBox[] = [
      [85, 210, 159, 272],
      [169, 210, 254, 272],
      [85, 355, 159, 417],
      [85, 500, 159, 562],
      [169, 500, 254, 562],
    ];
    for (const key of keys) {
      const { iou: overlap } = best(analysis.elements, 'button', key);
      assert.ok(overlap >= 0.6, `key at ${key}: best overlap ${overlap.toFixed(2)}`);
    }
  });

  it('keeps an underlined link whole where its underline skips a descender', async () => {
    const analysis = await analyzeCapture('web-bootstrap/form-125', 1.25);
    const { element, iou: overlap } = best(analysis.elements, 'link', [51, 827, 226, 857]);
    assert.ok(overlap >= 0.5, `best overlap ${overlap.toFixed(2)}`);
    assert.strictEqual(element!.label, 'Forgot password?');
  });

  for (const [look, value] of [
    ['metal', 'Martin'],
    ['nimbus', 'Chloé'],
  ] as const) {
    it(`takes a name typed in a Swing field (${look}) for no label of the field under it`, async () => {
      // The part of the screen read again after typing: the typed field's box is not found as a
      // box there, and its value stands over the next field's lines.
      const analysis = await analyzeCapture(`swing-form/typed-value-${look}`, 1);
      const named = analysis.elements.filter(
        (e) => (e.type === 'text_input' || e.type === 'dropdown') && e.label.includes(value.slice(1, 4)),
      );
      assert.deepStrictEqual(
        named.map((e) => [e.label, e.bbox]),
        [],
      );
    });
  }

  it("finds Bulma's toolbar icons over captions a few pixels off their middle", async () => {
    const analysis = await analyzeCapture('web-bulma/form-100', 1);
    for (const [label, box] of [
      ['Print', [48, 76, 92, 125]],
      ['Delete', [164, 76, 218, 125]],
      ['Export', [230, 76, 285, 125]],
    ] as const) {
      const { element, iou: overlap } = best(analysis.elements, 'icon', [...box]);
      assert.ok(overlap >= 0.5, `icon "${label}": best overlap ${overlap.toFixed(2)}`);
      assert.strictEqual(element!.label, label);
    }
  });

  it('finds a key whose comma was not read as a key, with no name it was not given', async () => {
    const analysis = await analyzeCapture('web-98css/keypad-125', 1.25);
    const { element, iou: overlap } = best(analysis.elements, 'button', [158, 313, 236, 358]);
    assert.ok(overlap >= 0.6, `best overlap ${overlap.toFixed(2)}`);
    assert.strictEqual(element!.label, '');
  });

  it("finds a modal's close button in its header, the header no button and its title no link", async () => {
    const modal = await analyzeCapture('web-bootstrap/dialog-125', 1.25);
    const close = best(modal.elements, 'icon', [1221, 398, 1261, 438]);
    assert.ok(close.iou >= 0.5, `close: best overlap ${close.iou.toFixed(2)}`);
    const header = modal.elements.filter(
      (e) => e.type !== 'text' && e.type !== 'dialog' && e.label.includes('la facture'),
    );
    assert.deepStrictEqual(
      header.map((e) => [e.type, e.label]),
      [],
    );
    // 98.css's title bar, white words on a blue gradient, read against the grey window round it.
    const classic = await analyzeCapture('web-98css/dialog-100', 1);
    const titleLinks = classic.elements.filter((e) => e.type === 'link' && e.bbox[1] > 450 && e.bbox[3] < 500);
    assert.deepStrictEqual(
      titleLinks.map((e) => e.label),
      [],
    );
  });

  it("takes no panel's top edge under a page's title for a field", async () => {
    const analysis = await analyzeCapture('web-bootstrap/menu-100', 1);
    const wide = analysis.elements.filter(
      (e) => (e.type === 'text_input' || e.type === 'dropdown') && e.bbox[1] < 100 && e.bbox[2] - e.bbox[0] > 1000,
    );
    assert.deepStrictEqual(
      wide.map((e) => [e.label, e.bbox]),
      [],
    );
  });
});
