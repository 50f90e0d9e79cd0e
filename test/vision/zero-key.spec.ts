/**
 * A zero on a key told by its shape when the recognizer is unsure of it (it reads a lone "0" as
 * "o" or "○" below what it keeps): one ring, taller than wide, round on both sides, around one
 * hole centred in it. Checked on every key of a captured PatternFly keypad at 100 %: the ring is
 * "0" and no other glyph is (digits with holes, signs, letters). Boxes are the DOM's.
 */
import assert from 'assert';
import * as path from 'path';
import { decodeImage } from '../../lib/image/codec';
import { inkStats } from '../../lib/vision/elements/pixels';
import { zeroByShape } from '../../lib/vision/elements/operator-glyphs';
import type { RgbaImage } from '../../lib/platform/types';
import { CAPTURED, inside, locateOnCapture } from './helpers/render';

type Box = [number, number, number, number];
const PNG = path.join(CAPTURED, 'web-patternfly', 'keypad-100.png');
const KEYS: Array<[string, Box]> = [
  ['7', [48, 152, 109, 188]],
  ['8', [118, 152, 179, 188]],
  ['9', [188, 152, 249, 188]],
  ['÷', [258, 152, 319, 188]],
  ['4', [48, 197, 109, 233]],
  ['5', [118, 197, 179, 233]],
  ['6', [188, 197, 249, 233]],
  ['×', [258, 197, 319, 233]],
  ['1', [48, 242, 109, 278]],
  ['2', [118, 242, 179, 278]],
  ['3', [188, 242, 249, 278]],
  ['−', [258, 242, 319, 278]],
  ['0', [48, 287, 109, 323]],
  [',', [118, 287, 179, 323]],
  ['=', [188, 287, 249, 323]],
  ['+', [258, 287, 319, 323]],
  ['C', [48, 332, 109, 368]],
  ['AC', [118, 332, 179, 368]],
  ['M+', [188, 332, 249, 368]],
  ['%', [258, 332, 319, 368]],
];

describe('vision: a zero on a key told by its shape (captured PatternFly keypad, 100 %)', function () {
  this.timeout(60_000);
  let image: RgbaImage;
  before(async () => {
    image = await decodeImage(PNG, 1);
  });

  it("tells the ring of '0' and no other key's glyph", () => {
    const zeros = KEYS.filter(([, [x1, y1, x2, y2]]) => {
      // Inside the key, clear of its rounded ends.
      const glyph = inkStats(image, [x1 + 12, y1 + 6, x2 - 12, y2 - 6], [255, 255, 255]).inkBox;
      return !!glyph && zeroByShape(image, glyph, [255, 255, 255]);
    }).map(([label]) => label);
    assert.deepStrictEqual(zeros, ['0']);
  });

  it('clicks the key "0", read "o" by the recognizer', async () => {
    const { hit } = await locateOnCapture('web-patternfly/keypad-100', 1, { text: '0', type: 'button' });
    assert.ok(inside(hit.center, [48, 287, 109, 323]), JSON.stringify({ ...hit, element: undefined }));
  });
});
