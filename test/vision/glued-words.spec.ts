/**
 * Tabs drawn edge to edge (xp.css, 7.css) are read as one word, "RésuméDétailsÉchéancierNotes":
 * a capital after small letters starts the next word, with its own box, so a tab is clicked on
 * its own words and not in the middle of the strip; names such as "iPhone" stay whole.
 */
import assert from 'assert';
import * as path from 'path';
import { toLine, type Recognised } from '../../lib/vision/ocr/text-recognizer';
import { locateIn } from '../../lib/vision/locate';
import { wordsOf } from '../../lib/vision/text-match';
import type { ScreenAnalysis } from '../../lib/vision';
import { element } from '../helpers/screen-parts';
import { CAPTURED, inside, sharedEngine } from './helpers/render';

/** What the recogniser returns for `text` read evenly across its crop. */
function readEvenly(text: string): Recognised {
  const n = [...text].length;
  return { text, confidence: 0.9, spans: [...text].map((_, i) => [i / n, (i + 0.6) / n] as [number, number]) };
}

describe('vision: words read without a space between them', () => {
  const strip = toLine(readEvenly('RésuméDétailsÉchéancierNotes'), [40, 100, 320, 120])!;

  it('splits a strip of tabs read as one word into its words, left to right', () => {
    assert.deepStrictEqual(
      strip.words.map((w) => w.text),
      ['Résumé', 'Détails', 'Échéancier', 'Notes'],
    );
    for (let i = 1; i < strip.words.length; i++) assert.ok(strip.words[i].bbox[0] >= strip.words[i - 1].bbox[0] + 30);
    assert.deepStrictEqual(
      toLine(readEvenly('iPhone McKay'), [0, 0, 120, 20])!.words.map((w) => w.text),
      ['iPhone', 'McKay'],
    );
    assert.deepStrictEqual(wordsOf('MenuShowDelay'), ['Menu', 'Show', 'Delay']);
  });

  it('clicks a tab of the strip on its own words', async () => {
    const analysis: ScreenAnalysis = {
      width: 800,
      height: 600,
      scaleFactor: 1,
      imageHash: 'h',
      text: [strip],
      elements: [element('link', strip.text, strip.bbox)],
      timings: {},
    };
    for (const [i, tab] of ['Résumé', 'Détails', 'Échéancier', 'Notes'].entries()) {
      const hit = await locateIn(analysis, { text: tab, type: 'tab' });
      const box = strip.words[i].bbox;
      assert.ok(
        hit.found && hit.center![0] >= box[0] && hit.center![0] <= box[2],
        `${tab}: ${JSON.stringify(hit.center)} outside ${JSON.stringify(box)} (${hit.strategy})`,
      );
    }
  });
});

/** A page of the web corpus (98.css, 125 %): its tabs are drawn with an edge between them, read "Summary|Detals". */
const PAGE = path.join(CAPTURED, 'web-98css', 'form-125.png');

describe('vision: an edge between two tabs read as a bar', function () {
  this.timeout(120_000);

  it('ends a word at a bar read between two letters, and drops the bar', () => {
    assert.deepStrictEqual(
      toLine(readEvenly('Summary|Details Schedule|Notes'), [0, 0, 300, 20])!.words.map((w) => w.text),
      ['Summary', 'Details', 'Schedule', 'Notes'],
    );
    // A wide gap read before a space (Wine's menu bar, "Registry  Edit") starts no word at the
    // space: the next word is "Edit", not " Edit".
    const spans: [number, number][] = [...'Registry Edit View'].map((_, i) => {
      const x = i < 8 ? i * 0.03 : 0.3 + (i - 8) * 0.03;
      return [x, x + 0.02];
    });
    assert.deepStrictEqual(
      toLine({ text: 'Registry Edit View', confidence: 0.9, spans }, [0, 0, 300, 20])!.words.map((w) => w.text),
      ['Registry', 'Edit', 'View'],
    );
    // A bar on its own (a column rule before a cell) is left as read.
    assert.deepStrictEqual(
      toLine(readEvenly('| Total'), [0, 0, 100, 20])!.words.map((w) => w.text),
      ['|', 'Total'],
    );
  });

  const TABS = { Details: [116, 143, 169, 173], Schedule: [170, 143, 239, 173], Notes: [240, 143, 288, 173] } as const;
  for (const [tab, box] of Object.entries(TABS))
    it(`clicks the tab "${tab}" on a captured 98.css page`, async () => {
      const engine = await sharedEngine();
      const analysis = await engine.analyze(PAGE, { scaleFactor: 1.25 });
      const r = await engine.locate(analysis, { text: tab, type: 'tab' });
      assert.ok(r.found && inside(r.center, [...box]), `${r.strategy} at ${JSON.stringify(r.center)}`);
    });
});

/** The same page at 150 %: the tabs' edges are thick enough to spoil the reading of the words beside them. */
const PAGE_150 = path.join(CAPTURED, 'web-98css', 'form-150.png');

describe('vision: tabs with upright edges drawn in the page colour (98.css at 150 %)', function () {
  this.timeout(120_000);
  let analysis: ScreenAnalysis;

  before(async () => {
    const engine = await sharedEngine();
    analysis = await engine.analyze(PAGE_150, { scaleFactor: 1.5 });
  });

  it('reads each tab as a line of its own, cut at the edges between them', () => {
    // One line across the strip read "Generl Adresss Pa mens Hito".
    const strip = analysis.text.filter((l) => l.bbox[1] < 208 && l.bbox[3] > 172 && l.bbox[0] < 380);
    assert.ok(strip.length >= 4, JSON.stringify(strip.map((l) => l.text)));
    for (const l of strip) assert.ok(l.bbox[2] - l.bbox[0] < 100, `${l.text} ${JSON.stringify(l.bbox)}`);
    assert.ok(
      strip.some((l) => l.text === 'Payments'),
      JSON.stringify(strip.map((l) => l.text)),
    );
  });

  const TABS = { Addresses: [130, 172, 223, 208], Payments: [223, 172, 310, 208] } as const;
  for (const [tab, box] of Object.entries(TABS))
    it(`clicks the tab "${tab}"`, async () => {
      const engine = await sharedEngine();
      const r = await engine.locate(analysis, { text: tab, type: 'tab' });
      assert.ok(r.found && inside(r.center, [...box]), `${r.strategy} at ${JSON.stringify(r.center)}`);
    });
});
