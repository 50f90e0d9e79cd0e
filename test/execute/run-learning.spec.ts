/**
 * The runner does not rewrite the workflow it runs (issue 15): what a run learned is applied
 * by the workflow store to the file as it is, under its lock and with a version check, so runs
 * of the same workflow in parallel (in one process or several) lose no counts, and a workflow
 * re-learned meanwhile is not overwritten with an old one.
 */
import assert from 'assert';
import { spawn } from 'child_process';
import fs from 'fs';
import path from 'path';
import { readJsonFile, validateWorkflow, writeJsonFileAtomic } from '../../lib/contracts';
import type { Workflow } from '../../lib/contracts/workflow';
import { saveRunLearning, type RunLearning } from '../../lib/execute';
import { invoiceWorkflow, tempDir } from './helpers';

function learning(workflow: Workflow): RunLearning {
  const at = new Date().toISOString();
  return {
    workflow_id: workflow.workflow_id,
    version: workflow.version ?? null,
    edges: [{ edge_id: 'E3_valider', mode: 'auto', success: true, duration_ms: 400, strategy: 'text_label', at }],
    run: { mode: 'auto', success: true, duration_s: 2, confidence: 0.95, ui_changed: false, at },
  };
}

describe('execute: what a run learned is saved without losing counts', function () {
  this.timeout(60_000);
  let dir: string;
  let file: string;
  let workflow: Workflow;
  beforeEach(() => {
    dir = tempDir('rpa-exec-learning-');
    file = path.join(dir, 'wf.json');
    workflow = invoiceWorkflow();
    writeJsonFileAtomic(file, workflow);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const saved = () => readJsonFile(file, validateWorkflow);
  const e3 = (w: Workflow) => w.edges.find((e) => e.edge_id === 'E3_valider')!;

  it('counts every one of 12 runs saved at once in this process', async () => {
    const before = saved().stats?.total_executions ?? 0;
    const results = await Promise.all(Array.from({ length: 12 }, () => saveRunLearning(file, learning(workflow))));
    assert.ok(results.every((r) => r.applied));
    assert.strictEqual(saved().stats!.total_executions, before + 12);
    assert.strictEqual(e3(saved()).stats!.success_count, 12);
    assert.strictEqual(
      (e3(saved()).metadata?.healing as { preferred_strategy: string }).preferred_strategy,
      'text_label',
    );
  });

  it('counts the runs of two processes saving at the same time', async () => {
    const module = path.resolve(__dirname, '../../lib/execute/run-learning.js');
    const payload = JSON.stringify(learning(workflow));
    const child = () =>
      new Promise<number | null>((resolve) =>
        spawn(
          process.execPath,
          [
            '-e',
            `const m = require(${JSON.stringify(module)}); (async () => { for (let i = 0; i < 8; i++) await m.saveRunLearning(${JSON.stringify(file)}, ${payload}); })().catch((e) => { console.error(e); process.exit(1); })`,
          ],
          { stdio: 'inherit' },
        ).once('exit', resolve),
      );
    assert.deepStrictEqual(await Promise.all([child(), child()]), [0, 0]);
    assert.strictEqual(e3(saved()).stats!.success_count, 16);
  });

  it('does not apply a run of an older version to a workflow re-learned meanwhile', async () => {
    const ran = learning(workflow);
    writeJsonFileAtomic(file, { ...workflow, version: (workflow.version ?? 0) + 1 });
    const result = await saveRunLearning(file, ran);
    assert.strictEqual(result.applied, false);
    assert.match(result.reason!, /not the version .* that ran/);
    assert.strictEqual(e3(saved()).stats, undefined);
  });
});
