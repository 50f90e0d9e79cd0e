/**
 * The workflows the product knows: JSON files (the seed's workflow format) in
 * `<dataDir>/workflows/`. `rpa-vision learn --out` may write there under any file name, so a
 * workflow is found by its `workflow_id`, not by its file name; an import writes
 * `<workflow_id>.json`. Parsed ids are cached per file (name, size, mtime) so listing and
 * existence checks do not re-read unchanged files.
 *
 * A workflow carried in a flow (its config node) is installed here: the copy in this directory
 * is the live one that runs, learning and approvals update, so it is kept when it is at least
 * as far along as the flow's (see `freshness`).
 */
import fs from 'fs';
import path from 'path';
import { ContractError, validateWorkflow, writeJsonFileAtomic, type Workflow } from '../contracts';
import { readDataFile } from '../contracts/sealed-files';
import { Conflict, InvalidRequest, InvalidWorkflow, WorkflowNotFound } from './errors';
import { checkId } from './ids';

export interface WorkflowSummary {
  workflow_id: string;
  name: string;
  description?: string;
  learning_state?: string;
  node_count: number;
  edge_count: number;
  parameters: Array<{ name: string; default?: unknown; description?: string }>;
  updated_at?: string;
  file: string;
}

interface CachedFile {
  key: string;
  summary?: WorkflowSummary;
  problem?: string;
}

/** What `install` did with a workflow carried in from elsewhere (a flow's config node). */
export interface InstallResult {
  action: 'installed' | 'updated' | 'kept';
  /** The live copy's file name in the directory. */
  file: string;
  /** The workflow that runs from now on (the one given, or the live copy that was kept). */
  workflow: Workflow;
}

/**
 * How far along a copy of a workflow is: learned from more demonstrations (version), then
 * changed later (learning-state transitions stamp updated_at), then run more often.
 */
export function freshness(workflow: Workflow): [number, string, number] {
  return [workflow.version ?? 0, workflow.updated_at ?? '', workflow.stats?.total_executions ?? 0];
}

/** Negative when `a` is less far along than `b`, 0 when as far, positive when further. */
export function compareFreshness(a: Workflow, b: Workflow): number {
  const fa = freshness(a);
  const fb = freshness(b);
  if (fa[0] !== fb[0]) return fa[0] - fb[0];
  if (fa[1] !== fb[1]) return fa[1] < fb[1] ? -1 : 1;
  return fa[2] - fb[2];
}

export class WorkflowRepository {
  private cache = new Map<string, CachedFile>();

  constructor(readonly directory: string) {}

