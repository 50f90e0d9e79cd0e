/**
 * Mnemonic underlines (issue 14): Swing, Wine and others underline a label's access key ("_Oui",
 * "_Non"). The line under an "O" must not turn it into a "Q": the label reads and locates as
 * written, while an underscore between words and a link's underline are left alone.
 */
import assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { ScreenAnalysis, VisionEngine } from '../../lib/vision';
import { decodeImage, textSimilarity } from '../../lib/vision';
import { underlinesIn } from '../../lib/vision/ocr/mnemonic';
import { CAPTURED, inside, locateOnCapture, renderHtml, sharedEngine } from './helpers/render';

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
    assert.strictEqual(underlinesIn(image, line.bbox).length, 0);
    assert.match(line.text, /REG_SZ/);
  });
});

/** Real captures of Wine's Notepad (classic theme, ×1): every menu title and radio label has its key underlined. */
const WINE = path.join(CAPTURED, 'wine-notepad');

describe('mnemonic underlines on a real Win32 program (Wine Notepad)', function () {
  this.timeout(120_000);
  const cases = [
    { screen: 'main-window', target: { text: 'File', type: 'menu_item' }, box: [4, 24, 32, 41] },
    { screen: 'find-dialog', target: { text: 'File', type: 'menu_item' }, box: [4, 24, 32, 41] },
    { screen: 'find-dialog', target: { label: 'Down', type: 'radio' }, box: [285, 144, 356, 161] },
  ] as const;

  it('finds the key of each word of a menu bar read as one line', async () => {
    const image = await decodeImage(fs.readFileSync(path.join(WINE, 'main-window.png')));
    const engine = await sharedEngine();
    const analysis = await engine.analyze(path.join(WINE, 'main-window.png'));
    const bar = analysis.text.find((l) => /Search/.test(l.text));
    assert.ok(bar, `read: ${JSON.stringify(analysis.text.map((l) => l.text))}`);
    // File, Edit, Search, View, Help: five keys, one under each title.
    assert.strictEqual(underlinesIn(image, bar.bbox).length, 5);
  });

  for (const c of cases)
    it(`clicks ${JSON.stringify(c.target)} on the ${c.screen}`, async () => {
      const engine = await sharedEngine();
      const analysis = await engine.analyze(path.join(WINE, `${c.screen}.png`));
      const r = await engine.locate(analysis, c.target);
      assert.ok(
        r.found && inside(r.center, [...c.box]),
        `${r.strategy} at ${JSON.stringify(r.center)}; read: ${JSON.stringify(analysis.text.map((l) => l.text))}`,
      );
    });
});

describe('a Win32 menu bar right above a pane (Wine regedit, captured)', function () {
  this.timeout(120_000);

  it('takes its five titles for menu items and clicks "Registry" there, not in the window title', async () => {
    // The pane's top edge runs one row under the titles with the tree's ink right below it: the
    // titles' band went on under the line and every title joined in one piece, so no menu bar was
    // found, and "Registry" was a tie between the bar and the title "Registry Editor".
    const { analysis, hit } = await locateOnCapture('wine-regedit/light-x1', 1, {
      text: 'Registry',
      type: 'menu_item',
    });
    const titles = analysis.elements.filter((e) => e.type === 'menu_item' && e.bbox[1] >= 20 && e.bbox[3] <= 50);
    assert.strictEqual(titles.length, 5, JSON.stringify(titles.map((e) => e.label)));
    assert.deepStrictEqual([titles[0].label, titles[1].label, titles[4].label], ['Registry', 'Edit', 'Help']);
    assert.ok(hit.found && inside(hit.center, [4, 24, 56, 41]), `${hit.strategy} at ${JSON.stringify(hit.center)}`);
  });
});

/** A form in xp.css (npm), shown at 125 %: its pixel font draws the foot of an "e" or an "s" apart from the letter. */
function xpFormHtml(): string {
  const css = require.resolve('xp.css/dist/XP.css');
  const field = (id: string, label: string) =>
    `<div class="field-row-stacked" style="width:260px"><label for="${id}">${label}</label><input type="text" id="${id}"></div>`;
  return `<!doctype html><html><head><link rel="stylesheet" href="file://${css}"></head>
<body style="margin:0;background:#3a6ea5;padding:16px"><div class="window" style="width:420px"><div class="title-bar">
<div class="title-bar-text">Customer</div></div><div class="window-body" style="padding:12px">
${field('ref', 'Customer reference')}${field('email', 'Email address')}${field('billing', 'Billing address')}
</div></div></body></html>`;
}

describe('mnemonic underlines: letters are not marks', function () {
  this.timeout(120_000);

  it('leaves the feet of letters alone in the labels of an xp.css form', async () => {
    const shot = await renderHtml(xpFormHtml(), { scale: 1.25, width: 600, height: 400 });
    const engine = await sharedEngine();
    const analysis = await engine.analyze(shot, { scaleFactor: 1.25 });
    const image = await decodeImage(fs.readFileSync(shot));
    for (const label of ['Customer reference', 'Email address', 'Billing address']) {
      // The pixel font is read with slips ("Biln adess"): the line is the one most like the label.
      const line = [...analysis.text].sort((a, b) => textSimilarity(label, b.text) - textSimilarity(label, a.text))[0];
      assert.ok(textSimilarity(label, line.text) >= 0.5, `"${label}" not read: ${JSON.stringify(analysis.text)}`);
      assert.deepStrictEqual(underlinesIn(image, line.bbox), [], `marks found under "${line.text}"`);
    }
    const r = await engine.locate(analysis, { label: 'Email address', type: 'text_input' });
    assert.ok(r.found && inside(r.center, [45, 163, 370, 192]), `${r.strategy} at ${JSON.stringify(r.center)}`);
  });
});
