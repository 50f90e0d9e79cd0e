/**
 * An anchor image (a crop of the target as recorded) is found again when the display scale
 * changed, unlike a pixel-exact template; when it matches several places alike (the same icon
 * on every row of a file list), it is a tie, never one of them.
 */
import assert from 'assert';
import sharp from 'sharp';
import path from 'path';
import { CAPTURED, INVOICE_BOXES, inside, renderHtml, renderInvoice, scaled, sharedEngine } from './helpers/render';

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

  it("takes none of a file list's identical icons for the one cropped (Wine's Open dialog)", async () => {
    const vision = await sharedEngine();
    const screen = path.join(CAPTURED, 'wine-file-dialogs/open-other-folder.png');
    // The text-file icon of "budget-2025.txt"; five more rows show the same icon.
    const crop = await sharp(screen).extract({ left: 98, top: 49, width: 15, height: 14 }).png().toBuffer();
    const analysis = await vision.analyze(screen, { wholeFrame: true });
    const hit = await vision.locate(analysis, { anchorImage: crop });
    assert.ok(!hit.found && hit.ambiguous, JSON.stringify({ ...hit, element: undefined }));
    const rows = hit.candidates.filter((c) => c.bbox[0] >= 96 && c.bbox[2] <= 116);
    assert.ok(rows.length >= 2, JSON.stringify(hit.candidates));
  });

  it('does not let an anchor that matches every row alike choose among equal buttons', async () => {
    const vision = await sharedEngine();
    const rows = ['F-1001 Martin', 'F-1002 Durand', 'F-1003 Petit']
      .map(
        (r) =>
          `<tr><td style="padding:8px 24px">${r}</td><td><button style="font-size:16px;padding:4px 14px">Ouvrir</button></td></tr>`,
      )
      .join('');
    const screen = await renderHtml(
      `<body style="font-family:sans-serif;font-size:16px;margin:40px"><table>${rows}</table></body>`,
    );
    const analysis = await vision.analyze(screen, { wholeFrame: true });
    const buttons = analysis.elements.filter((e) => e.type === 'button' && e.label === 'Ouvrir');
    assert.strictEqual(buttons.length, 3, JSON.stringify(analysis.elements.map((e) => [e.type, e.label])));
    const [x1, y1, x2, y2] = buttons[1].bbox;
    const crop = await sharp(screen)
      .extract({ left: x1, top: y1, width: x2 - x1, height: y2 - y1 })
      .png()
      .toBuffer();
    const hit = await vision.locate(analysis, { text: 'Ouvrir', type: 'button', anchorImage: crop });
    assert.ok(!hit.found && hit.ambiguous, JSON.stringify({ ...hit, element: undefined }));
  });
});
