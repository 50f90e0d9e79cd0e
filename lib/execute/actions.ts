/**
 * Performs one edge action through the platform layer: clicks (left, right, double, with an
 * offset), typing (parameters substituted, optional clear-field), key combinations, scroll,
 * drag, wait, compound steps with `repeat`, and the seed's `row_then_button` strategy. Every
 * pointer action resolves its target with auto-wait + healing, and passes the safety gate on
 * what is really under the pointer immediately before the mouse moves.
 */
import type { Target, Workflow, WorkflowAction } from '../contracts/workflow';
import type { Point2 } from '../vision/types';
import type { MouseButton } from '../platform/types';
import {
  ActionFailedError,
  AmbiguousTargetError,
  ManualCheckRequiredError,
  SafetyViolationError,
  sleep,
  throwIfCancelled,
} from './errors';
import { Locator, resolveLocator, type Hit, type RecoveryAttempt, type Resolution } from './locator';
import {
  amountOverLimit,
  amountsTyped,
  checkActionSafety,
  describeAmountVerdict,
  type ActionSubject,
  type AmountSeen,
  type AmountVerdict,
} from './safety-gate';
import { substituteParameters } from './parameters';
import { onRow, rowCells, rowsWithStatus, policyStatuses, type RowBand } from '../vision/selection-policy';
import { boxToScreen, toScreen, type Frame, type ScreenObserver } from './screen-observer';

export interface ActionContext {
  observer: ScreenObserver;
  workflow: Workflow;
  /** Parameter values of this run. */
  values: Record<string, string>;
  edgeId: string;
  /** Deadline for resolving each target. */
  timeoutMs: number;
  signal?: AbortSignal;
  baseDir?: string;
  /** Strategy that worked last time for this edge. */
  preferred?: string | null;
  /** The settled frame the step starts from. */
  frame?: Frame;
  onAttempt?: (a: RecoveryAttempt) => void;
  /** Whether to really act (false: resolve only, e.g. to show a coaching highlight). */
  act: boolean;
  /** Amounts typed from parameters so far in the run (this action adds its own). */
  typedAmounts?: AmountSeen[];
  /** Asks a person about an amount above max_amount_without_manual_check; true = go ahead. None: refused. */
  manualCheck?: (
    verdict: AmountVerdict,
    pointer: { point: Point2; bbox: [number, number, number, number]; label: string } | null,
  ) => Promise<boolean>;
}

export interface ResolvedTarget {
  target: string;
  strategy: string;
  match: string;
  score: number;
  point: Point2;
  bbox: [number, number, number, number];
  label: string;
  /** The cells of the row the item acted on stands on, left to right (its own text among them). */
  row?: string[];
  /** Which step of the edge's action it is (0 for a single action, the index in a compound). */
  step: number;
}

export interface ActionOutcome {
  resolved: ResolvedTarget[];
  attempts: RecoveryAttempt[];
  /** Milliseconds spent finding targets, and acting. */
  resolve_ms: number;
  act_ms: number;
  /** The text typed (after substitution), for verification. */
  typed?: string;
  typedInto?: [number, number, number, number];
  /** Where the action acts first (the point a person is shown in COACHING, or asked about). */
  pointer?: { point: Point2; bbox: [number, number, number, number]; label: string };
}

type Step = WorkflowAction & { repeat?: 'all' | number };

const POINTER = new Set(['mouse_click', 'double_click', 'right_click', 'drag']);

export class ActionPerformer {
  private outcome: ActionOutcome = { resolved: [], attempts: [], resolve_ms: 0, act_ms: 0 };
  private stepIndex = 0;

  constructor(private readonly ctx: ActionContext) {}

  async perform(action: WorkflowAction): Promise<ActionOutcome> {
    this.outcome = { resolved: [], attempts: [], resolve_ms: 0, act_ms: 0 };
    this.stepIndex = 0;
    await this.run(action, true);
    return this.outcome;
  }

  private get desktop() {
    return this.ctx.observer.desktop;
  }

  private refuse(action: WorkflowAction['type'], target: Target) {
    return (hit: Hit, frame: Frame): string | null => {
      const v = checkActionSafety(this.ctx.workflow, {
        action,
        target,
        element: hit.element,
        point: hit.point,
        bbox: hit.bbox,
        analysis: frame.analysis,
      });
      return v.allowed ? null : `${v.rule} matched ${v.matched}`;
    };
  }

