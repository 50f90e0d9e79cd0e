/**
 * Chains and trigger validation in the library: missing workflows are listed, a chain stops at
 * the first failing workflow and says where, history and success rate survive a restart, and
 * bad trigger definitions are refused naming the field.
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import {
  Automation,
  DispatchingExecutor,
  executeSafely,
  InvalidRequest,
  InvalidTriggerConfig,
  WorkflowNotFound,
  type ChainProgress,
} from '../../lib/automation';
import { createExecutor } from './helpers/journal-executor';
import { AutomationFixture } from './helpers/fixture';

describe('automation: chains and trigger validation', function () {
  this.timeout(30_000);
  let f: AutomationFixture;
  beforeEach(async () => {
    f = await AutomationFixture.open();
  });
  afterEach(() => f.close());

  it('refuses a chain whose workflows do not exist, listing the missing ids', async () => {
    f.addWorkflow('wf_login');
    await assert.rejects(
      f.automation.createChain({ name: 'Backup', workflows: ['wf_login', 'wf_export', 'wf_upload', 'wf_export'] }),
      (err: unknown) =>
        err instanceof WorkflowNotFound &&
        JSON.stringify(err.missing) === '["wf_export","wf_upload"]' &&
        err.status === 400,
    );
    assert.deepStrictEqual(await f.automation.chains.list(), []);
  });

  it('refuses a chain body with a misspelt key, naming it', async () => {
    f.addWorkflow('wf_login');
    await assert.rejects(
      f.automation.createChain({ name: 'Backup', workflow: ['wf_login'] } as Record<string, unknown>),
      (err: unknown) => {
        assert.ok(err instanceof InvalidRequest, (err as Error).message);
        assert.strictEqual(err.field, 'workflow');
        assert.match(err.message, /workflow is not a known property \(also workflows: is required\)/);
        return true;
      },
    );
    await assert.rejects(
      f.automation.createChain({ name: '  ', workflows: ['wf_login'] }),
      (err: unknown) => err instanceof InvalidRequest && err.field === 'name',
    );
    assert.deepStrictEqual(await f.automation.chains.list(), []);
  });

  it('runs workflows in order, stops at the first failure, reports where, and keeps history and success rate', async () => {
    f.addWorkflow('wf_login');
    f.addWorkflow('wf_entry', { outcome: 'failed', fail_at: 'N7_submit' });
    f.addWorkflow('wf_logout');
    const chain = await f.automation.createChain({
      name: 'Complete process',
      workflows: ['wf_login', 'wf_entry', 'wf_logout'],
    });
    const progress: ChainProgress[] = [];
    const events: string[] = [];
    f.events.subscribe({
      onWorkflowExecuted: (e) => events.push(`workflow ${e.workflow_id} ${e.status} in ${e.chain_id}`),
      onChainExecuted: (e) => events.push(`chain ${e.chain_id} ${e.success} ${e.failed_at}`),
    });
    const failed = await f.automation.executeChain(chain.chain_id, {
      params: { invoice: 'F-1' },
      onProgress: (p) => progress.push(p),
    });
    assert.strictEqual(failed.success, false);
    assert.strictEqual(failed.failed_at, 'wf_entry');
    assert.strictEqual(failed.failed_index, 1);
    assert.deepStrictEqual(
      failed.steps.map((s) => s.status),
      ['success', 'failed', 'skipped'],
    );
    assert.strictEqual(failed.steps[1].failed_at, 'N7_submit');
    assert.deepStrictEqual(
      f.journal().map((l) => l.workflow_id),
      ['wf_login', 'wf_entry'],
      'wf_logout never ran',
    );
    assert.deepStrictEqual(f.journal()[0].params, { invoice: 'F-1' });
    assert.deepStrictEqual(
      progress.map((p) => `${p.index + 1}/${p.total} ${p.workflow_id} ${p.state}`),
      ['1/3 wf_login running', '1/3 wf_login done', '2/3 wf_entry running', '2/3 wf_entry failed'],
    );
    assert.deepStrictEqual(events, [
      `workflow wf_login success in ${chain.chain_id}`,
      `workflow wf_entry failed in ${chain.chain_id}`,
      `chain ${chain.chain_id} false wf_entry`,
    ]);
    // Fix the workflow and run again.
    f.addWorkflow('wf_entry');
    const ok = await f.automation.executeChain(chain.chain_id);
    assert.strictEqual(ok.success, true);
    assert.strictEqual(ok.failed_at, null);
    await f.reopen();
    const stored = await f.automation.chains.get(chain.chain_id);
    assert.strictEqual(stored.success_rate, 50);
    assert.deepStrictEqual(
      stored.execution_history.map((h) => [h.success, h.failed_at]),
      [
        [false, 'wf_entry'],
        [true, null],
      ],
    );
    assert.strictEqual(stored.last_execution, stored.execution_history[1].timestamp);
    assert.strictEqual(stored.status, 'active');
  });

  it('a workflow deleted after the chain was made fails the chain at that workflow', async () => {
    f.addWorkflow('wf_a');
    f.addWorkflow('wf_b');
    const chain = await f.automation.createChain({ name: 'AB', workflows: ['wf_a', 'wf_b'] });
    fs.rmSync(path.join(f.dataDir, 'workflows', 'wf_b.json'));
    const r = await f.automation.executeChain(chain.chain_id);
    assert.strictEqual(r.failed_at, 'wf_b');
    assert.match(r.error!, /workflow not found: wf_b/);
  });

  it('refuses bad trigger definitions naming the field', async () => {
    f.addWorkflow('wf_x');
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ trigger_type: 'cron', workflow_id: 'wf_x' }, 'trigger_type'],
      [{ trigger_type: 'schedule', workflow_id: '../etc/passwd', config: { interval_seconds: 5 } }, 'workflow_id'],
      [{ trigger_type: 'schedule', workflow_id: 'wf_x', config: { interval_seconds: 0 } }, 'config.interval_seconds'],
      [{ trigger_type: 'schedule', workflow_id: 'wf_x', config: { interval_seconds: 2.5 } }, 'config.interval_seconds'],
      [
        { trigger_type: 'schedule', workflow_id: 'wf_x', config: { interval_seconds: 60, start_time: '8h' } },
        'config.start_time',
      ],
      [
        {
          trigger_type: 'schedule',
          workflow_id: 'wf_x',
          config: { interval_seconds: 60, start_time: '08:00', end_time: '08:00' },
        },
        'config.end_time',
      ],
      [
        { trigger_type: 'schedule', workflow_id: 'wf_x', config: { interval_seconds: 60, timezone: 'Mars/Olympus' } },
        'config.timezone',
      ],
      [
        { trigger_type: 'schedule', workflow_id: 'wf_x', config: { intervall_seconds: 60 } },
        'config.intervall_seconds',
      ],
      [
        { trigger_type: 'file', workflow_id: 'wf_x', config: { watch_directory: '/no/such/folder' } },
        'config.watch_directory',
      ],
      [
        { trigger_type: 'file', workflow_id: 'wf_x', config: { watch_directory: 'inbox-not-created' } },
        'config.watch_directory',
      ],
      [
        { trigger_type: 'file', workflow_id: 'wf_x', config: { watch_directory: os.tmpdir() } },
        'config.watch_directory',
      ],
      [
        { trigger_type: 'file', workflow_id: 'wf_x', config: { watch_directory: f.dataDir, file_pattern: '../*.pdf' } },
        'config.file_pattern',
      ],
      [{ trigger_type: 'manual', workflow_id: 'wf_x', config: { interval_seconds: 5 } }, 'config.interval_seconds'],
      [{ trigger_type: 'manual', workflow_id: 'wf_x', priority: 1000 }, 'priority'],
      [{ trigger_type: 'manual', workflow_id: 'wf_x', prority: 5 }, 'prority'],
      [
        { trigger_type: 'file', workflow_id: 'wf_x', config: { watch_directory: f.dataDir, use_polling: 'yes' } },
        'config.use_polling',
      ],
      [[{ trigger_type: 'manual' }] as unknown as Record<string, unknown>, 'body'],
    ];
    for (const [input, field] of cases) {
      await assert.rejects(f.automation.createTrigger(input), (err: unknown) => {
        assert.ok(err instanceof InvalidTriggerConfig, `${JSON.stringify(input)}: ${(err as Error).message}`);
        assert.strictEqual(err.field, field, err.message);
        return true;
      });
    }
    await assert.rejects(
      f.automation.createTrigger({ trigger_type: 'manual', workflow_id: 'wf_missing' }),
      WorkflowNotFound,
    );
    assert.deepStrictEqual(await f.automation.listTriggers(), []);
  });

  it('a flow node redefining its trigger with an invalid config disables the old one instead of leaving it firing', async () => {
    f.addWorkflow('wf_x');
    const first = await f.automation.defineTrigger('node-abc', {
      trigger_type: 'schedule',
      workflow_id: 'wf_x',
      config: { interval_seconds: 60 },
      node_id: 'abc',
    });
    assert.strictEqual(first.enabled, true);
    await assert.rejects(
      f.automation.defineTrigger('node-abc', {
        trigger_type: 'schedule',
        workflow_id: 'wf_x',
        config: { interval_seconds: -1 },
        node_id: 'abc',
      }),
      InvalidTriggerConfig,
    );
    const after = await f.automation.triggers.get('node-abc');
    assert.strictEqual(after.enabled, false);
    assert.match(after.disabled_reason!, /new definition is invalid: invalid trigger: config.interval_seconds/);
    assert.deepStrictEqual(await f.automation.deleteOrphanNodeTriggers((id) => id !== 'abc'), ['node-abc']);
    assert.deepStrictEqual(await f.automation.listTriggers(), []);
  });

  it('file triggers watch the data directory, and folders elsewhere only when the settings allow them', async () => {
    f.addWorkflow('wf_x');
    const share = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-share-'));
    fs.mkdirSync(path.join(f.dataDir, 'inbox'));
    const relative = await f.automation.createTrigger({
      trigger_type: 'file',
      workflow_id: 'wf_x',
      config: { watch_directory: 'inbox', file_pattern: '*.pdf', use_polling: true },
    });
    assert.deepStrictEqual(relative.config, {
      watch_directory: path.join(f.dataDir, 'inbox'),
      file_pattern: '*.pdf',
      use_polling: true,
    });
    // A symlink inside the data directory does not open a way out.
    fs.symlinkSync(share, path.join(f.dataDir, 'escape'));
    await assert.rejects(
      f.automation.createTrigger({ trigger_type: 'file', workflow_id: 'wf_x', config: { watch_directory: 'escape' } }),
      /must be inside the data directory/,
    );
    const allowing = new Automation({
      dataDir: f.dataDir,
      store: f.store,
      executor: createExecutor({ dataDir: f.dataDir }),
      watchRoots: [share],
    });
    const outside = await allowing.createTrigger({
      trigger_type: 'file',
      workflow_id: 'wf_x',
      config: { watch_directory: share },
    });
    assert.strictEqual((outside.config as { watch_directory: string }).watch_directory, share);
    fs.rmSync(share, { recursive: true, force: true });
  });

  it('without a runner, a workflow run is a technical failure that says no executor is registered; registered executors are used by the workflows they handle', async () => {
    const executors = new DispatchingExecutor();
    const none = await executeSafely(executors, 'wf_any', {}, {});
    assert.strictEqual(none.status, 'error');
    assert.match(none.error!, /ExecutorUnavailable: cannot run workflow wf_any: no workflow executor is registered/);
    f.addWorkflow('wf_journal');
    const journal = createExecutor({ dataDir: f.dataDir });
    const unregister = executors.register({
      ...journal,
      handles: (id) => id.startsWith('wf_journal'),
      execute: journal.execute,
    });
    assert.strictEqual((await executeSafely(executors, 'wf_journal', { a: 1 }, {})).status, 'success');
    assert.strictEqual(
      (await executeSafely(executors, 'wf_other', {}, {})).status,
      'error',
      'not handled by the registered one',
    );
    unregister();
    assert.strictEqual(executors.size, 0);
    assert.deepStrictEqual(
      f.journal().map((l) => [l.workflow_id, l.params]),
      [['wf_journal', { a: 1 }]],
    );
  });
});
