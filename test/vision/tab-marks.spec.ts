/**
 * The mark that sets one tab of a strip apart, on drawn pixels: a bar under one word, or a line
 * under every word but one; a field's top edge under a label, or a line under every word, is not.
 */
import assert from 'assert';
import type { RgbaImage } from '../../lib/platform/types';
import type { BBox } from '../../lib/contracts/screen-state';
import { selectedTabMark } from '../../lib/vision/elements/tab-marks';

/** A white 400 × 80 image with dark rectangles [x1, y1, x2, y2) painted on it. */
function drawn(rects: BBox[]): RgbaImage {
  const width = 400;
  const height = 80;
  const data = Buffer.alloc(width * height * 4, 255);
  for (const [x1, y1, x2, y2] of rects)
    for (let y = y1; y < y2; y++)
      for (let x = x1; x < x2; x++) data.fill(40, (y * width + x) * 4, (y * width + x) * 4 + 3);
  return { width, height, data, scaleFactor: 1 };
}

/** Three words on one line, their letters drawn as blocks. */
const WORDS: BBox[] = [
  [20, 10, 100, 30],
  [140, 10, 220, 30],
  [260, 10, 340, 30],
];
const LETTERS: BBox[] = WORDS.map(([x1, , x2]) => [x1 + 4, 14, x2 - 4, 26]);
const mark = (image: RgbaImage) => selectedTabMark(image, WORDS, 20, 24, 50);

describe('vision: the mark of a selected tab', () => {
  it('is a short bar centred under one word alone', () => {
    assert.deepStrictEqual(mark(drawn([...LETTERS, [160, 34, 200, 37]])), { line: 34, selected: 1 });
  });

  it('is a line under every word but one, the selected tab opening into its panel', () => {
    assert.deepStrictEqual(mark(drawn([...LETTERS, [10, 36, 130, 37], [250, 36, 390, 37]])), { line: 36, selected: 1 });
  });

  it('is not the top edge of a field under a label, its sides going down', () => {
    const field: BBox[] = [
      [150, 34, 210, 35],
      [150, 34, 151, 70],
      [209, 34, 210, 70],
    ];
    assert.strictEqual(mark(drawn([...LETTERS, ...field])), null);
  });

  it('is not a line under every word, nor a bar off the middle of its word', () => {
    assert.strictEqual(mark(drawn([...LETTERS, [10, 36, 390, 37]])), null);
    assert.strictEqual(mark(drawn([...LETTERS, [140, 34, 160, 37]])), null);
  });
});
