/**
 * A window's menu bar is a row of menu titles wherever the window stands, and the strip they are
 * drawn on is no text field. galculator's window (Adwaita, ×1) stands in the middle of the screen:
 * its bar was read as one text field named by the window's title. Wine's notepad fills the top
 * of the screen: its titles were found, and a text field holding them all as its value as well.
 * A web page's navigation bar is a menu bar when a menu is open under one of its titles.
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

  it("reads a web page's navigation bar as menu titles when a menu is open under one of them", async () => {
    // Bootstrap ×1.25: a rounded strip two lines high mid-page, each title followed by a caret;
    // the "View" menu open under "View". Before, the row was one line of plain text.
    const { analysis, hit } = await locateOnCapture('web-bootstrap/menu-125', 1.25, {
      text: 'Tools',
      type: 'menu_item',
    });
    const titles = analysis.elements.filter((e) => e.metadata?.detection_method === 'menu_bar');
    assert.deepStrictEqual(
      titles.map((e) => e.label.replace(/[^A-Za-z]/g, '')),
      ['File', 'Edit', 'View', 'Tools', 'Help'],
    );
    for (const t of titles) assert.ok(t.bbox[1] >= 115 && t.bbox[3] <= 160, `${t.label} ${JSON.stringify(t.bbox)}`);
    assert.ok(
      hit.found && hit.center !== null && hit.center[0] > 276 && hit.center[0] < 340,
      JSON.stringify({ ...hit, candidates: undefined }),
    );
    // The menu's items are still its items.
    assert.ok(analysis.elements.some((e) => e.type === 'menu_item' && e.label === 'New' && e.bbox[1] > 170));
  });
});
