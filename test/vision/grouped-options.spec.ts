/**
 * Options inside a group box (issue 14): 98.css draws a fieldset around its radio buttons, a
 * frame that holds every option's line, with the options one under the other. A radio there is
 * found by its label, and its mark is the circle beside that label, not the circle plus the top
 * of the one below it.
 */
import assert from 'assert';
import type { ScreenAnalysis, VisionEngine } from '../../lib/vision';
import { textSimilarity } from '../../lib/vision';
import { inside, locateOnCapture, renderHtml, sharedEngine } from './helpers/render';

const OPTIONS = ['Madame', 'Monsieur', 'Standard', 'Express'];

function fieldsetHtml(): string {
  const css = require.resolve('98.css/dist/98.css');
  const group = (legend: string, name: string, labels: string[]) =>
    `<fieldset style="width:880px;margin-bottom:12px"><legend>${legend}</legend>${labels
      .map(
        (l, i) =>
          `<div class="field-row"><input type="radio" name="${name}" id="${l}"${i === 0 ? ' checked' : ''}><label for="${l}">${l}</label></div>`,
      )
      .join('')}</fieldset>`;
  return `<!doctype html><html><head><link rel="stylesheet" href="file://${css}"></head>
<body style="margin:0;background:#008080;padding:16px"><div class="window" style="width:940px"><div class="title-bar">
<div class="title-bar-text">Client</div></div><div class="window-body" style="padding:12px">
${group('Civilité', 'title', OPTIONS.slice(0, 2))}${group('Livraison', 'delivery', OPTIONS.slice(2))}
</div></div></body></html>`;
}

describe('vision: radio buttons inside a group box (98.css)', function () {
  this.timeout(120_000);
  let engine: VisionEngine;
  let analysis: ScreenAnalysis;

  before(async () => {
    engine = await sharedEngine();
    analysis = await engine.analyze(await renderHtml(fieldsetHtml(), { width: 1000, height: 400 }));
  });

  for (const label of OPTIONS)
    it(`clicks the circle of "${label}"`, async () => {
      const r = await engine.locate(analysis, { label, type: 'radio' });
      // Its line: the one read most like the label ("Expres s" is Express).
      const line = [...analysis.text].sort((a, b) => textSimilarity(label, b.text) - textSimilarity(label, a.text))[0];
      assert.ok(textSimilarity(label, line.text) >= 0.75, `"${label}" not read: ${JSON.stringify(analysis.text)}`);
      // The circle: left of the label's words, on their line, about a line high.
      const h = line.bbox[3] - line.bbox[1];
      const mark: [number, number, number, number] = [
        line.bbox[0] - h,
        line.bbox[1],
        line.bbox[0] + h * 0.8,
        line.bbox[3],
      ];
      assert.ok(
        r.found && inside(r.center, mark),
        `${r.strategy} ${r.element?.type} at ${JSON.stringify(r.center)}, label at ${JSON.stringify(line.bbox)}`,
      );
    });
});

/** Two pages of the web corpus (98.css from npm in Chromium, 100 % and 125 %), captured as they are. */
describe('vision: radio buttons inside a group box, on captured 98.css pages', function () {
  this.timeout(120_000);
  const cases = [
    // The group's frame holds both options' lines; the circle's box reached the next circle's top.
    { page: 'form-100', scale: 1, label: 'Madame', box: [984, 261, 1041, 273] },
    { page: 'form-125', scale: 1.25, label: 'Standard', box: [990, 326, 1064, 342] },
    { page: 'form-125', scale: 1.25, label: 'Express', box: [990, 350, 1057, 366] },
  ] as const;
  for (const c of cases)
    it(`clicks the radio "${c.label}" (${c.page})`, async () => {
      const { hit: r } = await locateOnCapture(`web-98css/${c.page}`, c.scale, { label: c.label, type: 'radio' });
      assert.ok(r.found && inside(r.center, [...c.box]), `${r.strategy} at ${JSON.stringify(r.center)}`);
    });
});
