/**
 * What the workflow and execute-edge nodes share: one run at a time per node, progress in the
 * status (step k/n, ETA), control messages (`msg.cancel`, `msg.confirm`), outputs for success,
 * failure and questions for a person, failures (a run that could not start, a run that failed)
 * reported by the package's failure policy (the failure output, or Catch nodes: see
 * shared/handlers), and a close handler that cancels the run and releases the vision engine.
 *
 * Mode as `run --mode`: empty, the learned state decides; observe/coach/confirm can only lower
 * it; auto is the operator's explicit override, logged as a warning, for a workflow that is not
 * yet AUTO_CONFIRMED. Parameters: msg.params when set, else msg.payload; they go on in
 * msg.params, so the next node of an exported flow runs with the same values.
 *
 * With a broker configured the run is a job on a robot (the orchestrator the scheduler, triggers
 * and chains use), carrying the workflow as this node loaded it: the robot's execution record
 * comes out on the same outputs as a local run's, with the job in msg.job. A robot runs
 * unattended, so no question comes out on the third output.
 */
import path from 'path';
import type { Node, NodeAPI, NodeMessageInFlow } from 'node-red';
import { openDesktop, type Desktop } from '../../lib/platform';
import { acquireVisionEngine, releaseVisionEngine } from '../../lib/vision/shared-engine';
import {
  answerQuestion,
  endCoaching,
  isRunMode,
  loadWorkflow,
  RemoteHumanGate,
  RunFailedError,
  runWorkflow,
  type LoadedWorkflow,
  type RunMode,
  type RunRecord,
  type RunWorkflowOptions,
} from '../../lib/execute';
import type { VisionEngine } from '../../lib/vision';
import { jobError, jobView, type JobOrchestrator, type JobView } from '../../lib/robots/orchestrator';
import type { JobRecord } from '../../lib/robots/job-records';
import { runtimeMonitoring } from '../shared/monitoring';
import { brokerUrl, runtimeOrchestrator } from '../shared/robots';
import { dataDir, STATUS } from '../shared/runtime';
import { configuredWorkflow, workflowConfigProblem, type WorkflowReference } from '../shared/workflow-config';
import { catalogKey, statusText, translate } from '../shared/i18n';
import { failurePolicy, type FailureConfig } from '../shared/handlers';

/** The run nodes' texts, in rpa-workflow's catalog. */
const text = (key: string) => catalogKey('rpa-workflow', key);

export interface RunNodeConfig extends WorkflowReference, FailureConfig {
  workflow: string;
  mode: string;
  timeout: string;
}

type Msg = NodeMessageInFlow & {
  cancel?: unknown;
  confirm?: unknown;
  workflow?: unknown;
  params?: unknown;
  execution_id?: unknown;
  labels?: unknown;
  job?: JobView;
};

export interface RunNodeSpec {
  /** Turns the loaded workflow into what runs (the whole graph, or one edge). */
  prepare(
    loaded: LoadedWorkflow,
    msg: Msg,
  ): { loaded: LoadedWorkflow; options?: Partial<RunWorkflowOptions>; persist?: () => void };
}

/** The run's parameter values: msg.params when it is an object, else msg.payload when it is one. */
function paramsOf(msg: Msg): Record<string, unknown> {
  const isValues = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
  if (isValues(msg.params)) return { ...msg.params };
  return isValues(msg.payload) ? { ...msg.payload } : {};
}

/** The robots' labels a job of this message needs: msg.labels as a list or "a,b". */
function labelsOf(msg: Msg): string[] | undefined {
  if (Array.isArray(msg.labels)) return msg.labels.map(String);
  if (typeof msg.labels === 'string')
    return msg.labels
      .split(',')
      .map((l) => l.trim())
      .filter(Boolean);
  return undefined;
}

/** A robot's execution record of one workflow (not a chain's list, not a scripted runner's summary). */
function isRunRecord(value: unknown): value is RunRecord {
  const r = value as Partial<RunRecord> | null;
  return typeof r === 'object' && r !== null && typeof r.status === 'string' && Array.isArray(r.steps);
}

