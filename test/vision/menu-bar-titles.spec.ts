/**
 * A menu bar has three titles or more, each with its words. 98.css's toolbar button "Refresh"
 * (captured in the web corpus at 125 %), near the top of the screen and read "Pefresh", stands
 * between the two sides of its box: three columns of ink, of which two are lines. It was taken for
 * a menu bar of one open title, and asked for the icon "Refresh", nothing was found.
 */
import assert from 'assert';
import { inside, locateOnCapture } from './helpers/render';

describe("vision: a lone caption between its box's sides is no menu bar", function () {
  this.timeout(120_000);

  it('clicks the toolbar button "Refresh" of 98.css at 125 %', async () => {
    const { analysis, hit } = await locateOnCapture('web-98css/form-125', 1.25, { text: 'Refresh', type: 'icon' });
    assert.ok(hit.found && inside(hit.center, [48, 73, 128, 128]), JSON.stringify({ ...hit, candidates: undefined }));
    const toolbar = analysis.elements.filter((e) => e.bbox[1] >= 70 && e.bbox[3] <= 130);
    assert.deepStrictEqual(
      toolbar.filter((e) => e.type === 'menu_item').map((e) => e.label),
      [],
    );
  });
});
