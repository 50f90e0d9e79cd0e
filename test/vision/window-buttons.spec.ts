/**
 * The window buttons of a title bar on captured screens of classic looks: a window that does not
 * reach the screen's edge, a bar drawn as a gradient (98.css), bevelled buttons drawn edge to
 * edge, and a faint reading of them as letters (xp.css's "OL", Wine's "000"). Boxes are the DOM's
 * for the web pages, measured on the screenshot's pixels for winecfg.
 */
import assert from 'assert';
import type { ScreenAnalysis } from '../../lib/vision';
import { iou } from '../../bench/grounding';
import { analyzeCapture, inside, locateOnCapture, sharedEngine } from './helpers/render';

type Box = [number, number, number, number];

function assertWindowButtons(analysis: ScreenAnalysis, truth: Box[]): void {
  const top = analysis.elements.filter((e) => e.bbox[1] < truth[0][3] && e.bbox[0] > truth[0][0] - 60);
  const seen = top.map((e) => `${e.type}:${JSON.stringify(e.label)}@${e.bbox.join(',')}`).join('\n  ');
  const icons = top.filter((e) => e.type === 'icon' && e.role === 'window_control');
  assert.strictEqual(icons.length, truth.length, `window buttons:\n  ${seen}`);
  for (const box of truth)
    assert.ok(
      icons.some((i) => iou(i.bbox as Box, box) >= 0.7),
      `no window button on [${box}]:\n  ${seen}`,
    );
  assert.deepStrictEqual(
    top.filter((e) => e.type !== 'icon').map((e) => e.label),
    [],
    'nothing else over the buttons',
  );
}

describe('window buttons of a title bar (captured classic looks)', function () {
  this.timeout(120_000);

  it("finds 98.css's three buttons on its gradient bar, minimise and maximise drawn edge to edge", async () => {
    assertWindowButtons(await analyzeCapture('web-98css/list-100', 1), [
      [1849, 22, 1864, 35],
      [1865, 22, 1880, 35],
      [1883, 22, 1898, 35],
    ]);
  });

  it("reads 98.css's title on that bar as the window's title, the label of no field", async () => {
    const analysis = await analyzeCapture('web-98css/list-100', 1);
    const title = analysis.elements.find((e) => e.bbox[1] < 40 && e.bbox[0] < 200);
    assert.ok(title, 'no title');
    assert.deepStrictEqual([title.type, title.role], ['text', 'window_title'], title.label);
    assert.ok(!analysis.elements.some((e) => e.label === title.label && e !== title), 'the title labels a field');
  });

  it('finds them at 150 %, where one column of bar parts maximise from close', async () => {
    assertWindowButtons(await analyzeCapture('web-98css/form-150', 1.5), [
      [1813, 33, 1837, 53],
      [1837, 33, 1861, 53],
      [1864, 33, 1888, 53],
    ]);
  });

  it('finds Wine\'s three buttons read "000", its title bar no text field', async () => {
    const analysis = await analyzeCapture('wine-winecfg/applications-classic', 1);
    assertWindowButtons(analysis, [
      [365, 6, 377, 18],
      [381, 6, 393, 18],
      [397, 6, 409, 18],
    ]);
    const bar = analysis.elements.filter((e) => e.bbox[1] < 20 && e.type !== 'icon');
    assert.deepStrictEqual(
      bar.map((e) => [e.type, e.role]),
      [['text', 'window_title']],
      JSON.stringify(bar.map((e) => e.label)),
    );
  });

  it("finds xp.css's three buttons, not a word read across two of them", async () => {
    assertWindowButtons(await analyzeCapture('web-xpcss/form-100', 1), [
      [1831, 20, 1852, 41],
      [1854, 20, 1875, 41],
      [1877, 20, 1898, 41],
    ]);
  });
});

/**
 * A window's title bar lower on the screen (a dialog over its application, a window drawn in a
 * page): the title names the window, its buttons are window buttons, and a button asked for by
 * the title's words is the dialog's button, never the title. Boxes are the DOM's for xp.css,
 * measured on the screenshot's pixels for Wine.
 */
describe('title bars of windows lower on the screen (captured dialogs)', function () {
  this.timeout(120_000);

  function titleOf(analysis: ScreenAnalysis, words: RegExp): void {
    // The dialog around it is named by it too, rightly.
    const found = analysis.elements.filter((e) => words.test(e.label) && e.type !== 'dialog');
    const seen = found.map((e) => `${e.type}/${e.role}:${JSON.stringify(e.label)}`).join(', ');
    assert.ok(
      found.length > 0 && found.every((e) => e.type === 'text' && e.role === 'window_title'),
      `the title: ${seen || 'not read'}`,
    );
  }

  it("reads xp.css's dialog title as its title, its one close button a window button", async () => {
    const analysis = await analyzeCapture('web-xpcss/dialog-100', 1);
    titleOf(analysis, /sending/);
    const close = analysis.elements.filter((e) => e.role === 'window_control' && e.bbox[1] > 400);
    assert.ok(
      close.length === 1 && iou(close[0].bbox as Box, [1143, 465, 1163, 486]) >= 0.7,
      JSON.stringify(close.map((e) => e.bbox)),
    );
  });

  it('clicks the button "Confirm" (read "Confim"), not the word of the title "Confirm sending"', async () => {
    const { hit } = await locateOnCapture('web-xpcss/dialog-100', 1, { text: 'Confirm', type: 'button' });
    assert.ok(inside(hit.center, [1075, 572, 1149, 595]), `${hit.strategy}: ${JSON.stringify(hit.candidates)}`);
  });

  it('reads the title "Supprimer la facture ?" on 98.css\'s gradient bar as a title, not a link', async () => {
    const analysis = await analyzeCapture('web-98css/dialog-100', 1);
    titleOf(analysis, /facture \?/);
    const { hit } = await locateOnCapture('web-98css/dialog-100', 1, { text: 'Supprimer', type: 'button' });
    assert.ok(hit.found && hit.center![1] > 560, `${hit.strategy}: ${JSON.stringify(hit.candidates)}`);
  });

  it("reads Wine's Find dialog title, centred on the window manager's bar, as no button", async () => {
    const analysis = await analyzeCapture('wine-notepad/find-dialog', 1);
    assertWindowButtons({ ...analysis, elements: analysis.elements.filter((e) => e.bbox[1] > 50) }, [
      [424, 62, 436, 74],
      [440, 62, 452, 74],
      [456, 62, 468, 74],
    ]);
    titleOf(analysis, /^Find$/);
    // No button is called "Find": its words are in "Find What:" and "Find Next", never the title.
    const hit = await (await sharedEngine()).locate(analysis, { text: 'Find', type: 'button' });
    assert.ok(
      !hit.found && hit.candidates.every((c) => c.center[1] > 80),
      `${hit.strategy}: ${JSON.stringify(hit.candidates)}`,
    );
  });
});
