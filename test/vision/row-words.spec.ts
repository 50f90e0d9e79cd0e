/**
 * A row found by the words asked for is clicked on those words, not in its middle: a tree and the
 * list beside it (regedit's keys and values) can be read as one row, whose middle is in the other
 * pane.
 */
import assert from 'assert';
import { locateIn } from '../../lib/vision/locate';
import type { ScreenAnalysis } from '../../lib/vision';
import { element, line } from '../helpers/screen-parts';

function screen(lines: ReturnType<typeof line>[], elements: ReturnType<typeof element>[]): ScreenAnalysis {
  return { width: 960, height: 600, scaleFactor: 1, imageHash: 'h', text: lines, elements, timings: {} };
}

describe('locate: a row found by its words', () => {
  it('clicks the tree item "International", not the middle of a row that runs into the list pane', async () => {
    const key = line('International', 64, 186);
    const value = line('4', 635, 190);
    const row = element('table_row', 'International - 4', [60, 186, 645, 211]);
    const hit = await locateIn(screen([key, value], [row]), { text: 'International', type: 'table_row' });
    assert.ok(hit.found, JSON.stringify(hit));
    assert.ok(
      hit.center![0] >= key.bbox[0] && hit.center![0] <= key.bbox[2],
      `clicked at ${JSON.stringify(hit.center)} (${hit.strategy}), the words are at ${JSON.stringify(key.bbox)}`,
    );
  });
});
