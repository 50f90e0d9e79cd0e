/**
 * Schedule triggers on a controllable clock: intervals, daily windows in a time zone, missed
 * runs while stopped, the clash policy, priorities, retries of technical failures only, and
 * auto-disable after repeated failed launches with a log entry saying why.
 */
import assert from 'assert';
import type { StoredLogEntry, TriggerFiredEvent } from '../../lib/automation';
import { inDailyWindow } from '../../lib/automation';
import { AutomationFixture } from './helpers/fixture';

async function logEntries(f: AutomationFixture): Promise<StoredLogEntry[]> {
  await new Promise((r) => setTimeout(r, 50)); // the store logger writes without waiting
  return f.store.sub<StoredLogEntry>('automation-log').values();
}

describe('automation: schedule triggers', function () {
  this.timeout(30_000);
  let f: AutomationFixture;
  let fired: TriggerFiredEvent[];

  beforeEach(async () => {
    f = await AutomationFixture.open();
    fired = [];
    f.events.subscribe({ onTriggerFired: (e) => fired.push(e) });
  });
  afterEach(() => f.close());

  it('fires every interval_seconds, counted from when it was enabled, then from each fire', async () => {
    f.addWorkflow('wf_report');
    await f.automation.createTrigger({
      trigger_type: 'schedule',
      workflow_id: 'wf_report',
      config: { interval_seconds: 60 },
    });
    await f.automation.scheduler.start();
    await f.seconds(59);
    assert.strictEqual(f.journal().length, 0, 'nothing before the first interval has elapsed');
    await f.seconds(1);
    assert.strictEqual(f.journal().length, 1);
    await f.seconds(120);
    assert.deepStrictEqual(
      fired.map((e) => e.fired_at),
      ['2026-01-05T07:01:00.000Z', '2026-01-05T07:02:00.000Z', '2026-01-05T07:03:00.000Z'],
    );
    assert.strictEqual(f.journal().length, 3);
    const t = (await f.automation.listTriggers())[0];
    assert.strictEqual(t.last_fired, '2026-01-05T07:03:00.000Z');
    assert.strictEqual(t.next_fire, '2026-01-05T07:04:00.000Z');
  });

  it('fires only inside the daily window, at the opening when a fire fell outside it, and again the next day', async () => {
    f.addWorkflow('wf_check');
    const t = await f.automation.createTrigger({
      trigger_type: 'schedule',
      workflow_id: 'wf_check',
      config: { interval_seconds: 1800, start_time: '08:00', end_time: '10:00', timezone: 'UTC' },
    });
    assert.strictEqual(t.next_fire, null, 'no next fire while the scheduler is stopped');
    await f.automation.scheduler.start();
    assert.strictEqual(
      (await f.automation.triggers.get(t.trigger_id)) &&
        f.automation.viewTrigger(await f.automation.triggers.get(t.trigger_id)).next_fire,
      '2026-01-05T08:00:00.000Z',
    );
    await f.seconds(4 * 3600); // 07:00 → 11:00
    assert.deepStrictEqual(
      fired.map((e) => e.fired_at.slice(11, 19)),
      ['08:00:00', '08:30:00', '09:00:00', '09:30:00'],
    );
    // Jump to the next morning with the scheduler stopped, then run through the opening.
    await f.automation.scheduler.stop();
    await f.clock.set(Date.parse('2026-01-06T07:59:00Z'));
    await f.automation.scheduler.start();
    await f.seconds(59);
    assert.strictEqual(fired.length, 4, 'a missed run waits for the window to open');
    await f.seconds(2);
    assert.strictEqual(fired[4].fired_at, '2026-01-06T08:00:00.000Z');
    assert.strictEqual(f.journal().length, 5);
  });

  it('a daily trigger with a window (every 86400 s between 06:00 and 07:00) runs at each opening, from the first morning on', async () => {
    f.addWorkflow('wf_nightly');
    const t = await f.automation.createTrigger({
      trigger_type: 'schedule',
      workflow_id: 'wf_nightly',
      config: { interval_seconds: 86_400, start_time: '06:00', end_time: '07:00', timezone: 'UTC' },
    });
    await f.clock.set(Date.parse('2026-01-05T15:00:00Z')); // deployed in the afternoon
    await f.automation.scheduler.start();
    assert.strictEqual(
      f.automation.viewTrigger(await f.automation.triggers.get(t.trigger_id)).next_fire,
      '2026-01-06T06:00:00.000Z',
    );
    await f.seconds(15 * 3600 + 10); // → 06:00:10 the next day
    await f.automation.scheduler.stop();
    await f.clock.set(Date.parse('2026-01-07T05:59:50Z'));
    await f.automation.scheduler.start();
    await f.seconds(3600);
    assert.deepStrictEqual(
      fired.map((e) => e.fired_at),
      ['2026-01-06T06:00:00.000Z', '2026-01-07T06:00:00.000Z'],
    );
  });

  it('reads the window in the trigger time zone, and a window may span midnight', async () => {
    f.addWorkflow('wf_tz');
    await f.automation.createTrigger({
      trigger_type: 'schedule',
      workflow_id: 'wf_tz',
      config: { interval_seconds: 600, start_time: '09:00', end_time: '10:00', timezone: 'Europe/Paris' },
    });
    await f.automation.scheduler.start();
    await f.seconds(3600 + 5);
    // 09:00 in Paris is 08:00 UTC in January.
    assert.deepStrictEqual(
      fired.map((e) => e.fired_at),
      ['2026-01-05T08:00:00.000Z'],
    );
    const overnight = { interval_seconds: 60, start_time: '22:00', end_time: '02:00', timezone: 'UTC' };
    assert.strictEqual(inDailyWindow(overnight, Date.parse('2026-01-05T23:30:00Z')), true);
    assert.strictEqual(inDailyWindow(overnight, Date.parse('2026-01-06T01:59:00Z')), true);
    assert.strictEqual(inDailyWindow(overnight, Date.parse('2026-01-06T02:00:00Z')), false);
    assert.strictEqual(inDailyWindow(overnight, Date.parse('2026-01-05T12:00:00Z')), false);
  });

  for (const policy of ['run_once', 'skip'] as const) {
    it(`missed runs while stopped: "${policy}"`, async () => {
      await f.close();
      f = await AutomationFixture.open({ missedRuns: policy });
      f.events.subscribe({ onTriggerFired: (e) => fired.push(e) });
      f.addWorkflow('wf_hourly');
      await f.automation.createTrigger({
        trigger_type: 'schedule',
        workflow_id: 'wf_hourly',
        config: { interval_seconds: 3600 },
      });
      await f.automation.scheduler.start();
      await f.seconds(3600 + 30); // fired at 08:00
      assert.strictEqual(fired.length, 1);
      await f.automation.scheduler.stop();
      await f.clock.set(Date.parse('2026-01-05T13:00:30Z')); // five slots missed (09:00 … 13:00)
      await f.automation.scheduler.start();
      await f.seconds(5);
      if (policy === 'run_once') {
        assert.deepStrictEqual(
          fired.map((e) => e.fired_at),
          ['2026-01-05T08:00:00.000Z', '2026-01-05T13:00:30.000Z'],
        );
      } else {
        assert.strictEqual(fired.length, 1, 'the missed slots are dropped');
        await f.seconds(3600);
        assert.deepStrictEqual(
          fired.map((e) => e.fired_at),
          ['2026-01-05T08:00:00.000Z', '2026-01-05T14:00:00.000Z'],
          'next fire on the regular slot',
        );
      }
    });
  }

  it('never runs two jobs at once: a scheduled fire while the previous run is still going is skipped and logged', async () => {
    f.addWorkflow('wf_slow', { delay_ms: 400 });
    await f.automation.createTrigger({
      trigger_type: 'schedule',
      workflow_id: 'wf_slow',
      config: { interval_seconds: 1 },
    });
    await f.automation.scheduler.start();
    await f.clock.advance(1000); // fires, the job starts (400 ms of real time)
    await f.clock.advance(1000); // due again while the job runs
    assert.strictEqual(f.automation.scheduler.status().current_job?.target_id, 'wf_slow');
    await f.automation.scheduler.whenIdle();
    assert.strictEqual(f.journal().length, 1);
    assert.ok(
      (await logEntries(f)).some((e) =>
        /skipped a scheduled run because its previous run is still waiting or running/.test(e.message),
      ),
    );
  });

  it('runs a requested workflow after the chain that holds the desktop, never alongside it', async () => {
    f.addWorkflow('wf_slow', { delay_ms: 250 });
    f.addWorkflow('wf_quick');
    const chain = await f.automation.createChain({ name: 'slow', workflows: ['wf_slow', 'wf_slow'] });
    const running = f.automation.executeChain(chain.chain_id);
    await new Promise((r) => setTimeout(r, 50));
    assert.strictEqual(f.automation.scheduler.status().current_job?.target_id, chain.chain_id);
    const single = await f.automation.runWorkflow('wf_quick', { params: { n: 1 } });
    assert.strictEqual(single.success, true);
    assert.strictEqual((await running).success, true);
    assert.deepStrictEqual(
      f.journal().map((l) => l.workflow_id),
      ['wf_slow', 'wf_slow', 'wf_quick'],
    );
  });

  it('runs waiting jobs by priority, then in the order they were enqueued', async () => {
    for (const id of ['wf_a', 'wf_b', 'wf_c', 'wf_d']) f.addWorkflow(id);
    const ids: Record<string, string> = {};
    for (const [wf, priority] of [
      ['wf_a', 0],
      ['wf_b', 5],
      ['wf_c', 0],
      ['wf_d', 5],
    ] as const) {
      ids[wf] = (await f.automation.createTrigger({ trigger_type: 'manual', workflow_id: wf, priority })).trigger_id;
    }
    // Stopped: trigger jobs wait in the queue.
    for (const wf of ['wf_a', 'wf_b', 'wf_c', 'wf_d']) {
      await f.automation.scheduler.fireNow(ids[wf]);
      await f.clock.advance(10);
    }
    assert.strictEqual(f.automation.scheduler.status().queue_length, 4);
    await f.automation.scheduler.start();
    await f.automation.scheduler.whenIdle();
    assert.deepStrictEqual(
      f.journal().map((l) => l.workflow_id),
      ['wf_b', 'wf_d', 'wf_a', 'wf_c'],
    );
  });

  it('retries technical failures with back-off, never a workflow that failed a step', async () => {
    f.addWorkflow('wf_crash', { outcome: 'error' });
    f.addWorkflow('wf_reject', { outcome: 'failed' });
    const crash = await f.automation.createTrigger({ trigger_type: 'manual', workflow_id: 'wf_crash' });
    const reject = await f.automation.createTrigger({ trigger_type: 'manual', workflow_id: 'wf_reject' });
    await f.automation.scheduler.start();
    await f.automation.scheduler.fireNow(reject.trigger_id);
    await f.automation.scheduler.fireNow(crash.trigger_id);
    await f.automation.scheduler.whenIdle();
    const at = () => f.journal().filter((l) => l.workflow_id === 'wf_crash').length;
    assert.strictEqual(at(), 1);
    await f.seconds(1); // back-off 1 s
    assert.strictEqual(at(), 2);
    await f.seconds(1);
    assert.strictEqual(at(), 2, 'the second back-off is 2 s');
    await f.seconds(1);
    assert.strictEqual(at(), 3);
    await f.seconds(20);
    assert.strictEqual(at(), 3, '3 launches in all');
    assert.strictEqual(f.journal().filter((l) => l.workflow_id === 'wf_reject').length, 1);
  });

  it('disables a trigger after N consecutive failed launches, with a log entry saying why', async () => {
    await f.close();
    f = await AutomationFixture.open({ maxConsecutiveFailures: 3 });
    const disabled: unknown[] = [];
    f.events.subscribe({ onAutoDisabled: (e) => disabled.push(e) });
    f.addWorkflow('wf_broken', { outcome: 'failed', fail_at: 'N1' });
    f.addWorkflow('wf_fine');
    const t = await f.automation.createTrigger({
      trigger_type: 'schedule',
      workflow_id: 'wf_broken',
      config: { interval_seconds: 10 },
    });
    const ok = await f.automation.createTrigger({
      trigger_type: 'schedule',
      workflow_id: 'wf_fine',
      config: { interval_seconds: 10 },
    });
    await f.automation.scheduler.start();
    await f.seconds(25);
    assert.strictEqual((await f.automation.triggers.get(t.trigger_id)).consecutive_failures, 2);
    assert.strictEqual((await f.automation.triggers.get(t.trigger_id)).enabled, true);
    await f.seconds(10);
    const after = await f.automation.triggers.get(t.trigger_id);
    assert.strictEqual(after.enabled, false);
    assert.match(
      after.disabled_reason!,
      /disabled after 3 consecutive failed launches \(limit 3\); last: failed at N1/,
    );
    await f.seconds(60);
    assert.strictEqual(f.journal().filter((l) => l.workflow_id === 'wf_broken').length, 3, 'no launch once disabled');
    assert.strictEqual(f.journal().filter((l) => l.workflow_id === 'wf_fine').length, 9, 'other triggers keep running');
    assert.strictEqual((await f.automation.triggers.get(ok.trigger_id)).enabled, true);
    assert.strictEqual(disabled.length, 1);
    const log = (await logEntries(f)).find(
      (e) =>
        e.level === 'WARNING' &&
        e.message.includes(`trigger ${t.trigger_id} disabled after 3 consecutive failed launches`),
    );
    assert.ok(log, 'a warning log entry names the trigger and the reason');
    // Enabling again resets the count and the reason.
    const again = await f.automation.toggleTrigger(t.trigger_id, true);
    assert.strictEqual(again.consecutive_failures, 0);
    assert.strictEqual(again.disabled_reason, undefined);
  });
});
