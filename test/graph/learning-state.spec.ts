/**
 * Learning states as the seed describes them: a workflow earns autonomy with runs, needs a
 * person's approval for AUTO_CONFIRMED, loses it when the screen stops being recognised or the
 * UI changes, and every transition is in learning.history with its reason.
 */
import assert from 'assert';
import { DEFAULT_THRESHOLDS, type Workflow } from '../../lib/contracts/workflow';
import { validateWorkflow } from '../../lib/contracts/validate';
import {
  demote,
  evaluateLearning,
  LearningTransitionError,
  promote,
  recordExecution,
  unmetRequirements,
} from '../../lib/graph';
import { admitImported, changeLearningState } from '../../lib/graph/learning-state';

function newWorkflow(): Workflow {
  return {
    workflow_id: 'WF_test',
    name: 'Test',
    nodes: [{ node_id: 'N1', label: 'Screen', screen_template: {} }],
    edges: [],
  };
}

const at = (minute: number) => new Date(Date.UTC(2026, 10, 21, 10, minute));

function runs(
  wf: Workflow,
  mode: Parameters<typeof recordExecution>[1]['mode'],
  count: number,
  success = true,
): Workflow {
  for (let i = 0; i < count; i++) recordExecution(wf, { mode, success, now: at(i) });
  return wf;
}