  /** Every valid workflow, by id; files that are not valid workflows are reported in `invalid`. */
  scan(): { workflows: WorkflowSummary[]; invalid: Array<{ file: string; problem: string }> } {
    let names: string[] = [];
    try {
      names = fs.readdirSync(this.directory).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const workflows: WorkflowSummary[] = [];
    const invalid: Array<{ file: string; problem: string }> = [];
    const seen = new Set<string>();
    for (const name of names.sort()) {
      const file = path.join(this.directory, name);
      seen.add(file);
      const entry = this.readCached(file);
      if (entry?.summary) workflows.push(entry.summary);
      else if (entry?.problem) invalid.push({ file: name, problem: entry.problem });
    }
    for (const file of this.cache.keys()) if (!seen.has(file)) this.cache.delete(file);
    // Two files with the same workflow_id: the one named <id>.json wins, else the first by name.
    const byId = new Map<string, WorkflowSummary>();
    for (const w of workflows) {
      const current = byId.get(w.workflow_id);
      if (!current || w.file === `${w.workflow_id}.json`) byId.set(w.workflow_id, w);
    }
    return { workflows: [...byId.values()].sort((a, b) => a.workflow_id.localeCompare(b.workflow_id)), invalid };
  }

  list(): WorkflowSummary[] {
    return this.scan().workflows;
  }

  /** The ids among `ids` that no workflow has, in the order given, without duplicates. */
  missing(ids: string[]): string[] {
    const known = new Set(this.list().map((w) => w.workflow_id));
    return [...new Set(ids.filter((id) => !known.has(id)))];
  }

  exists(id: string): boolean {
    return this.missing([id]).length === 0;
  }

  /** The whole workflow document. */
  get(id: string): Workflow {
    checkId(id, 'workflow_id');
    const summary = this.list().find((w) => w.workflow_id === id);
    if (!summary) throw new WorkflowNotFound([id]);
    return JSON.parse(readDataFile(path.join(this.directory, summary.file)).toString('utf8')) as Workflow;
  }

  /**
   * Validates `document` against the workflow schema and writes it as `<workflow_id>.json`.
   * An existing workflow with the same id is a Conflict unless `replace` is set.
   */
  import(document: unknown, options: { replace?: boolean } = {}): WorkflowSummary {
    const workflow = this.validate(document);
    const id = workflow.workflow_id;
    const existing = this.list().find((w) => w.workflow_id === id);
    if (existing && !options.replace) {
      throw new Conflict(`workflow ${id} already exists (${existing.file}); send ?replace=true to overwrite it`, {
        workflow_id: id,
      });
    }
    const file = path.join(this.directory, existing?.file ?? `${id}.json`);
    writeJsonFileAtomic(file, workflow);
    this.cache.delete(file);
    return this.readCached(file)!.summary!;
  }

  /**
   * Makes `document` the live copy of its workflow unless the copy already here is as far
   * along or further (`compareFreshness`): a flow imported again after runs and approvals
   * must not roll the workflow back.
   */
  install(document: unknown): InstallResult {
    const workflow = this.validate(document);
    const existing = this.list().find((w) => w.workflow_id === workflow.workflow_id);
    if (existing) {
      const live = this.get(workflow.workflow_id);
      if (compareFreshness(live, workflow) >= 0) return { action: 'kept', file: existing.file, workflow: live };
    }
    const summary = this.import(workflow, { replace: true });
    return { action: existing ? 'updated' : 'installed', file: summary.file, workflow };
  }

  /** The document as a workflow, or InvalidRequest / InvalidWorkflow naming every problem. */
  validate(document: unknown): Workflow {
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      throw new InvalidRequest('body', 'must be a workflow JSON object');
    }
    try {
      return validateWorkflow(document, 'the request body');
    } catch (err) {
      if (err instanceof ContractError) throw new InvalidWorkflow(err.message, err.problems);
      throw err;
    }
  }

  delete(id: string): void {
    checkId(id, 'workflow_id');
    const summary = this.list().find((w) => w.workflow_id === id);
    if (!summary) throw new WorkflowNotFound([id]);
    fs.rmSync(path.join(this.directory, summary.file), { force: true });
    this.cache.delete(path.join(this.directory, summary.file));
  }

  private readCached(file: string): CachedFile | undefined {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return undefined;
    }
    if (!stat.isFile()) return undefined;
    const key = `${stat.size}:${stat.mtimeMs}`;
    const cached = this.cache.get(file);
    if (cached?.key === key) return cached;
    let entry: CachedFile;
    try {
      const wf = validateWorkflow(JSON.parse(readDataFile(file).toString('utf8')), path.basename(file));
      entry = {
        key,
        summary: {
          workflow_id: wf.workflow_id,
          name: wf.name,
          ...(wf.description ? { description: wf.description } : {}),
          ...(wf.learning_state ? { learning_state: String(wf.learning_state) } : {}),
          node_count: wf.nodes.length,
          edge_count: wf.edges.length,
          parameters: (wf.parameters ?? []).map((p) => ({ ...p })),
          ...(wf.updated_at ? { updated_at: String(wf.updated_at) } : {}),
          file: path.basename(file),
        },
      };
    } catch (err) {
      entry = { key, problem: (err as Error).message };
    }
    this.cache.set(file, entry);
    return entry;
  }
}
