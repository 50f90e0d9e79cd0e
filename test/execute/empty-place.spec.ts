/**
 * A click that met no element in the demonstrations — in an editor's empty page, to give it the
 * focus before pasting — is a place of the window: the replay clicks the same place of the
 * window (moved or resized), when nothing is drawn there; it never takes an element near the
 * demonstration's neighbour instead (mousepad's menu titles near its warning bar).
 */
import assert from 'assert';
import { Locator, type Frame } from '../../lib/execute';
import type { ScreenAnalysis, UIElement, VisionEngine } from '../../lib/vision';
import { element } from '../helpers/screen-parts';

/** The editor's window as the runner reads it: menu titles, the warning bar, an empty page. */
function editor(width: number, height: number, extra: UIElement[] = []): Frame {
  const elements = [
    ...['File', 'Edit', 'Search', 'View'].map((t, i) => element('menu_item', t, [i * 50, 20, i * 50 + 40, 48])),
    element('link', 'Warning: you are using the root account.', [100, 46, width - 90, 71]),
    ...extra,
  ];
  const analysis: ScreenAnalysis = {
    width,
    height,
    scaleFactor: 1,
    imageHash: `h${width}`,
    text: [],
    elements,
    timings: {},
  };
  const image = { width, height, data: Buffer.alloc(width * height * 4), scaleFactor: 1 };
  return { screen: image, image, offset: { x: 0, y: 0 }, analysis, window: null, at: 0, cost_ms: 0 };
}

// Not called: the place is found from the frame's analysis alone.
const noVision = {} as VisionEngine;

describe('execute: a click on no element is a place of the window', () => {
  const target = new Locator({
    relative_position: [0.47, 0.563],
    near: 'Warning: you are using the root account.',
    fallback_strategy: 'relative_position',
  });

  it('clicks the same place of the resized window when nothing is drawn there', async () => {
    const outcome = await target.tryOn(noVision, editor(800, 600), 'anchor_text_relative');
    assert.strictEqual(outcome.kind, 'hit');
    assert.deepStrictEqual(outcome.kind === 'hit' && outcome.hits.map((h) => [h.point, h.element]), [
      [[376, 338], null],
    ]);
  });

  it('does not click there when an element covers the place now', async () => {
    const dialog = element('button', 'Reload', [300, 300, 460, 380]);
    const outcome = await target.tryOn(noVision, editor(800, 600, [dialog]), 'anchor_text_relative');
    assert.ok(outcome.kind !== 'hit' || outcome.hits.every((h) => h.element !== null), JSON.stringify(outcome));
  });
});
