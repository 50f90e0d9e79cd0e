/**
 * Targets are values (Playwright's locator idea): a Locator describes WHAT to find — text,
 * label, role, type, near text, anchor image, relative position, nth, selection policy — is
 * immutable and serialisable (the same Target lives in the workflow file and in a node's
 * config), and touches the screen only when `resolve` runs.
 *
 * `resolve` is auto-wait plus self-healing against ONE deadline:
 *   on each frame, the strategies are tried in a defined order (the one that worked last time
 *   first): primary (the whole description), text_label, role_type, anchor_text_relative,
 *   anchor_image; a hit must be visible, unobstructed, stable across two frames and allowed by
 *   the safety gate. When nothing fits, the container is scrolled and looked at again
 *   (scroll_and_retry, once), then the screen is re-read with back-off (wait_and_retry) until
 *   the deadline. Several equally good candidates without a selection policy is an error that
 *   lists them (strict mode).
 */
import path from 'path';
import type { Target } from '../contracts/workflow';
import type {
  VisionEngine,
  LocateTarget,
  LocateCandidate,
  LocateResult,
  ScreenAnalysis,
  UIElement,
  BBox,
  Point2,
} from '../vision';
import { normalizeElementType, textSimilarity } from '../vision';
import { AmbiguousTargetError, SafetyViolationError, TargetNotFoundError, sleep, throwIfCancelled } from './errors';
import { boxToScreen, toScreen, type Frame, type ScreenObserver } from './screen-observer';
import {
  applyPolicy,
  readingOrder,
  rowsWithStatus,
  policyStatuses,
  NEEDS_RULE,
  type RowBand,
} from '../vision/selection-policy';
import { describeScreen, textOnScreen } from './node-recognizer';
import { targetWording, wordTarget } from './step-wording';
import { INTERACTIVE_TYPES } from '../contracts/screen-state';

export const HEALING_ORDER = [
  'primary',
  'text_label',
  'role_type',
  'anchor_text_relative',
  'anchor_image',
  'scroll_and_retry',
  'wait_and_retry',
] as const;
export type HealingStrategy = (typeof HEALING_ORDER)[number];

const FRAME_STRATEGIES: HealingStrategy[] = [
  'primary',
  'text_label',
  'role_type',
  'anchor_text_relative',
  'anchor_image',
];

export interface Hit {
  point: Point2;
  bbox: BBox;
  element: UIElement | null;
  score: number;
  label: string;
}

export interface RecoveryAttempt {
  strategy: string;
  success: boolean;
  duration_ms: number;
  detail?: string;
}

export interface Resolution extends Hit {
  /** The healing strategy that found it ("primary" when nothing needed healing). */
  strategy: HealingStrategy;
  /** How the vision engine matched it (label->control, text, anchor_image, row_policy…). */
  match: string;
  frame: Frame;
  /** Every hit when the target asks for all of them (compound `repeat: "all"`). */
  all: Hit[];
  attempts: RecoveryAttempt[];
  /** Check log: what was tried and what each check answered. */
  log: string[];
  elapsed_ms: number;
}

export interface ResolveOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Start from this frame instead of grabbing a new one. */
  frame?: Frame;
  /** Strategy that worked last time for this edge: tried first. */
  preferred?: string | null;
  /** Directory anchor-image paths are relative to (the workflow file's). */
  baseDir?: string;
  /** Every match is wanted (compound `repeat: "all"`): ambiguity is not an error. */
  all?: boolean;
  /** Returns why a hit must not be acted on (safety), or null. */
  refuse?: (hit: Hit, frame: Frame) => string | null;
  /** Called for each healing attempt after the first strategy failed (analytics). */
  onAttempt?: (attempt: RecoveryAttempt) => void;
  /** Optional targets do not scroll and give up at the deadline without healing waits. */
  scroll?: boolean;
}

type Outcome =
  | { kind: 'hit'; hits: Hit[]; match: string }
  | { kind: 'none'; why: string }
  | { kind: 'ambiguous'; candidates: LocateCandidate[] };

function fromLocate(r: LocateResult): Hit {
  return {
    point: r.center!,
    bbox: r.bbox!,
    element: r.element,
    score: r.score,
    label: r.element?.label ?? r.candidates[0]?.label ?? '',
  };
}

function fromCandidate(c: LocateCandidate, analysis: ScreenAnalysis): Hit {
  const element = c.element_id ? (analysis.elements.find((e) => e.element_id === c.element_id) ?? null) : null;
  return { point: c.center, bbox: c.bbox, element, score: c.score, label: c.label };
}

