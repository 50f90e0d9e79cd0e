/**
 * The workflow runner: the seed's execution loop.
 *
 *   capture → recognise the current node → choose the edge → resolve its target → act →
 *   wait for the screen to settle → verify the post-condition (the expected node, with its
 *   minimum similarity, within its timeout) → continue, until an end node.
 *
 * A run starts on one of the workflow's entry nodes and is done on an end node, in the meaning
 * of lib/graph/workflow-queries.ts (declared ones, else those the graph's shape gives).
 *
 * Branches are followed by recognising which candidate screen appeared; loops (edges with a
 * `condition`) repeat while (or until) their expression holds on the screen (lib/contracts/
 * condition.ts; no expression: while their target is visible), never more than
 * `max_iterations`; an edge that
 * is a sub-workflow's `entry_edge` runs that workflow. The learning state (lowered by the mode)
 * decides who acts: OBSERVATION follows a person, COACHING shows each step and waits for the
 * person, AUTO_CANDIDATE asks before each step, AUTO_CONFIRMED acts alone. The safety rules
 * are checked before every action. A step counts as done only once its post-condition is
 * verified on the screen; the first step that cannot be verified stops the run, with its
 * screenshot, and nothing further is done.
 */
import crypto from 'crypto';
import path from 'path';
import type { Workflow, WorkflowEdge } from '../contracts/workflow';
import { checkCondition, loopContinues, type ConditionExpr } from '../contracts/condition';
import { screenFacts } from './loop-facts';
import type { AnalyticsHooks } from '../contracts/analytics-hooks';
import { destinations, endNodes, entryNodes, outgoingEdges } from '../graph/workflow-queries';
import { actsItself, decideMode, type AutonomyDecision, type RunMode } from './autonomy';
import { ActionPerformer, type ActionOutcome } from './actions';
import { preferredStrategy } from './edge-stats';
import type { RunLearning } from './run-learning';
import {
  AmbiguousTargetError,
  ConfirmationRefusedError,
  ExecutionCancelledError,
  ExecutionError,
  ExecutionTimeoutError,
  InvalidConditionError,
  NoPathError,
  StepNotTakenError,
  SubWorkflowError,
  UnexpectedScreenError,
  UnknownStartScreenError,
  WrongItemError,
  sleep,
  throwIfCancelled,
} from './errors';
import {
  ScreenshotWriter,
  type RunRecord,
  type RunStatus,
  type StepRecord,
  type StepVerification,
} from './execution-record';
import { NO_HUMAN, type HumanGate, type StepPrompt } from './human-gate';
import { Locator } from './locator';
import { NodeRecognizer, describeScreen, minSimilarityOf, textOnScreen, type Recognition } from './node-recognizer';
import { resolveParameters } from './parameters';
import { maskSecrets, redactSecrets, secretParameterNames, secretValues } from '../contracts/secrets';
import { confirmationRule, describeAmountVerdict, type AmountSeen } from './safety-gate';
import { amountReason, candidateList, promptWords, stepWording, wordStep, type ReasonWording } from './step-wording';
import type { Frame, ScreenObserver } from './screen-observer';
import { shownOn } from '../vision/selection-policy';
import { describeFailed, runValues, waitForOwnScreen } from './own-screen-check';
import { DesktopBusyError, withDesktopLease } from '../platform';

export interface RunProgress {
  execution_id: string;
  workflow_id: string;
  step: number;
  /** Steps on the way from the start to an end node (loops may add more). */
  total: number;
  edge_id?: string;
  node_id?: string | null;
  message: string;
  /** Seconds left, from the average step time so far. */
  eta_s: number | null;
  /** Set while the run waits for the desktop: who holds it now. */
  waiting_for_desktop?: string;
}

export interface RunOptions {
  /** Values for the workflow's parameters (`--var`, msg.payload); defaults fill the rest. */
  params?: Record<string, unknown>;
  /** Requested mode: can only lower the learned autonomy, unless `operatorOverride`. */
  mode?: RunMode | null;
  /** The CLI's explicit `--mode auto`: logged, and allowed above the learned state. */
  operatorOverride?: boolean;
  signal?: AbortSignal;
  /** Whole-run budget; exceeded → status "timeout". */
  timeoutMs?: number;
  /** How long a screen may take to appear at the start. Default 10 s. */
  startTimeoutMs?: number;
  /** How long a person has for a coached/observed step. Default 300 s. */
  humanTimeoutMs?: number;
  human?: HumanGate;
  analytics?: AnalyticsHooks | null;
  /** Screenshots (before/after each step, failure) go here; none when null. */
  screenshotsDir?: string | null;
  /** The workflow file (anchor images are relative to it). */
  workflowFile?: string;
  /** Loads a sub-workflow by id or path. */
  loadWorkflow?: (idOrPath: string) => Workflow;
  onProgress?: (p: RunProgress) => void;
  log?: (line: string) => void;
  /**
   * Learn from this run: edge stats, healing memory and learning counters, returned by
   * `runner.learned` (the workflow object is left as it is; runWorkflow saves them). Default true.
   */
  learn?: boolean;
  /** Count this run towards the workflow's learning state (false for a single edge). Default true. */
  countRun?: boolean;
  /** Id for the run; generated when absent. */
  executionId?: string;
  /**
   * Awaited before each step acts on the desktop (a robot records that the job has acted, and
   * stops here when it cannot: issue 18). A throw ends the run before the step.
   */
  beforeAction?: (step: number, edge: WorkflowEdge) => Promise<void>;
  /** Start from this screen instead of the entry screens (a person resuming a job from a named step). */
  startNode?: string;
  /**
   * How long to wait while another run drives the desktop; default: until it is free. 0 refuses
   * at once (the run fails with `desktop_busy`).
   */
  desktopWaitMs?: number;
}

