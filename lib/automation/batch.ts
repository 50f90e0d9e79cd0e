/**
 * A batch run (seed orchestration-interface.md, "batch"): one workflow run once per file of a
 * folder (the file's path in one parameter) or once per row of a CSV (its columns are the
 * parameters), one run after the other. The runs go through the caller's `run`, which is the
 * desktop queue: never two at once on a desktop. Progress is kept for the dashboard's bar.
 */
import fs from 'fs';
import path from 'path';
import crypto from 'crypto';
import { InvalidRequest } from './errors';
import type { ExecutionStatus } from './executor';
import { SECRET_MASK } from '../contracts/secrets';
import { allowedByWatchPolicy, type WatchPolicy } from './triggers';

/** The parameter a file's path goes into when the workflow has no parameter of its own (as file triggers do). */
export const FILE_PARAMETER = 'file_path';
/** A batch is for a person to follow; a longer list is a job for a trigger or a chain. */
export const MAX_BATCH_ITEMS = 10_000;

export interface BatchItem {
  /** What the run is for: the file's path, or "row N" of the CSV (N counted from 1 after the header). */
  source: string;
  params: Record<string, string>;
}

export interface BatchItemView {
  source: string;
  status: 'pending' | 'running' | ExecutionStatus;
  error?: string;
  failed_at?: string | null;
}

export interface BatchView {
  batch_id: string;
  workflow_id: string;
  state: 'running' | 'finished' | 'cancelled';
  total: number;
  done: number;
  failed: number;
  succeeded: number;
  started_at: string;
  finished_at: string | null;
  items: BatchItemView[];
}

export interface RunOutcome {
  status: ExecutionStatus;
  error?: string;
  failed_at?: string | null;
}

/** The workflow's parameter names and secrets, as far as the batch needs them. */
export interface BatchWorkflow {
  workflow_id: string;
  parameters: string[];
  secret: Set<string>;
}

/**
 * The path a request names, resolved against the data directory, once it is known to be where
 * the product may read (as file triggers: nothing else may be listed, read or probed).
 */
function allowedPath(given: unknown, field: 'folder' | 'csv', policy: WatchPolicy): string {
  if (typeof given !== 'string' || !given.trim())
    throw new InvalidRequest(
      field,
      field === 'folder' ? 'must be the path of a folder' : 'must be the path of a CSV file',
    );
  const resolved = path.resolve(policy.dataDir, given.trim());
  if (!allowedByWatchPolicy(resolved, policy))
    throw new InvalidRequest(
      field,
      `must be inside the data directory (${policy.dataDir}) or a folder allowed by rpaVision.automation.watchRoots / RPA_VISION_WATCH_ROOTS (got ${resolved})`,
    );
  return resolved;
}

/** The files of a folder, sorted by name (hidden files and sub-folders left out). */
export function folderItems(given: unknown, parameter: string, policy: WatchPolicy): BatchItem[] {
  const folder = allowedPath(given, 'folder', policy);
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InvalidRequest(
      'folder',
      code === 'ENOTDIR' ? `${folder} is a file, not a folder` : `${folder} cannot be read (${code ?? 'error'})`,
    );
  }
  const files = names
    .filter((n) => !n.startsWith('.'))
    .sort()
    .map((n) => path.join(folder, n))
    .filter((f) => fs.statSync(f, { throwIfNoEntry: false })?.isFile());
  if (!files.length) throw new InvalidRequest('folder', `${folder} holds no file to run the workflow on`);
  return files.map((f) => ({ source: f, params: { [parameter]: f } }));
}

/**
 * The rows of a CSV text: RFC 4180 (quoted fields, doubled quotes, line breaks inside quotes),
 * separated by "," or, as spreadsheets write it in French, ";" (the header line decides).
 */
export function parseCsv(text: string): string[][] {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.split(/\r?\n/, 1)[0];
  const sep = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === sep) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw new Error('a quoted field is not closed');
  if (field !== '' || row.length) rows.push([...row, field]);
  // Blank lines (a trailing newline, a spacer) are not runs.
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

