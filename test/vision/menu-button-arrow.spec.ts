/**
 * galculator's memory keys "MS ⌄", "MR ⌄" and "M+ ⌄" (GTK 3, Adwaita, ×1) open a menu: a
 * caption and a chevron after it. The chevron, when not read, left the caption looking left-
 * aligned like a field's value ("MS" was a text field); when read, it was a letter of the caption
 * ("MRv", "MR v"), and "MR" asked as a button was no sure match.
 */
import assert from 'assert';
import { analyzeCapture } from './helpers/render';

const KEYS = ['MS', 'MR', 'M+'];

describe('menu buttons: a caption with a chevron after it (galculator memory keys)', function () {
  this.timeout(120_000);

  for (const [page, row] of [
    ['main-window', [379, 413]],
    ['edit-menu', [223, 257]],
  ] as const) {
    it(`reads the three memory keys as buttons captioned without their arrow (${page})`, async () => {
      const analysis = await analyzeCapture(`gtk3-galculator/${page}`, 1);
      const onRow = analysis.elements.filter(
        (e) => e.bbox[1] >= row[0] - 2 && e.bbox[3] <= row[1] + 2 && KEYS.some((k) => e.label.startsWith(k)),
      );
      assert.deepStrictEqual(
        onRow.map((e) => [e.type, e.label]),
        KEYS.map((k) => ['button', k]),
      );
    });
  }
});