const DEFAULT_STEP_TIMEOUT_S = 10;
const DEFAULT_MIN_SIMILARITY = 0.8;
const DEFAULT_MAX_ITERATIONS = 10;

export class WorkflowRunner {
  private readonly recognizer: NodeRecognizer;
  private readonly decision: AutonomyDecision;
  private readonly values: Record<string, string>;
  /** Parameters whose values never leave the run: masked in the record, analytics and messages. */
  private readonly secretNames: Set<string>;
  private readonly secrets: string[];
  private readonly shots: ScreenshotWriter;
  private readonly human: HumanGate;
  private readonly record: RunRecord;
  private readonly iterations = new Map<string, number>();
  private readonly conditions = new Map<string, ConditionExpr>();
  /** Parameter values typed so far that are amounts (max_amount_without_manual_check). */
  private readonly typedAmounts: AmountSeen[] = [];
  private readonly controller = new AbortController();
  private stepDurations: number[] = [];
  private lowestSimilarity = 1;
  private healed = false;
  private readonly learning: RunLearning;

  constructor(
    private readonly workflow: Workflow,
    private readonly observer: ScreenObserver,
    private readonly options: RunOptions = {},
  ) {
    this.decision = decideMode(workflow, options.mode ?? null, options.operatorOverride ?? false);
    this.values = resolveParameters(workflow, options.params);
    this.secretNames = secretParameterNames(workflow);
    this.secrets = secretValues(this.values, this.secretNames);
    this.recognizer = new NodeRecognizer(workflow, observer.vision, this.values);
    this.shots = new ScreenshotWriter(options.screenshotsDir ?? null);
    this.learning = { workflow_id: workflow.workflow_id, version: workflow.version ?? null, edges: [], run: null };
    this.human = options.human ?? NO_HUMAN;
    this.record = {
      execution_id:
        options.executionId ??
        `exec_${new Date()
          .toISOString()
          .replace(/[-:.TZ]/g, '')
          .slice(0, 14)}_${crypto.randomBytes(3).toString('hex')}`,
      workflow_id: workflow.workflow_id,
      workflow_name: workflow.name,
      workflow_file: options.workflowFile,
      parameters: maskSecrets(this.values, this.secretNames),
      mode: this.decision.mode,
      learned_state: this.decision.learned_state,
      mode_reason: this.decision.reason,
      operator_override: this.decision.override,
      started_at: new Date().toISOString(),
      completed_at: null,
      duration_s: 0,
      status: 'running',
      verified: false,
      start_node: null,
      end_node: null,
      steps: [],
      failure: null,
      screenshots_dir: options.screenshotsDir ?? null,
    };
  }

  get executionId(): string {
    return this.record.execution_id;
  }

  /**
   * What the run learned (edge statistics, healing preference, learning counters), for the
   * workflow store to apply (run-learning.ts): the runner never rewrites the workflow it runs.
   */
  get learned(): RunLearning {
    return this.learning;
  }

  get mode(): AutonomyDecision {
    return this.decision;
  }

  private get signal(): AbortSignal {
    return this.controller.signal;
  }

  private log(line: string): void {
    this.options.log?.(redactSecrets(line, this.secrets));
  }

  /** Hooks never break a run (the analytics guide's first rule). */
  private hook(fn: (a: AnalyticsHooks) => void): void {
    const a = this.options.analytics;
    if (!a) return;
    try {
      fn(a);
    } catch (err) {
      this.log(`analytics hook failed: ${(err as Error).message}`);
    }
  }

  /**
   * Runs the workflow; never throws for a failed run — the record says what happened. The run
   * holds the desktop's lease (lib/platform/desktop-lease.ts): while another run drives this
   * display it waits (up to `desktopWaitMs`), so two runs never interleave their actions.
   */
  async run(): Promise<RunRecord> {
    try {
      return await withDesktopLease(
        {
          holder: `workflow ${this.workflow.workflow_id} (run ${this.record.execution_id})`,
          waitMs: this.options.desktopWaitMs,
          signal: this.options.signal,
          onWait: (who) => {
            this.log(`waiting for the desktop: it is busy with ${who}`);
            this.options.onProgress?.({
              execution_id: this.record.execution_id,
              workflow_id: this.workflow.workflow_id,
              step: 0,
              total: this.plannedSteps(),
              message: `waiting for the desktop (busy with ${who})`,
              eta_s: null,
              waiting_for_desktop: who,
            });
          },
        },
        () => this.runOnDesktop(),
      );
    } catch (err) {
      // Only the wait for the desktop throws here: nothing was done.
      const cancelled = !(err instanceof DesktopBusyError);
      this.record.status = cancelled ? 'cancelled' : 'failed';
      this.record.completed_at = new Date().toISOString();
      this.record.failure = {
        kind: cancelled ? 'cancelled' : 'desktop_busy',
        message: redactSecrets(
          cancelled ? `cancelled while waiting for the desktop: ${(err as Error).message}` : (err as Error).message,
          this.secrets,
        ),
        edge_id: null,
        node_id: null,
        step: null,
        screenshot: null,
      };
      this.log(`stopped: ${this.record.failure.message}`);
      // A run that never got the desktop is still a run the dashboard shows.
      this.record.started_at = this.record.completed_at;
      this.record.duration_s = 0;
      this.announceStart(this.plannedSteps());
      this.announceEnd(this.record.status);
      return this.record;
    }
  }

  /** Tells the analytics a run began (with its parameters masked). */
  private announceStart(total: number): void {
    this.hook((a) =>
      a.on_execution_start({
        workflow_id: this.workflow.workflow_id,
        total_steps: total,
        execution_id: this.record.execution_id,
        metadata: {
          mode: this.decision.mode,
          operator_override: this.decision.override,
          parameters: maskSecrets(this.values, this.secretNames),
          ...(this.record.screenshots_dir ? { screenshots_dir: this.record.screenshots_dir } : {}),
        },
      }),
    );
  }

