/**
 * Keys drawn as flat boxes whose rounded corners are large for their size (Bulma's keypad at
 * ×1.5, an open family of the web corpus): the corners take more than a fifth of each key's
 * outline, and only the keys of the first column, whose border happened to come out as one
 * ring, were boxes; the others were loose text. A grid of keys is buttons (issue 14).
 */
import assert from 'assert';
import { analyzeCapture, inside } from './helpers/render';

type Box = [number, number, number, number];

const COLUMNS = [102, 208, 314, 420];
const ROWS = [252, 339, 426, 513, 600];
const KEY: [number, number] = [94, 74];

describe('vision: keys whose rounded corners are large for their size', function () {
  this.timeout(120_000);

  it('finds each of the 20 keys of a Bulma keypad at 150 % as a button of its own', async () => {
    const analysis = await analyzeCapture('web-bulma/keypad-150', 1.5);
    const missing: string[] = [];
    for (const y of ROWS)
      for (const x of COLUMNS) {
        const key: Box = [x, y, x + KEY[0], y + KEY[1]];
        const buttons = analysis.elements.filter((e) => e.type === 'button' && inside(e.center, key));
        // One button, boxed as the key (not a letter's box inside it).
        if (buttons.length !== 1 || buttons[0].bbox[2] - buttons[0].bbox[0] < KEY[0] * 0.8)
          missing.push(`${JSON.stringify(key)}: ${JSON.stringify(buttons.map((b) => [b.label, b.bbox]))}`);
      }
    assert.deepStrictEqual(missing, []);
  });
});
