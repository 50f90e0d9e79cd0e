/**
 * Healing without the step's words (role + type, anchor + relative position) stands in for a
 * control whose words were not found — never for one whose words say it is another control,
 * and never for a plain text. On galculator's window (captured, Adwaita, ×1): a replay once
 * took its display "8" for the key "=" ({ type: "text", near: "%" }, words left out) and the
 * step verified, the screen looking the same.
 */
import assert from 'assert';
import path from 'path';
import { Locator, type Frame } from '../../lib/execute';
import type { ScreenAnalysis } from '../../lib/vision';
import { CAPTURED, inside, sharedEngine } from '../vision/helpers/render';

describe('execute: healing without the words never takes another control', function () {
  this.timeout(120_000);
  let frame: Frame;

  before(async () => {
    const vision = await sharedEngine();
    const analysis: ScreenAnalysis = await vision.analyze(path.join(CAPTURED, 'gtk3-galculator/main-window.png'), {
      scaleFactor: 1,
      wholeFrame: true,
    });
    const image = { width: analysis.width, height: analysis.height, data: Buffer.alloc(0), scaleFactor: 1 };
    frame = { screen: image, image, offset: { x: 0, y: 0 }, analysis, window: null, at: 0, cost_ms: 0 };
  });

  const heal = async (
    target: ConstructorParameters<typeof Locator>[0],
    strategy: 'role_type' | 'anchor_text_relative',
  ) => new Locator(target).tryOn(await sharedEngine(), frame, strategy);

  it('a text is known by its words only: no other text near the anchor stands in for "="', async () => {
    const outcome = await heal({ text: '=', type: 'text', near: '%' }, 'role_type');
    assert.strictEqual(outcome.kind, 'none', JSON.stringify(outcome));
    assert.match(outcome.kind === 'none' ? outcome.why : '', /known only by its words/);
  });

  it('a button whose words are not on the screen is not replaced by the key nearest the anchor', async () => {
    for (const strategy of ['role_type', 'anchor_text_relative'] as const) {
      const outcome = await heal({ text: 'Quit', type: 'button', near: '%' }, strategy);
      assert.notStrictEqual(outcome.kind, 'hit', `${strategy}: ${JSON.stringify(outcome)}`);
    }
    const outcome = await heal({ text: 'Quit', type: 'button', near: '%' }, 'role_type');
    // The error says what was seen instead.
    assert.match(outcome.kind === 'none' ? outcome.why : '', /no button whose words could be "Quit" \(seen: "/);
  });

  it('still stands in for the one button whose reading keeps the words half right (a step learned as "MRv")', async () => {
    // Learned when the key's arrow was read as a letter; the screen now reads "MR", and "MS",
    // "M+" beside it are other words.
    const outcome = await heal({ text: 'MRv', type: 'button' }, 'role_type');
    assert.strictEqual(outcome.kind, 'hit', JSON.stringify(outcome));
    // The key "MR" of the memory row.
    assert.ok(
      outcome.kind === 'hit' && outcome.hits.length === 1 && inside(outcome.hits[0].point, [676, 380, 733, 412]),
    );
  });
});
