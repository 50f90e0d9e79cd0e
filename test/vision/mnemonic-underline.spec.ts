/**
 * Mnemonic underlines (issue 14): Swing, Wine and others underline a label's access key ("_Oui",
 * "_Non"). The line under an "O" must not turn it into a "Q": the label reads and locates as
 * written, while an underscore between words and a link's underline are left alone.
 */
import assert from 'assert';
import * as fs from 'fs';
import type { ScreenAnalysis, VisionEngine } from '../../lib/vision';
import { decodeImage } from '../../lib/vision';
import { underlineIn } from '../../lib/vision/ocr/mnemonic';
import { inside, renderHtml, sharedEngine } from './helpers/render';

const BUTTONS = [
  { key: 'O', rest: 'ui', left: 40 },
  { key: 'N', rest: 'on', left: 150 },
  { key: 'A', rest: 'nnuler', left: 260 },
];
const TOP = 40;
const SIZE = { width: 90, height: 30 };

/** A dialog's buttons drawn as Swing draws them: the access key underlined a pixel or two below the baseline. */
function dialogHtml(): string {
  const buttons = BUTTONS.map(
    (b) => `<button style="left:${b.left}px;top:${TOP}px"><span class="key">${b.key}</span>${b.rest}</button>`,
  );
  return `<!doctype html><html><body style="margin:0;background:#d6d9df;font:13px 'DejaVu Sans',sans-serif">
<style>button{position:absolute;width:${SIZE.width}px;height:${SIZE.height}px;border:1px solid #5a6a80;
border-radius:5px;background:linear-gradient(#f4f6f8,#c8ced6);font:inherit;color:#000;padding:0}
.key{text-decoration:underline;text-underline-offset:3px;text-decoration-thickness:1px}
.plain{position:absolute;left:40px;top:110px}</style>
${buttons.join('\n')}
<div class="plain">REG_SZ value</div></body></html>`;
}

describe('mnemonic underlines', function () {
  this.timeout(120_000);
  let engine: VisionEngine;
  let analysis: ScreenAnalysis;
  let shot: string;

  before(async () => {
    engine = await sharedEngine();
    shot = await renderHtml(dialogHtml());
    analysis = await engine.analyze(shot);
  });

  for (const b of BUTTONS) {
    const label = b.key + b.rest;
    it(`reads and finds "${label}" with its underlined access key`, async () => {
      assert.ok(
        analysis.text.some((l) => l.text.toLowerCase() === label.toLowerCase()),
        `read: ${JSON.stringify(analysis.text.map((l) => l.text))}`,
      );
      const r = await engine.locate(analysis, { text: label, type: 'button' });
      const box: [number, number, number, number] = [b.left, TOP, b.left + SIZE.width, TOP + SIZE.height];
      assert.ok(r.found && inside(r.center, box), `${r.strategy} ${JSON.stringify(r.candidates)}`);
    });
  }

  it('takes an underscore between words for a character, not a mark', async () => {
    const image = await decodeImage(fs.readFileSync(shot));
    const line = analysis.text.find((l) => /REG.SZ/i.test(l.text));
    assert.ok(line, `read: ${JSON.stringify(analysis.text.map((l) => l.text))}`);
    assert.strictEqual(underlineIn(image, line.bbox), null);
    assert.match(line.text, /REG_SZ/);
  });
});
