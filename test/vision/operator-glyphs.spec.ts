/**
 * Operators drawn as separate strokes on keys, told by their shape (issue 14: "÷" and "=" are
 * read and located). On Bulma's keypad at ×1.5 the recognizer read "÷" as "+", so "+" was on two
 * keys (a tie, and the wrong key had the real "+" been missed); at ×1.25 it read "=" as "二".
 */
import assert from 'assert';
import { inside, locateOnCapture } from './helpers/render';

type Box = [number, number, number, number];

const CASES: { page: string; scale: number; text: string; key: Box }[] = [
  { page: 'web-bulma/keypad-150', scale: 1.5, text: '÷', key: [420, 339, 521, 413] },
  { page: 'web-bulma/keypad-150', scale: 1.5, text: '+', key: [420, 600, 521, 674] },
  { page: 'web-bulma/keypad-150', scale: 1.5, text: '=', key: [314, 600, 408, 674] },
  { page: 'web-bulma/keypad-125', scale: 1.25, text: '=', key: [266, 428, 350, 490] },
  { page: 'web-bulma/keypad-125', scale: 1.25, text: '÷', key: [362, 212, 433, 271] },
  // Bootstrap ×1.25: the rounded corners of the "=" and "." keys reach into where their ink was
  // looked for, and "." boxed on its own was read as nothing: two keys with no label.
  { page: 'web-bootstrap/keypad-125', scale: 1.25, text: '=', key: [235, 482, 316, 542] },
  { page: 'web-bootstrap/keypad-125', scale: 1.25, text: '.', key: [143, 482, 224, 542] },
];

describe('vision: operator keys told by the shape of their strokes', function () {
  this.timeout(120_000);

  for (const c of CASES)
    it(`clicks the "${c.text}" key of ${c.page}, and only that one`, async () => {
      const { hit } = await locateOnCapture(c.page, c.scale, { text: c.text, type: 'button' });
      assert.ok(hit.found, `not found (${hit.strategy}, ${hit.candidates.length} candidates)`);
      assert.ok(inside(hit.center, c.key), `clicked ${hit.center}, not in ${JSON.stringify(c.key)}`);
    });
});
