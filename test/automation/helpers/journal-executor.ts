/**
 * A real WorkflowExecutor for tests and for trying the automation without the runner: it
 * "runs" a workflow by appending one JSON line {workflow_id, params, at, pid} to
 * `<dataDir>/journal.jsonl`. What happens is decided by the workflow document itself, by the
 * defaults of its parameters `journal_outcome` ("success" | "failed" | "error"),
 * `journal_delay_ms` and `journal_fail_at` (the workflow schema is closed, and parameters are
 * what a workflow offers its executor). So a test sees exactly which workflows ran, in which
 * order, with which parameters, and how often.
 *
 * Loaded into Node-RED with RPA_VISION_EXECUTOR_MODULE=<this file>.
 */
import fs from 'fs';
import path from 'path';
import { WorkflowRepository, type WorkflowExecutor } from '../../../lib/automation';

export interface JournalLine {
  workflow_id: string;
  params: Record<string, unknown>;
  at: number;
  pid: number;
  outcome: string;
}

interface JournalBehaviour {
  outcome?: 'success' | 'failed' | 'error';
  delay_ms?: number;
  fail_at?: string;
}

export function journalFile(dataDir: string): string {
  return path.join(dataDir, 'journal.jsonl');
}

export function readJournal(dataDir: string): JournalLine[] {
  try {
    return fs
      .readFileSync(journalFile(dataDir), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as JournalLine);
  } catch {
    return [];
  }
}

function behaviourOf(parameters: Array<{ name: string; default: string }>): JournalBehaviour {
  const value = (name: keyof JournalBehaviour) => parameters.find((p) => p.name === `journal_${name}`)?.default;
  const delay = value('delay_ms');
  return {
    outcome: value('outcome') as JournalBehaviour['outcome'],
    delay_ms: delay === undefined ? undefined : Number(delay),
    fail_at: value('fail_at'),
  };
}

export function createExecutor({ dataDir }: { dataDir: string }): WorkflowExecutor {
  const workflows = new WorkflowRepository(path.join(dataDir, 'workflows'));
  return {
    async execute(workflowId, params, { signal }) {
      const started = Date.now();
      const behaviour = behaviourOf(workflows.get(workflowId).parameters ?? []);
      if (behaviour.delay_ms) {
        await new Promise<void>((resolve, reject) => {
          const t = setTimeout(resolve, behaviour.delay_ms);
          signal?.addEventListener('abort', () => {
            clearTimeout(t);
            reject(new Error('aborted'));
          });
        });
      }
      const outcome = behaviour.outcome ?? 'success';
      fs.appendFileSync(
        journalFile(dataDir),
        JSON.stringify({ workflow_id: workflowId, params, at: Date.now(), pid: process.pid, outcome }) + '\n',
      );
      if (outcome === 'error') throw new Error(`journal executor: ${workflowId} is set up to crash`);
      const duration_s = (Date.now() - started) / 1000;
      return outcome === 'failed'
        ? {
            success: false,
            status: 'failed',
            duration_s,
            error: `${workflowId} failed on purpose`,
            failed_at: behaviour.fail_at ?? 'step-1',
          }
        : { success: true, status: 'success', duration_s };
    },
  };
}

/** The smallest valid workflow (one node, no edges) with journal behaviour. */
export function workflowDoc(
  id: string,
  behaviour: JournalBehaviour = {},
  name = `Workflow ${id}`,
): Record<string, unknown> {
  return {
    workflow_id: id,
    name,
    nodes: [{ node_id: 'N1', label: 'start', screen_template: {} }],
    edges: [],
    parameters: Object.entries(behaviour).map(([key, value]) => ({ name: `journal_${key}`, default: String(value) })),
  };
}
