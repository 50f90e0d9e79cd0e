/**
 * Text is detected at 3/4 of its logical size, which is fast and finds ordinary UI text, but
 * misses some small text: the 11-pixel captions under 98.css and xp.css toolbar icons at 100 %,
 * single digits (a Win32 Font dialog's sizes in an 8-point font), a key's digit on xp.css at
 * 200 %. The ink no detected box covers is looked at again at full size, and what that finds is
 * added, or replaces the piece of a word the first look found. Screens captured in the corpus.
 */
import assert from 'assert';
import path from 'path';
import type { BBox } from '../../lib/contracts/screen-state';
import { decodeImage } from '../../lib/vision';
import { ocrModelPaths } from '../../lib/vision/ocr/models';
import { defaultDetectScale } from '../../lib/vision/ocr/ocr-engine';
import { TextDetector } from '../../lib/vision/ocr/text-detector';
import { CAPTURED, inside, locateOnCapture } from './helpers/render';

const show = (hit: object) => JSON.stringify({ ...hit, element: undefined });

describe('vision: small text the reduced-size look misses', function () {
  this.timeout(120_000);

  for (const [page, caption, frame] of [
    ['web-xpcss/form-100', 'Export', [36, 64, 99, 109]],
    ['web-xpcss/form-100', 'New', [264, 64, 327, 109]],
    ['web-98css/list-100', 'Supprimer', [191, 59, 254, 102]],
    ['web-98css/list-100', 'Enregistrer', [267, 59, 331, 102]],
  ] as Array<[string, string, BBox]>)
    it(`finds the toolbar button captioned "${caption}" in small type (${page})`, async () => {
      const { hit } = await locateOnCapture(page, 1, { text: caption, type: 'icon' });
      assert.ok(hit.found && inside(hit.center, frame), show(hit));
    });

  it('reads the digit of the "3" key on xp.css at 200 %', async () => {
    const { hit } = await locateOnCapture('web-xpcss/keypad-200', 2, { text: '3', type: 'button' });
    assert.ok(hit.found && inside(hit.center, [378, 446, 502, 517]), show(hit));
  });

  describe('text detection', () => {
    let detector: TextDetector;
    before(async () => {
      detector = await TextDetector.load(ocrModelPaths().detection, 1);
    });
    after(async () => detector?.close());

    const boxesOf = async (page: string, scale: number): Promise<BBox[]> => {
      const image = await decodeImage(path.join(CAPTURED, `${page}.png`), scale);
      return (await detector.detect(image, defaultDetectScale(image))).map((d) => d.bbox);
    };

    it('finds the Font dialog\'s selected size "6" in its list (Wine, 8-point type)', async () => {
      const boxes = await boxesOf('wine-notepad/font-dialog', 1);
      const row: BBox = [295, 164, 321, 178];
      assert.ok(
        boxes.some((b) => inside([(b[0] + b[2]) / 2, (b[1] + b[3]) / 2], row)),
        `no box in the row ${row}: ${JSON.stringify(boxes.filter((b) => b[1] < 260 && b[0] > 280 && b[0] < 350))}`,
      );
    });

    it('replaces the piece of a word the first look found by the whole word (98.css "Imprimer")', async () => {
      const boxes = (await boxesOf('web-98css/form-100', 1)).filter(
        (b) => b[1] >= 390 && b[3] <= 425 && b[0] >= 138 && b[2] <= 212,
      );
      assert.ok(boxes.length === 1 && boxes[0][2] - boxes[0][0] >= 40, JSON.stringify(boxes));
    });
  });

  it("keeps a dialog's field labels over their fields when its title is read too (Wine Font, French, ×1.5)", async () => {
    // The title "Police" (white on the title bar) is read now, and the size list's "6" under the
    // field's value "6": with three lines of three aligned words, the labels' line was taken for
    // a table's row, and the title named the field under "Style :" (a tie with "Police :").
    const { hit, analysis } = await locateOnCapture('wine-notepad/font-dialog-fr-150', 1.5, {
      label: 'Police',
      type: 'text_input',
    });
    assert.ok(
      analysis.text.some((l) => l.text === 'Police'),
      `the title is not read: ${analysis.text.map((l) => l.text).join(' | ')}`,
    );
    for (const label of ['Police:', 'Style :', 'Taille :'])
      assert.ok(
        analysis.elements.some((e) => e.type === 'text' && e.label.replace(/\s/g, '') === label.replace(/\s/g, '')),
        `"${label}" is not a label: ${JSON.stringify(analysis.elements.filter((e) => e.bbox[1] > 170 && e.bbox[3] < 215).map((e) => [e.type, e.label]))}`,
      );
    // The title names no field: the label "Style :" stands between it and the field under it.
    assert.ok(hit.found && inside(hit.center, [51, 207, 256, 225]), show(hit));
  });
});
