/**
 * One run per desktop (issue 15): a flow run (rpa-workflow's path, runWorkflow) and a job of
 * the automation's queue (the path of triggers, chains and the API) asked for at the same
 * moment run one after the other on the real desktop, never interleaving their clicks; and,
 * the runner not rewriting the workflow, the file counts both runs.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { Automation, WorkflowRepository } from '../../lib/automation';
import type { AnalyticsHooks, StepCompleteEvent } from '../../lib/contracts/analytics-hooks';
import type { Workflow } from '../../lib/contracts/workflow';
import { runWorkflow } from '../../lib/execute';
import { createExecutor } from '../../lib/execute/executor';
import { desktopHolder } from '../../lib/platform';
import { openStore, type Store } from '../../lib/store/store';
import { initialInvoices } from '../fixtures/invoice-app/server';
import { invoiceWorkflow, tempDir, useInvoiceReplay } from './helpers';

/** Opens F-1002 from the list and goes back: it ends on the screen it started from. */
function openAndReturn(): Workflow {
  const workflow = invoiceWorkflow();
  return {
    ...workflow,
    workflow_id: 'WF_open_return',
    entry_nodes: ['N1_liste_factures'],
    end_nodes: ['N1_liste_factures'],
    edges: [
      {
        edge_id: 'E1_ouvrir',
        from_node: 'N1_liste_factures',
        to_node: 'N2_detail_facture',
        action: { type: 'mouse_click', target: { text: 'Ouvrir', near: 'F-1002' } },
      },
      {
        edge_id: 'E2_retour',
        from_node: 'N2_detail_facture',
        to_node: 'N1_liste_factures',
        action: { type: 'mouse_click', target: { text: 'Retour' } },
      },
    ],
  };
}

describe('one run per desktop (Chromium app, Xvfb)', function () {
  this.timeout(240_000);
  const ctx = useInvoiceReplay();
  let dataDir: string;
  let store: Store;
  before(async () => {
    dataDir = tempDir('rpa-exec-lease-');
    store = await openStore(dataDir);
  });
  after(async () => {
    await store?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs a flow run and a queued job asked for at once one after the other, and counts both', async () => {
    ctx.inv.app.reset(initialInvoices());
    await ctx.inv.open('/', 'Factures');
    new WorkflowRepository(path.join(dataDir, 'workflows')).import(openAndReturn());
    const steps: StepCompleteEvent[] = [];
    const analytics: AnalyticsHooks = {
      on_execution_start: (e) => e.execution_id ?? '',
      on_step_start: () => undefined,
      on_step_complete: (e) => void steps.push(e),
      on_recovery_attempt: () => undefined,
      on_execution_complete: () => undefined,
    };
    const automation = new Automation({ dataDir, store, executor: createExecutor({ dataDir, analytics }) });
    await automation.scheduler.init();
    const waits: string[] = [];
    try {
      const [job, flow] = await Promise.all([
        automation.runWorkflow('WF_open_return'),
        runWorkflow('WF_open_return', {
          dataDir,
          desktop: ctx.desktop,
          vision: ctx.vision,
          analytics,
          onProgress: (p) => {
            if (/waiting for the desktop/.test(p.message)) waits.push(p.message);
          },
        }),
      ]);
      assert.strictEqual(flow.status, 'success', JSON.stringify(flow.failure));
      assert.strictEqual(job.success, true, job.error);
      // Four real clicks, two per run: each run's clicks all come before the other's.
      const byRun = new Map<string, StepCompleteEvent[]>();
      for (const s of steps) byRun.set(s.execution_id, [...(byRun.get(s.execution_id) ?? []), s]);
      assert.strictEqual(byRun.size, 2, JSON.stringify(steps));
      const spans = [...byRun.values()]
        .map((run) => {
          assert.strictEqual(run.length, 2);
          return [Math.min(...run.map((s) => at(s.started_at))), Math.max(...run.map((s) => at(s.completed_at)))];
        })
        .sort((a, b) => a[0] - b[0]);
      assert.ok(spans[0][1] <= spans[1][0], `the runs overlap: ${JSON.stringify(spans)}`);
      assert.strictEqual(desktopHolder(), null, 'the lease is released');
      // Both runs' statistics are in the file: neither run's write lost the other's counts.
      const saved = new WorkflowRepository(path.join(dataDir, 'workflows')).get('WF_open_return');
      assert.strictEqual(saved.stats?.total_executions, 2);
      assert.deepStrictEqual(
        saved.edges.map((e) => e.stats?.success_count),
        [2, 2],
      );
    } finally {
      await automation.close();
    }
  });
});

function at(when: string | number | Date | undefined): number {
  return new Date(when ?? 0).getTime();
}
