/**
 * Capsule buttons ("pills": ends rounded to half their height, PatternFly 6's look, captured from
 * the web corpus at 100 % and 200 %): white keys with a thin blue border on a white card, which no
 * box test found (their sides are all corner), so no key was a button. The engine reads them as
 * boxes, reads each key's label inside its ends (the arc beside a "1" read "D"), takes no text
 * from the arcs of two neighbour keys (read "(" between them), and a text box over two rows of
 * keys (detection at a reduced scale) no longer hides their glyphs. Boxes are the DOM's.
 */
import assert from 'assert';
import { locateIn } from '../../lib/vision/locate';
import type { ScreenAnalysis } from '../../lib/vision';
import { element, line } from '../helpers/screen-parts';
import { analyzeCapture, inside, locateOnCapture } from './helpers/render';

type Box = [number, number, number, number];
const KEYPAD_100 = 'web-patternfly/keypad-100';
const KEYPAD_200 = 'web-patternfly/keypad-200';
/** The keypad's keys at 200 %, row by row (the DOM's boxes). */
const KEYS_200: Record<string, Box> = {
  '7': [96, 304, 219, 377],
  '5': [236, 394, 359, 467],
  '1': [96, 484, 219, 557],
  '÷': [516, 304, 639, 377],
};

describe('vision: capsule buttons (captured PatternFly keypad)', function () {
  this.timeout(120_000);

  it('takes every key of the keypad for a button at 200 %', async () => {
    const analysis = await analyzeCapture(KEYPAD_200, 2);
    const keys = analysis.elements.filter(
      (e) => e.type === 'button' && e.bbox[0] >= 90 && e.bbox[2] <= 645 && e.bbox[1] >= 300 && e.bbox[3] <= 740,
    );
    assert.strictEqual(keys.length, 20, JSON.stringify(keys.map((k) => [k.label, k.bbox])));
  });

  for (const [key, box] of Object.entries(KEYS_200))
    it(`clicks the key "${key}" at 200 %`, async () => {
      const { hit } = await locateOnCapture(KEYPAD_200, 2, { text: key, type: 'button' });
      assert.ok(inside(hit.center, box), JSON.stringify({ ...hit, element: undefined }));
    });

  it('finds the dropdown under its label beside the keypad at 200 %', async () => {
    const { hit } = await locateOnCapture(KEYPAD_200, 2, { label: 'Mode de règlement', type: 'dropdown' });
    assert.ok(inside(hit.center, [752, 332, 1231, 405]), JSON.stringify({ ...hit, element: undefined }));
  });

  it('reads no text in the gaps between keys, and the "=" key as "="', async () => {
    const analysis = await analyzeCapture(KEYPAD_100, 1);
    const keys = analysis.elements.filter((e) => e.type === 'button');
    const between = analysis.text.filter(
      (l) =>
        l.bbox[0] < 330 &&
        l.bbox[1] > 140 &&
        !keys.some((k) => inside([(l.bbox[0] + l.bbox[2]) / 2, (l.bbox[1] + l.bbox[3]) / 2], k.bbox)),
    );
    assert.deepStrictEqual(
      between.map((l) => l.text),
      [],
    );
    const { hit } = await locateOnCapture(KEYPAD_100, 1, { text: '=', type: 'button' });
    assert.ok(inside(hit.center, [188, 287, 249, 323]), JSON.stringify({ ...hit, element: undefined }));
  });
});

describe("locate: a field's value names no button", () => {
  it('does not click the "5" typed in a field for the key "5" it did not read', async () => {
    const amount = line('5 239,25', 774, 210);
    const analysis: ScreenAnalysis = {
      width: 1920,
      height: 1080,
      scaleFactor: 2,
      imageHash: 'h',
      text: [amount],
      elements: [
        {
          ...element('text_input', 'Montant', [752, 192, 1231, 265]),
          state: { enabled: true, visible: true, focused: false, value: '5 239,25' },
        },
        element('button', '', [236, 394, 359, 467]),
      ],
      timings: {},
    };
    const hit = await locateIn(analysis, { text: '5', type: 'button' });
    assert.strictEqual(hit.found, false, JSON.stringify(hit));
    // Asked as text, the words are still there to find.
    const text = await locateIn(analysis, { text: '5' });
    assert.ok(text.found && inside(text.center, [752, 192, 1231, 265]), JSON.stringify(text));
  });
});
