/**
 * A selection rule chooses only what it names (issue 15): "the first row whose status is À
 * valider" picks that row's button, and with two equal buttons on that row it names no one.
 */
import assert from 'assert';
import { applyPolicy, rowCells, shownOn } from '../../lib/execute';
import type { BBox, ScreenAnalysis, TextLine } from '../../lib/vision';

function line(text: string, y: number): TextLine {
  let x = 10;
  const words = text.split(' ').map((w) => {
    const bbox: BBox = [x, y, x + w.length * 8, y + 16];
    x += w.length * 8 + 6;
    return { text: w, bbox, confidence: 1 };
  });
  return { text, bbox: [10, y, x, y + 16], confidence: 1, words };
}

const screen = (lines: TextLine[]): ScreenAnalysis => ({
  width: 800,
  height: 600,
  scaleFactor: 1,
  imageHash: 'h',
  text: lines,
  elements: [],
  timings: {},
});
const button = (x: number, y: number) => ({
  point: [x, y + 8] as [number, number],
  bbox: [x - 20, y, x + 20, y + 16] as BBox,
});

describe('execute: selection policies choose only what they name', () => {
  const analysis = screen([line('F-1001 Validée', 100), line('F-1002 À valider', 140), line('F-1003 À valider', 180)]);

  it('picks the button of the first row with the status, wherever it is in the list', () => {
    const buttons = [button(600, 100), button(600, 140), button(600, 180)];
    const r = applyPolicy('status:À valider', buttons, analysis);
    assert.ok(r && 'chosen' in r);
    assert.strictEqual(r.chosen, buttons[1]);
  });

  it('picks the row showing a value (a parameter substituted by the runner), and the only enabled one', () => {
    const buttons = [button(600, 100), button(600, 140), button(600, 180)];
    const r = applyPolicy('row_with:F-1003', buttons, analysis);
    assert.ok(r && 'chosen' in r);
    assert.strictEqual(r.chosen, buttons[2]);
    const states = [false, true, false].map((enabled) => ({ state: { enabled } }));
    const withState = buttons.map((b, i) => ({ ...b, element: states[i] }));
    const e = applyPolicy('enabled', withState, analysis);
    assert.ok(e && 'chosen' in e);
    assert.strictEqual(e.chosen, withState[1]);
    assert.ok('tied' in applyPolicy('enabled', buttons, analysis)!, 'all enabled: no one');
  });

  it('names the row an item stands on, and finds a text on the next screen or its title', () => {
    assert.deepStrictEqual(rowCells(analysis, button(600, 140).bbox), ['F-1002 À valider']);
    assert.ok(shownOn(analysis, 'Factures', 'f-1003'));
    assert.ok(shownOn(screen([]), 'Facture F-1003', 'F-1003'));
    assert.ok(!shownOn(analysis, 'Factures', 'F-1009'));
  });

  it('names no one when two equal buttons stand on that row', () => {
    const buttons = [button(500, 140), button(600, 140), button(600, 180)];
    const r = applyPolicy('first_pending', buttons, analysis);
    assert.ok(r && 'tied' in r, JSON.stringify(r));
    assert.deepStrictEqual(r.tied, [buttons[0], buttons[1]]);
  });
});
