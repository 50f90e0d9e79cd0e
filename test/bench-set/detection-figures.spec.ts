/**
 * The grounding bench's detection figures: a check box or radio drawn by its label is found by its
 * mark, and the web corpus reports detection held out first, then the open families and each one.
 * Its list of failures shows none of a held-out family's screens.
 */
import assert from 'assert';
import {
  failureSummary,
  figures,
  matchDetections,
  noDetections,
  type DetectionCounts,
  type GroundingReport,
} from '../../bench/grounding';
import type { TruthElement } from '../../bench/screens/types';

function report(byFamily: Record<string, DetectionCounts>): GroundingReport {
  return {
    sets: ['web'],
    screens: 0,
    outcomes: [],
    timings: [],
    detection: noDetections(),
    detectionByFamily: byFamily,
    states: { correct: 0, total: 0, prototypes: 0, errors: [], similarities: [] },
    modelLoadMs: 0,
    detected: {},
    loadAverage: 0,
    words: [],
  };
}

function counts(truePositives: number, falsePositives: number, falseNegatives: number): DetectionCounts {
  return { ...noDetections(), truePositives, falsePositives, falseNegatives, typedTruePositives: truePositives };
}

describe('grounding bench: detection figures', function () {
  it('matches the mark of a radio whose element is its whole label (98.css), not the left of a button', function () {
    const radio: TruthElement = {
      id: 'r',
      type: 'radio',
      label: 'Madame',
      bbox: [984, 261, 1041, 273],
      content_bbox: [1002, 261, 1041, 272],
      click_box: [984, 261, 1041, 273],
    };
    const button: TruthElement = {
      id: 'b',
      type: 'button',
      label: 'Print',
      bbox: [100, 100, 200, 130],
      content_bbox: [130, 105, 170, 125],
      click_box: [100, 100, 200, 130],
    };
    const found = matchDetections(
      [radio, button],
      [
        { type: 'radio', bbox: [984, 261, 996, 273] },
        { type: 'icon', bbox: [100, 100, 128, 130] },
      ],
    );
    assert.deepStrictEqual([found.truePositives, found.falsePositives, found.falseNegatives], [1, 1, 1]);
  });

  it('counts the failures of held-out families but shows none of their screens', function () {
    const miss = (screen: string, family: string) => ({
      screen,
      family,
      theme: family,
      scale: 1,
      type: 'button' as const,
      query: { text: 'OK', type: 'button' as const },
      clickBox: [0, 0, 10, 10] as [number, number, number, number],
      ours: { correct: false, found: false, center: null, strategy: 'none', ambiguous: false, score: 0 },
      tesseract: { correct: false, found: false, center: null },
    });
    const r = report({});
    r.outcomes = [miss('web-7css-form-s1', 'web-7css'), miss('web-bulma-form-s2', 'web-bulma')];
    r.states.errors = [{ id: 'web-7css-form-s1', state: 'a', predicted: 'b', similarity: 0.5, similarityToOwn: 0.4 }];
    const hidden = failureSummary(r, 4, ['web-7css']);
    assert.match(hidden, /button: 2 wrong \(2 not found, 0 clicked elsewhere\), 1 of them held out \(not shown\)/);
    assert.ok(hidden.includes('web-bulma-form-s2') && !hidden.includes('web-7css-form-s1'), hidden);
    assert.ok(failureSummary(r, 4, []).includes('web-7css-form-s1'), 'shown when asked');
  });

  it('reports the held-out families against the 93 % target first, then the open ones and each family', function () {
    const out = figures(
      report({ 'web-7css': counts(60, 40, 20), 'web-bootstrap': counts(90, 10, 10), 'web-bulma': counts(45, 5, 5) }),
    );
    const lines = out.filter((f) => f.metric.startsWith('web,'));
    const names = lines.map((f) => f.metric);
    assert.deepStrictEqual(names.slice(0, 2), [
      'web, HELD-OUT families: detection precision (IoU >= 0.5)',
      'web, HELD-OUT families: detection recall (IoU >= 0.5)',
    ]);
    const value = (metric: string) => lines.find((f) => f.metric === metric);
    assert.deepStrictEqual(
      [value(names[0])!.value, value(names[0])!.target, value(names[0])!.pass, value(names[1])!.value],
      [60, '>= 93 %', false, 75],
    );
    const open = value('web, families open to tuning: detection recall (IoU >= 0.5)')!;
    assert.deepStrictEqual([open.value, open.n, open.target], [90, 150, undefined]);
    assert.ok(names.includes('web, family web-7css (held out): detection recall (IoU >= 0.5)'), names.join('\n'));
    assert.ok(names.includes('web, family web-bulma: detection precision (IoU >= 0.5)'), names.join('\n'));
  });
});