export function setupRunNode(RED: NodeAPI, node: Node, config: RunNodeConfig, spec: RunNodeSpec): void {
  const mode: RunMode | null = isRunMode(config.mode) ? config.mode : null;
  const timeoutS = Number(config.timeout) > 0 ? Number(config.timeout) : undefined;
  let running: { controller: AbortController; executionId: string | null; done: Promise<void> } | null = null;
  let desktop: Promise<Desktop> | null = null;
  // With a broker the robots see: this process needs no vision models.
  const onRobots = !!brokerUrl(RED);
  // Outputs: success, failure (when failures go to an output), questions. Flows made before the
  // choice existed had the failure output wired.
  const policy = failurePolicy(node, config, { at: 1, count: 3, whenMissing: true });
  const engine: Promise<VisionEngine> | null = onRobots ? null : acquireVisionEngine();
  engine?.catch((err: Error) => node.status(STATUS.error(err.message)));
  const problem = notReadyBecause();
  node.status(problem ? STATUS.warn(problem) : STATUS.idle(statusText(RED, text('run.status.ready'))));

  /**
   * Why a run could not start yet, said before the first message (an imported example, a fresh
   * install: no workflow learned yet) as what to do; null when the workflow is there.
   */
  function notReadyBecause(): string | null {
    if (config.workflowConfig) return workflowConfigProblem(RED, config);
    const ref = config.workflow?.trim();
    if (!ref) return translate(RED, text('run.errors.noWorkflow'));
    try {
      loadWorkflow(ref, { dataDir: dataDir(RED) });
      return null;
    } catch {
      return translate(RED, text('run.status.notLearned'), { workflow: ref });
    }
  }
  // The third output carries questions for a person (confirmations, coaching) to a dashboard or a UI.
  const ask = (payload: unknown, topic: string) => node.send(policy.outputs([null, null, { topic, payload } as never]));
  const gate = new RemoteHumanGate({
    onQuestion: (q) => {
      node.status(
        STATUS.warn(
          q.kind === 'confirm'
            ? translate(RED, text('run.status.waitingConfirm'), { step: q.prompt.step })
            : translate(RED, text('run.status.paused'), { step: q.info.step }),
        ),
      );
      ask(q, q.kind === 'confirm' ? 'confirm' : 'unexpected');
    },
    onCoach: (p) => {
      node.status(
        STATUS.warn(translate(RED, text('run.status.coaching'), { step: p.step, description: p.description })),
      );
      ask(p, 'coach');
    },
  });

  // The handler catches every failure itself and reports it through done(err).
  node.on('input', (msg: Msg, send, done) => void onInput(msg, send, done));

  async function onInput(msg: Msg, send: (m: Array<Msg | null>) => void, done: (err?: Error) => void): Promise<void> {
    const fail = (err: unknown) => policy.fail(msg, err, send as never, done);
    // A cancel the flow asked for (msg.cancel, the node closing) is not a failure: the record goes
    // to the failure output when there is one, for the flow to see how far the run went.
    const cancelled = () => {
      if (policy.toOutput) send(policy.outputs([null, msg, null]) as Array<Msg | null>);
      done();
    };
    // Control messages act on the run in progress.
    if (msg.cancel) {
      running?.controller.abort(new Error(translate(RED, text('run.errors.cancelled'))));
      done();
      return;
    }
    if (msg.confirm !== undefined) {
      const id = typeof msg.execution_id === 'string' ? msg.execution_id : running?.executionId;
      const value =
        msg.confirm === 'retry' || msg.confirm === 'abort'
          ? msg.confirm
          : msg.confirm === true || msg.confirm === 'yes';
      if (!id || !answerQuestion(id, value)) fail(translate(RED, text('run.errors.noQuestion')));
      else done();
      return;
    }
    if (running) {
      fail(translate(RED, text('run.errors.busy')));
      return;
    }
    const controller = new AbortController();
    let finish!: () => void;
    running = { controller, executionId: null, done: new Promise((r) => (finish = r)) };
    try {
      const ref = configuredWorkflow(RED, config) || (typeof msg.workflow === 'string' ? msg.workflow : '');
      if (!ref) throw new Error(translate(RED, text('run.errors.noWorkflow')));
      const prepared = spec.prepare(loadWorkflow(ref, { dataDir: dataDir(RED) }), msg);
      const params = paramsOf(msg);
      const orchestrator = onRobots ? runtimeOrchestrator(RED) : undefined;
      const record = orchestrator
        ? await runOnRobot(await orchestrator, prepared.loaded, params, msg, controller.signal)
        : await runHere(prepared, params, controller.signal);
      msg.params = params;
      if (!record) {
        // The job ended without a robot's record (in doubt, or it could not start there).
        const job = msg.job!;
        msg.payload = job;
        node.status(
          STATUS.error(
            translate(RED, text('run.status.failedAt'), {
              status: job.state,
              at: job.current_step ?? translate(RED, text('run.status.start')),
            }),
          ),
        );
        if (controller.signal.aborted && job.state === 'cancelled') cancelled();
        else fail(jobError(job));
        return;
      }
      msg.payload = record;
      if (record.status === 'success') {
        node.status(
          STATUS.ok(
            translate(RED, text('run.status.success'), {
              count: record.steps.length,
              seconds: record.duration_s.toFixed(1),
            }),
          ),
        );
        send(policy.outputs([msg, null, null]) as Array<Msg | null>);
        done();
      } else {
        node.status(
          STATUS.error(
            translate(RED, text('run.status.failedAt'), {
              status: record.status,
              at: record.failure?.edge_id ?? record.failure?.node_id ?? translate(RED, text('run.status.start')),
            }),
          ),
        );
        if (controller.signal.aborted && record.status === 'cancelled') cancelled();
        else fail(new RunFailedError(record));
      }
    } catch (err) {
      node.status(STATUS.error((err as Error).message));
      fail(err);
    } finally {
      if (running?.executionId) endCoaching(running.executionId);
      running = null;
      finish();
    }
  }

  /** The run on this machine's desktop. */
  async function runHere(
    prepared: ReturnType<RunNodeSpec['prepare']>,
    params: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<RunRecord> {
    desktop ??= openDesktop().catch((err) => {
      desktop = null;
      throw err;
    });
    const [d, vision] = await Promise.all([desktop, engine!]);
    node.status(STATUS.busy(statusText(RED, text('run.status.starting'))));
    const record = await runWorkflow(prepared.loaded, {
      desktop: d,
      vision,
      dataDir: dataDir(RED),
      params,
      mode,
      operatorOverride: mode === 'auto',
      signal: signal,
      timeoutMs: timeoutS ? timeoutS * 1000 : undefined,
      analytics: runtimeMonitoring(RED).analytics,
      human: gate,
      log: (line) => {
        if (!line.startsWith('OPERATOR OVERRIDE')) return node.debug?.(line);
        node.warn(line);
        runtimeMonitoring(RED)
          .getLogger('execution')
          .warning(line, { workflow_id: prepared.loaded.workflow.workflow_id, node_id: node.id });
      },
      onProgress: (p) => {
        if (running) running.executionId = p.execution_id;
        if (p.waiting_for_desktop) {
          node.status(
            STATUS.busy(translate(RED, text('run.status.waitingForDesktop'), { who: p.waiting_for_desktop })),
          );
          return;
        }
        node.status(
          STATUS.busy(
            translate(RED, text(p.eta_s !== null ? 'run.status.stepEta' : 'run.status.step'), {
              step: Math.min(p.step + 1, p.total),
              total: p.total,
              eta: p.eta_s !== null ? Math.round(p.eta_s) : '',
            }),
          ),
        );
      },
      ...prepared.options,
    });
    prepared.persist?.();
    return record;
  }

  /** The run as a job on a robot; undefined when the job ended without the robot's record. */
  async function runOnRobot(
    orchestrator: JobOrchestrator,
    loaded: LoadedWorkflow,
    params: Record<string, unknown>,
    msg: Msg,
    signal: AbortSignal,
  ): Promise<RunRecord | undefined> {
    let shown = '';
    const show = (job: JobRecord) => {
      const key = job.robot
        ? job.current_step
          ? 'run.status.onRobotStep'
          : 'run.status.onRobot'
        : 'run.status.queued';
      const line = translate(RED, text(key), { job: job.job_id, robot: job.robot ?? '', step: job.current_step ?? '' });
      if (line !== shown) node.status(STATUS.busy((shown = line)));
    };
    const job = await orchestrator.runToEnd(
      { workflow_id: loaded.workflow.workflow_id, params, labels: labelsOf(msg), ...(mode ? { mode } : {}) },
      {
        target: { workflows: [loaded.workflow], baseDir: path.dirname(loaded.file) },
        timeoutS,
        signal,
        onUpdate: show,
      },
    );
    msg.job = jobView(job);
    return isRunRecord(job.record) ? job.record : undefined;
  }

  node.on('close', (_removed: boolean, closed: () => void) => {
    const current = running;
    current?.controller.abort(new Error(translate(RED, text('run.errors.closed'))));
    Promise.resolve(current?.done)
      .then(() => (engine ? releaseVisionEngine() : undefined))
      .then(() => {
        node.status({});
        closed();
      }, closed);
  });
}