  private async resolve(
    target: Target,
    action: WorkflowAction['type'],
    options: { all?: boolean; first?: boolean; frame?: Frame } = {},
  ): Promise<Resolution> {
    const t0 = performance.now();
    const locator = new Locator(this.withValues(target));
    try {
      const r = await resolveLocator(locator, this.ctx.observer, {
        timeoutMs: this.ctx.timeoutMs,
        signal: this.ctx.signal,
        frame: options.frame ?? (options.first ? this.ctx.frame : undefined),
        preferred: this.ctx.preferred,
        baseDir: this.ctx.baseDir,
        all: options.all,
        refuse: POINTER.has(action) || action === 'type_text' ? this.refuse(action, target) : undefined,
        scroll: this.ctx.act && !target.optional,
        onAttempt: (a) => {
          this.outcome.attempts.push(a);
          this.ctx.onAttempt?.(a);
        },
      });
      this.record(locator, r, r, r.frame);
      return r;
    } catch (err) {
      const context = (err as { context?: { edge_id?: string } }).context;
      if (context) context.edge_id = this.ctx.edgeId;
      throw err;
    } finally {
      this.outcome.resolve_ms += performance.now() - t0;
    }
  }

  /**
   * The target with the run's values in its selection policy (`row_with:{{patient}}`) and in the
   * text of the item it clicks (the keypad's key `{{clicked_1}}`).
   */
  private withValues(target: Target): Target {
    const out = { ...target };
    for (const key of ['selection_policy', 'text', 'label'] as const) {
      const value = target[key];
      if (typeof value === 'string' && value.includes('{{'))
        out[key] = substituteParameters(value, this.ctx.values, this.ctx.edgeId);
    }
    return out;
  }

  /** Reports speak screen pixels, and name the item acted on by its row. */
  private record(locator: Locator, r: Resolution, hit: Hit, frame: Frame): void {
    const row = rowCells(frame.analysis, hit.bbox);
    this.outcome.resolved.push({
      target: String(locator),
      strategy: r.strategy,
      match: r.match,
      score: hit.score,
      point: toScreen(frame, hit.point),
      bbox: boxToScreen(frame, hit.bbox),
      label: hit.label,
      ...(row.length ? { row } : {}),
      step: this.stepIndex,
    });
  }

  /** Last line of defence: re-checks the exact point and element right before acting. */
  private assertSafe(action: WorkflowAction['type'], target: Target | undefined, hit: Hit, frame: Frame): void {
    const v = checkActionSafety(this.ctx.workflow, {
      action,
      target,
      element: hit.element,
      point: hit.point,
      bbox: hit.bbox,
      analysis: frame.analysis,
    });
    if (!v.allowed)
      throw new SafetyViolationError(
        `refused to ${action.replace('_', ' ')} ${hit.label ? `"${hit.label}"` : `at ${hit.point.join(',')}`}: ${v.rule} matched ${v.matched}`,
        { edge_id: this.ctx.edgeId, target: target ? String(new Locator(target)) : undefined },
      );
  }

  /**
   * max_amount_without_manual_check, right before a validating click or Enter (on the frame the
   * click was resolved on): above it, a person must say yes, or nothing is done.
   */
  private async checkAmount(
    subject: ActionSubject & { keys?: string[] },
    hit: Hit | null,
    frame: Frame | null,
  ): Promise<void> {
    if (!this.ctx.act) return;
    const verdict = amountOverLimit(this.ctx.workflow, subject, this.ctx.typedAmounts ?? []);
    if (!verdict) return;
    const pointer =
      hit && frame ? { point: toScreen(frame, hit.point), bbox: boxToScreen(frame, hit.bbox), label: hit.label } : null;
    if (this.ctx.manualCheck && (await this.ctx.manualCheck(verdict, pointer))) return;
    const what =
      subject.action === 'key_press'
        ? `press ${(subject.keys ?? []).join('+')}`
        : `${subject.action.replace('_', ' ')} ${hit?.label ? `"${hit.label}"` : 'the target'}`;
    throw new ManualCheckRequiredError(
      `did not ${what}: ${describeAmountVerdict(verdict)} and nobody confirmed it (a person can, through the confirmation question)`,
      {
        edge_id: this.ctx.edgeId,
        target: subject.target ? String(new Locator(subject.target)) : undefined,
        seen: `${verdict.amount.text} from ${verdict.amount.source}`,
      },
    );
  }

