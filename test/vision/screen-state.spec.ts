/**
 * The ScreenState of a screenshot: the seed's four levels, timings, change detection against the
 * previous screen, stable element ids across frames, and an unchanged screen answered from cache.
 */
import assert from 'assert';
import { buildScreenState } from '../../lib/state';
import type { ScreenState } from '../../lib/contracts/screen-state';
import { createVisionEngine } from '../../lib/vision';
import { CONFIRM_DIALOG, renderInvoice, sharedEngine } from './helpers/render';

describe('vision: ScreenState and change detection', function () {
  this.timeout(120_000);
  let first: ScreenState;
  let again: ScreenState;
  let dialog: ScreenState;

  before(async () => {
    const vision = await sharedEngine();
    const [formPng, sameAgainPng, dialogPng] = await Promise.all([
      renderInvoice({ number: '2024-0777' }),
      renderInvoice({ number: '2024-0777' }),
      renderInvoice({ number: '2024-0777', dialog: CONFIRM_DIALOG }),
    ]);
    const state = async (png: string, previous?: ScreenState): Promise<ScreenState> => {
      const analysis = await vision.analyze(png);
      return buildScreenState({
        analysis,
        embedding: await vision.embed(analysis, { title: 'Factures' }),
        window: { title: 'Factures', appName: 'chromium' },
        screenshotPath: png,
        previous,
      });
    };
    // A screen of its own (another invoice number), so the first analysis is not served from another spec's cache.
    first = await state(formPng);
    again = await state(sameAgainPng, first);
    dialog = await state(dialogPng, again);
  });

  it('has the four levels with window info and timings', () => {
    assert.deepStrictEqual(first.window.screen_resolution, [1280, 720]);
    assert.strictEqual(first.window.window_title, 'Factures');
    assert.ok(first.raw.screenshot_path?.endsWith('.png'));
    assert.ok(first.perception.detected_text.length > 10);
    assert.strictEqual(first.perception.embedding.vector.length, first.perception.embedding.dimensions);
    assert.ok(first.ui_elements.length > 10);
    assert.ok(
      first.metadata.timings_ms.ocr_detect > 0 && first.metadata.processing_time_ms > 0,
      JSON.stringify(first.metadata),
    );
    assert.deepStrictEqual(first.context.business_variables, {});
  });

  it('answers an unchanged screen from cache, with the same element ids', () => {
    // Decoding the PNG and hashing it is all an unchanged screen costs: no text detected or read
    // again (bench/vision-speed.ts measures the time; a timed assertion would fail on a loaded machine).
    const timings = again.metadata.timings_ms;
    assert.strictEqual(timings.reused, 1, JSON.stringify(timings));
    assert.strictEqual(timings.ocr_detect, 0, JSON.stringify(timings));
    assert.strictEqual(timings.ocr_recognize, 0, JSON.stringify(timings));
    assert.ok(first.metadata.timings_ms.ocr_recognize > 0, JSON.stringify(first.metadata.timings_ms));
    assert.deepStrictEqual(
      again.ui_elements.map((e) => e.element_id),
      first.ui_elements.map((e) => e.element_id),
    );
    assert.ok(again.change_detection.similarity_score! > 0.999);
    assert.deepStrictEqual(again.change_detection.changed_regions, []);
  });

  it('answers from cache with the pixels of the screen given: it can be embedded under another title', async () => {
    // The cache keeps no pixels; an analysis answered from it carries those just decoded.
    const vision = await sharedEngine();
    const hit = await vision.analyze(again.raw.screenshot_path!);
    assert.strictEqual(hit.timings.reused, 1);
    const other = await vision.embed(hit, { title: 'Factures - autre fenêtre' });
    assert.strictEqual(other.vector.length, first.perception.embedding.dimensions);
  });

  it('reports the dialog as a change: lower similarity and new elements where it appeared', () => {
    assert.strictEqual(dialog.change_detection.previous_state_id, again.screen_state_id);
    assert.ok(
      dialog.change_detection.similarity_score! < 0.85,
      `similarity ${dialog.change_detection.similarity_score}`,
    );
    const added = dialog.change_detection.changed_regions.filter((r) => r.change_type === 'new_element');
    assert.ok(
      added.some((r) => r.bbox[0] >= 430 && r.bbox[2] <= 850 && r.bbox[1] >= 220 && r.bbox[3] <= 410),
      JSON.stringify(added),
    );
  });

  it('keeps the ids of elements the dialog did not touch', () => {
    const before = new Set(
      first.ui_elements.filter((e) => e.bbox[0] < 420 && e.type !== 'text').map((e) => e.element_id),
    );
    const after = new Set(dialog.ui_elements.map((e) => e.element_id));
    const kept = [...before].filter((id) => after.has(id)).length;
    assert.ok(kept >= before.size * 0.6, `${kept}/${before.size} ids kept`);
  });

  it('reads a frame whole when asked, never from a reading that re-detected only what changed', async () => {
    const [form, changed] = await Promise.all([
      renderInvoice({ number: '2024-0888' }),
      renderInvoice({ number: '2024-0889' }),
    ]);
    const fresh = await createVisionEngine({ frameReuse: false });
    try {
      const alone = await fresh.analyze(changed);
      const vision = await sharedEngine();
      await vision.analyze(form);
      await vision.analyze(changed); // only the number's region re-detected
      assert.strictEqual(
        (await vision.analyze(changed)).timings.reused,
        1,
        'asked as usual, the same frame is served from cache',
      );
      const whole = await vision.analyze(changed, { wholeFrame: true });
      assert.strictEqual(whole.timings.reused, undefined, 'asked whole, it is read again');
      assert.deepStrictEqual(
        whole.text.map((l) => [l.text, l.bbox]),
        alone.text.map((l) => [l.text, l.bbox]),
      );
    } finally {
      await fresh.close();
    }
  });
});
