/**
 * Text detection may cut a key's lone glyph: on xp.css's keypad at 200 % the box found for "9"
 * left out the loop above it, and the box read "E" (0.18), then "3" on a second look fitted
 * to the ink inside that box. The second look follows the glyph's ink up and down within the key.
 */
import assert from 'assert';
import { inside, locateOnCapture } from './helpers/render';

describe('locate: a key whose glyph detection cut is read whole', function () {
  this.timeout(120_000);

  it('clicks the "9" key of xp.css\'s keypad at 200 %', async () => {
    const { hit } = await locateOnCapture('web-xpcss/keypad-200', 2, { text: '9', type: 'button' });
    assert.ok(hit.found && inside(hit.center, [380, 280, 502, 336]), JSON.stringify({ ...hit, element: undefined }));
  });

  it('still clicks the "8" beside it, and never another key for "3"', async () => {
    const { hit } = await locateOnCapture('web-xpcss/keypad-200', 2, { text: '8', type: 'button' });
    assert.ok(hit.found && inside(hit.center, [244, 280, 364, 336]), JSON.stringify({ ...hit, element: undefined }));
    const three = await locateOnCapture('web-xpcss/keypad-200', 2, { text: '3', type: 'button' });
    assert.ok(!three.hit.found || inside(three.hit.center, [380, 448, 502, 504]), JSON.stringify(three.hit.center));
  });
});
