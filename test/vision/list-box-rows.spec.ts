/**
 * Lists drawn as lines of text in a box. Wine's Font dialog (classic theme, ×1) shows three lists
 * side by side — fonts, styles, sizes — whose lines stand at one height: they were read as one
 * table whose rows ran across the three lists ("D050000L - Italic - f"), and the sizes "7", "8",
 * "9" were not found at all (detection below full size lost the one-digit lines, or joined two
 * into one box). regedit's key tree beside its value list made rows "Coors - Double Click
 * Height - REG_SZ - 4". Each box's lines are now a list of their own; a list's line of ink that
 * no text box stands on gets a box of its own. A form's labels over their fields stay labels.
 */
import assert from 'assert';
import type { BBox, UIElement } from '../../lib/contracts/screen-state';
import { analyzeCapture, inside, locateOnCapture } from './helpers/render';

/** The three lists of the Font dialog, and regedit's two panes, as [x1, x2]. */
const FONT_LISTS: [number, number][] = [
  [33, 174],
  [186, 282],
  [293, 341],
];
const REGEDIT_PANES: [number, number][] = [
  [5, 251],
  [257, 955],
];

function rowsAcross(elements: UIElement[], columns: [number, number][], y1: number, y2: number): string[] {
  const across = (b: BBox): boolean => !columns.some(([x1, x2]) => b[0] >= x1 - 8 && b[2] <= x2 + 8);
  return elements
    .filter((e) => e.type === 'table_row' && e.bbox[1] >= y1 && e.bbox[3] <= y2 && across(e.bbox))
    .map((e) => `${e.label} ${e.bbox.join(',')}`);
}

describe('lists in boxes: rows of their own list, lines no detection found', function () {
  this.timeout(120_000);

  it("keeps each of the Font dialog's three lists to its own rows", async () => {
    const analysis = await analyzeCapture('wine-notepad/font-dialog', 1);
    assert.deepStrictEqual(rowsAcross(analysis.elements, FONT_LISTS, 160, 255), []);
    const rows = analysis.elements.filter((e) => e.type === 'table_row' && e.bbox[1] >= 160 && e.bbox[3] <= 255);
    for (const [x1, x2] of FONT_LISTS) {
      const inList = rows.filter((e) => e.bbox[0] >= x1 - 8 && e.bbox[2] <= x2 + 8);
      assert.ok(inList.length >= 4, `${x1}–${x2}: ${inList.map((e) => e.label).join(' | ')}`);
    }
  });

  for (const [text, box] of [
    ['Bold', [188, 192, 262, 205]],
    ['Bold Italic', [188, 206, 262, 219]],
    ['7', [295, 178, 321, 191]],
    ['8', [295, 192, 321, 205]],
    ['9', [295, 206, 321, 219]],
  ] as [string, BBox][]) {
    it(`clicks the row "${text}" of its list`, async () => {
      const { hit } = await locateOnCapture('wine-notepad/font-dialog', 1, { text, type: 'table_row' });
      assert.ok(hit.found && inside(hit.center, box), JSON.stringify({ ...hit, candidates: undefined }));
    });
  }

  it("keeps regedit's key tree and value list apart, and finds the key Colors", async () => {
    const { analysis, hit } = await locateOnCapture('wine-regedit/light-x1', 1, { text: 'Colors', type: 'table_row' });
    assert.deepStrictEqual(rowsAcross(analysis.elements, REGEDIT_PANES, 55, 400), []);
    assert.ok(hit.found && inside(hit.center, [98, 140, 133, 154]), JSON.stringify({ ...hit, candidates: undefined }));
  });

  it("leaves a form's labels over their fields as labels (Fluent, 125 %)", async () => {
    const analysis = await analyzeCapture('web-fluent/form-125', 1.25);
    const rows = analysis.elements.filter((e) => e.type === 'table_row');
    assert.deepStrictEqual(
      rows.map((e) => e.label),
      [],
    );
  });
});
