/**
 * A window's menu bar is a row of menu titles wherever the window stands, and the strip they are
 * drawn on is no text field. galculator's window (Adwaita, ×1) stands in the middle of the screen:
 * its bar was read as one text field named by the window's title. Wine's notepad fills the top
 * of the screen: its titles were found, and a text field holding them all as its value as well.
 */
import assert from 'assert';
import type { ScreenAnalysis } from '../../lib/vision';
import { locateOnCapture } from './helpers/render';

function barElements(analysis: ScreenAnalysis, top: number, bottom: number): string[] {
  return analysis.elements.filter((e) => e.bbox[1] >= top && e.bbox[3] <= bottom).map((e) => `${e.type}:${e.label}`);
}

describe('vision: the menu bar of a window anywhere on the screen', function () {
  this.timeout(120_000);

  it("reads galculator's bar, mid-screen, as five menu titles", async () => {
    const { analysis, hit } = await locateOnCapture('gtk3-galculator/main-window', 1, {
      text: 'View',
      type: 'menu_item',
    });
    assert.deepStrictEqual(barElements(analysis, 236, 264), [
      'menu_item:File',
      'menu_item:Edit',
      'menu_item:View',
      'menu_item:Calculator',
      'menu_item:Help',
    ]);
    assert.ok(hit.found && hit.element?.type === 'menu_item', JSON.stringify({ ...hit, candidates: undefined }));
  });

  it("takes no text field for Wine notepad's bar", async () => {
    const { analysis } = await locateOnCapture('wine-notepad/main-window', 1, { text: 'Search', type: 'menu_item' });
    const bar = barElements(analysis, 18, 46);
    assert.deepStrictEqual(
      bar.filter((e) => !e.startsWith('menu_item:')),
      [],
      bar.join(' | '),
    );
    assert.strictEqual(bar.length, 5, bar.join(' | '));
  });
});
