/**
 * A keypad of one-sign keys (issue 14, short labels): the keys "=", "." and "," are read and
 * located, and a query "-" lands on the minus key or is an ambiguity, never on the "←" key
 * whatever OCR makes of its arrow or which of the two keys detection calls a button.
 */
import assert from 'assert';
import type { BBox, ScreenAnalysis, TextLine, UIElement, VisionEngine } from '../../lib/vision';
import { inside, renderHtml, sharedEngine } from './helpers/render';

const KEY = { width: 56, height: 32, gap: 8, left: 40, top: 40 };
const ROWS = [
  ['7', '8', '9', '←'],
  ['4', '5', '6', '−'],
  ['1', '2', '3', '+'],
  ['0', '.', ',', '='],
];

function keyBox(row: number, col: number): BBox {
  const x = KEY.left + col * (KEY.width + KEY.gap);
  const y = KEY.top + row * (KEY.height + KEY.gap);
  return [x, y, x + KEY.width, y + KEY.height];
}

function keypadHtml(): string {
  const keys = ROWS.flatMap((labels, row) =>
    labels.map((label, col) => {
      const [x, y] = keyBox(row, col);
      return `<button style="left:${x}px;top:${y}px">${label}</button>`;
    }),
  );
  return `<!doctype html><html><body style="margin:0;background:#ececec;font:15px 'DejaVu Sans',sans-serif">
<style>button{position:absolute;width:${KEY.width}px;height:${KEY.height}px;border:1px solid #9a9a9a;
border-radius:4px;background:linear-gradient(#fafafa,#e4e4e4);font:inherit;color:#222;padding:0}</style>
${keys.join('\n')}</body></html>`;
}

const boxOf = (label: string): BBox => {
  const row = ROWS.findIndex((r) => r.includes(label));
  return keyBox(row, ROWS[row].indexOf(label));
};

/** One element of a hand-made analysis: what detection made of a key. */
function element(id: string, type: UIElement['type'], label: string, bbox: BBox): UIElement {
  return {
    element_id: id,
    type,
    role: null,
    label,
    bbox,
    center: [Math.round((bbox[0] + bbox[2]) / 2), Math.round((bbox[1] + bbox[3]) / 2)],
    confidence: 0.85,
    visual_features: { dominant_color: '#f0f0f0', has_icon: false, shape: 'rectangle', size_category: 'small' },
    state: { enabled: true, visible: true, focused: false },
    relationships: [],
    tags: [],
  };
}

function line(text: string, bbox: BBox): TextLine {
  return { text, bbox, confidence: 0.9, words: [{ text, bbox, confidence: 0.9 }] };
}

describe('locate: a keypad of one-sign keys', function () {
  this.timeout(120_000);
  let engine: VisionEngine;
  let analysis: ScreenAnalysis;

  before(async () => {
    engine = await sharedEngine();
    analysis = await engine.analyze(await renderHtml(keypadHtml()));
  });

  for (const sign of ['=', '.', ',', '+', '7']) {
    it(`finds the key "${sign}"`, async () => {
      const r = await engine.locate(analysis, { text: sign, type: 'button' });
      assert.ok(r.found && inside(r.center, boxOf(sign)), `${r.strategy} ${JSON.stringify(r.candidates)}`);
    });
  }

  it('clicks "-" on the minus key or calls it ambiguous, never on "←"', async () => {
    for (const type of ['button', undefined] as const) {
      const r = await engine.locate(analysis, { text: '-', type });
      assert.ok(!inside(r.center, boxOf('←')), `"-" as ${type ?? 'any type'} clicked the ← key`);
      assert.ok(r.ambiguous || (r.found && inside(r.center, boxOf('−'))), JSON.stringify(r.candidates));
    }
  });

  it('makes two keys read "-" an ambiguity, even when only the arrow key was detected as a button', async () => {
    // The misreading seen on a real calculator: the "←" key's arrow read "-", that key detected
    // as a button, the minus key left as plain text.
    const arrow = boxOf('←');
    const minus = boxOf('−');
    const misread: ScreenAnalysis = {
      width: 320,
      height: 240,
      scaleFactor: 1,
      imageHash: 'misread-arrow',
      text: [line('-', arrow), line('-', minus)],
      elements: [element('arrow', 'button', '-', arrow), element('minus', 'text', '-', minus)],
      timings: {},
    };
    for (const type of ['button', undefined] as const) {
      const r = await engine.locate(misread, { text: '-', type });
      assert.strictEqual(r.found, false, `"-" as ${type ?? 'any type'} picked ${JSON.stringify(r.center)}`);
      assert.strictEqual(r.ambiguous, true);
      assert.strictEqual(r.candidates.length, 2);
    }
  });
});

describe('locate: a key whose reading is unsure', function () {
  this.timeout(60_000);

  it('makes a query the unsure key may be ambiguous rather than clicking the display', async () => {
    // A calculator's display shows 0; its 0 key was read "o" at 0.45, too unsure to be text.
    const display: BBox = [40, 0, 280, 32];
    const zeroKey = keyBox(3, 0);
    const screen = (unsure: TextLine[]): ScreenAnalysis => ({
      width: 320,
      height: 240,
      scaleFactor: 1,
      imageHash: `unsure-key-${unsure.length}`,
      text: [line('0', display)],
      elements: [element('display', 'text', '0', display)],
      timings: {},
      unsure,
    });
    const engine = await sharedEngine();
    const sure = await engine.locate(screen([]), { text: '0' });
    assert.ok(sure.found && inside(sure.center, display), JSON.stringify(sure.candidates));
    const r = await engine.locate(screen([{ ...line('o', zeroKey), confidence: 0.45 }]), { text: '0' });
    assert.strictEqual(r.found, false, `"0" clicked ${JSON.stringify(r.center)}`);
    assert.strictEqual(r.ambiguous, true);
    assert.ok(
      r.candidates.some((c) => inside(c.center, zeroKey)),
      JSON.stringify(r.candidates),
    );
  });
});
