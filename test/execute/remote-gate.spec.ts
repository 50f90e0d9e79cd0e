/**
 * The remote gate's process-wide lists, which the dashboard's Questions and Coaching pages read:
 * a question waits until answered and leaves the list; the step a coached run shows stays until
 * the next step, a question, or the end of the run replaces it.
 */
import assert from 'assert';
import {
  answerQuestion,
  coachingSteps,
  endCoaching,
  pendingQuestions,
  RemoteHumanGate,
  type StepPrompt,
} from '../../lib/execute';

const prompt = (step: number): StepPrompt => ({
  execution_id: 'exec_gate_spec',
  workflow_id: 'WF_gate',
  step,
  edge_id: `E${step}`,
  description: `click the button "Step ${step}"`,
  bbox: [10, 20, 110, 60],
  point: [60, 40],
  highlight: null,
  reason: 'COACHING: please do this step',
});

describe('remote gate: pending questions and coaching steps', () => {
  afterEach(() => endCoaching('exec_gate_spec'));

  it('lists a confirmation until it is answered, and the run gets the answer', async () => {
    const asked: string[] = [];
    const gate = new RemoteHumanGate({ onQuestion: (q) => asked.push(q.kind) });
    const answer = gate.confirm(prompt(1));
    const [waiting] = pendingQuestions();
    assert.strictEqual(waiting.execution_id, 'exec_gate_spec');
    assert.strictEqual(waiting.kind === 'confirm' && waiting.prompt.description, 'click the button "Step 1"');
    assert.strictEqual(answerQuestion('exec_gate_spec', true), true);
    assert.strictEqual(await answer, true);
    assert.deepStrictEqual(pendingQuestions(), []);
    assert.deepStrictEqual(asked, ['confirm']);
    assert.strictEqual(answerQuestion('exec_gate_spec', true), false, 'nothing left to answer');
  });

  it('an unexpected screen is answered with retry or abort', async () => {
    const gate = new RemoteHumanGate();
    const info = {
      execution_id: 'exec_gate_spec',
      workflow_id: 'WF_gate',
      step: 2,
      edge_id: 'E2',
      expected: ['N2'],
      seen: 'an error dialog',
      screenshot: null,
    };
    const retried = gate.unexpected(info);
    assert.strictEqual(pendingQuestions()[0].kind, 'unexpected');
    answerQuestion('exec_gate_spec', 'retry');
    assert.strictEqual(await retried, 'retry');
    const aborted = gate.unexpected(info);
    answerQuestion('exec_gate_spec', false);
    assert.strictEqual(await aborted, 'abort');
  });

  it('keeps the step a coached run shows, replaced by the next one, cleared by a question or the end', async () => {
    const gate = new RemoteHumanGate();
    gate.coach(prompt(1));
    const [first] = coachingSteps();
    assert.strictEqual(first.step, 1);
    gate.coach(prompt(1));
    assert.strictEqual(coachingSteps()[0].since, first.since, 'the same step shown again keeps its time');
    gate.coach(prompt(2));
    assert.deepStrictEqual(
      coachingSteps().map((s) => s.step),
      [2],
    );
    const answer = gate.confirm(prompt(3));
    assert.deepStrictEqual(coachingSteps(), [], 'a question replaces the step');
    answerQuestion('exec_gate_spec', false);
    assert.strictEqual(await answer, false);
    gate.coach(prompt(4));
    endCoaching('exec_gate_spec');
    assert.deepStrictEqual(coachingSteps(), []);
  });
});
