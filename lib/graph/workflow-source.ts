/**
 * Finding the workflow a node's config names: a WF.json path (absolute, or relative to the
 * given base directory), or a workflow_id looked up in the workflows directory. Files are
 * parsed and validated once and re-read only when they change (size, mtime).
 */
import fs from 'fs';
import path from 'path';
import type { Workflow } from '../contracts/workflow';
import { readJsonFile } from '../contracts/files';
import { validateWorkflow } from '../contracts/validate';
import { WorkflowGraphError } from './errors';

const cache = new Map<string, { stamp: string; workflow: Workflow }>();

function stampOf(file: string): string | null {
  try {
    const s = fs.statSync(file);
    return s.isFile() ? `${s.size}:${s.mtimeMs}` : null;
  } catch {
    return null;
  }
}

/** Reads a workflow file, from cache when unchanged. */
export function readWorkflowFile(file: string): Workflow {
  const stamp = stampOf(file);
  if (!stamp) throw new WorkflowGraphError(`workflow file "${file}" does not exist`);
  const hit = cache.get(file);
  if (hit?.stamp === stamp) return hit.workflow;
  const workflow = readJsonFile(file, validateWorkflow);
  cache.set(file, { stamp, workflow });
  return workflow;
}

export interface WorkflowLookup {
  /** Where relative paths start (e.g. Node-RED's userDir). */
  baseDir?: string;
  /** Where workflows are found by id (<dataDir>/workflows). */
  workflowsDir?: string;
}

/** The workflow named by `ref` (path or id). */
export function resolveWorkflow(ref: string, lookup: WorkflowLookup = {}): Workflow {
  const name = ref.trim();
  if (!name) throw new WorkflowGraphError('no workflow given: set a WF.json path or a workflow id');
  const candidates = path.isAbsolute(name)
    ? [name]
    : [path.resolve(lookup.baseDir ?? process.cwd(), name), path.resolve(name)];
  for (const file of candidates) if (stampOf(file)) return readWorkflowFile(file);
  if (lookup.workflowsDir && fs.existsSync(lookup.workflowsDir)) {
    const direct = path.join(lookup.workflowsDir, `${name}.json`);
    if (stampOf(direct)) return readWorkflowFile(direct);
    for (const f of fs
      .readdirSync(lookup.workflowsDir)
      .filter((n) => n.endsWith('.json'))
      .sort()) {
      try {
        const wf = readWorkflowFile(path.join(lookup.workflowsDir, f));
        if (wf.workflow_id === name) return wf;
      } catch {
        /* not a workflow file: skipped, the repository reports those */
      }
    }
  }
  throw new WorkflowGraphError(
    `no workflow "${name}": not a file (${candidates.join(', ')})${lookup.workflowsDir ? ` and no workflow with that id in ${lookup.workflowsDir}` : ''}`,
  );
}
