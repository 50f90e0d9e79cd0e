/**
 * Triggers (seed: Trigger / TriggerManager): `schedule`, `file` and `manual`, each launching a
 * workflow or a chain (or, for triggers defined by an rpa-trigger node without a target, only
 * a message in the flow). Stored in the sub-store "triggers" and mirrored in memory, because
 * the scheduler looks at every enabled trigger every second.
 */
import fs from 'fs';
import path from 'path';
import type {
  FileConfigRequest,
  ScheduleConfigRequest,
  TriggerRequest,
  TriggerType,
} from '../contracts/automation-requests';
import type { SubStore } from '../store/store';
import { Conflict, InvalidTriggerConfig, TriggerNotFound, WorkflowNotFound } from './errors';
import type { TargetType } from './events';
import { filePatternProblem } from './file-pattern';
import { checkId, newId } from './ids';
import { checkParams } from './limits';
import { checkTriggerRequest } from './requests';
import { isValidTimeZone, parseClockTime, systemTimeZone } from './schedule';

export { TRIGGER_TYPES, type TriggerType } from '../contracts/automation-requests';

export interface ScheduleTriggerConfig {
  interval_seconds: number;
  start_time?: string;
  end_time?: string;
  timezone: string;
}

export interface FileTriggerConfig {
  /** Absolute path (a relative one is resolved against the data directory when created). */
  watch_directory: string;
  file_pattern: string;
  /**
   * Look for changes by polling the folder (once a second) instead of OS notifications, for
   * network shares whose changes the OS does not report. Absent means false: it is stored only
   * when set, so triggers saved before it existed keep an identical config.
   */
  use_polling?: boolean;
}

export type TriggerConfig = ScheduleTriggerConfig | FileTriggerConfig | Record<string, never>;

/** The seed's Trigger, plus what the scheduler needs. */
export interface Trigger {
  trigger_id: string;
  trigger_type: TriggerType;
  /** The workflow or chain launched ("" for a flow-only trigger); the seed's name for the target. */
  workflow_id: string;
  target_type: TargetType;
  config: TriggerConfig;
  enabled: boolean;
  created_at: string;
  last_fired: string | null;
  /** When it was last enabled: the first interval of a schedule trigger counts from here. */
  enabled_at: string;
  /** Higher runs first when several jobs wait for the desktop. */
  priority: number;
  /** Parameters given to the workflow on every run (file triggers add file_path and file_name). */
  params: Record<string, unknown>;
  /** Failed launches in a row; reaching the scheduler's limit disables the trigger. */
  consecutive_failures: number;
  /** Why the scheduler disabled it, until it is enabled again. */
  disabled_reason?: string;
  /** Set for triggers that an rpa-trigger node defines (its node id). */
  node_id?: string;
}

export interface CreateTriggerInput {
  trigger_id?: unknown;
  trigger_type?: unknown;
  workflow_id?: unknown;
  target_type?: unknown;
  config?: unknown;
  enabled?: unknown;
  priority?: unknown;
  params?: unknown;
  node_id?: unknown;
}

/** Resolves what a target id is; undefined when neither a workflow nor a chain has it. */
export type TargetResolver = (id: string, wanted?: 'workflow' | 'chain') => Promise<'workflow' | 'chain' | undefined>;

/**
 * Where file triggers may watch: the data directory and the folders the administrator allowed
 * (settings rpaVision.automation.watchRoots / RPA_VISION_WATCH_ROOTS). A request can therefore
 * not make the product list, or even probe the existence of, any other folder.
 */
export interface WatchPolicy {
  dataDir: string;
  watchRoots?: string[];
}

