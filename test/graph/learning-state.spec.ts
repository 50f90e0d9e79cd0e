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
});
