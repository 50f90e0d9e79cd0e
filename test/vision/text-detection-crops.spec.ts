/**
 * Text detection can run the network only on the parts of the screen with ink (most of an
 * application screen is blank background; option inkOnly). On a real rendered 1920×1080 screen
 * it must find the same text as the whole frame does, for a fraction of the pixels.
 */
import assert from 'assert';
import type { BBox } from '../../lib/contracts/screen-state';
import type { RgbaImage } from '../../lib/platform/types';
import { decodeImage, normalizeText, textSimilarity } from '../../lib/vision';
import { defaultDetectScale } from '../../lib/vision/ocr/ocr-engine';
import { ocrModelPaths } from '../../lib/vision/ocr/models';
import { detectionCrops, TextDetector } from '../../lib/vision/ocr/text-detector';
import { TextRecognizer } from '../../lib/vision/ocr/text-recognizer';
import { renderInvoice } from './helpers/render';
import { iou } from '../../bench/grounding';

describe('vision: text detection on the parts of the screen with ink', function () {
  this.timeout(120_000);
  let image: RgbaImage;
  let whole: TextDetector;
  let inked: TextDetector;
  let reader: TextRecognizer;

  before(async () => {
    image = await decodeImage(await renderInvoice({}, { width: 1920, height: 1080 }));
    const paths = ocrModelPaths();
    [whole, inked, reader] = await Promise.all([
      TextDetector.load(paths.detection, 1, { inkOnly: false }),
      TextDetector.load(paths.detection, 1, { inkOnly: true }),
      TextRecognizer.load(paths.recognition, paths.dictionary, 1, 0),
    ]);
  });
  after(async () => Promise.all([whole?.close(), inked?.close(), reader?.close()]));

  const boxesOf = async (detector: TextDetector): Promise<BBox[]> =>
    (await detector.detect(image, defaultDetectScale(image)))
      .map((d) => d.bbox)
      .filter(([x1, y1, x2, y2]) => x2 - x1 >= 4 && y2 - y1 >= 6);

  it('runs the network on less than half the screen, and every text box of the whole frame lies in those parts', async () => {
    const { crops, share } = detectionCrops(image, defaultDetectScale(image));
    assert.ok(share < 0.5, `network run on ${(share * 100).toFixed(0)} % of the input`);
    for (const box of await boxesOf(whole)) {
      const [cx, cy] = [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2];
      assert.ok(
        crops.some((c) => cx >= c[0] && cx < c[2] && cy >= c[1] && cy < c[3]),
        `box ${box} outside the parts ${JSON.stringify(crops)}`,
      );
    }
  });

  it('finds the boxes of the whole frame (IoU >= 0.7) and reads the same text in them', async () => {
    const [a, b] = [await boxesOf(whole), await boxesOf(inked)];
    assert.ok(a.length > 20, `${a.length} boxes on the whole frame`);
    const textA = (await reader.recognize(image, a)).lines.map((l) => normalizeText(l?.text ?? ''));
    const textB = (await reader.recognize(image, b)).lines.map((l) => normalizeText(l?.text ?? ''));
    for (const [i, box] of a.entries()) {
      const best = Math.max(...b.map((other) => iou(box, other)));
      assert.ok(
        best >= 0.7,
        `whole-frame box ${box} "${textA[i]}": best IoU ${best.toFixed(2)} among ${b.length} boxes`,
      );
      // Read as locate compares texts: one reading may split "du patient" where the other reads
      // "dupatient", or read "voir i'historique" where the other reads "voir 'historique".
      const read = Math.max(...b.map((other, j) => (iou(box, other) >= 0.3 ? textSimilarity(textA[i], textB[j]) : 0)));
      if (textA[i])
        assert.ok(read >= 0.85, `"${textA[i]}" not read (best similarity ${read.toFixed(2)}): ${textB.join(' | ')}`);
    }
    assert.ok(b.length <= a.length + 2, `${b.length} boxes vs ${a.length} on the whole frame`);
  });

  it('takes less detection CPU than the whole frame', async () => {
    const cpu = async (detector: TextDetector): Promise<number> => {
      let best = Infinity;
      for (let k = 0; k < 3; k++) {
        const c0 = process.cpuUsage();
        await detector.detect(image, defaultDetectScale(image));
        const c = process.cpuUsage(c0);
        best = Math.min(best, c.user + c.system);
      }
      return best / 1000;
    };
    const [a, b] = [await cpu(whole), await cpu(inked)];
    assert.ok(b < 0.75 * a, `parts with ink ${b.toFixed(0)} ms CPU vs whole frame ${a.toFixed(0)} ms`);
  });
});
