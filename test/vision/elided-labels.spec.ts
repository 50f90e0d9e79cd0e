/**
 * Labels cut short by their column (issue 14): Wine's regedit at ×2 shows "ActiveWndTra..." for
 * ActiveWndTrackTimeout. A name asked in full finds its row when the visible start is the name's
 * start letter for letter; a row whose visible start differs by its last letter ("FocusBorderW..."
 * for FocusBorderHeight) is never taken for it, and "Open..." (a dialog follows) is not "Open file".
 */
import assert from 'assert';
import * as path from 'path';
import type { ScreenAnalysis, VisionEngine } from '../../lib/vision';
import { textSimilarity } from '../../lib/vision';
import { CAPTURED, inside, sharedEngine } from './helpers/render';

const SCREEN = path.join(CAPTURED, 'wine-regedit', 'values-x2.png');
type Box = [number, number, number, number];
/** The Name cells of the value list, from the accessibility tree of the capture. */
const ROWS: Record<string, Box> = {
  ActiveWndTrackTimeout: [259, 143, 533, 175],
  BlockSendInputResets: [259, 176, 517, 208],
  DoubleClickHeight: [259, 275, 476, 307],
  DoubleClickWidth: [259, 308, 469, 340],
  FocusBorderHeight: [259, 440, 483, 472],
  FocusBorderWidth: [259, 473, 476, 505],
};

describe('vision: labels cut short by their column (Wine regedit, ×2)', function () {
  this.timeout(120_000);
  let engine: VisionEngine;
  let analysis: ScreenAnalysis;

  before(async () => {
    engine = await sharedEngine();
    analysis = await engine.analyze(SCREEN, { scaleFactor: 2 });
  });

  // BlockSendInputResets is left out: its row's page icon passes for a check box, which then
  // takes the row's name as its label (a detection limit, not a matching one).
  for (const name of ['ActiveWndTrackTimeout', 'DoubleClickHeight', 'DoubleClickWidth'])
    it(`finds the row of ${name} by its whole name`, async () => {
      const r = await engine.locate(analysis, { text: name, type: 'table_row' });
      assert.ok(
        r.found && inside(r.center, ROWS[name]),
        `${r.strategy} at ${JSON.stringify(r.center)}; read: ${JSON.stringify(analysis.text.map((l) => l.text))}`,
      );
    });

  it('never clicks another row whose cut name differs at its last letter', async () => {
    // FocusBorderHeight reads "Focus BorderH..." here, but detection gave that row a mark and
    // dropped its last letter: not finding it is allowed, clicking FocusBorderW... is not.
    const r = await engine.locate(analysis, { text: 'FocusBorderHeight', type: 'table_row' });
    assert.ok(!r.found || inside(r.center, ROWS.FocusBorderHeight), `clicked ${JSON.stringify(r.center)}`);
    assert.ok(textSimilarity('FocusBorderHeight', 'FocusBorderW...') < 0.75);
  });

  it('takes "Open..." for a whole label, not the start of "Open file"', () => {
    assert.ok(textSimilarity('Open file', 'Open...') < 0.75);
    assert.ok(textSimilarity('Delete all invoices', 'Delete all...') < 0.75);
    assert.strictEqual(textSimilarity('Open', 'Open...'), 1);
    assert.ok(textSimilarity('Delete all invoices', 'Delete all inv…') >= 0.85);
  });
});