  /** Tells the analytics how the run ended. */
  private announceEnd(status: RunStatus): void {
    const steps = this.record.steps;
    this.hook((a) =>
      a.on_execution_complete({
        execution_id: this.record.execution_id,
        workflow_id: this.workflow.workflow_id,
        started_at: this.record.started_at,
        completed_at: this.record.completed_at!,
        duration: this.record.duration_s,
        status,
        steps_completed: steps.filter((s) => s.status === 'success').length,
        steps_failed: steps.filter((s) => s.status === 'failed').length,
        error_message: this.record.failure?.message ?? null,
        failed_at: this.record.failure ? (this.record.failure.edge_id ?? this.record.failure.node_id) : null,
      }),
    );
  }

  private async runOnDesktop(): Promise<RunRecord> {
    this.record.started_at = new Date().toISOString();
    const started = performance.now();
    const outer = this.options.signal;
    const onAbort = () => this.controller.abort(outer?.reason ?? new Error('cancelled'));
    if (outer?.aborted) onAbort();
    outer?.addEventListener('abort', onAbort, { once: true });
    const timer = this.options.timeoutMs
      ? setTimeout(
          () =>
            this.controller.abort(new ExecutionTimeoutError(`the run took longer than ${this.options.timeoutMs} ms`)),
          this.options.timeoutMs,
        )
      : null;
    if (this.decision.override) this.log(`OPERATOR OVERRIDE: ${this.decision.reason}`);
    else this.log(`mode ${this.decision.mode}: ${this.decision.reason}`);
    const total = this.plannedSteps();
    this.announceStart(total);
    let status: RunStatus = 'success';
    try {
      await this.loop(total);
      this.record.verified = this.record.steps.length > 0 && this.record.steps.every((s) => s.status === 'success');
    } catch (err) {
      status = this.fail(err);
    } finally {
      if (timer) clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    }
    await this.shots.flush();
    this.record.status = status;
    this.record.completed_at = new Date().toISOString();
    this.record.duration_s = Math.round(performance.now() - started) / 1000;
    this.announceEnd(status);
    if (this.options.learn !== false && this.options.countRun !== false && status !== 'cancelled')
      this.learning.run = {
        mode: this.decision.mode,
        success: status === 'success',
        duration_s: this.record.duration_s,
        confidence: this.lowestSimilarity,
        ui_changed: this.healed && status !== 'success',
        at: this.record.completed_at!,
      };
    return this.record;
  }

  /** Turns what stopped the run into the record's failure and the run status. */
  private fail(err: unknown): RunStatus {
    let e = err as Error;
    if (
      this.signal.aborted &&
      !(e instanceof ExecutionTimeoutError) &&
      this.signal.reason instanceof ExecutionTimeoutError
    )
      e = this.signal.reason;
    else if (this.signal.aborted && !(e instanceof ExecutionError))
      e = new ExecutionCancelledError(`cancelled: ${e.message}`);
    const ctx = e instanceof ExecutionError ? e.context : {};
    const last = this.record.steps[this.record.steps.length - 1];
    let screenshot = ctx.screenshot ?? null;
    if (!screenshot && this.observer.latest) screenshot = this.shots.save(this.observer.latest.screen, 'failure');
    this.record.failure = {
      kind: e instanceof ExecutionError ? e.kind : 'internal_error',
      message: redactSecrets(e.message, this.secrets),
      edge_id: ctx.edge_id ?? (last && last.status !== 'success' ? last.edge_id : null),
      node_id: ctx.node_id ?? (last ? last.from_node : this.record.start_node),
      step: last && last.status !== 'success' ? last.step : null,
      target: ctx.target,
      tried: ctx.tried,
      seen: ctx.seen,
      ...(ctx.candidates ? { candidates: ctx.candidates } : {}),
      screenshot,
    };
    this.log(`stopped: ${e.name}: ${e.message}`);
    return e instanceof ExecutionError ? e.status : 'failed';
  }

  /** Length of the shortest way from an entry node to an end node (the step count shown). */
  private plannedSteps(): number {
    const wf = this.workflow;
    const starts = entryNodes(wf);
    const ends = new Set(endNodes(wf));
    const dist = new Map<string, number>(starts.map((s) => [s, 0]));
    const queue = [...starts];
    while (queue.length) {
      const n = queue.shift()!;
      if (ends.has(n) && dist.get(n)! > 0) return dist.get(n)!;
      for (const e of outgoingEdges(wf, n).filter((x) => !x.condition)) {
        for (const to of destinations(e)) {
          if (!dist.has(to) || (ends.has(to) && to === n)) {
            dist.set(to, dist.get(n)! + 1);
            queue.push(to);
          }
        }
      }
    }
    return wf.edges.filter((e) => !e.condition).length;
  }

  private progress(step: number, total: number, message: string, edge?: WorkflowEdge): void {
    const avg = this.stepDurations.length
      ? this.stepDurations.reduce((a, b) => a + b, 0) / this.stepDurations.length
      : null;
    const left = Math.max(0, total - step);
    this.options.onProgress?.({
      execution_id: this.record.execution_id,
      workflow_id: this.workflow.workflow_id,
      step,
      total,
      edge_id: edge?.edge_id,
      node_id: edge?.from_node,
      message,
      eta_s: avg === null ? null : Math.round((avg * left) / 100) / 10,
    });
  }

