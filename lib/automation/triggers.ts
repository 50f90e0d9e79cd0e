/**
 * Triggers (seed: Trigger / TriggerManager): `schedule`, `file` and `manual`, each launching a
 * workflow or a chain (or, for triggers defined by an rpa-trigger node without a target, only
 * a message in the flow). Stored in the sub-store "triggers" and mirrored in memory, because
 * the scheduler looks at every enabled trigger every second.
 */
import fs from 'fs';
import path from 'path';
import type { SubStore } from '../store/store';
import { Conflict, InvalidTriggerConfig, TriggerNotFound, WorkflowNotFound } from './errors';
import type { TargetType } from './events';
import { isValidFilePattern } from './file-pattern';
import { checkId, isValidId, newId } from './ids';
import { checkParams, isPriority, PRIORITY_MAX, PRIORITY_MIN } from './limits';
import { isValidTimeZone, parseClockTime, systemTimeZone } from './schedule';

export const TRIGGER_TYPES = ['schedule', 'file', 'manual'] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

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

const MAX_INTERVAL_S = 366 * 24 * 3600;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function rejectUnknownKeys(config: Record<string, unknown>, allowed: string[], type: string): void {
  for (const key of Object.keys(config)) {
    if (!allowed.includes(key))
      throw new InvalidTriggerConfig(
        `config.${key}`,
        `is not a setting of ${type} triggers (settings: ${allowed.join(', ') || 'none'})`,
      );
  }
}

/** Validates a trigger's type-specific config; errors name the field, e.g. config.end_time. */
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

export function validateTriggerConfig(type: TriggerType, raw: unknown, policy: WatchPolicy): TriggerConfig {
  const dataDir = policy.dataDir;
  const config = raw === undefined ? {} : raw;
  if (!isPlainObject(config)) throw new InvalidTriggerConfig('config', 'must be an object');
  if (type === 'manual') {
    rejectUnknownKeys(config, [], 'manual');
    return {};
  }
  if (type === 'schedule') {
    rejectUnknownKeys(config, ['interval_seconds', 'start_time', 'end_time', 'timezone'], 'schedule');
    const interval = config.interval_seconds;
    if (typeof interval !== 'number' || !Number.isInteger(interval) || interval < 1 || interval > MAX_INTERVAL_S) {
      throw new InvalidTriggerConfig(
        'config.interval_seconds',
        `must be a whole number of seconds between 1 and ${MAX_INTERVAL_S} (got ${JSON.stringify(interval)})`,
      );
    }
    const out: ScheduleTriggerConfig = { interval_seconds: interval, timezone: systemTimeZone() };
    for (const key of ['start_time', 'end_time'] as const) {
      const v = config[key];
      if (v === undefined || v === null || v === '') continue;
      if (typeof v !== 'string' || parseClockTime(v, key === 'end_time') === undefined) {
        throw new InvalidTriggerConfig(`config.${key}`, `must be a 24-hour time "HH:MM" (got ${JSON.stringify(v)})`);
      }
      out[key] = v;
    }
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
    if (config.timezone !== undefined && config.timezone !== '') {
      if (typeof config.timezone !== 'string' || !isValidTimeZone(config.timezone)) {
        throw new InvalidTriggerConfig(
          'config.timezone',
          `must be an IANA time zone such as "Europe/Paris" (got ${JSON.stringify(config.timezone)})`,
        );
      }
      out.timezone = config.timezone;
    }
    return out;
  }
  rejectUnknownKeys(config, ['watch_directory', 'file_pattern'], 'file');
  const dir = config.watch_directory;
  if (typeof dir !== 'string' || !dir.trim() || dir.includes('\0'))
    throw new InvalidTriggerConfig('config.watch_directory', 'must be the path of a folder');
  const resolved = path.resolve(dataDir, dir.trim());
  const roots = [dataDir, ...(policy.watchRoots ?? [])].map(realOrResolved);
  // Checked on the real path (symlinks followed), before anything reveals whether the folder exists.
  if (!roots.some((root) => isInside(realOrResolved(resolved), root))) {
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
  const pattern = config.file_pattern === undefined || config.file_pattern === '' ? '*' : config.file_pattern;
  if (typeof pattern !== 'string' || !isValidFilePattern(pattern)) {
    throw new InvalidTriggerConfig(
      'config.file_pattern',
      `must be a file-name glob such as "*.pdf", without "/" (got ${JSON.stringify(pattern)})`,
    );
  }
  return { watch_directory: resolved, file_pattern: pattern };
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
    if (!isPlainObject(input))
      throw new InvalidTriggerConfig('body', 'must be a JSON object {trigger_type, workflow_id, config}');
    const type = input.trigger_type;
    if (typeof type !== 'string' || !(TRIGGER_TYPES as readonly string[]).includes(type)) {
      throw new InvalidTriggerConfig(
        'trigger_type',
        `must be one of ${TRIGGER_TYPES.join(', ')} (got ${JSON.stringify(type)})`,
      );
    }
    const triggerType = type as TriggerType;
    const triggerId = input.trigger_id === undefined ? newId('trigger') : input.trigger_id;
    if (!isValidId(triggerId))
      throw new InvalidTriggerConfig(
        'trigger_id',
        'must be 1-128 letters, digits, "_", "-" or "." starting with a letter or digit',
      );
    let targetType: TargetType;
    let targetId = '';
    if (input.target_type === 'flow') {
      if (input.workflow_id !== undefined && input.workflow_id !== '')
        throw new InvalidTriggerConfig('workflow_id', 'must be empty for a flow-only trigger');
      targetType = 'flow';
    } else {
      if (input.target_type !== undefined && input.target_type !== 'workflow' && input.target_type !== 'chain') {
        throw new InvalidTriggerConfig(
          'target_type',
          'must be "workflow" or "chain" (or be left out to let the id decide)',
        );
      }
      if (!isValidId(input.workflow_id))
        throw new InvalidTriggerConfig('workflow_id', 'must be the id of the workflow or chain to launch');
      targetId = input.workflow_id;
      const found = await this.resolveTarget(targetId, input.target_type as 'workflow' | 'chain' | undefined);
      if (!found) throw new WorkflowNotFound([targetId], 400);
      targetType = found;
    }
    const config = validateTriggerConfig(triggerType, input.config, this.watchPolicy);
    if (input.enabled !== undefined && typeof input.enabled !== 'boolean')
      throw new InvalidTriggerConfig('enabled', 'must be true or false');
    const priority = input.priority ?? 0;
    if (!isPriority(priority)) {
      throw new InvalidTriggerConfig(
        'priority',
        `must be a whole number from ${PRIORITY_MIN} to ${PRIORITY_MAX} (higher runs first)`,
      );
    }
    if (input.params !== undefined && !isPlainObject(input.params))
      throw new InvalidTriggerConfig('params', 'must be an object of workflow parameters');
    if (input.params !== undefined) checkParams(input.params);
    const at = new Date(this.now()).toISOString();
    return {
      trigger_id: triggerId,
      trigger_type: triggerType,
      workflow_id: targetId,
      target_type: targetType,
      config,
      enabled: input.enabled ?? true,
      created_at: at,
      last_fired: null,
      enabled_at: at,
      priority,
      params: (input.params as Record<string, unknown>) ?? {},
      consecutive_failures: 0,
      ...(typeof input.node_id === 'string' ? { node_id: input.node_id } : {}),
    };
  }
}