export class Locator {
  readonly target: Readonly<Target>;

  constructor(target: Target) {
    this.target = Object.freeze({ ...target });
  }

  /** Reads like a sentence: 'the button "Valider" near "F-1002"'. */
  toString(): string {
    return wordTarget(targetWording(this.target), 'en');
  }

  toJSON(): Target {
    return { ...this.target };
  }

  /** Strategies that make sense for this target, in the defined order, the preferred one first. */
  strategies(preferred?: string | null): HealingStrategy[] {
    const t = this.target;
    const has = {
      primary: true,
      text_label: !!(t.text || t.label) && !!(t.type || t.role || t.near),
      role_type: !!(t.role || t.type) && !!(t.text || t.label),
      anchor_text_relative: !!(t.relative_position || t.near),
      anchor_image: !!t.anchor_image,
    } as Record<string, boolean>;
    const list = FRAME_STRATEGIES.filter((s) => has[s]);
    if (preferred && list.includes(preferred as HealingStrategy))
      return [preferred as HealingStrategy, ...list.filter((s) => s !== preferred)];
    return list;
  }

  private locateTarget(strategy: HealingStrategy, baseDir?: string): LocateTarget | null {
    const t = this.target;
    const type = normalizeElementType(t.type as string | undefined);
    const anchorImage = t.anchor_image
      ? t.anchor_image.startsWith('data:')
        ? Buffer.from(t.anchor_image.split(',')[1] ?? '', 'base64')
        : path.resolve(baseDir ?? '.', t.anchor_image)
      : undefined;
    switch (strategy) {
      case 'primary':
        if (!t.text && !t.label && !type && !t.role && !anchorImage) return null;
        return {
          text: t.text,
          label: t.label,
          type,
          role: t.role,
          near: t.near,
          nth: t.nth,
          ...(t.text || t.label || type || t.role ? {} : { anchorImage }),
        };
      case 'text_label':
        // The words, and the neighbour that tells equal words apart ("Ouvrir" on the row "À
        // valider"): the type and role the learner guessed from one theme's look are left out.
        return { text: t.text, label: t.label, near: t.near, nth: t.nth };
      case 'anchor_image':
        return anchorImage ? { anchorImage } : null;
      default:
        return null;
    }
  }

  /** One look at one frame with one strategy. */
  async tryOn(
    vision: VisionEngine,
    frame: Frame,
    strategy: HealingStrategy,
    options: Pick<ResolveOptions, 'baseDir' | 'all'> = {},
  ): Promise<Outcome> {
    const t = this.target;
    const analysis = frame.analysis;
    const statuses = policyStatuses(t.selection_policy);
    // A row target with no text/type: the row is the band of its status line.
    if (statuses && strategy === 'primary' && !t.text && !t.label && !t.type) {
      const rows = rowsWithStatus(analysis, statuses);
      if (!rows.length)
        return { kind: 'none', why: `no row with the status ${statuses.map((s) => `"${s}"`).join(' or ')}` };
      const row = rows[0];
      return {
        kind: 'hit',
        match: 'row_policy',
        hits: [
          {
            point: [Math.round((row.bbox[0] + row.bbox[2]) / 2), Math.round((row.bbox[1] + row.bbox[3]) / 2)],
            bbox: row.bbox,
            element: null,
            score: 1,
            label: row.text,
          },
        ],
      };
    }
    if (strategy === 'anchor_text_relative') return this.byRelativePosition(frame);
    if (strategy === 'role_type') return this.byRoleType(frame);
    const query = this.locateTarget(strategy, options.baseDir);
    if (!query) return { kind: 'none', why: 'not applicable' };
    const r = await vision.locate(analysis, query);
    const policy = t.selection_policy;
    if (r.found && !options.all && !policy) return { kind: 'hit', hits: [fromLocate(r)], match: r.strategy };
    if (r.ambiguous || (options.all && r.candidates.length) || (r.found && policy)) {
      const best = r.candidates[0]?.score ?? 0;
      const peers = r.candidates.filter((c) => c.score >= best - 0.05);
      if (options.all)
        return {
          kind: 'hit',
          match: `${r.strategy === 'ambiguous' ? 'candidates' : r.strategy}+all`,
          hits: readingOrder(peers.map((c) => fromCandidate(c, analysis))),
        };
      if (policy) {
        // A rule judges a single match too: "the first row showing À valider" is not whatever one
        // "Ouvrir" happens to be on the screen.
        const hits = r.ambiguous ? peers.map((c) => fromCandidate(c, analysis)) : [fromLocate(r)];
        const chosen = applyPolicy(policy, hits, analysis);
        if (chosen && 'tied' in chosen) return { kind: 'ambiguous', candidates: chosen.tied.map(hitCandidate) };
        return chosen
          ? { kind: 'hit', hits: [chosen.chosen], match: `policy:${policy}` }
          : {
              kind: 'none',
              why: `the selection policy "${policy}" chose none of ${hits.length} candidate(s)`,
            };
      }
      return { kind: 'ambiguous', candidates: r.candidates };
    }
    if (r.found) return { kind: 'hit', hits: [fromLocate(r)], match: r.strategy };
    return {
      kind: 'none',
      why: r.candidates.length
        ? `best candidate "${r.candidates[0].label}" scored ${r.candidates[0].score}`
        : 'no candidate',
    };
  }

