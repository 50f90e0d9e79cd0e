/**
 * The runner's check of a step back to its own screen (issue 15, point 3), on synthetic frames:
 * the run's values (parameters substituted, secrets left out), where they were before, and the
 * screen read again while the form clears.
 */
import assert from 'assert';
import type { BBox, ScreenAnalysis } from '../../lib/vision';
import type { WorkflowEdge } from '../../lib/contracts/workflow';
import type { ActionOutcome } from '../../lib/execute/actions';
import type { Frame } from '../../lib/execute/screen-observer';
import { describeFailed, runValues, waitForOwnScreen } from '../../lib/execute/own-screen-check';
import { line } from '../helpers/screen-parts';

/** The form with what its fields show, its window at (200, 100) on the screen. */
function frame(last: string, first: string): Frame {
  const text = [line('Last name', 10, 20), line('First name', 10, 60), line('Save record', 300, 140)];
  if (last) text.push(line(last, 120, 20));
  if (first) text.push(line(first, 120, 60));
  const analysis = { width: 500, height: 300, scaleFactor: 1, imageHash: 'h', text, elements: [], timings: {} };
  return {
    analysis: analysis as ScreenAnalysis,
    offset: { x: 200, y: 100 },
    window: null,
    at: 0,
    cost_ms: 0,
  } as unknown as Frame;
}

const edge: WorkflowEdge = {
  edge_id: 'E1_save_record',
  from_node: 'N1_form',
  to_node: 'N1_form',
  action: {
    type: 'compound',
    steps: [
      { type: 'type_text', text: '{{last_name}}', target: { type: 'text_input', label: 'Last name' } },
      { type: 'type_text', text: '{{first_name}}', target: { type: 'text_input', label: 'First name' } },
      { type: 'mouse_click', target: { text: 'Save record' } },
    ],
  },
  post_conditions: { own_screen: { gone: [0, 1], shown: [] } },
};

const field = (y: number): BBox => [310, 100 + y - 4, 560, 100 + y + 24];
const outcome: ActionOutcome = {
  resolved: [
    {
      target: 'a',
      strategy: 'primary',
      match: 'label',
      score: 1,
      point: [400, 130],
      bbox: field(20),
      label: '',
      step: 0,
    },
    {
      target: 'b',
      strategy: 'primary',
      match: 'label',
      score: 1,
      point: [400, 170],
      bbox: field(60),
      label: '',
      step: 1,
    },
  ],
  attempts: [],
  resolve_ms: 0,
  act_ms: 0,
};

describe('execute: the check of a step back to its own screen', () => {
  it("takes the run's values with their fields, and leaves out secrets and values too short to tell apart", () => {
    const values = runValues(edge, outcome, frame('', ''), { last_name: 'Lefebvre', first_name: 'Chloé' }, []);
    assert.deepStrictEqual(values, [
      { step: 0, value: 'Lefebvre', known: [field(20)] },
      { step: 1, value: 'Chloé', known: [field(60)] },
    ]);
    assert.deepStrictEqual(
      runValues(edge, outcome, frame('', ''), { last_name: 'Lefebvre', first_name: 'Li' }, ['Lefebvre']),
      [],
    );
  });

  it('does not look for a typed value somewhere new when it went into whatever had the focus (its field unknown)', () => {
    const typedBlind: WorkflowEdge = {
      ...edge,
      action: { type: 'type_text', text: '{{item}}' },
      post_conditions: { own_screen: { gone: [], shown: [0] } },
    };
    const none: ActionOutcome = { resolved: [], attempts: [], resolve_ms: 0, act_ms: 0 };
    assert.deepStrictEqual(runValues(typedBlind, none, frame('', ''), { item: 'Pay rent' }, []), []);
  });

  it('reads the screen again while the form clears; a name the form kept fails, with the reason', async () => {
    const values = runValues(edge, outcome, frame('', ''), { last_name: 'Lefebvre', first_name: 'Chloé' }, []);
    const cleared = await waitForOwnScreen(edge, values, frame('Lefebvre', 'Chloé'), async () => frame('', ''));
    assert.deepStrictEqual(
      cleared.verdicts.map((v) => [v.value, v.expected, v.held]),
      [
        ['Lefebvre', 'gone', true],
        ['Chloé', 'gone', true],
      ],
    );
    const refused = runValues(edge, outcome, frame('', ''), { last_name: 'Lefebvre2', first_name: 'Chloé' }, []);
    const t0 = performance.now();
    const kept = await waitForOwnScreen(
      edge,
      refused,
      frame('Lefebvre2', 'Chloé'),
      async () => frame('Lefebvre2', 'Chloé'),
      undefined,
      600,
    );
    assert.ok(performance.now() - t0 >= 500, 'read again before failing');
    assert.deepStrictEqual(
      kept.verdicts.map((v) => v.held),
      [false, false],
    );
    assert.strictEqual(
      describeFailed(kept.verdicts.slice(0, 1)),
      '"Lefebvre2" still shows (in every demonstration it was gone from the screen after this step: the record was taken)',
    );
  });
});