  private async timed<T>(fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await fn();
    } catch (err) {
      if (err instanceof Error && !(err as { kind?: string }).kind)
        throw new ActionFailedError(`the platform could not perform the action: ${err.message}`, {
          edge_id: this.ctx.edgeId,
        });
      throw err;
    } finally {
      this.outcome.act_ms += performance.now() - t0;
    }
  }

  private aim(hit: Hit, frame: Frame): void {
    this.outcome.pointer ??= {
      point: toScreen(frame, hit.point),
      bbox: boxToScreen(frame, hit.bbox),
      label: hit.label,
    };
  }

  private async click(hit: Hit, action: WorkflowAction, frame: Frame): Promise<void> {
    this.assertSafe(action.type, action.target, hit, frame);
    this.aim(hit, frame);
    if (!this.ctx.act) return;
    await this.checkAmount(
      {
        action: action.type,
        target: action.target,
        element: hit.element,
        point: hit.point,
        bbox: hit.bbox,
        analysis: frame.analysis,
      },
      hit,
      frame,
    );
    const offset = action.parameters?.click_offset ?? [0, 0];
    const button: MouseButton = action.type === 'right_click' ? 'right' : 'left';
    const count = action.type === 'double_click' || action.parameters?.double_click ? 2 : 1;
    await this.timed(async () => {
      const [x, y] = toScreen(frame, [hit.point[0] + offset[0], hit.point[1] + offset[1]]);
      await this.desktop.mouse.move({ x, y });
      await this.desktop.mouse.click(button, count);
    });
  }

  private async run(action: Step, first: boolean): Promise<void> {
    throwIfCancelled(this.ctx.signal);
    const p = action.parameters ?? {};
    switch (action.type) {
      case 'mouse_click':
      case 'double_click':
      case 'right_click': {
        if (!action.target) throw new ActionFailedError(`${action.type} needs a target`, { edge_id: this.ctx.edgeId });
        if (action.strategy === 'row_then_button') {
          const { hit, frame } = await this.rowThenButton(action, first);
          await this.click(hit, action, frame);
          break;
        }
        const r = await this.resolve(action.target, action.type, { first, all: action.repeat === 'all' });
        const hits = action.repeat === 'all' ? r.all : [r as Hit];
        for (const hit of hits) {
          await this.click(hit, action, r.frame);
          if (hits.length > 1 && this.ctx.act) await sleep(150, this.ctx.signal);
        }
        break;
      }
      case 'type_text': {
        const text = substituteParameters(action.text ?? '', this.ctx.values, this.ctx.edgeId);
        if (action.target) {
          const r = await this.resolve(action.target, 'type_text', { first });
          this.assertSafe('type_text', action.target, r, r.frame);
          this.outcome.typedInto = r.bbox;
          this.aim(r, r.frame);
          if (this.ctx.act) {
            await this.timed(async () => {
              const [x, y] = toScreen(r.frame, r.point);
              await this.desktop.mouse.move({ x, y });
              await this.desktop.mouse.click('left', 1);
            });
          }
        }
        this.outcome.typed = text;
        if (!this.ctx.act) break;
        await this.timed(async () => {
          if (p.clear_field) {
            await this.desktop.keyboard.tap(['CTRL', 'A']);
            await this.desktop.keyboard.tap(['DELETE']);
          }
          await this.desktop.keyboard.type(text);
        });
        this.ctx.typedAmounts?.push(
          ...amountsTyped(action.text ?? '', this.ctx.values, action.target?.label ?? action.target?.text),
        );
        break;
      }
      case 'key_press': {
        if (!action.keys?.length)
          throw new ActionFailedError('key_press needs keys, e.g. ["CTRL", "S"]', { edge_id: this.ctx.edgeId });
        await this.checkAmount(
          { action: 'key_press', keys: action.keys, analysis: this.ctx.frame?.analysis },
          null,
          null,
        );
        if (this.ctx.act) await this.timed(() => this.desktop.keyboard.tap(action.keys!));
        break;
      }
      case 'scroll': {
        let at: Point2 | null = null;
        if (action.target) {
          const r = await this.resolve(action.target, 'scroll', { first });
          at = toScreen(r.frame, r.point);
        }
        if (!this.ctx.act) break;
        await this.timed(async () => {
          if (!at) {
            const w = await this.desktop.windows.active().catch(() => null);
            if (w) at = [Math.round(w.bounds.x + w.bounds.width / 2), Math.round(w.bounds.y + w.bounds.height / 2)];
          }
          if (at) await this.desktop.mouse.move({ x: at[0], y: at[1] });
          await this.desktop.mouse.scroll(0, Number(p.scroll_delta ?? 3));
        });
        break;
      }
      case 'drag': {
        const to = (p.drag_to as Target | undefined) ?? action.secondary_target;
        if (!action.target || !to)
          throw new ActionFailedError('drag needs a target and a drag_to (or secondary_target)', {
            edge_id: this.ctx.edgeId,
          });
        const from = await this.resolve(action.target, 'drag', { first });
        const dest = await this.resolve(to, 'drag', { frame: from.frame });
        this.assertSafe('drag', action.target, from, from.frame);
        this.aim(from, from.frame);
        if (!this.ctx.act) break;
        await this.timed(async () => {
          const a = toScreen(from.frame, from.point);
          const b = toScreen(dest.frame, dest.point);
          await this.desktop.mouse.move({ x: a[0], y: a[1] });
          await this.desktop.mouse.press('left');
          for (let i = 1; i <= 5; i++) {
            await this.desktop.mouse.move({
              x: Math.round(a[0] + ((b[0] - a[0]) * i) / 5),
              y: Math.round(a[1] + ((b[1] - a[1]) * i) / 5),
            });
            await sleep(30, this.ctx.signal);
          }
          await this.desktop.mouse.release('left');
        });
        break;
      }
      case 'wait':
        if (this.ctx.act) await sleep(Number(p.wait_ms ?? p.wait_after_ms ?? 1000), this.ctx.signal);
        break;
      case 'compound': {
        let index = 0;
        for (const [position, step] of (action.steps ?? []).entries()) {
          const times = typeof step.repeat === 'number' ? step.repeat : 1;
          for (let i = 0; i < times; i++) {
            // Each step looks at the screen its predecessor left.
            if (index++ > 0 && this.ctx.act) await this.ctx.observer.settle({ maxMs: 1500, signal: this.ctx.signal });
            this.stepIndex = position;
            await this.run(step, false);
          }
        }
        break;
      }
      default:
        throw new ActionFailedError(`unknown action type "${String(action.type)}"`, { edge_id: this.ctx.edgeId });
    }
    if (this.ctx.act && p.wait_after_ms) await sleep(Number(p.wait_after_ms), this.ctx.signal);
  }

  /**
   * The seed's row_then_button: pick the row by the target's selection policy (e.g. the first
   * row whose status is "À valider"), then the secondary target (its "Ouvrir" button) on that
   * row; when the button is optional and absent, click the row itself.
   */
  private async rowThenButton(action: WorkflowAction, first: boolean): Promise<{ hit: Hit; frame: Frame }> {
    const row = await this.resolve(action.target!, action.type, { first });
    const statuses = policyStatuses(this.withValues(action.target!).selection_policy);
    const band: RowBand | undefined = statuses
      ? rowsWithStatus(row.frame.analysis, statuses).find((b) => row.point[1] >= b.top && row.point[1] <= b.bottom)
      : undefined;
    const secondary = action.secondary_target;
    if (!secondary) return { hit: row, frame: row.frame };
    const rowBand: RowBand = band ?? { text: row.label, bbox: row.bbox, top: row.bbox[1] - 4, bottom: row.bbox[3] + 4 };
    try {
      const buttons = await this.resolve({ ...secondary, selection_policy: undefined }, action.type, {
        all: true,
        frame: row.frame,
      });
      const on = onRow(buttons.all, rowBand);
      if (on.length > 1)
        throw new AmbiguousTargetError(
          `${new Locator(secondary)} appears ${on.length} times on the row "${rowBand.text}": ${on.map((h) => `"${h.label}" at [${boxToScreen(buttons.frame, h.bbox).join(',')}]`).join('; ')}; describe it so that one of them fits`,
          {
            edge_id: this.ctx.edgeId,
            target: String(new Locator(secondary)),
            candidates: on.map((h) => ({ label: h.label, bbox: boxToScreen(buttons.frame, h.bbox), score: h.score })),
          },
        );
      const onIt = on[0];
      if (onIt) {
        this.outcome.resolved[this.outcome.resolved.length - 1] = {
          ...this.outcome.resolved[this.outcome.resolved.length - 1],
          point: toScreen(buttons.frame, onIt.point),
          bbox: boxToScreen(buttons.frame, onIt.bbox),
          label: onIt.label,
          row: rowCells(buttons.frame.analysis, onIt.bbox),
          match: 'row_then_button',
        };
        return { hit: onIt, frame: buttons.frame };
      }
      if (!secondary.optional)
        throw new ActionFailedError(
          `${new Locator(secondary)} is not on the row "${rowBand.text}" (found ${buttons.all.length} elsewhere)`,
          { edge_id: this.ctx.edgeId },
        );
    } catch (err) {
      if (!secondary.optional || err instanceof AmbiguousTargetError) throw err;
    }
    return { hit: row, frame: row.frame };
  }
}