  /**
   * Role + type, the words left out: the ONE control of the learned type (and role) that the
   * screen shows, on the anchor's row when the step has one. A control whose own words say it
   * is another one ("Annuler" where "Valider" was) is never a stand-in, and distance to the
   * anchor never chooses between several. A text is known by its words alone: no stand-in.
   */
  private byRoleType(frame: Frame): Outcome {
    const t = this.target;
    const a = frame.analysis;
    const type = normalizeElementType(t.type as string | undefined);
    if (type && !INTERACTIVE_TYPES.has(type))
      return { kind: 'none', why: `a ${type} is known only by its words, which are not on the screen` };
    const role = t.role?.toLowerCase();
    const ofKind = a.elements.filter(
      (e) => (!type || e.type === type) && (!role || (e.role ?? '').toLowerCase().includes(role)),
    );
    const kind = type ?? `element with the role ${t.role}`;
    let pool = ofKind.filter((e) => !readsOtherWords(e, t));
    if (!pool.length)
      return {
        kind: 'none',
        why: ofKind.length
          ? `no ${kind} whose words could be "${wordsOf(t)}" (seen: ${quoted(ofKind)})`
          : `no ${kind} on the screen`,
      };
    if (t.near) {
      const anchors = anchorElements(a, t.near);
      if (anchors.length > 1) return { kind: 'ambiguous', candidates: anchors.map((e) => asCandidate(e, 1)) };
      if (anchors.length) {
        const anchor = anchors[0];
        pool = pool.filter((e) => e !== anchor && sameRow(e.bbox, anchor.bbox));
        if (!pool.length) return { kind: 'none', why: `no ${kind} on the row of "${t.near}"` };
      }
    }
    if (pool.length > 1) return { kind: 'ambiguous', candidates: pool.map((e) => asCandidate(e, 0.7)) };
    const e = pool[0];
    return {
      kind: 'hit',
      match: 'role_type',
      hits: [{ point: e.center, bbox: e.bbox, element: e, score: 0.7, label: e.label }],
    };
  }

