/**
 * Tabs drawn edge to edge (xp.css, 7.css) are read as one word, "RésuméDétailsÉchéancierNotes":
 * a capital after small letters starts the next word, with its own box, so a tab is clicked on
 * its own words and not in the middle of the strip; names such as "iPhone" stay whole.
 */
import assert from 'assert';
import { toLine, type Recognised } from '../../lib/vision/ocr/text-recognizer';
import { locateIn } from '../../lib/vision/locate';
import { wordsOf } from '../../lib/vision/text-match';
import type { ScreenAnalysis } from '../../lib/vision';
import { element } from '../helpers/screen-parts';

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
