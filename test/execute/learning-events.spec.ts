/**
 * A run that moves a workflow's learning state by itself (its statistics met the next phase's
 * requirements, or a demotion) says so on the process's event hub, which the audit trail of
 * the Node-RED runtime records. A real runner on a virtual desktop, timed out at once.
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { sharedDesktop } from '../helpers/desktop';
import { openDesktop } from '../../lib/platform';
import { createVisionEngine, type VisionEngine } from '../../lib/vision';
import { runWorkflow, type LoadedWorkflow } from '../../lib/execute';
import { automationEvents, type LearningChangedEvent } from '../../lib/automation/events';
import { DEFAULT_THRESHOLDS, type Workflow } from '../../lib/contracts/workflow';

describe('runner: learning-state changes on the event hub', function () {
  this.timeout(120_000);
  let vision: VisionEngine;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-learn-ev-'));

  before(async () => {
    await sharedDesktop();
    vision = await createVisionEngine();
  });
  after(async () => {
    await vision?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('emits onLearningChanged when a run promotes the workflow, and nothing when the state stays', async () => {
    const workflow: Workflow = {
      workflow_id: 'wf_learn_event',
      name: 'one observed run is enough',
      nodes: [{ node_id: 'N1', label: 'a screen that is not there', screen_template: {} }],
      edges: [],
      learning: { state: 'OBSERVATION', thresholds: { ...DEFAULT_THRESHOLDS, min_observed_runs_for_assist: 1 } },
    };
    const file = path.join(dir, 'wf_learn_event.json');
    fs.writeFileSync(file, JSON.stringify(workflow));
    const seen: LearningChangedEvent[] = [];
    const unsubscribe = automationEvents.subscribe({ onLearningChanged: (e) => seen.push(e) });
    try {
      const desktop = await openDesktop();
      const run = () =>
        runWorkflow({ workflow, file } as LoadedWorkflow, { desktop, vision, timeoutMs: 300, persist: false });
      const first = await run();
      assert.strictEqual(first.status, 'timeout');
      assert.strictEqual(workflow.learning!.state, 'COACHING');
      assert.deepStrictEqual(
        seen.map((e) => [e.workflow_id, e.from, e.to]),
        [['wf_learn_event', 'OBSERVATION', 'COACHING']],
      );
      assert.match(seen[0].reason, /requirements met: observed runs: 1\/1/);
      await run(); // a COACHING run that fails does not move the state
      assert.strictEqual(seen.length, 1);
    } finally {
      unsubscribe();
    }
  });
});
