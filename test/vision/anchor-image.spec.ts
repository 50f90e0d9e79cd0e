/**
 * An anchor image (a crop of the target as recorded) is found again when the display scale
 * changed, unlike a pixel-exact template.
 */
import assert from 'assert';
import sharp from 'sharp';
import { INVOICE_BOXES, inside, renderInvoice, scaled, sharedEngine } from './helpers/render';

describe('vision: anchor image across scales', function () {
  this.timeout(120_000);

  it('finds a button cropped at 100 % on the same screen at 200 %', async () => {
    const vision = await sharedEngine();
    const [small, big] = await Promise.all([renderInvoice(), renderInvoice({}, { width: 960, height: 540, scale: 2 })]);
    const [x1, y1, x2, y2] = INVOICE_BOXES.annuler;
    const crop = await sharp(small)
      .extract({ left: x1, top: y1, width: x2 - x1, height: y2 - y1 })
      .png()
      .toBuffer();
    const hit = await vision.locate(big, { anchorImage: crop });
    assert.ok(hit.found, JSON.stringify(hit));
    assert.strictEqual(hit.strategy, 'anchor_image');
    assert.ok(
      inside(hit.center, scaled(INVOICE_BOXES.annuler, 2)),
      `click ${hit.center} outside ${scaled(INVOICE_BOXES.annuler, 2)}`,
    );
  });
});
