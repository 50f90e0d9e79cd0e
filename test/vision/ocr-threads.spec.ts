/**
 * With two threads, text detection runs in a helper worker thread, and recognition on this thread
 * and the helper at once.
 * What is read must not depend on it, and a helper that cannot start says why.
 */
import assert from 'assert';
import { decodeImage } from '../../lib/vision';
import { OcrEngine } from '../../lib/vision/ocr/ocr-engine';
import { OcrHelper, OcrWorkerError } from '../../lib/vision/ocr/ocr-helper';
import { ocrModelPaths } from '../../lib/vision/ocr/models';
import { renderInvoice } from './helpers/render';

describe('vision: OCR on two threads', function () {
  this.timeout(120_000);

  it('finds and reads the same lines, boxes and confidences with a helper thread as on one thread', async () => {
    const image = await decodeImage(await renderInvoice());
    const [one, two] = await Promise.all([OcrEngine.load(1, 0), OcrEngine.load(2, 0)]);
    try {
      const boxes = await one.detect(image);
      assert.deepStrictEqual(await two.detect(image), boxes);
      const a = await one.recognize(image, boxes);
      const b = await two.recognize(image, boxes);
      assert.ok(a.lines.length > 20, `${a.lines.length} lines`);
      assert.deepStrictEqual(
        b.lines.map((l) => [l.text, l.bbox, l.confidence.toFixed(4)]),
        a.lines.map((l) => [l.text, l.bbox, l.confidence.toFixed(4)]),
      );
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('reads a picture refilled in place as the new picture, and regions read at once as one thread does', async () => {
    const image = await decodeImage(await renderInvoice());
    const [one, two] = await Promise.all([OcrEngine.load(1, 0), OcrEngine.load(2, 0)]);
    try {
      // Several requests on one picture at once (its regions read again) share the helper's copy.
      const regions: [number, number, number, number][] = [
        [0, 0, 960, 540],
        [960, 0, 1920, 540],
        [0, 540, 1920, 1080],
      ];
      const alone = [];
      for (const r of regions) alone.push(await one.detect(image, 1, r));
      assert.ok(alone.flat().length > 10, `${alone.flat().length} boxes in the regions`);
      assert.deepStrictEqual(await Promise.all(regions.map((r) => two.detect(image, 1, r))), alone);
      // A capture buffer reused for the next frame: the helper must not read the last frame's copy.
      assert.ok((await two.detect(image)).length > 20);
      image.data.fill(255);
      assert.deepStrictEqual(await two.detect(image), []);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('says the helper thread could not load the models when a file is missing', async () => {
    const paths = { detection: ocrModelPaths().detection, recognition: '/nonexistent/rec.onnx' };
    await assert.rejects(
      OcrHelper.start(paths, { detection: 1, recognition: 1 }),
      (err: Error) =>
        err instanceof OcrWorkerError &&
        /could not load the OCR models in the helper thread/.test(err.message) &&
        /nonexistent/.test(err.message),
    );
  });
});
