/**
 * Chains (seed: WorkflowChain / ChainManager): an ordered list of workflows run one after the
 * other, stopping at the first that fails. Chains, their execution history (last
 * HISTORY_LIMIT runs) and their success counters are kept in the store sub-store "chains".
 */
import type { SubStore } from '../store/store';
import { ChainNotFound, Conflict, WorkflowNotFound } from './errors';
import { checkId, newId } from './ids';
import { workflowExecutedEvent, type AutomationEventHub } from './events';
import { checkChainRequest } from './requests';
import { executeSafely, type ExecutionStatus, type WorkflowExecutor, type WorkflowProgress } from './executor';
import type { WorkflowRepository } from './workflow-repository';

export const HISTORY_LIMIT = 100;

export interface ChainHistoryEntry {
  timestamp: string;
  success: boolean;
  /** Seconds. */
  duration: number;
  failed_at: string | null;
  status: ExecutionStatus;
  error?: string;
  trigger_id?: string;
}

/** What is stored; `status`, `success_rate` and `last_execution` are derived when shown. */
export interface StoredChain {
  chain_id: string;
  name: string;
  description?: string;
  workflows: string[];
  created_at: string;
  execution_count: number;
  success_count: number;
  execution_history: ChainHistoryEntry[];
}

/** The seed's WorkflowChain as the API shows it. */
export interface WorkflowChain extends StoredChain {
  status: 'active' | 'running';
  last_execution: string | null;
  /** Percentage of successful executions, 0 before the first one. */
  success_rate: number;
}

export interface ChainStepResult {
  workflow_id: string;
  status: ExecutionStatus | 'skipped';
  duration_s: number;
  error?: string;
  failed_at?: string;
}

export interface ChainExecutionResult {
  chain_id: string;
  success: boolean;
  status: ExecutionStatus;
  started_at: string;
  duration_s: number;
  /** The workflow where the chain stopped, null on success. */
  failed_at: string | null;
  /** Index of that workflow in the chain. */
  failed_index: number | null;
  error?: string;
  steps: ChainStepResult[];
}

export interface ChainProgress {
  chain_id: string;
  /** 0-based index of the workflow running now, and how many the chain has. */
  index: number;
  total: number;
  workflow_id: string;
  state: 'running' | 'done' | 'failed';
  workflow?: WorkflowProgress;
}

export interface ChainRunOptions {
  params?: Record<string, unknown>;
  signal?: AbortSignal;
  onProgress?(progress: ChainProgress): void;
  trigger_id?: string;
}

export interface CreateChainInput {
  name?: unknown;
  workflows?: unknown;
  chain_id?: unknown;
  description?: unknown;
}

export class ChainManager {
  private running = new Set<string>();

  constructor(
    private readonly sub: SubStore<StoredChain>,
    private readonly workflows: WorkflowRepository,
    private readonly executor: WorkflowExecutor,
    private readonly events: AutomationEventHub,
    private readonly now: () => number = Date.now,
  ) {}

  async list(): Promise<WorkflowChain[]> {
    return (await this.sub.values()).map((c) => this.view(c));
  }

  async get(chainId: string): Promise<WorkflowChain> {
    return this.view(await this.stored(chainId));
  }

  async exists(chainId: string): Promise<boolean> {
    return (await this.sub.get(chainId)) !== undefined;
  }

  /** Creates a chain (schemas/chain.schema.json); every workflow must exist (WorkflowNotFound lists the missing ones). */
  async create(input: CreateChainInput): Promise<WorkflowChain> {
    const request = checkChainRequest(input);
    const name = request.name.trim();
    const workflows = request.workflows;
    const chainId = request.chain_id ?? newId('chain');
    const missing = this.workflows.missing(workflows);
    if (missing.length) throw new WorkflowNotFound(missing, 400);
    if (await this.sub.get(chainId)) throw new Conflict(`chain ${chainId} already exists`, { chain_id: chainId });
    // Triggers and the queue name their target by id alone: a shared id would make one hide the other.
    if (this.workflows.exists(chainId))
      throw new Conflict(`${chainId} is already a workflow id; give the chain another chain_id`, { chain_id: chainId });
    const chain: StoredChain = {
      chain_id: chainId,
      name,
      ...(request.description ? { description: request.description } : {}),
      workflows,
      created_at: new Date(this.now()).toISOString(),
      execution_count: 0,
      success_count: 0,
      execution_history: [],
    };
    await this.sub.put(chainId, chain);
    return this.view(chain);
  }

