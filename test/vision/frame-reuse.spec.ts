/**
 * Reading a screen again costs only what changed, and reads it as a fresh engine would: a list
 * that comes back after a dialog, with one row gone and the rows below it moved up, has its
 * unchanged lines read from the recognition cache wherever they moved.
 */
import assert from 'assert';
import { createVisionEngine, type VisionEngine } from '../../lib/vision';
import { renderHtml } from './helpers/render';

const PATIENTS = ['Martin Claire', 'Bernard Louis', 'Dubois Emma', 'Thomas Hugo', 'Robert Léa', 'Petit Jules'];

function listPage(rows: string[], dialog = false): string {
  const lines = rows
    .map((p, i) => `<tr><td>2024-01${i + 10}</td><td>${p}</td><td>${(120 + i * 7).toFixed(2)} €</td></tr>`)
    .join('');
  return `<html><body style="font: 16px sans-serif; margin: 24px; background: #fff">
    <h2>Factures à valider</h2>
    <table cellpadding="8">${lines}</table>
    ${dialog ? '<div style="position:absolute; left:300px; top:120px; width:360px; padding:24px; border:1px solid #444; background:#eee">Valider la facture ?<br><br><button>Oui</button> <button>Non</button></div>' : ''}
  </body></html>`;
}

describe('vision: a screen read again costs what changed', function () {
  this.timeout(120_000);
  let vision: VisionEngine;
  let fresh: VisionEngine;
  let pages: { list: string; dialog: string; after: string };

  before(async () => {
    const [list, dialog, after] = await Promise.all([
      renderHtml(listPage(PATIENTS)),
      renderHtml(listPage(PATIENTS, true)),
      renderHtml(listPage(PATIENTS.filter((p) => p !== 'Bernard Louis'))),
    ]);
    pages = { list, dialog, after };
    [vision, fresh] = await Promise.all([createVisionEngine(), createVisionEngine({ frameReuse: false })]);
  });

  after(async () => {
    await Promise.all([vision?.close(), fresh?.close()]);
  });

  it('reads the list that came back from the cache where its lines did not change, moved or not', async () => {
    await vision.analyze(pages.list);
    await vision.analyze(pages.dialog);
    const again = await vision.analyze(pages.after);
    const alone = await fresh.analyze(pages.after);
    // Every line of the list but the removed row's was read before; the moved rows are no exception.
    const lines = alone.text.length;
    assert.ok(lines >= 15, `the list should read as ${lines} lines`);
    assert.ok(
      (again.timings.ocr_cache_hits ?? 0) >= lines - 2,
      `${again.timings.ocr_cache_hits} of ${lines} lines from the cache`,
    );
    assert.deepStrictEqual(again.text.map((l) => l.text).sort(), alone.text.map((l) => l.text).sort());
    // The words of a moved line are placed along it where a fresh read places them (the line's
    // own box may differ by a few pixels: the detector sees other surroundings).
    for (const line of alone.text) {
      const same = again.text.find((l) => l.text === line.text)!;
      line.words.forEach((w, k) => {
        const moved = same.words[k];
        assert.ok(
          Math.abs(w.bbox[0] - moved.bbox[0]) <= 3 && Math.abs(w.bbox[2] - moved.bbox[2]) <= 3,
          `"${w.text}": ${JSON.stringify(moved.bbox)} vs ${JSON.stringify(w.bbox)}`,
        );
      });
    }
  });

  it('never reads a line from the cache when its ink changed', async () => {
    const changed = await renderHtml(listPage(PATIENTS.map((p) => (p === 'Dubois Emma' ? 'Dubois Emmy' : p))));
    const again = await vision.analyze(changed);
    assert.ok(
      again.text.some((l) => l.text.includes('Emmy')),
      again.text.map((l) => l.text).join(' | '),
    );
    assert.ok(!again.text.some((l) => l.text.includes('Emma')));
  });
});
