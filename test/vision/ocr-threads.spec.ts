/**
 * With two threads, text recognition runs on this thread and a helper worker thread at once.
 * What is read must not depend on it, and a helper that cannot start says why.
 */
import assert from 'assert';
import { loadImage } from '../../lib/vision';
import { OcrEngine } from '../../lib/vision/ocr/ocr-engine';
import { RecognitionHelper, RecognitionWorkerError } from '../../lib/vision/ocr/recognition-helper';
import { renderInvoice } from './helpers/render';

describe('vision: OCR on two threads', function () {
  this.timeout(120_000);

  it('reads the same lines, boxes and confidences with a helper thread as on one thread', async () => {
    const image = await loadImage(await renderInvoice());
    const [one, two] = await Promise.all([OcrEngine.load(1, 0), OcrEngine.load(2, 0)]);
    try {
      const boxes = await one.detect(image);
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

  it('says the helper thread could not load the model when the file is missing', async () => {
    await assert.rejects(RecognitionHelper.start('/nonexistent/rec.onnx', 1), (err: Error) => err instanceof RecognitionWorkerError && /could not load the recognition model in the helper thread/.test(err.message) && /nonexistent/.test(err.message));
  });
});