  async delete(chainId: string): Promise<void> {
    await this.stored(chainId);
    if (this.running.has(chainId))
      throw new Conflict(`chain ${chainId} is running; delete it when it has finished`, { chain_id: chainId });
    await this.sub.del(chainId);
  }

  /**
   * Runs the chain's workflows in order with the same params, stops at the first that does not
   * succeed, and records the run. A chain runs once at a time (Conflict otherwise).
   */
  async execute(chainId: string, options: ChainRunOptions = {}): Promise<ChainExecutionResult> {
    const chain = await this.stored(chainId);
    if (this.running.has(chainId)) throw new Conflict(`chain ${chainId} is already running`, { chain_id: chainId });
    this.running.add(chainId);
    const started = this.now();
    const steps: ChainStepResult[] = chain.workflows.map((workflow_id) => ({
      workflow_id,
      status: 'skipped',
      duration_s: 0,
    }));
    let failedIndex: number | null = null;
    try {
      for (let index = 0; index < chain.workflows.length; index++) {
        const workflowId = chain.workflows[index];
        const progress = (state: ChainProgress['state'], workflow?: WorkflowProgress) =>
          options.onProgress?.({
            chain_id: chainId,
            index,
            total: chain.workflows.length,
            workflow_id: workflowId,
            state,
            ...(workflow ? { workflow } : {}),
          });
        progress('running');
        const result = this.workflows.exists(workflowId)
          ? await executeSafely(
              this.executor,
              workflowId,
              options.params ?? {},
              { signal: options.signal, onProgress: (p) => progress('running', p) },
              this.now,
            )
          : {
              success: false,
              status: 'failed' as const,
              duration_s: 0,
              error: new WorkflowNotFound([workflowId]).message,
            };
        steps[index] = {
          workflow_id: workflowId,
          status: result.status,
          duration_s: result.duration_s,
          ...(result.error ? { error: result.error } : {}),
          ...(result.failed_at ? { failed_at: result.failed_at } : {}),
        };
        this.events.emit(
          'onWorkflowExecuted',
          workflowExecutedEvent(workflowId, result, { chain_id: chainId, trigger_id: options.trigger_id }),
        );
        progress(result.success ? 'done' : 'failed');
        if (!result.success) {
          failedIndex = index;
          break;
        }
      }
    } finally {
      this.running.delete(chainId);
    }
    const failed = failedIndex === null ? undefined : steps[failedIndex];
    const result: ChainExecutionResult = {
      chain_id: chainId,
      success: !failed,
      status: failed ? (failed.status as ExecutionStatus) : 'success',
      started_at: new Date(started).toISOString(),
      duration_s: Math.round(this.now() - started) / 1000,
      failed_at: failed?.workflow_id ?? null,
      failed_index: failedIndex,
      ...(failed?.error ? { error: failed.error } : {}),
      steps,
    };
    await this.record(chainId, result, options.trigger_id);
    this.events.emit('onChainExecuted', {
      chain_id: chainId,
      success: result.success,
      duration_s: result.duration_s,
      failed_at: result.failed_at,
      ...(result.error ? { error: result.error } : {}),
      ...(options.trigger_id ? { trigger_id: options.trigger_id } : {}),
    });
    return result;
  }

  isRunning(chainId: string): boolean {
    return this.running.has(chainId);
  }

  private async record(chainId: string, result: ChainExecutionResult, triggerId?: string): Promise<void> {
    const chain = await this.sub.get(chainId);
    if (!chain) return; // deleted meanwhile: nothing to record into
    const entry: ChainHistoryEntry = {
      timestamp: result.started_at,
      success: result.success,
      duration: result.duration_s,
      failed_at: result.failed_at,
      status: result.status,
      ...(result.error ? { error: result.error } : {}),
      ...(triggerId ? { trigger_id: triggerId } : {}),
    };
    chain.execution_history = [...chain.execution_history, entry].slice(-HISTORY_LIMIT);
    chain.execution_count += 1;
    chain.success_count += result.success ? 1 : 0;
    await this.sub.put(chainId, chain);
  }

  private async stored(chainId: string): Promise<StoredChain> {
    checkId(chainId, 'chain_id');
    const chain = await this.sub.get(chainId);
    if (!chain) throw new ChainNotFound(chainId);
    return chain;
  }

  private view(chain: StoredChain): WorkflowChain {
    const last = chain.execution_history[chain.execution_history.length - 1];
    return {
      ...chain,
      status: this.running.has(chain.chain_id) ? 'running' : 'active',
      last_execution: last?.timestamp ?? null,
      success_rate: chain.execution_count ? Math.round((1000 * chain.success_count) / chain.execution_count) / 10 : 0,
    };
  }
}
