/**
 * The automation layer assembled: workflows directory, chains, triggers and the scheduler over
 * one store, with the cross-cutting rules no single manager can enforce (a workflow or chain
 * still used cannot be deleted; disabling a trigger drops its waiting jobs). The Node-RED
 * runtime, the admin API and the tests all go through this.
 */
import path from 'path';
import type { Store } from '../store/store';
import {
  ChainManager,
  type ChainExecutionResult,
  type ChainProgress,
  type CreateChainInput,
  type WorkflowChain,
} from './chains';
import type { Clock } from './clock';
import { Conflict } from './errors';
import { AutomationEventHub, storeLogger, type AutomationLogger, type StoredLogEntry } from './events';
import type { WorkflowExecutor, WorkflowProgress } from './executor';
import { AutomationScheduler, type JobResult, type SchedulerOptions } from './scheduler';
import { TriggerManager, type CreateTriggerInput, type Trigger, type WatchPolicy } from './triggers';
import { WorkflowRepository, type WorkflowSummary } from './workflow-repository';

export interface AutomationOptions {
  dataDir: string;
  store: Store;
  executor: WorkflowExecutor;
  events?: AutomationEventHub;
  /** Defaults to entries in the store sub-store "automation-log". */
  logger?: AutomationLogger;
  scheduler?: SchedulerOptions;
  clock?: Clock;
  /** Folders outside the data directory that file triggers may watch. */
  watchRoots?: string[];
}

/** A trigger as the API shows it: stored fields plus when it fires next. */
export type TriggerView = Trigger & { next_fire: string | null };

export class Automation {
  readonly workflows: WorkflowRepository;
  readonly chains: ChainManager;
  readonly triggers: TriggerManager;
  readonly scheduler: AutomationScheduler;
  readonly events: AutomationEventHub;
  readonly logger: AutomationLogger;
  /** Where file triggers and batch runs may read: the data directory and the allowed folders. */
  readonly watchPolicy: WatchPolicy;

  constructor(options: AutomationOptions) {
    const now = () => (options.clock ?? Date).now();
    this.events = options.events ?? new AutomationEventHub();
    this.logger = options.logger ?? storeLogger(options.store.sub<StoredLogEntry>('automation-log'), { now });
    this.watchPolicy = { dataDir: options.dataDir, watchRoots: options.watchRoots };
    this.workflows = new WorkflowRepository(path.join(options.dataDir, 'workflows'));
    this.chains = new ChainManager(options.store.sub('chains'), this.workflows, options.executor, this.events, now);
    this.triggers = new TriggerManager(
      options.store.sub('triggers'),
      async (id, wanted) => {
        if (wanted !== 'workflow' && (await this.chains.exists(id))) return 'chain';
        if (wanted !== 'chain' && this.workflows.exists(id)) return 'workflow';
        return undefined;
      },
      this.watchPolicy,
      now,
    );
    this.scheduler = new AutomationScheduler(
      {
        triggers: this.triggers,
        chains: this.chains,
        executor: options.executor,
        jobs: options.store.sub('automation-jobs'),
        state: options.store.sub('automation-state'),
        events: this.events,
        logger: this.logger,
      },
      { clock: options.clock, ...options.scheduler },
    );
  }

  viewTrigger(t: Trigger): TriggerView {
    const next = this.scheduler.nextFireTime(t);
    return { ...t, next_fire: next === null ? null : new Date(next).toISOString() };
  }

  async listTriggers(): Promise<TriggerView[]> {
    return (await this.triggers.list()).map((t) => this.viewTrigger(t));
  }

  async createTrigger(input: CreateTriggerInput): Promise<TriggerView> {
    return this.viewTrigger(await this.triggers.create(input));
  }

  /** Sets `enabled` (a request body passes schemas/trigger.schema.json#/$defs/toggle first), or flips it when undefined. */
  async toggleTrigger(id: string, enabled?: boolean): Promise<TriggerView> {
    const t = await this.triggers.toggle(id, enabled);
    if (!t.enabled) await this.scheduler.forgetTrigger(id);
    this.logger.info(`trigger ${id} ${t.enabled ? 'enabled' : 'disabled'}`, { trigger_id: id });
    return this.viewTrigger(t);
  }

  /**
   * Creates or replaces a trigger owned by a flow node (rpa-trigger). A new folder or pattern
   * starts with no memory of processed files. If the new definition is invalid, the previous
   * one is disabled (with the reason) rather than left firing with a configuration the user
   * has replaced.
   */
  async defineTrigger(id: string, input: CreateTriggerInput): Promise<TriggerView> {
    const previous = await this.triggers.get(id).catch(() => undefined);
    try {
      const next = await this.triggers.define(id, input);
      if (previous && JSON.stringify(previous.config) !== JSON.stringify(next.config))
        await this.scheduler.forgetTrigger(id, { files: next.trigger_type === 'file' });
      return this.viewTrigger(next);
    } catch (err) {
      if (previous?.enabled) {
        await this.triggers.patch(id, {
          enabled: false,
          disabled_reason: `its new definition is invalid: ${(err as Error).message}`,
        });
        await this.scheduler.forgetTrigger(id);
      }
      throw err;
    }
  }