  /** Parses every loop condition before anything is done: a bad expression acts on nothing. */
  private parseConditions(): void {
    for (const e of this.workflow.edges) {
      if (e.condition?.expression === undefined) continue;
      try {
        this.conditions.set(e.edge_id, checkCondition(e.condition.expression, Object.keys(this.values)));
      } catch (err) {
        throw new InvalidConditionError(`the loop ${e.edge_id} has an invalid condition: ${(err as Error).message}`, {
          edge_id: e.edge_id,
          node_id: e.from_node,
        });
      }
    }
  }

  private async loop(total: number): Promise<void> {
    const wf = this.workflow;
    this.parseConditions();
    let frame = await this.observer.settle({ maxMs: 1500, signal: this.signal });
    const entries = this.options.startNode ? [this.options.startNode] : entryNodes(wf);
    const start = await this.waitForNodes(entries, this.options.startTimeoutMs ?? 10_000, frame);
    frame = start.frame;
    if (!start.node) {
      const shot = this.shots.save(frame.screen, 'start_unknown');
      throw new UnknownStartScreenError(
        `the screen is none of the workflow's entry screens (${entries.join(', ')}): ${describeScreen(frame, start.recognition)}`,
        { seen: describeScreen(frame, start.recognition), screenshot: shot },
      );
    }
    let current = start.node;
    this.record.start_node = current;
    this.log(`start screen: ${current} (similarity ${start.recognition.similarity})`);
    let step = 0;
    for (;;) {
      throwIfCancelled(this.signal);
      const edge = await this.chooseEdge(current, frame, step);
      if (!edge) break;
      step++;
      this.progress(step - 1, Math.max(total, step), `step ${step}: ${edge.edge_id}`, edge);
      await this.options.beforeAction?.(step, edge);
      const result = await this.step(step, edge, frame);
      frame = result.frame;
      current = result.node;
    }
    if (step === 0)
      throw new NoPathError(`nothing to do from ${current}: it has no outgoing edge`, { node_id: current });
    this.record.end_node = current;
    this.progress(step, step, `done at ${current}`);
  }

  private isEnd(node: string): boolean {
    return endNodes(this.workflow).includes(node);
  }

  /**
   * The edge to take from `node`: a loop (edge with a condition) while its condition says to go
   * on and its maximum is not reached; otherwise the first edge not yet taken whose
   * target is visible now, else the first one not yet taken. At an end node (after at least
   * one step) only loops continue.
   */
  private async chooseEdge(node: string, frame: Frame, stepsDone: number): Promise<WorkflowEdge | null> {
    const out = outgoingEdges(this.workflow, node);
    const taken = (e: WorkflowEdge) => this.iterations.get(e.edge_id) ?? 0;
    for (const e of out.filter((x) => x.condition)) if (await this.loopGoesOn(e, frame, taken(e))) return e;
    if (this.isEnd(node) && stepsDone > 0) return null;
    const fresh = out.filter((e) => !e.condition && taken(e) === 0);
    for (const e of fresh) if (await this.targetVisible(e, frame)) return e;
    if (fresh.length) return fresh[0];
    if (this.isEnd(node)) return null;
    const exhausted = out
      .filter((e) => e.condition)
      .map((e) => `${e.edge_id} (${taken(e)}/${e.condition!.max_iterations})`);
    throw new NoPathError(
      `no way on from ${node}: ${out.length ? `every edge was taken${exhausted.length ? `, loops at their maximum: ${exhausted.join(', ')}` : ''}` : 'it has no outgoing edge'} and it is not an end node`,
      { node_id: node },
    );
  }

  /**
   * Whether to go round the loop `edge` once more: its while/until expression on the screen
   * now (no expression: while its target is visible), and never past its max_iterations — a
   * loop stopped by its maximum while its condition still held is noted in the record.
   */
  private async loopGoesOn(edge: WorkflowEdge, frame: Frame, passes: number): Promise<boolean> {
    const c = edge.condition!;
    const max = c.max_iterations ?? DEFAULT_MAX_ITERATIONS;
    const expr = this.conditions.get(edge.edge_id);
    let wants: boolean;
    try {
      wants = expr
        ? await loopContinues(
            c.type ?? 'while',
            expr,
            screenFacts(frame, this.values, passes, () => this.targetVisible(edge, frame)),
          )
        : await this.targetVisible(edge, frame);
    } catch (err) {
      throw new InvalidConditionError(
        `the loop ${edge.edge_id} (${c.type ?? 'while'} ${c.expression}) could not be evaluated: ${(err as Error).message}`,
        { edge_id: edge.edge_id, node_id: edge.from_node },
      );
    }
    if (!wants) {
      if (passes > 0)
        this.log(
          `loop ${edge.edge_id}: ${c.type ?? 'while'} ${c.expression ?? 'its target is visible'} ends after ${passes} pass(es)`,
        );
      return false;
    }
    if (passes < max) return true;
    const noted = (this.record.loops_stopped_at_max ??= []);
    if (!noted.some((n) => n.edge_id === edge.edge_id)) {
      noted.push({
        edge_id: edge.edge_id,
        max_iterations: max,
        condition: `${c.type ?? 'while'} ${c.expression ?? 'target_visible'}`,
      });
      this.log(
        `loop ${edge.edge_id}: stopped at its maximum of ${max} pass(es) although ${c.type ?? 'while'} ${c.expression ?? 'target_visible'} would go on`,
      );
    }
    return false;
  }

  private async targetVisible(edge: WorkflowEdge, frame: Frame): Promise<boolean> {
    const target = edge.action.target ?? edge.action.steps?.find((s) => s.target)?.target;
    if (!target) return true;
    const o = await new Locator(target)
      .tryOn(this.observer.vision, frame, 'primary', { baseDir: this.baseDir })
      .catch(() => null);
    return o?.kind === 'hit';
  }

  private get baseDir(): string | undefined {
    return this.options.workflowFile ? path.dirname(this.options.workflowFile) : undefined;
  }

