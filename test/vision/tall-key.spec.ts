/**
 * A calculator's "=" key spans two rows of keys (galculator, Adwaita, ×1, its window resized on a
 * 1280×800 screen, captured during a replay): text detection missed the lone glyph, and the key,
 * taller than four text lines, was not read as a key either. A replay then found no "=".
 */
import assert from 'assert';
import type { LocateTarget } from '../../lib/vision';
import { inside, locateOnCapture } from './helpers/render';

describe('locate: a key two rows tall is read like the others', function () {
  this.timeout(120_000);
  const key: [number, number, number, number] = [400, 615, 486, 709];

  const targets: LocateTarget[] = [
    { text: '=' },
    { text: '=', type: 'button' },
    { text: '=', type: 'text', near: '%' },
  ];
  for (const target of targets) {
    it(`finds galculator's "=" key for ${JSON.stringify(target)}`, async () => {
      const { hit } = await locateOnCapture('gtk3-galculator/tall-key', 1, target);
      assert.ok(hit.found && inside(hit.center, key), JSON.stringify({ ...hit, element: undefined }));
    });
  }
});