function realOrResolved(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

function isInside(child: string, root: string): boolean {
  const rel = path.relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Whether `file` (absolute; symlinks followed) is inside the data directory or an allowed folder. */
export function allowedByWatchPolicy(file: string, policy: WatchPolicy): boolean {
  const roots = [policy.dataDir, ...(policy.watchRoots ?? [])].map(realOrResolved);
  return roots.some((root) => isInside(realOrResolved(file), root));
}

/**
 * A trigger's config as stored, from a request that passed schemas/trigger.schema.json: what a
 * schema cannot check (a non-empty daily window, a known time zone, a folder that exists where
 * it may be watched, a glob that compiles) is checked here; errors name the field.
 */
export function validateTriggerConfig(request: TriggerRequest, policy: WatchPolicy): TriggerConfig {
  if (request.trigger_type === 'manual') return {};
  if (request.trigger_type === 'schedule') {
    const config = request.config as ScheduleConfigRequest;
    const out: ScheduleTriggerConfig = { interval_seconds: config.interval_seconds, timezone: systemTimeZone() };
    if (config.start_time) out.start_time = config.start_time;
    if (config.end_time) out.end_time = config.end_time;
    if (
      out.start_time !== undefined &&
      out.end_time !== undefined &&
      parseClockTime(out.start_time) === parseClockTime(out.end_time, true)
    ) {
      throw new InvalidTriggerConfig(
        'config.end_time',
        `must differ from start_time (an empty daily window never fires)`,
      );
    }
    if (config.timezone) {
      if (!isValidTimeZone(config.timezone))
        throw new InvalidTriggerConfig(
          'config.timezone',
          `must be an IANA time zone such as "Europe/Paris" (got ${JSON.stringify(config.timezone)})`,
        );
      out.timezone = config.timezone;
    }
    return out;
  }
  const config = request.config as FileConfigRequest;
  const dataDir = policy.dataDir;
  const resolved = path.resolve(dataDir, config.watch_directory.trim());
  // Checked on the real path (symlinks followed), before anything reveals whether the folder exists.
  if (!allowedByWatchPolicy(resolved, policy)) {
    throw new InvalidTriggerConfig(
      'config.watch_directory',
      `must be inside the data directory (${dataDir}) or a folder allowed by rpaVision.automation.watchRoots / RPA_VISION_WATCH_ROOTS (got ${resolved})`,
    );
  }
  let isDir = false;
  try {
    isDir = fs.statSync(resolved).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir)
    throw new InvalidTriggerConfig('config.watch_directory', `must be an existing folder (${resolved} is not)`);
  const pattern = config.file_pattern || '*';
  const problem = filePatternProblem(pattern);
  if (problem)
    throw new InvalidTriggerConfig(
      'config.file_pattern',
      `must be a file-name glob such as "*.pdf": it ${problem} (got ${JSON.stringify(pattern)})`,
    );
  return { watch_directory: resolved, file_pattern: pattern, ...(config.use_polling ? { use_polling: true } : {}) };
}

export class TriggerManager {
  private cache = new Map<string, Trigger>();
  private loaded?: Promise<void>;

  constructor(
    private readonly sub: SubStore<Trigger>,
    private readonly resolveTarget: TargetResolver,
    private readonly watchPolicy: WatchPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** Reads the stored triggers once; every other method waits for it. */
  load(): Promise<void> {
    this.loaded ??= this.sub.values().then((all) => {
      for (const t of all) this.cache.set(t.trigger_id, t);
    });
    return this.loaded;
  }

  async list(): Promise<Trigger[]> {
    await this.load();
    return [...this.cache.values()].sort(
      (a, b) => a.created_at.localeCompare(b.created_at) || a.trigger_id.localeCompare(b.trigger_id),
    );
  }

  /** The trigger as it is now, without waiting (call load() first); for events that must not lag. */
  cached(triggerId: string): Trigger | undefined {
    return this.cache.get(triggerId);
  }

  /** The in-memory view the scheduler iterates (call load() first). */
  enabledNow(): Trigger[] {
    const out: Trigger[] = [];
    for (const t of this.cache.values()) if (t.enabled) out.push(t);
    return out;
  }

  count(): { total: number; enabled: number } {
    let enabled = 0;
    for (const t of this.cache.values()) if (t.enabled) enabled++;
    return { total: this.cache.size, enabled };
  }

  async get(triggerId: string): Promise<Trigger> {
    await this.load();
    checkId(triggerId, 'trigger_id');
    const t = this.cache.get(triggerId);
    if (!t) throw new TriggerNotFound(triggerId);
    return t;
  }

  /** Validates and stores a new trigger (InvalidTriggerConfig names the bad field). */
  async create(input: CreateTriggerInput): Promise<Trigger> {
    await this.load();
    const trigger = await this.validate(input);
    if (this.cache.has(trigger.trigger_id))
      throw new Conflict(`trigger ${trigger.trigger_id} already exists`, { trigger_id: trigger.trigger_id });
    await this.save(trigger);
    return trigger;
  }

  /**
   * Creates or replaces the trigger `triggerId` (used by rpa-trigger nodes on every deploy).
   * History (last_fired, failures) is kept when the type and target are unchanged.
   */
  async define(triggerId: string, input: CreateTriggerInput): Promise<Trigger> {
    await this.load();
    const next = await this.validate({ ...input, trigger_id: triggerId });
    const previous = this.cache.get(triggerId);
    if (previous && previous.trigger_type === next.trigger_type && previous.workflow_id === next.workflow_id) {
      next.created_at = previous.created_at;
      next.last_fired = previous.last_fired;
      if (previous.enabled && next.enabled) next.enabled_at = previous.enabled_at;
      next.consecutive_failures = previous.consecutive_failures;
    }
    await this.save(next);
    return next;
  }

  /** Sets `enabled` (or flips it when undefined); enabling clears the failure count and reason. */
  async toggle(triggerId: string, enabled?: boolean): Promise<Trigger> {
    const t = { ...(await this.get(triggerId)) };
    t.enabled = enabled ?? !t.enabled;
    if (t.enabled) {
      t.enabled_at = new Date(this.now()).toISOString();
      t.consecutive_failures = 0;
      delete t.disabled_reason;
    }
    await this.save(t);
    return t;
  }

  async delete(triggerId: string): Promise<void> {
    await this.get(triggerId);
    this.cache.delete(triggerId);
    await this.sub.del(triggerId);
  }

  /** Replaces the stored trigger with `update` applied (scheduler bookkeeping). */
  async patch(triggerId: string, update: Partial<Trigger>): Promise<Trigger | undefined> {
    await this.load();
    const current = this.cache.get(triggerId);
    if (!current) return undefined; // deleted while a job of it was running
    const next = { ...current, ...update };
    await this.save(next);
    return next;
  }

  /** Triggers that launch `targetId` (to refuse deleting a workflow or chain still in use). */
  async targeting(targetId: string): Promise<Trigger[]> {
    return (await this.list()).filter((t) => t.workflow_id === targetId);
  }

  private async save(t: Trigger): Promise<void> {
    await this.sub.put(t.trigger_id, t);
    this.cache.set(t.trigger_id, t);
  }

  private async validate(input: CreateTriggerInput): Promise<Trigger> {
    const request = checkTriggerRequest(input);
    const triggerId = request.trigger_id ?? newId('trigger');
    let targetType: TargetType = 'flow';
    let targetId = '';
    if (request.target_type !== 'flow') {
      targetId = request.workflow_id!;
      const found = await this.resolveTarget(targetId, request.target_type);
      if (!found) throw new WorkflowNotFound([targetId], 400);
      targetType = found;
    }
    const config = validateTriggerConfig(request, this.watchPolicy);
    // A schema cannot bound the size of free-form parameters.
    if (request.params !== undefined) checkParams(request.params);
    const at = new Date(this.now()).toISOString();
    return {
      trigger_id: triggerId,
      trigger_type: request.trigger_type,
      workflow_id: targetId,
      target_type: targetType,
      config,
      enabled: request.enabled ?? true,
      created_at: at,
      last_fired: null,
      enabled_at: at,
      priority: request.priority ?? 0,
      params: request.params ?? {},
      consecutive_failures: 0,
      ...(request.node_id !== undefined ? { node_id: request.node_id } : {}),
    };
  }
}
