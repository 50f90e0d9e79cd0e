/**
 * The window buttons of a title bar on captured screens of classic looks: a window that does not
 * reach the screen's edge, a bar drawn as a gradient (98.css), bevelled buttons drawn edge to
 * edge, and a faint reading of them as letters (xp.css's "OL", Wine's "000"). Boxes are the DOM's
 * for the web pages, measured on the screenshot's pixels for winecfg.
 */
import assert from 'assert';
import type { ScreenAnalysis } from '../../lib/vision';
import { iou } from '../../bench/grounding';
import { analyzeCapture } from './helpers/render';

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
