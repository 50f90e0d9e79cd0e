/**
 * What a run learned, kept apart from the workflow it ran (issue 15): the runner never rewrites
 * the workflow under its feet; it returns each step's execution (edge statistics, which healing
 * strategy worked) and the run's outcome (learning counters), and the workflow store applies
 * them to the workflow as it is on disk NOW, under a lock and with a version check, so two runs
 * of the same workflow lose no counts and a workflow re-learned meanwhile is not corrupted.
 */
import crypto from 'crypto';
import fs from 'fs';
import type { Workflow } from '../contracts/workflow';
import { readJsonFile, validateWorkflow, writeJsonFileAtomic } from '../contracts';
import { acquireFileLock } from '../platform';
import { recordExecution } from '../graph/learning-state';
import { automationEvents } from '../automation/events';
import type { RunMode } from './autonomy';
import { recordEdgeExecution } from './edge-stats';

export interface EdgeExecution {
  edge_id: string;
  mode: RunMode;
  success: boolean;
  duration_ms: number;
  /** The healing strategy that found the target, when the step succeeded. */
  strategy: string | null;
  at: string;
}

export interface RunLearning {
  workflow_id: string;
  /** The workflow's `version` the run ran on: learning of an older version is not applied. */
  version: number | null;
  edges: EdgeExecution[];
  /** The run's outcome for the learning counters; null when the run does not count. */
  run: {
    mode: RunMode;
    success: boolean;
    duration_s: number;
    /** The lowest screen similarity seen during the run. */
    confidence: number;
    ui_changed: boolean;
    at: string;
  } | null;
}

export interface LearningChange {
  from: string;
  to: string;
  reason: string;
}

/**
 * Applies `learning` to `workflow` (mutates it, like the learner's functions). Returns the
 * learning-state change it caused, if any.
 */
export function applyRunLearning(workflow: Workflow, learning: RunLearning): LearningChange | null {
  for (const e of learning.edges) {
    const edge = workflow.edges.find((x) => x.edge_id === e.edge_id);
    if (edge)
      recordEdgeExecution(edge, {
        mode: e.mode,
        success: e.success,
        durationMs: e.duration_ms,
        strategy: e.strategy,
        at: new Date(e.at),
      });
  }
  if (!learning.run) return null;
  const before = workflow.learning?.state ?? workflow.learning_state ?? 'OBSERVATION';
  recordExecution(workflow, {
    mode: learning.run.mode,
    success: learning.run.success,
    durationSeconds: learning.run.duration_s,
    confidence: learning.run.confidence,
    uiChanged: learning.run.ui_changed,
    now: new Date(learning.run.at),
  });
  const after = workflow.learning?.state ?? before;
  const last = workflow.learning?.history?.at(-1);
  return after !== before ? { from: before, to: after, reason: last?.reason ?? '' } : null;
}

export interface SaveLearningResult {
  applied: boolean;
  /** Why it was not applied (a newer version of the workflow on disk). */
  reason?: string;
  change: LearningChange | null;
  /** The workflow as written. */
  workflow: Workflow | null;
}

const ATTEMPTS = 5;

/**
 * The workflow store's side: reads the workflow file, applies the run's learning, and writes it
 * back, under the file's lock (other runs, other processes) and only if the file did not change
 * between the read and the write (a writer that does not take the lock, such as `learn`); else
 * it reads again and re-applies.
 */
export async function saveRunLearning(
  file: string,
  learning: RunLearning,
  options: { timeoutMs?: number } = {},
): Promise<SaveLearningResult> {
  const release = await acquireFileLock(`${file}.lock`, {
    holder: `the statistics of a run of ${learning.workflow_id}`,
    deadline: Date.now() + (options.timeoutMs ?? 30_000),
  });
  try {
    for (let attempt = 1; ; attempt++) {
      const seen = fingerprint(file);
      const workflow = readJsonFile(file, validateWorkflow);
      if (workflow.workflow_id !== learning.workflow_id || (workflow.version ?? null) !== learning.version)
        return {
          applied: false,
          reason: `${file} now holds ${workflow.workflow_id} version ${workflow.version ?? 'none'}, not the version ${learning.version ?? 'none'} that ran`,
          change: null,
          workflow: null,
        };
      const change = applyRunLearning(workflow, learning);
      if (fingerprint(file) !== seen) {
        if (attempt < ATTEMPTS) continue;
        return { applied: false, reason: `${file} kept changing while it was updated`, change: null, workflow: null };
      }
      writeJsonFileAtomic(file, workflow);
      if (change) automationEvents.emit('onLearningChanged', { workflow_id: workflow.workflow_id, ...change });
      return { applied: true, change, workflow };
    }
  } finally {
    release();
  }
}

function fingerprint(file: string): string {
  return crypto.createHash('sha1').update(fs.readFileSync(file)).digest('hex');
}