/** One item per data row of the CSV file; every column must be a parameter of the workflow. */
export function csvItems(given: unknown, workflow: BatchWorkflow, policy: WatchPolicy): BatchItem[] {
  const file = allowedPath(given, 'csv', policy);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InvalidRequest(
      'csv',
      code === 'EISDIR' ? `${file} is a folder, not a CSV file` : `${file} cannot be read (${code ?? 'error'})`,
    );
  }
  let rows: string[][];
  try {
    rows = parseCsv(text);
  } catch (err) {
    throw new InvalidRequest('csv', `${file} is not a valid CSV: ${(err as Error).message}`);
  }
  const [header, ...data] = rows;
  if (!header) throw new InvalidRequest('csv', `${file} is empty`);
  const columns = header.map((h) => h.trim());
  const unknown = columns.filter((c) => !workflow.parameters.includes(c));
  if (unknown.length)
    throw new InvalidRequest(
      'csv',
      `the columns of ${path.basename(file)} must be parameters of ${workflow.workflow_id}: ` +
        `${unknown.map((c) => JSON.stringify(c)).join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not ` +
        `(its parameters: ${workflow.parameters.join(', ') || 'none'})`,
    );
  if (!data.length) throw new InvalidRequest('csv', `${file} has a header line but no row to run`);
  const ragged = data.findIndex((r) => r.length !== columns.length);
  if (ragged >= 0)
    throw new InvalidRequest(
      'csv',
      `row ${ragged + 1} of ${path.basename(file)} has ${data[ragged].length} fields, the header ${columns.length}`,
    );
  return data.map((r, i) => ({
    source: `row ${i + 1}`,
    params: Object.fromEntries(columns.map((c, j) => [c, r[j]])),
  }));
}

/** The parameter a folder's file paths go into: the one named, else the workflow's only one. */
export function fileParameter(workflow: BatchWorkflow, named: unknown): string {
  if (named !== undefined && named !== '') {
    if (typeof named !== 'string' || !workflow.parameters.includes(named))
      throw new InvalidRequest(
        'parameter',
        `must be a parameter of ${workflow.workflow_id} (${workflow.parameters.join(', ') || 'it has none'})`,
      );
    return named;
  }
  if (workflow.parameters.length === 0) return FILE_PARAMETER;
  if (workflow.parameters.length === 1) return workflow.parameters[0];
  throw new InvalidRequest(
    'parameter',
    `say which parameter of ${workflow.workflow_id} receives the file's path (${workflow.parameters.join(', ')})`,
  );
}

/** The runs of one batch, one after the other, with their progress. */
export class Batch {
  readonly batch_id = `batch_${crypto.randomBytes(6).toString('hex')}`;
  private readonly views: BatchItemView[];
  private readonly controller = new AbortController();
  private readonly startedAt = new Date().toISOString();
  private finishedAt: string | null = null;
  /** Resolves when the last run ended (or the batch was cancelled). */
  readonly finished: Promise<void>;

  constructor(
    private readonly workflow: BatchWorkflow,
    private readonly items: BatchItem[],
    run: (params: Record<string, string>, signal: AbortSignal) => Promise<RunOutcome>,
  ) {
    if (items.length > MAX_BATCH_ITEMS)
      throw new InvalidRequest('folder', `gives ${items.length} runs; a batch runs at most ${MAX_BATCH_ITEMS}`);
    this.views = items.map((i) => ({ source: this.masked(i).source, status: 'pending' }));
    this.finished = this.runAll(run);
  }

  cancel(): void {
    this.controller.abort(new Error('the batch was cancelled'));
  }

  view(): BatchView {
    const done = this.views.filter((v) => v.status !== 'pending' && v.status !== 'running');
    return {
      batch_id: this.batch_id,
      workflow_id: this.workflow.workflow_id,
      state: this.finishedAt ? (this.controller.signal.aborted ? 'cancelled' : 'finished') : 'running',
      total: this.items.length,
      done: done.length,
      failed: done.filter((v) => v.status !== 'success').length,
      succeeded: done.filter((v) => v.status === 'success').length,
      started_at: this.startedAt,
      finished_at: this.finishedAt,
      items: this.views.map((v) => ({ ...v })),
    };
  }

  /** The item as it may be shown: a secret column's value is never a source. */
  private masked(item: BatchItem): BatchItem {
    const secret = Object.entries(item.params).some(([k, v]) => this.workflow.secret.has(k) && v === item.source);
    return secret ? { ...item, source: SECRET_MASK } : item;
  }

  private async runAll(run: (params: Record<string, string>, signal: AbortSignal) => Promise<RunOutcome>) {
    for (let i = 0; i < this.items.length; i++) {
      const view = this.views[i];
      if (this.controller.signal.aborted) {
        view.status = 'cancelled';
        continue;
      }
      view.status = 'running';
      try {
        const outcome = await run(this.items[i].params, this.controller.signal);
        view.status = outcome.status;
        if (outcome.error) view.error = outcome.error;
        if (outcome.failed_at) view.failed_at = outcome.failed_at;
      } catch (err) {
        view.status = 'error';
        view.error = (err as Error).message;
      }
    }
    this.finishedAt = new Date().toISOString();
  }
}