  /**
   * Anchor text + relative position, the last resort: where the element should be, and the
   * ONE element of the right type there. Position never chooses between several (issue 15):
   * several anchors, or several elements within reach, is a tie reported as such.
   */
  private byRelativePosition(frame: Frame): Outcome {
    const t = this.target;
    const a = frame.analysis;
    const place = emptyPlace(t, frame);
    if (place) return place;
    const type = normalizeElementType(t.type as string | undefined);
    const ofKind = a.elements.filter((e) => (type ? e.type === type : INTERACTIVE_TYPES.has(e.type)));
    if (!ofKind.length) return { kind: 'none', why: `no ${type ?? 'interactive element'} on the screen` };
    const pool = ofKind.filter((e) => !readsOtherWords(e, t));
    if (!pool.length)
      return {
        kind: 'none',
        why: `no ${type ?? 'element'} whose words could be "${wordsOf(t)}" (seen: ${quoted(ofKind)})`,
      };
    let expected: Point2 | null = null;
    let statusRow: RowBand | null = null;
    if (t.near) {
      const anchors = anchorElements(a, t.near);
      const rows = anchors.length ? [] : rowsWithStatus(a, [t.near]);
      if (anchors.length > 1 || rows.length > 1)
        return {
          kind: 'ambiguous',
          candidates: anchors.length
            ? anchors.map((e) => asCandidate(e, 1))
            : rows.map((r) => ({
                element_id: null,
                type: null,
                label: r.text,
                bbox: r.bbox,
                center: mid(r.bbox),
                score: 1,
              })),
        };
      if (anchors.length) expected = anchors[0].center;
      else if (rows.length) {
        expected = mid(rows[0].bbox);
        statusRow = rows[0];
      }
    }
    // The frame is the window: a position relative to the window is relative to the frame.
    if (!expected && t.relative_position)
      expected = [t.relative_position[0] * frame.image.width, t.relative_position[1] * frame.image.height];
    if (!expected)
      return { kind: 'none', why: t.near ? `the anchor text "${t.near}" is not on the screen` : 'no position hint' };
    const limit = 0.15 * Math.hypot(a.width, a.height);
    const distanceTo = (e: UIElement) => Math.hypot(e.center[0] - expected![0], e.center[1] - expected![1]);
    let reach = pool.filter((e) => distanceTo(e) <= limit).sort((x, y) => distanceTo(x) - distanceTo(y));
    if (statusRow && statusRowTarget(t)) {
      const row = statusRow;
      const onIt = reach.filter((e) => e.center[1] >= row.top && e.center[1] <= row.bottom);
      if (onIt.length) reach = onIt;
    }
    if (!reach.length) {
      const nearest = Math.min(...pool.map(distanceTo));
      return {
        kind: 'none',
        why: `the nearest ${type ?? 'element'} is ${Math.round(nearest)} px from where it should be`,
      };
    }
    if (reach.length > 1)
      return { kind: 'ambiguous', candidates: reach.map((e) => asCandidate(e, score(distanceTo(e)))) };
    const e = reach[0];
    return {
      kind: 'hit',
      match: statusRow ? 'anchor_row' : 'relative_position',
      hits: [{ point: e.center, bbox: e.bbox, element: e, score: score(distanceTo(e)), label: e.label }],
    };

    function score(d: number): number {
      return Math.round((1 - d / limit) * 1000) / 1000;
    }
  }
}

/**
 * A click that met no element in the demonstrations (an editor's empty page) names a place of
 * the window, not an element: the same place again while nothing is drawn there now either —
 * one point, nothing to choose between. With something drawn there now, the anchor and the
 * elements around it decide, as for any target.
 */
function emptyPlace(t: Readonly<Target>, frame: Frame): Outcome | null {
  if (t.type || t.role || t.text || t.label || t.selection_policy || !t.relative_position) return null;
  const p: Point2 = [
    Math.round(t.relative_position[0] * frame.image.width),
    Math.round(t.relative_position[1] * frame.image.height),
  ];
  const under = frame.analysis.elements.filter(
    (e) => p[0] >= e.bbox[0] && p[0] <= e.bbox[2] && p[1] >= e.bbox[1] && p[1] <= e.bbox[3],
  );
  if (under.length) return null;
  return {
    kind: 'hit',
    match: 'empty_place',
    hits: [{ point: p, bbox: [p[0], p[1], p[0] + 1, p[1] + 1], element: null, score: 1, label: '' }],
  };
}

/** The words a step learned for its target, if any. */
function wordsOf(t: Readonly<Target>): string {
  return t.text ?? t.label ?? '';
}

/**
 * A stand-in found without the step's words must not read as something else: a label that
 * keeps half of them ("K" for "OK") may be a misreading, one that shares less is another control.
 */
function readsOtherWords(e: UIElement, t: Readonly<Target>): boolean {
  const words = wordsOf(t);
  return !!words && !!e.label.trim() && textSimilarity(words, e.label) < 0.5;
}

function quoted(elements: UIElement[]): string {
  const shown = elements.slice(0, 5).map((e) => `"${e.label}"`);
  return elements.length > 5 ? `${shown.join(', ')}…` : shown.join(', ');
}

/** Two boxes on one line: their middles closer than 0.6 of the lower one's height. */
function sameRow(x: BBox, y: BBox): boolean {
  return Math.abs((x[1] + x[3]) / 2 - (y[1] + y[3]) / 2) < 0.6 * Math.min(x[3] - x[1], y[3] - y[1]);
}

/** The elements whose own label reads as the step's anchor text. */
function anchorElements(a: ScreenAnalysis, near: string): UIElement[] {
  return a.elements.filter((e) => textOnScreen(labelOnly(a, e), near) >= 0.85);
}

/** The analysis reduced to one element's label, to compare a text with it alone. */
function labelOnly(a: ScreenAnalysis, e: UIElement): ScreenAnalysis {
  return {
    ...a,
    text: [{ text: e.label, bbox: e.bbox, confidence: 1, words: [{ text: e.label, bbox: e.bbox, confidence: 1 }] }],
  };
}