  /** Deletes the triggers of flow nodes that no longer exist (removed while Node-RED was down). */
  async deleteOrphanNodeTriggers(nodeExists: (nodeId: string) => boolean): Promise<string[]> {
    const orphans = (await this.triggers.list()).filter((t) => t.node_id && !nodeExists(t.node_id));
    for (const t of orphans) {
      await this.deleteTrigger(t.trigger_id);
      this.logger.info(`trigger ${t.trigger_id} deleted: its rpa-trigger node ${t.node_id} is no longer in the flows`, {
        trigger_id: t.trigger_id,
      });
    }
    return orphans.map((t) => t.trigger_id);
  }

  async deleteTrigger(id: string): Promise<void> {
    await this.triggers.delete(id);
    await this.scheduler.forgetTrigger(id, { files: true });
  }

  /** Imports a workflow (WorkflowRepository.import) whose id is not a chain's: triggers name their target by id alone. */
  async importWorkflow(document: unknown, options: { replace?: boolean } = {}): Promise<WorkflowSummary> {
    const id = (document as { workflow_id?: unknown } | null)?.workflow_id;
    if (typeof id === 'string' && (await this.chains.exists(id)))
      throw new Conflict(`${id} is already a chain id; give the workflow another workflow_id`, { workflow_id: id });
    return this.workflows.import(document, options);
  }

  async createChain(input: CreateChainInput): Promise<WorkflowChain> {
    return this.chains.create(input);
  }

  /** Runs a chain through the desktop queue, waiting for its turn. */
  async executeChain(
    chainId: string,
    options: {
      params?: Record<string, unknown>;
      priority?: number;
      signal?: AbortSignal;
      onProgress?(p: ChainProgress): void;
    } = {},
  ): Promise<ChainExecutionResult> {
    await this.chains.get(chainId); // 404 now rather than after waiting in the queue
    if (this.chains.isRunning(chainId))
      throw new Conflict(`chain ${chainId} is already running`, { chain_id: chainId });
    const result = await this.scheduler.run({ target_type: 'chain', target_id: chainId, ...options });
    if (result.chain) return result.chain;
    // Cancelled before it started, or the chain vanished: report in the chain's result shape.
    return {
      chain_id: chainId,
      success: false,
      status: result.status,
      started_at: new Date().toISOString(),
      duration_s: result.duration_s,
      failed_at: null,
      failed_index: null,
      ...(result.error ? { error: result.error } : {}),
      steps: [],
    };
  }

  /**
   * Runs one workflow through the desktop queue (for the rpa-workflow node and the runner's
   * callers), so it never overlaps a chain or a trigger's job on the screen.
   */
  async runWorkflow(
    workflowId: string,
    options: {
      params?: Record<string, unknown>;
      priority?: number;
      signal?: AbortSignal;
      onProgress?(p: WorkflowProgress): void;
    } = {},
  ): Promise<JobResult> {
    this.workflows.get(workflowId); // 404 now rather than after waiting in the queue
    const { onProgress, ...rest } = options;
    return this.scheduler.run({
      target_type: 'workflow',
      target_id: workflowId,
      ...rest,
      onWorkflowProgress: onProgress,
    });
  }

  async deleteChain(id: string): Promise<void> {
    const users = await this.triggers.targeting(id);
    if (users.length)
      throw new Conflict(
        `chain ${id} is launched by trigger(s) ${users.map((t) => t.trigger_id).join(', ')}; delete them first`,
        { chain_id: id, triggers: users.map((t) => t.trigger_id) },
      );
    await this.chains.delete(id);
  }

  async deleteWorkflow(id: string): Promise<void> {
    this.workflows.get(id); // 404 first
    const chains = (await this.chains.list()).filter((c) => c.workflows.includes(id)).map((c) => c.chain_id);
    const triggers = (await this.triggers.targeting(id))
      .filter((t) => t.target_type === 'workflow')
      .map((t) => t.trigger_id);
    if (chains.length || triggers.length) {
      throw new Conflict(
        `workflow ${id} is used by ${[...chains.map((c) => `chain ${c}`), ...triggers.map((t) => `trigger ${t}`)].join(', ')}; remove those first`,
        { workflow_id: id, chains, triggers },
      );
    }
    this.workflows.delete(id);
  }

  close(): Promise<void> {
    return this.scheduler.close();
  }
}
