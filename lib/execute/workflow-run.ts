/**
 * One call that runs a workflow on the current display, shared by the `run` command, the
 * Node-RED nodes and the automation's executor: find the workflow (a file path, or an id in
 * the data directory's workflows/), open the desktop and the shared vision engine, run, and
 * save what the run learned (edge statistics, healing memory, learning counters) into the
 * workflow file as it is now (run-learning.ts), so the next run starts with what works.
 */
import fs from 'fs';
import path from 'path';
import { readJsonFile, validateWorkflow, type Workflow } from '../contracts';
import { automationEvents } from '../automation/events';
import { openDesktop, type Desktop } from '../platform';
import type { VisionEngine } from '../vision';
import { acquireVisionEngine, releaseVisionEngine } from '../vision/shared-engine';
import { WorkflowRepository } from '../automation/workflow-repository';
import { resolveDataDir } from '../store/store';
import { SubWorkflowError } from './errors';
import type { RunRecord } from './execution-record';
import { ScreenObserver } from './screen-observer';
import { WorkflowRunner, type RunOptions } from './runner';
import { applyRunLearning, saveRunLearning } from './run-learning';

export interface LoadedWorkflow {
  workflow: Workflow;
  /** Where it was read from (and is written back to). */
  file: string;
}

/** Reads a workflow from a path, or by id from `<dataDir>/workflows/` (or next to `baseDir`). */
export function loadWorkflow(ref: string, options: { dataDir?: string; baseDir?: string } = {}): LoadedWorkflow {
  const candidates = [path.resolve(options.baseDir ?? '.', ref), path.resolve(options.baseDir ?? '.', `${ref}.json`)];
  const file = candidates.find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
  if (file) return { workflow: readJsonFile(file, validateWorkflow), file };
  const repo = new WorkflowRepository(path.join(resolveDataDir(options.dataDir), 'workflows'));
  const summary = repo.list().find((w) => w.workflow_id === ref);
  if (!summary)
    throw new SubWorkflowError(
      `no workflow "${ref}": not a file${options.baseDir ? ` next to ${options.baseDir}` : ''}, and no workflow with that id in ${repo.directory}`,
    );
  const found = path.join(repo.directory, summary.file);
  return { workflow: readJsonFile(found, validateWorkflow), file: found };
}

export interface RunWorkflowOptions extends Omit<RunOptions, 'workflowFile' | 'loadWorkflow'> {
  desktop?: Desktop;
  vision?: VisionEngine;
  dataDir?: string;
  /** Write the updated workflow back to its file. Default true. */
  persist?: boolean;
}

export async function runWorkflow(
  source: string | LoadedWorkflow,
  options: RunWorkflowOptions = {},
): Promise<RunRecord> {
  const loaded = typeof source === 'string' ? loadWorkflow(source, { dataDir: options.dataDir }) : source;
  const desktop = options.desktop ?? (await openDesktop());
  const vision = options.vision ?? (await acquireVisionEngine());
  // A learned workflow's screens are read whole, as the learner read them.
  const learned = loaded.workflow.metadata?.embedding_frame !== undefined;
  try {
    const runner = new WorkflowRunner(loaded.workflow, new ScreenObserver(desktop, vision, { wholeFrames: learned }), {
      ...options,
      workflowFile: loaded.file,
      loadWorkflow: (ref) =>
        loadWorkflow(ref, { dataDir: options.dataDir, baseDir: path.dirname(loaded.file) }).workflow,
    });
    const record = await runner.run();
    if (options.learn !== false) {
      try {
        if (options.persist !== false) {
          const saved = await saveRunLearning(loaded.file, runner.learned);
          if (saved.workflow) Object.assign(loaded.workflow, saved.workflow);
          else options.log?.(`the run's statistics were not saved: ${saved.reason}`);
        } else {
          const change = applyRunLearning(loaded.workflow, runner.learned);
          if (change)
            automationEvents.emit('onLearningChanged', { workflow_id: loaded.workflow.workflow_id, ...change });
        }
      } catch (err) {
        options.log?.(`the workflow's statistics could not be saved to ${loaded.file}: ${(err as Error).message}`);
      }
    }
    return record;
  } finally {
    if (!options.vision) await releaseVisionEngine();
  }
}