function hitCandidate(h: Hit): LocateCandidate {
  return {
    element_id: h.element?.element_id ?? null,
    type: h.element?.type ?? null,
    label: h.label,
    bbox: h.bbox,
    center: h.point,
    score: h.score,
  };
}

function asCandidate(e: UIElement, score: number): LocateCandidate {
  return { element_id: e.element_id, type: e.type, label: e.label, bbox: e.bbox, center: e.center, score };
}

function mid(b: BBox): Point2 {
  return [Math.round((b[0] + b[2]) / 2), Math.round((b[1] + b[3]) / 2)];
}

function statusRowTarget(t: Readonly<Target>): boolean {
  return !t.text && !t.label;
}

function visible(hit: Hit, frame: Frame): boolean {
  const [x1, y1, x2, y2] = hit.bbox;
  return (
    x2 > x1 &&
    y2 > y1 &&
    hit.point[0] >= 0 &&
    hit.point[1] >= 0 &&
    hit.point[0] < frame.image.width &&
    hit.point[1] < frame.image.height
  );
}

/** A modal dialog covers the point but the target is not part of it. */
function obstructed(hit: Hit, frame: Frame): boolean {
  return frame.analysis.elements.some(
    (e) =>
      e.type === 'dialog' &&
      e.element_id !== hit.element?.element_id &&
      pointIn(e.bbox, hit.point) &&
      !boxIn(hit.bbox, e.bbox),
  );
}

function pointIn(b: BBox, p: Point2): boolean {
  return p[0] >= b[0] && p[0] < b[2] && p[1] >= b[1] && p[1] < b[3];
}
function boxIn(inner: BBox, outer: BBox): boolean {
  return inner[0] >= outer[0] - 2 && inner[1] >= outer[1] - 2 && inner[2] <= outer[2] + 2 && inner[3] <= outer[3] + 2;
}

const BACKOFF_MS = [100, 250, 500, 1000];

/**
 * Resolves the locator on the live screen: auto-wait + self-healing against one deadline.
 * Throws TargetNotFoundError, AmbiguousTargetError or SafetyViolationError (the only match was
 * forbidden), each saying what was tried and what was seen.
 */
