/**
 * An Automation over a real LevelDB store in a fresh data directory, running workflows with the
 * journal executor, on a ManualClock unless told otherwise. `reopen()` simulates a restart:
 * closes the scheduler and the store, then opens both again on the same data directory.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import {
  Automation,
  AutomationEventHub,
  ManualClock,
  WorkflowRepository,
  type SchedulerOptions,
} from '../../../lib/automation';
import { openStore, type Store } from '../../../lib/store/store';
import { createExecutor, readJournal, workflowDoc, type JournalLine } from './journal-executor';

export class AutomationFixture {
  automation!: Automation;
  store!: Store;
  readonly events = new AutomationEventHub();

  private constructor(
    readonly dataDir: string,
    readonly clock: ManualClock,
    private readonly options: SchedulerOptions,
  ) {}

  static async open(options: SchedulerOptions = {}, clock = new ManualClock()): Promise<AutomationFixture> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-auto-'));
    const f = new AutomationFixture(dataDir, clock, options);
    await f.openAutomation();
    return f;
  }

  private async openAutomation(): Promise<void> {
    this.store = await openStore(this.dataDir);
    this.automation = new Automation({
      dataDir: this.dataDir,
      store: this.store,
      executor: createExecutor({ dataDir: this.dataDir }),
      events: this.events,
      clock: this.clock,
      scheduler: { retry: { baseDelayMs: 1000 }, ...this.options },
    });
    await this.automation.scheduler.init();
  }

  /** Adds workflows to the workflows directory (journal behaviour in their parameters). */
  addWorkflows(...docs: Array<Record<string, unknown>>): void {
    const repo = new WorkflowRepository(path.join(this.dataDir, 'workflows'));
    for (const d of docs) repo.import(d, { replace: true });
  }

  addWorkflow(id: string, behaviour: Parameters<typeof workflowDoc>[1] = {}): void {
    this.addWorkflows(workflowDoc(id, behaviour));
  }

  journal(): JournalLine[] {
    return readJournal(this.dataDir);
  }

  /** Advances the clock second by second (one scheduler check each), letting jobs finish in between. */
  async seconds(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      await this.clock.advance(1000);
      await this.automation.scheduler.whenIdle();
    }
  }

  async reopen(): Promise<void> {
    await this.automation.close();
    await this.store.close();
    await this.openAutomation();
  }

  async close(): Promise<void> {
    await this.automation.close();
    await this.store.close();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
