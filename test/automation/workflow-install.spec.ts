/**
 * The one rule for where a workflow comes from when a flow carries it: a workflow config
 * installs its graph as the live copy in the workflows directory, unless the live copy is as far
 * along or further (version, then updated_at, then runs) — a flow imported again after runs,
 * learning or an approval must not roll the workflow back.
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { WorkflowRepository } from '../../lib/automation/workflow-repository';
import type { Workflow } from '../../lib/contracts/workflow';

function workflow(extra: Partial<Workflow> = {}): Workflow {
  return {
    workflow_id: 'WF_note',
    name: 'Note',
    version: 1,
    updated_at: '2026-12-01T10:00:00.000Z',
    nodes: [{ node_id: 'N1', label: 'Editor', screen_template: {} }],
    edges: [],
    ...extra,
  };
}

const runs = (n: number) =>
  ({
    observed_runs: n,
    assist_runs: 0,
    auto_candidate_runs: 0,
    auto_confirmed_runs: 0,
    success_rate_overall: 1,
    avg_duration_seconds: 1,
    total_executions: n,
  }) as Workflow['stats'];

describe('installing a workflow carried by a flow', () => {
  let repo: WorkflowRepository;
  beforeEach(() => {
    repo = new WorkflowRepository(fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-install-')));
  });

  it('installs a workflow the directory does not have, as <workflow_id>.json', () => {
    const r = repo.install(workflow());
    assert.strictEqual(r.action, 'installed');
    assert.strictEqual(r.file, 'WF_note.json');
    assert.strictEqual(repo.get('WF_note').name, 'Note');
  });

  it("keeps a live copy that ran more than the flow's, and says which one runs", () => {
    repo.install(workflow({ stats: runs(7) }));
    const r = repo.install(workflow({ stats: runs(2) }));
    assert.strictEqual(r.action, 'kept');
    assert.strictEqual(r.workflow.stats!.total_executions, 7);
    assert.strictEqual(repo.get('WF_note').stats!.total_executions, 7);
  });

  it('keeps a live copy with a later learning-state change, even with fewer runs', () => {
    repo.install(workflow({ updated_at: '2026-12-02T09:00:00.000Z', learning_state: 'AUTO_CONFIRMED' }));
    const r = repo.install(workflow({ stats: runs(30) }));
    assert.strictEqual(r.action, 'kept');
    assert.strictEqual(repo.get('WF_note').learning_state, 'AUTO_CONFIRMED');
  });

  it("replaces the live copy with a flow's workflow learned from more demonstrations (a higher version)", () => {
    repo.install(workflow({ stats: runs(9), updated_at: '2026-12-03T00:00:00.000Z' }));
    const r = repo.install(workflow({ version: 2, name: 'Note v2' }));
    assert.strictEqual(r.action, 'updated');
    assert.strictEqual(repo.get('WF_note').name, 'Note v2');
  });

  it('refuses a graph that is not a workflow, naming the problem', () => {
    assert.throws(() => repo.install({ workflow_id: 'WF_x', nodes: 'none' }), /nodes/);
  });
});