export async function resolveLocator(
  locator: Locator,
  observer: ScreenObserver,
  options: ResolveOptions,
): Promise<Resolution> {
  const started = performance.now();
  const deadline = started + options.timeoutMs;
  const log: string[] = [];
  const attempts: RecoveryAttempt[] = [];
  const order = locator.strategies(options.preferred);
  let frame = options.frame ?? (await observer.capture());
  let scrolled = false;
  let waits = 0;
  let refused: { why: string; hit: Hit } | null = null;
  let firstFailed = false;
  const attempt = (a: RecoveryAttempt) => {
    attempts.push(a);
    options.onAttempt?.(a);
  };
  for (;;) {
    throwIfCancelled(options.signal);
    for (const strategy of order) {
      const t0 = performance.now();
      const outcome = await locator.tryOn(observer.vision, frame, strategy, options);
      const report = (success: boolean, detail: string) => {
        log.push(`${strategy}: ${detail}`);
        if (firstFailed) attempt({ strategy, success, duration_ms: Math.round(performance.now() - t0), detail });
        if (!success) firstFailed = true;
      };
      const unruled = locator.target.selection_policy === NEEDS_RULE;
      if (outcome.kind === 'ambiguous' && strategy !== order[0] && !unruled) {
        // Strict mode judges the target as described; a looser healing strategy that matches
        // several things simply did not find it.
        report(false, `ambiguous (${outcome.candidates.length} candidates)`);
        continue;
      }
      if (outcome.kind === 'ambiguous') {
        const list = outcome.candidates
          .slice(0, 5)
          .map((c) => `"${c.label}" at [${c.bbox.join(',')}] score ${c.score}`)
          .join('; ');
        log.push(`${strategy}: ambiguous (${outcome.candidates.length} candidates)`);
        throw new AmbiguousTargetError(
          unruled
            ? `${locator}: the demonstrations chose among similar items by no rule the learner could find, so this step is not done alone; a person must set the rule (rpa-vision learn --out WF.json --rule EDGE=POLICY, e.g. status:TEXT, row_with:{{param}}, first). Seen now: ${list}`
            : `${locator} matches ${outcome.candidates.length} elements equally well: ${list}. Add a selection policy (first, nth:K, first_pending…), a "near" text or a type to say which one`,
          {
            target: String(locator),
            tried: log,
            seen: list,
            candidates: outcome.candidates.map((c) => ({
              label: c.label,
              bbox: boxToScreen(frame, c.bbox),
              score: c.score,
            })),
            elapsed_ms: Math.round(performance.now() - started),
          },
        );
      }
      if (outcome.kind === 'none') {
        report(false, outcome.why);
        continue;
      }
      const hits = outcome.hits.filter((h) => visible(h, frame));
      if (!hits.length) {
        report(false, 'found but not visible');
        continue;
      }
      if (hits.some((h) => obstructed(h, frame))) {
        report(false, 'found but covered by a dialog');
        continue;
      }
      const why = options.refuse ? hits.map((h) => options.refuse!(h, frame)).find((x) => x) : null;
      if (why) {
        // Never acted on, whatever found it; another strategy may still find the real target.
        refused = { why, hit: hits[0] };
        report(false, `found "${hits[0].label}" but refused: ${why}`);
        continue;
      }
      if (!(await observer.regionUnchanged(frame, hits[0].bbox))) {
        log.push(`${strategy}: found "${hits[0].label}" but it is still moving`);
        break; // re-read the screen: the next frame decides
      }
      report(true, `found "${hits[0].label}" (${outcome.match}, score ${hits[0].score})`);
      return {
        ...hits[0],
        strategy,
        match: outcome.match,
        frame,
        all: hits,
        attempts,
        log,
        elapsed_ms: Math.round(performance.now() - started),
      };
    }
    if (performance.now() >= deadline) break;
    // Only over an application's window: the wheel over the root window switches openbox desktops.
    if (!scrolled && options.scroll !== false && frame.window?.title) {
      scrolled = true;
      const t0 = performance.now();
      const [cx, cy] = toScreen(frame, [frame.image.width / 2, frame.image.height / 2]);
      await observer.desktop.mouse.move({ x: cx, y: cy });
      await observer.desktop.mouse.scroll(0, 5);
      frame = await observer.settle({ maxMs: 1000, signal: options.signal });
      log.push('scroll_and_retry: scrolled the window down 5 notches');
      firstFailed = true;
      // Judged by the next pass: report it as an attempt now with the outcome of that pass.
      const found = await quickCheck(locator, observer, frame, order, options);
      attempt({ strategy: 'scroll_and_retry', success: found, duration_ms: Math.round(performance.now() - t0) });
      if (found) continue;
      await observer.desktop.mouse.scroll(0, -5);
      frame = await observer.settle({ maxMs: 1000, signal: options.signal });
      continue;
    }
    const t0 = performance.now();
    await sleep(
      Math.min(BACKOFF_MS[Math.min(waits, BACKOFF_MS.length - 1)], Math.max(0, deadline - performance.now())),
      options.signal,
    );
    waits++;
    frame = await observer.capture();
    log.push(`wait_and_retry: looked again (${waits})`);
    if (firstFailed && waits === 1)
      attempt({
        strategy: 'wait_and_retry',
        success: await quickCheck(locator, observer, frame, order, options),
        duration_ms: Math.round(performance.now() - t0),
      });
  }
  const elapsed = Math.round(performance.now() - started);
  const seen = describeScreen(frame);
  if (refused) {
    throw new SafetyViolationError(
      `${locator}: the only match, "${refused.hit.label}", is forbidden by the safety rules (${refused.why}); it was not clicked`,
      {
        target: String(locator),
        tried: log,
        seen,
        elapsed_ms: elapsed,
      },
    );
  }
  throw new TargetNotFoundError(
    `${locator} was not found within ${options.timeoutMs} ms (tried ${[...new Set(log.map((l) => l.split(':')[0]))].join(', ')}); the screen shows ${seen}`,
    {
      target: String(locator),
      tried: log,
      seen,
      elapsed_ms: elapsed,
    },
  );
}

/** Whether any strategy finds an allowed hit on `frame` (to report scroll/wait attempts). */
async function quickCheck(
  locator: Locator,
  observer: ScreenObserver,
  frame: Frame,
  order: HealingStrategy[],
  options: ResolveOptions,
): Promise<boolean> {
  for (const s of order) {
    const o = await locator.tryOn(observer.vision, frame, s, options).catch(() => null);
    if (o?.kind === 'hit' && !(options.refuse && o.hits.some((h) => options.refuse!(h, frame)))) return true;
  }
  return false;
}