describe('learning states', () => {
  it('starts in OBSERVATION with the seed thresholds and shows the way to COACHING', () => {
    const wf = evaluateLearning(newWorkflow());
    assert.strictEqual(wf.learning?.state, 'OBSERVATION');
    assert.deepStrictEqual(wf.learning?.thresholds, DEFAULT_THRESHOLDS);
    assert.deepStrictEqual(wf.learning?.progression, {
      current_phase: 'OBSERVATION',
      progress_percent: 0,
      next_phase: 'COACHING',
      requirements_met: false,
      user_approval_required: false,
    });
    assert.deepStrictEqual(unmetRequirements(wf), ['observed runs: 0/5']);
    validateWorkflow(wf);
  });

  it('moves to COACHING after five observed runs, logging why', () => {
    const wf = runs(newWorkflow(), 'observe', 4);
    assert.strictEqual(wf.learning?.state, 'OBSERVATION');
    assert.strictEqual(wf.learning?.progression?.progress_percent, 80);
    runs(wf, 'observe', 1);
    assert.strictEqual(wf.learning?.state, 'COACHING');
    assert.strictEqual(wf.learning_state, 'COACHING');
    assert.deepStrictEqual(
      wf.learning?.history?.map((h) => [h.from, h.to]),
      [['OBSERVATION', 'COACHING']],
    );
    assert.match(wf.learning!.history![0].reason, /observed runs: 5\/5/);
  });

  it('honours configured thresholds', () => {
    const wf = newWorkflow();
    evaluateLearning(wf, { thresholds: { min_observed_runs_for_assist: 2 } });
    runs(wf, 'observe', 2);
    assert.strictEqual(wf.learning?.state, 'COACHING');
    assert.strictEqual(wf.learning?.thresholds.min_observed_runs_for_assist, 2);
  });

  it('reaches AUTO_CANDIDATE only with ten assisted runs at 90 % success or better', () => {
    const wf = runs(newWorkflow(), 'observe', 5);
    runs(wf, 'coach', 8);
    runs(wf, 'coach', 2, false);
    assert.strictEqual(wf.learning?.state, 'COACHING', '8/10 = 80 % is not enough');
    assert.ok(
      unmetRequirements(wf).some((r) => /assisted success rate: 80.0 %/.test(r)),
      unmetRequirements(wf).join('; '),
    );
    runs(wf, 'coach', 10);
    assert.strictEqual(wf.learning?.state, 'AUTO_CANDIDATE', '18/20 = 90 %');
  });

  it('never reaches AUTO_CONFIRMED by itself: promotion needs an explicit approval once the supervised runs qualify', () => {
    const wf = runs(runs(newWorkflow(), 'observe', 5), 'coach', 10);
    assert.strictEqual(wf.learning?.state, 'AUTO_CANDIDATE');
    assert.throws(
      () => promote(wf, { approvedBy: 'alice' }),
      (e: Error) => e instanceof LearningTransitionError && /supervised automatic runs: 0\/20/.test(e.message),
    );
    runs(wf, 'confirm', 20);
    assert.strictEqual(wf.learning?.state, 'AUTO_CANDIDATE', 'requirements met, still waiting for a person');
    assert.deepStrictEqual(wf.learning?.progression, {
      current_phase: 'AUTO_CANDIDATE',
      progress_percent: 100,
      next_phase: 'AUTO_CONFIRMED',
      requirements_met: true,
      user_approval_required: true,
    });
    assert.throws(() => promote(wf, { approvedBy: '' }), LearningTransitionError);
    promote(wf, { approvedBy: 'alice', now: at(59) });
    assert.strictEqual(wf.learning?.state, 'AUTO_CONFIRMED');
    const last = wf.learning!.history!.at(-1)!;
    assert.deepStrictEqual([last.from, last.to, last.at], ['AUTO_CANDIDATE', 'AUTO_CONFIRMED', at(59).toISOString()]);
    assert.match(last.reason, /approved by alice/);
    assert.throws(() => promote(wf, { approvedBy: 'alice' }), /no phase above/);
    validateWorkflow(wf);
  });

  function confirmed(): Workflow {
    const wf = runs(runs(runs(newWorkflow(), 'observe', 5), 'coach', 10), 'confirm', 20);
    return promote(wf, { approvedBy: 'alice' });
  }

  it('demotes an autonomous workflow when recognition confidence drops', () => {
    const wf = confirmed();
    recordExecution(wf, { mode: 'auto', success: true, confidence: 0.93 });
    assert.strictEqual(wf.learning?.state, 'AUTO_CONFIRMED');
    recordExecution(wf, { mode: 'auto', success: true, confidence: 0.61 });
    assert.strictEqual(wf.learning?.state, 'AUTO_CANDIDATE');
    assert.match(wf.learning!.history!.at(-1)!.reason, /recognition confidence dropped to 0.610/);
    assert.strictEqual(wf.stats?.auto_candidate_runs, 0, 'the supervised runs are counted afresh');
  });

  it('demotes when the UI changed, and when the success rate falls', () => {
    const wf = confirmed();
    recordExecution(wf, { mode: 'auto', success: false, uiChanged: true });
    assert.strictEqual(wf.learning?.state, 'AUTO_CANDIDATE');
    assert.match(wf.learning!.history!.at(-1)!.reason, /user interface changed/);
    runs(wf, 'confirm', 15);
    runs(wf, 'confirm', 5, false);
    assert.strictEqual(wf.learning?.state, 'COACHING');
    assert.match(wf.learning!.history!.at(-1)!.reason, /success rate fell to 75.0 %/);
  });

  it('demotes by hand with a reason, and refuses below OBSERVATION or without a reason', () => {
    const wf = runs(newWorkflow(), 'observe', 5);
    assert.throws(() => demote(wf, ''), /needs a reason/);
    demote(wf, 'the billing software was upgraded');
    assert.strictEqual(wf.learning?.state, 'OBSERVATION');
    assert.deepStrictEqual(wf.learning!.history!.map((h) => h.reason).at(-1), 'the billing software was upgraded');
    assert.throws(() => demote(wf, 'again'), /no phase below/);
    assert.strictEqual(wf.learning!.history!.length, 2, 'every transition is logged');
  });

  it('an imported workflow claiming more than OBSERVATION starts there, with no forged counters or thresholds', () => {
    const forged = {
      ...newWorkflow(),
      learning_state: 'AUTO_CANDIDATE',
      learning: {
        state: 'COACHING',
        thresholds: { ...DEFAULT_THRESHOLDS, min_observed_runs_for_assist: 0, min_assist_runs_for_auto_candidate: 1 },
      },
      stats: { ...runs(newWorkflow(), 'observe', 5).stats!, assist_runs: 99, assist_successes: 99 },
    } as Workflow;
    assert.deepStrictEqual(admitImported(forged, { now: at(0) }), { claimed: 'AUTO_CANDIDATE', state: 'OBSERVATION' });
    assert.strictEqual(forged.learning!.state, 'OBSERVATION');
    assert.strictEqual(forged.learning_state, 'OBSERVATION');
    assert.deepStrictEqual(forged.learning!.history!.at(-1), {
      at: at(0).toISOString(),
      from: 'AUTO_CANDIDATE',
      to: 'OBSERVATION',
      reason: 'imported; was AUTO_CANDIDATE, needs approval',
    });
    assert.deepStrictEqual(forged.learning!.thresholds, DEFAULT_THRESHOLDS);
    assert.strictEqual(forged.stats!.assist_runs, 0);
    assert.strictEqual(forged.stats!.observed_runs, 5, 'observed runs are no claim to autonomy');
    // The forged 99 assisted runs do not carry it up: the next runs start COACHING from zero.
    runs(forged, 'observe', 1);
    assert.strictEqual(forged.learning!.state, 'COACHING');

    const plain = newWorkflow();
    assert.deepStrictEqual(admitImported(plain), { claimed: 'OBSERVATION', state: 'OBSERVATION' });
    assert.deepStrictEqual(plain, newWorkflow(), 'a workflow at OBSERVATION is left as it came');

    const approved = { ...newWorkflow(), learning_state: 'AUTO_CONFIRMED' } as Workflow;
    assert.deepStrictEqual(admitImported(approved, { approvedBy: 'alice', now: at(1) }), {
      claimed: 'AUTO_CONFIRMED',
      state: 'AUTO_CONFIRMED',
      approved_by: 'alice',
    });
    assert.strictEqual(approved.learning!.history!.at(-1)!.reason, 'imported at AUTO_CONFIRMED, approved by alice');
    validateWorkflow(forged);
    validateWorkflow(approved);
  });

  it('a person changes the state one phase up through promote(), or down any number of phases', () => {
    const wf = runs(newWorkflow(), 'observe', 5);
    assert.strictEqual(wf.learning!.state, 'COACHING');
    assert.throws(
      () => changeLearningState(wf, 'AUTO_CONFIRMED', { by: 'alice', reason: 'hurry' }),
      /one phase at a time: from COACHING the next is AUTO_CANDIDATE/,
    );
    assert.throws(
      () => changeLearningState(wf, 'AUTO_CANDIDATE', { by: 'alice', reason: 'ok' }),
      /assisted runs: 0\/10/,
    );
    assert.throws(() => changeLearningState(wf, 'COACHING', { by: 'alice', reason: 'x' }), /already COACHING/);
    assert.throws(() => changeLearningState(wf, 'OBSERVATION', { by: 'alice', reason: ' ' }), /needs a reason/);
    assert.strictEqual(changeLearningState(wf, 'OBSERVATION', { by: 'bob', reason: 'new version' }), 'COACHING');
    assert.strictEqual(wf.learning!.history!.at(-1)!.reason, 'demoted by bob: new version');
    runs(wf, 'observe', 5);
    runs(wf, 'coach', 10);
    runs(wf, 'confirm', 20);
    assert.strictEqual(wf.learning!.state, 'AUTO_CANDIDATE');
    changeLearningState(wf, 'AUTO_CONFIRMED', { by: 'alice', reason: 'twenty clean runs' });
    assert.strictEqual(wf.learning!.state, 'AUTO_CONFIRMED');
    assert.match(wf.learning!.history!.at(-1)!.reason, /^approved by alice \(twenty clean runs\)/);
    changeLearningState(wf, 'OBSERVATION', { by: 'carol', reason: 'the application changed' });
    assert.deepStrictEqual(
      wf.learning!.history!.slice(-3).map((h) => [h.from, h.to]),
      [
        ['AUTO_CONFIRMED', 'AUTO_CANDIDATE'],
        ['AUTO_CANDIDATE', 'COACHING'],
        ['COACHING', 'OBSERVATION'],
      ],
    );
  });
});