  /** Polls the screen until one of `nodes` is recognised or the time is up. */
  /**
   * A step that hands a value over to another program (copied in the calculator, to be pasted in
   * the editor) leaves the first one active, as the person's click on the other window is not a
   * step: when every expected screen belongs to another program than the active window's, that
   * program's window is brought to the front. Null when nothing was switched.
   */
  private async toProgramOf(nodes: string[], frame: Frame): Promise<Frame | null> {
    const windows = this.observer.desktop.windows;
    const active = frame.window?.appName;
    if (!windows.list || !active) return null;
    const programs = nodes.map(
      (id) => this.workflow.nodes.find((n) => n.node_id === id)?.screen_template.window?.app_name_any_of ?? [],
    );
    if (programs.some((p) => !p.length || p.includes(active))) return null;
    const wanted = new Set(programs.flat());
    const target = (await windows.list()).find((w) => wanted.has(w.appName));
    if (!target) return null;
    this.log(`switching to ${target.appName} ("${target.title}"), where the next screen is`);
    await windows.focus(target.id);
    return this.observer.settle({ maxMs: 3000, signal: this.signal });
  }

  private async waitForNodes(
    nodes: string[],
    timeoutMs: number,
    first: Frame,
  ): Promise<{ node: string | null; recognition: Recognition; frame: Frame; elapsed_ms: number; verify_ms: number }> {
    const t0 = performance.now();
    let frame = first;
    let verifyMs = frame.cost_ms;
    let delay = 150;
    for (;;) {
      const r0 = performance.now();
      // All nodes are scored so an unexpected screen can be named; only `nodes` may match.
      const recognition = await this.recognizer.recognise(frame);
      const expected = recognition.scores.filter((s) => nodes.includes(s.node_id));
      const best = expected.find(
        (s) => s.similarity >= minSimilarityOf(this.workflow.nodes.find((n) => n.node_id === s.node_id)),
      );
      verifyMs += performance.now() - r0;
      // Another node clearly better than the expected one means the screen is not it.
      const other = recognition.scores[0];
      if (best && !(other && !nodes.includes(other.node_id) && other.similarity > best.similarity + 0.1)) {
        this.lowestSimilarity = Math.min(this.lowestSimilarity, best.similarity);
        return {
          node: best.node_id,
          recognition: { ...recognition, node_id: best.node_id, similarity: best.similarity },
          frame,
          elapsed_ms: performance.now() - t0,
          verify_ms: verifyMs,
        };
      }
      if (performance.now() - t0 >= timeoutMs)
        return { node: null, recognition, frame, elapsed_ms: performance.now() - t0, verify_ms: verifyMs };
      await sleep(Math.min(delay, Math.max(0, timeoutMs - (performance.now() - t0))), this.signal);
      delay = Math.min(1000, delay * 2);
      frame = await this.observer.capture();
      verifyMs += frame.cost_ms;
    }
  }

  private async waitForPersonToAct(start: Frame, timeoutMs: number, stepNo: number, edge: WorkflowEdge): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!(await this.observer.changedSince(start))) {
      if (performance.now() >= deadline)
        throw new ExecutionTimeoutError(
          `nobody did step ${stepNo} (${this.describeEdge(edge)}) within ${Math.round(timeoutMs / 1000)} s: the screen did not change`,
        );
      await sleep(250, this.signal);
    }
  }

  private describeEdge(edge: WorkflowEdge): string {
    return wordStep(stepWording(edge.action), 'en');
  }

  private async step(stepNo: number, edge: WorkflowEdge, frame: Frame): Promise<{ frame: Frame; node: string }> {
    const t0 = performance.now();
    this.iterations.set(edge.edge_id, (this.iterations.get(edge.edge_id) ?? 0) + 1);
    // Taking a loop starts a new pass through its body: the plain edges may be taken again.
    if (edge.condition) for (const e of this.workflow.edges) if (!e.condition) this.iterations.delete(e.edge_id);
    const expected = destinations(edge);
    const rec: StepRecord = {
      step: stepNo,
      edge_id: edge.edge_id,
      from_node: edge.from_node,
      to_node: edge.to_node ?? null,
      ...(edge.to_node_candidates ? { to_node_candidates: edge.to_node_candidates } : {}),
      action_type: edge.action.type,
      started_at: new Date().toISOString(),
      completed_at: null,
      duration_ms: 0,
      timings_ms: { resolve: 0, act: 0, settle: 0, verify: 0, overhead: 0 },
      targets: [],
      strategy: null,
      score: null,
      screenshots: { before: this.shots.save(frame.screen, `step${stepNo}_before`), after: null },
      verification: null,
      recoveries: [],
      status: 'failed',
      ...(edge.condition
        ? {
            loop: {
              iteration: this.iterations.get(edge.edge_id)!,
              max_iterations: edge.condition.max_iterations ?? DEFAULT_MAX_ITERATIONS,
              condition: `${edge.condition.type ?? 'while'} ${edge.condition.expression ?? 'target_visible'}`,
            },
          }
        : {}),
    };
    this.record.steps.push(rec);
    this.hook((a) =>
      a.on_step_start({ execution_id: this.record.execution_id, node_id: edge.from_node, step_number: stepNo }),
    );
    let success = false;
    let errorMessage: string | null = null;
    try {
      const result = await this.perform(stepNo, edge, frame, rec, expected);
      success = true;
      return result;
    } catch (err) {
      errorMessage = redactSecrets((err as Error).message, this.secrets);
      rec.error = { kind: err instanceof ExecutionError ? err.kind : 'internal_error', message: errorMessage };
      if (err instanceof ExecutionError) {
        err.context.edge_id ??= edge.edge_id;
        err.context.node_id ??= edge.from_node;
        if (!err.context.screenshot)
          err.withScreenshot(
            rec.screenshots.after ?? this.shots.save(this.observer.latest?.screen, `step${stepNo}_failure`),
          );
        rec.screenshots.after ??= err.context.screenshot ?? null;
      }
      throw err;
    } finally {
      rec.status = success ? 'success' : 'failed';
      rec.completed_at = new Date().toISOString();
      rec.duration_ms = Math.round(performance.now() - t0);
      this.stepDurations.push(rec.duration_ms);
      if (this.options.learn !== false && !this.signal.aborted)
        this.learning.edges.push({
          edge_id: edge.edge_id,
          mode: this.decision.mode,
          success,
          duration_ms: rec.duration_ms,
          strategy: rec.strategy,
          at: rec.completed_at!,
        });
      this.hook((a) =>
        a.on_step_complete({
          execution_id: this.record.execution_id,
          workflow_id: this.workflow.workflow_id,
          node_id: edge.from_node,
          action_type: edge.action.type,
          started_at: rec.started_at,
          completed_at: rec.completed_at!,
          duration: rec.duration_ms / 1000,
          success,
          error_message: errorMessage,
        }),
      );
    }
  }

  private async perform(
    stepNo: number,
    edge: WorkflowEdge,
    frame: Frame,
    rec: StepRecord,
    expected: string[],
  ): Promise<{ frame: Frame; node: string }> {
    const sub = this.workflow.sub_workflows?.find((s) => s.entry_edge === edge.edge_id);
    if (sub) return this.runSubWorkflow(sub.sub_workflow_id, edge, rec, expected);
    const mode = this.decision.mode;
    const timeoutMs = (edge.constraints?.max_delay_seconds ?? DEFAULT_STEP_TIMEOUT_S) * 1000;
    const performer = (act: boolean) =>
      new ActionPerformer({
        observer: this.observer,
        workflow: this.workflow,
        values: this.values,
        edgeId: edge.edge_id,
        timeoutMs,
        signal: this.signal,
        baseDir: this.baseDir,
        preferred: preferredStrategy(edge),
        frame,
        act,
        typedAmounts: this.typedAmounts,
        // Asked in every mode that acts, AUTO_CONFIRMED included, as require_confirmation_for is.
        manualCheck: async (verdict, pointer) => {
          const ok = await this.human.confirm(
            {
              execution_id: this.record.execution_id,
              workflow_id: this.workflow.workflow_id,
              step: stepNo,
              edge_id: edge.edge_id,
              ...promptWords(stepWording(edge.action, pointer?.label), amountReason(verdict)),
              bbox: pointer?.bbox ?? null,
              point: pointer?.point ?? null,
              highlight: this.shots.saveHighlighted(
                this.observer.latest?.screen ?? frame.screen,
                pointer?.bbox ?? null,
                `step${stepNo}_amount_check`,
              ),
            },
            this.signal,
          );
          if (ok) rec.human = 'confirmed';
          this.log(
            `step ${stepNo}: ${describeAmountVerdict(verdict)}: ${ok ? 'confirmed by a person' : 'not confirmed'}`,
          );
          return ok;
        },
        onAttempt: (a) => {
          // Kept on the step as they happen, so a step that fails still shows what was tried.
          rec.recoveries.push(a);
          this.hook((h) =>
            h.on_recovery_attempt({
              execution_id: this.record.execution_id,
              workflow_id: this.workflow.workflow_id,
              node_id: edge.from_node,
              strategy: a.strategy,
              success: a.success,
              duration: a.duration_ms / 1000,
            }),
          );
        },
      });
    const prompt = (outcome: ActionOutcome | null, reason: ReasonWording): StepPrompt => {
      const t = outcome?.pointer ?? outcome?.resolved[0];
      return {
        execution_id: this.record.execution_id,
        workflow_id: this.workflow.workflow_id,
        step: stepNo,
        edge_id: edge.edge_id,
        ...promptWords(stepWording(edge.action), reason),
        bbox: t?.bbox ?? null,
        point: t?.point ?? null,
        highlight: this.shots.saveHighlighted(frame.screen, t?.bbox ?? null, `step${stepNo}_highlight`),
      };
    };
    let outcome: ActionOutcome | null = null;
    let humanTimeout = false;
    let personActs = false;
    if (!actsItself(mode)) {
      // The person acts. In COACHING the target is found first so it can be shown.
      if (mode === 'coach') {
        let why: ReasonWording = { code: 'coach' };
        outcome = await performer(false)
          .perform(edge.action)
          .catch((err: unknown) => {
            if (err instanceof AmbiguousTargetError)
              why = { code: 'coach', candidates: candidateList(err.context.candidates ?? []) };
            return null;
          });
        await this.human.coach(prompt(outcome, why));
        rec.human = 'coached';
      } else {
        rec.human = 'observed';
      }
      this.log(`${mode}: waiting for the person to ${this.describeEdge(edge)}`);
      humanTimeout = true;
    } else {
      const rule = confirmationRule(this.workflow, edge);
      if (mode === 'confirm' || rule) {
        // Show what will be acted on before asking.
        const preview = await performer(false)
          .perform(edge.action)
          .catch((err: unknown) => {
            // Several equally good targets: the person who is asked chooses by doing the step;
            // alone (AUTO_CONFIRMED with a rule) the run stops on the ambiguity, having done nothing.
            if (mode !== 'confirm' || !(err instanceof AmbiguousTargetError)) throw err;
            return err;
          });
        if (preview instanceof AmbiguousTargetError) {
          await this.human.coach(
            prompt(null, { code: 'do_it_yourself', candidates: candidateList(preview.context.candidates ?? []) }),
          );
          rec.human = 'coached';
          this.log(`step ${stepNo}: ${preview.message}; waiting for the person to do it`);
          personActs = true;
        } else {
          const ok = await this.human.confirm(
            prompt(preview, rule ? { code: 'confirmation_rule', rule } : { code: 'confirm_each_step' }),
            this.signal,
          );
          if (!ok)
            throw new ConfirmationRefusedError(
              `step ${stepNo} (${this.describeEdge(edge)}) was not confirmed${rule ? ` (${rule})` : ''}; nothing was done`,
              { edge_id: edge.edge_id },
            );
          rec.human = 'confirmed';
        }
      }
      if (personActs) humanTimeout = true;
      else outcome = await performer(true).perform(edge.action);
    }
    if (outcome) {
      rec.targets = outcome.resolved;
      rec.strategy = outcome.resolved[0]?.strategy ?? null;
      rec.score = outcome.resolved[0]?.score ?? null;
      rec.timings_ms.resolve = Math.round(outcome.resolve_ms);
      rec.timings_ms.act = Math.round(outcome.act_ms);
      if (outcome.resolved.some((r) => r.strategy !== 'primary')) this.healed = true;
    }
    // A step a person does that comes back to its own screen (a form emptied after each record, a
    // calculator): that screen is there before they act, so it proves nothing until the window changed.
    if (humanTimeout && expected.includes(edge.from_node))
      await this.waitForPersonToAct(frame, this.options.humanTimeoutMs ?? 300_000, stepNo, edge);
    // Wait for the application, then verify the post-condition.
    const s0 = performance.now();
    let after = await this.observer.settle({ maxMs: 3000, signal: this.signal });
    if (!humanTimeout) after = (await this.toProgramOf(expected, after)) ?? after;
    const settleMs = performance.now() - s0 - after.cost_ms;
    const verifyTimeout = humanTimeout
      ? (this.options.humanTimeoutMs ?? 300_000)
      : (edge.post_conditions?.timeout_seconds ?? DEFAULT_STEP_TIMEOUT_S) * 1000;
    let seen = await this.waitForNodes(expected, verifyTimeout, after);
    if (!seen.node && mode === 'confirm') {
      // AUTO_CANDIDATE pauses on an unexpected screen: a person decides.
      const shot = this.shots.save(seen.frame.screen, `step${stepNo}_unexpected`);
      const answer = await this.human.unexpected(
        {
          execution_id: this.record.execution_id,
          workflow_id: this.workflow.workflow_id,
          step: stepNo,
          edge_id: edge.edge_id,
          expected,
          seen: describeScreen(seen.frame, seen.recognition),
          screenshot: shot,
        },
        this.signal,
      );
      if (answer === 'retry') seen = await this.waitForNodes(expected, verifyTimeout, await this.observer.capture());
    }
    after = seen.frame;
    rec.screenshots.after = this.shots.save(after.screen, `step${stepNo}_after`);
    const min =
      edge.post_conditions?.min_similarity ??
      minSimilarityOf(this.workflow.nodes.find((n) => n.node_id === (seen.node ?? expected[0])));
    const verification: StepVerification = {
      expected,
      node_id: seen.node,
      similarity: seen.recognition.similarity,
      min_similarity: min ?? DEFAULT_MIN_SIMILARITY,
      verified: !!seen.node && seen.recognition.similarity >= (edge.post_conditions?.min_similarity ?? 0),
      elapsed_ms: Math.round(seen.elapsed_ms),
    };
    if (outcome?.typed && outcome.typed.length <= 60)
      verification.typed_text_seen = textOnScreen(after.analysis, outcome.typed) >= 0.8;
    rec.verification = verification;
    rec.timings_ms.settle = Math.round(Math.max(0, settleMs));
    rec.timings_ms.verify = Math.round(seen.verify_ms);
    rec.timings_ms.overhead = rec.timings_ms.resolve + rec.timings_ms.act + rec.timings_ms.verify;
    if (!verification.verified) {
      const what = describeScreen(after, seen.recognition);
      throw new UnexpectedScreenError(
        `after step ${stepNo} (${this.describeEdge(edge)}) the expected screen ${expected.join(' or ')} did not appear within ${Math.round(verifyTimeout / 1000)} s; the screen shows ${what}`,
        {
          edge_id: edge.edge_id,
          node_id: edge.from_node,
          seen: what,
          screenshot: rec.screenshots.after,
          elapsed_ms: Math.round(seen.elapsed_ms),
        },
      );
    }
    if (outcome && edge.post_conditions?.same_item)
      after = await this.checkSameItem(stepNo, edge, outcome, after, verification, rec);
    // Only what the runner did is held to it: a person may have typed other values.
    if (outcome && !humanTimeout && edge.post_conditions?.own_screen)
      after = await this.checkOwnScreen(stepNo, edge, outcome, frame, after, verification);
    this.log(
      `step ${stepNo} ${edge.edge_id}: ${this.describeEdge(edge)} → ${seen.node} (similarity ${seen.recognition.similarity}${rec.strategy ? `, found by ${rec.strategy}` : ''})`,
    );
    return { frame: after, node: seen.node! };
  }

  /**
   * The learned `same_item` post-condition: the next screen shows the text of the acted-on
   * item's row (its invoice number, its name); another item's screen fails the step. The text
   * may come a moment after the screen (a title set late): looked for over up to 2 s.
   */
  private async checkSameItem(
    stepNo: number,
    edge: WorkflowEdge,
    outcome: ActionOutcome,
    after: Frame,
    verification: StepVerification,
    rec: StepRecord,
  ): Promise<Frame> {
    const want = edge.post_conditions!.same_item!;
    const acted = outcome.resolved.filter((r) => r.step === want.step).pop();
    const text = acted?.row?.[want.cell];
    const item = acted?.row?.length ? `the row "${acted.row.join(' | ')}"` : `"${acted?.label ?? '?'}"`;
    if (!text)
      throw new WrongItemError(
        `after step ${stepNo} (${this.describeEdge(edge)}) the item acted on cannot be checked: ${item} has no cell ${want.cell + 1} to look for on the next screen`,
        { edge_id: edge.edge_id, node_id: edge.from_node, screenshot: rec.screenshots.after },
      );
    const deadline = performance.now() + 2000;
    let frame = after;
    let shown = shownOn(frame.analysis, frame.window?.title ?? '', text);
    while (!shown && performance.now() < deadline) {
      await sleep(250, this.signal);
      frame = await this.observer.capture();
      shown = shownOn(frame.analysis, frame.window?.title ?? '', text);
    }
    verification.same_item = { text, shown };
    if (!shown) {
      const what = describeScreen(frame);
      throw new WrongItemError(
        `after step ${stepNo} (${this.describeEdge(edge)}) the screen is about another item: the step acted on ${item}, and the next screen does not show "${text}" (in the demonstrations it always showed that cell); the screen shows ${what}`,
        {
          edge_id: edge.edge_id,
          node_id: edge.from_node,
          seen: what,
          screenshot: this.shots.save(frame.screen, `step${stepNo}_wrong_item`),
        },
      );
    }
    return frame;
  }

  /**
   * The learned `own_screen` post-condition of a step back to its own screen: the values it typed
   * are gone (the form took the record) or show somewhere new (a new row), as in every
   * demonstration; otherwise the step fails, however well the screen is recognised.
   */
  private async checkOwnScreen(
    stepNo: number,
    edge: WorkflowEdge,
    outcome: ActionOutcome,
    before: Frame,
    after: Frame,
    verification: StepVerification,
  ): Promise<Frame> {
    const values = runValues(edge, outcome, before, this.values, this.secrets);
    const { frame, verdicts } = await waitForOwnScreen(edge, values, after, () => this.observer.capture(), this.signal);
    verification.own_screen = verdicts;
    if (verdicts.every((v) => v.held)) return frame;
    verification.verified = false;
    const what = describeScreen(frame);
    throw new StepNotTakenError(
      `after step ${stepNo} (${this.describeEdge(edge)}) the screen came back but the step did not take: ${describeFailed(verdicts)}; the screen shows ${what}`,
      {
        edge_id: edge.edge_id,
        node_id: edge.from_node,
        seen: what,
        screenshot: this.shots.save(frame.screen, `step${stepNo}_not_taken`),
      },
    );
  }

  private async runSubWorkflow(
    id: string,
    edge: WorkflowEdge,
    rec: StepRecord,
    expected: string[],
  ): Promise<{ frame: Frame; node: string }> {
    if (!this.options.loadWorkflow)
      throw new SubWorkflowError(
        `edge ${edge.edge_id} runs the sub-workflow "${id}", but no workflow loader was given`,
        { edge_id: edge.edge_id },
      );
    let sub: Workflow;
    try {
      sub = this.options.loadWorkflow(id);
    } catch (err) {
      throw new SubWorkflowError(`cannot load the sub-workflow "${id}": ${(err as Error).message}`, {
        edge_id: edge.edge_id,
      });
    }
    // The sub-workflow runs in this run's mode (it cannot raise autonomy) with the same values.
    const runner = new WorkflowRunner(sub, this.observer, {
      ...this.options,
      params: this.values,
      mode: this.decision.mode,
      operatorOverride: this.decision.override,
      startNode: undefined,
      signal: this.signal,
      executionId: undefined,
      onProgress: undefined,
    });
    const result = await runner.run();
    rec.sub_workflow = {
      workflow_id: sub.workflow_id,
      execution_id: result.execution_id,
      status: result.status as RunStatus,
    };
    if (result.status !== 'success')
      throw new SubWorkflowError(
        `the sub-workflow "${id}" ended with ${result.status}: ${result.failure?.message ?? ''}`,
        { edge_id: edge.edge_id, screenshot: result.failure?.screenshot ?? null },
      );
    const seen = await this.waitForNodes(
      expected,
      (edge.post_conditions?.timeout_seconds ?? DEFAULT_STEP_TIMEOUT_S) * 1000,
      await this.observer.capture(),
    );
    rec.verification = {
      expected,
      node_id: seen.node,
      similarity: seen.recognition.similarity,
      min_similarity: DEFAULT_MIN_SIMILARITY,
      verified: !!seen.node,
      elapsed_ms: Math.round(seen.elapsed_ms),
    };
    if (!seen.node)
      throw new UnexpectedScreenError(
        `after the sub-workflow "${id}" the expected screen ${expected.join(' or ')} did not appear; the screen shows ${describeScreen(seen.frame, seen.recognition)}`,
        { edge_id: edge.edge_id },
      );
    return { frame: seen.frame, node: seen.node };
  }
}

/**
 * The workflow reduced to one edge (the execute-edge node, exported flows): it starts at the
 * edge's source screen and ends at its target(s). Nodes, rules and the edge object itself are
 * shared with `workflow`, so the edge's statistics land in the original.
 */
export function restrictToEdge(workflow: Workflow, edgeId: string): Workflow {
  const edge = workflow.edges.find((e) => e.edge_id === edgeId);
  if (!edge)
    throw new NoPathError(
      `the workflow ${workflow.workflow_id} has no edge "${edgeId}" (edges: ${workflow.edges.map((e) => e.edge_id).join(', ')})`,
    );
  return {
    ...workflow,
    entry_nodes: [edge.from_node],
    end_nodes: destinations(edge),
    edges: [edge],
    sub_workflows: workflow.sub_workflows?.filter((s) => s.entry_edge === edgeId),
  };
}
