/**
 * The recorder: listens to the global input hook, watches the active window, keeps a rolling
 * frame of the screen and writes screenshots, and reports everything as journal entries
 * (journal.ts) from which a rawsession_v1 document is built.
 *
 * Screenshots, by design:
 * - an event's `screenshot_id` is the newest frame grabbed *before* the event — what the user
 *   was looking at when they acted (a click changes the screen faster than a grab after it);
 * - its `after_screenshot_id` is the first frame once the screen stopped changing (two frames in
 *   a row alike) after a burst of actions, or the frame at `settleTimeoutMs`;
 * - a change with nobody touching anything for `quietBeforeScreenChangeMs` is a screen_change.
 * Frames are grabbed every `settleFrameIntervalMs` while the screen settles, every
 * `activeFrameIntervalMs` while the user is active, and only every
 * `idleFrameIntervalMs` when idle, which is what keeps the idle cost low.
 *
 * It runs inside the recording agent (record-agent.ts) because losing the X display ends the
 * process that holds it; see recording.ts for the side that survives.
 */
import os from 'os';
import fs from 'fs';
import path from 'path';
import type { Desktop, RawInputEvent, WindowInfo } from '../platform/types';
import type { RawEvent, RawSession } from '../contracts/raw-session';
import { makeDataDir } from '../contracts/sealed-files';
import { EventNormaliser, NORMALISER_DEFAULTS, type WindowContext } from './event-normaliser';
import { FrameGrabber, type Frame } from './frame-grabber';
import { compareImages, nearlyIdentical } from './frame-diff';
import { ShotWriter, SHOTS_DIR } from './shot-writer';
import { PrivacyRules, EXCLUDED_TITLE, type Privacy, type PrivacyOptions } from './privacy';
import { findBulletRows } from '../image/bullet-row';
import type { JournalEntry, SessionHeader } from './journal';
import { outputError } from './errors';
import { windowSummary } from './snapshot';

export const RECORDER_DEFAULTS = {
  ...NORMALISER_DEFAULTS,
  /** Frame period while the screen is settling after an action (to see when it stops changing). */
  settleFrameIntervalMs: 100,
  /**
   * Frame period while the user is active (the rolling "before" frame). A person needs more than
   * 250 ms to react to what they see, so this frame still shows what they acted on; grabbing
   * more often makes an input more likely to wait behind a grab already running.
   */
  activeFrameIntervalMs: 250,
  /**
   * Frame period when nothing happens: catches screen changes without input. Each idle frame
   * costs about 17 ms of CPU at 1920×1080, so 2 s keeps the idle recorder near 1 % of a core.
   */
  idleFrameIntervalMs: 2000,
  /** How long after the last input the user counts as active. */
  activeAfterInputMs: 2000,
  /** The "after" shot is taken at the latest this long after the last action. */
  settleTimeoutMs: 2000,
  /** The screen must be alike in two frames at least this long after the last action to count as settled. */
  settleMinMs: 150,
  /**
   * …and, while it has not changed at all since the action, at least this long: a click that
   * sends a form shows nothing for a few hundred milliseconds, then the next page.
   */
  settleUnchangedMs: 1000,
  /** No input for this long before a change counts as a screen_change. */
  quietBeforeScreenChangeMs: 1000,
  /** Frames at most this similar (1 = identical) are a screen_change. */
  screenChangeMaxSimilarity: 0.998,
  /** Share of pixels that may differ between frames that count as alike (a blinking caret). */
  duplicateMaxChangedFraction: 2e-5,
};
export type RecorderTuning = typeof RECORDER_DEFAULTS;

export interface RecorderOptions {
  /** The session directory; screenshots go to DIR/shots/. */
  dir: string;
  sessionId?: string;
  user?: { id: string; label?: string };
  context?: RawSession['context'];
  privacy?: PrivacyOptions;
  tuning?: Partial<RecorderTuning>;
}

export type JournalSink = (entry: JournalEntry) => void;

function agentVersion(): string {
  for (const dir of [path.resolve(__dirname, '..', '..'), path.resolve(__dirname, '..', '..', '..')]) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'node-red-contrib-rpa-vision' && pkg.version) return pkg.version;
    } catch {
      /* try the next */
    }
  }
  return '0.0.0';
}

export function newSessionId(userId: string, at = new Date()): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/:/g, '-');
  return `sess_${stamp}_${userId.replace(/[^A-Za-z0-9_-]/g, '') || 'user'}`;
}

interface Settle {
  /** Events waiting for their "after" screenshot. */
  waiting: Set<number>;
  lastActionAt: number;
  /** Whether a frame since the last action differed from the one before it. */
  changed: boolean;
}

/** A frame grab right after input skips the window check the input just made. */
const WINDOW_RECHECK_MS = 200;
/** How long before a key press the frame showing what the person saw is taken. */
const KEY_SEEN_BEFORE_MS = 150;
/**
 * A reading of the active window older than this before an action may miss a window that came
 * up by itself meanwhile; the action then goes to the window read after it. The window is read
 * with every frame, every 100–250 ms while the person is active.
 */
const WINDOW_READING_FRESH_MS = 400;
/**
 * A click made while no window has the focus (a menu of another program just closed) gives the
 * focus to the window under it a moment later: the window is read again this long at most.
 */
const FOCUS_AFTER_CLICK_MS = 500;
const FOCUS_POLL_MS = 50;
/** Half the height of the band around a click where the field it focused is looked for. */
const FIELD_HALF_HEIGHT = 16;
/** An action is never recorded as made in a less private window than the one read after it. */
const PRIVACY_RANK: Record<Privacy, number> = { normal: 0, sensitive: 1, excluded: 2 };

interface WindowReading {
  /** When this window (with this title) was first read as the active one. */
  at: number;
  /** When it was last read as still the active one. */
  confirmedAt: number;
  window: WindowContext | null;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p + 0.5))] ?? 0;
const round1 = (n: number) => Math.round(n * 10) / 10;

export class Recorder {
  readonly tuning: RecorderTuning;
  private readonly privacy: PrivacyRules;
  private readonly grabber: FrameGrabber;
  private readonly writer: ShotWriter;
  private normaliser!: EventNormaliser;
  private startedAtMs = 0;
  private window: WindowContext | null = null;
  private work: Promise<void> = Promise.resolve();
  private lastInputAt = 0;
  private settle?: Settle;
  private previousFrame?: Frame;
  /** Input that should be timed: from the hook's event to the first frame grabbed after it. */
  private latencyWatch?: number;
  private latencies: number[] = [];
  private grabTimes: number[] = [];
  private timer?: NodeJS.Timeout;
  private ticking = false;
  private wakeAgain = false;
  private stopping = false;
  private cpuStart = process.cpuUsage();
  private wallStart = process.hrtime.bigint();
  private peakRssMb = 0;
  private lastPerformanceAt = 0;
  private events = 0;

  constructor(
    private readonly desktop: Desktop,
    private readonly options: RecorderOptions,
    private readonly sink: JournalSink,
  ) {
    this.tuning = { ...RECORDER_DEFAULTS, ...options.tuning };
    this.privacy = new PrivacyRules(options.privacy);
    this.grabber = new FrameGrabber(desktop.screen);
    this.writer = new ShotWriter({
      dir: options.dir,
      duplicateMaxChangedFraction: this.tuning.duplicateMaxChangedFraction,
      onWritten: (shot) => this.sink({ kind: 'screenshot', shot }),
      onError: (err) => this.fail(err),
    });
  }

  /** Events recorded so far. */
  get eventCount(): number {
    return this.events;
  }

  async start(): Promise<void> {
    try {
      makeDataDir(path.join(this.options.dir, SHOTS_DIR));
    } catch (err) {
      throw outputError(this.options.dir, err, 'create the screenshot folder');
    }
    const screens = await this.desktop.screen.screens();
    const primary = screens.find((s) => s.isPrimary) ?? screens[0];
    const started = new Date();
    this.startedAtMs = started.getTime();
    const user = this.options.user ?? { id: os.userInfo().username };
    const header: SessionHeader = {
      session_id: this.options.sessionId ?? newSessionId(user.id, started),
      agent_version: agentVersion(),
      environment: {
        platform: os.platform(),
        hostname: os.hostname(),
        screen: { primary_resolution: [primary.width, primary.height], display_scale: primary.scaleFactor },
        screens: screens.map((s) => ({
          id: s.id,
          resolution: [s.width, s.height],
          is_primary: s.isPrimary,
          scale: s.scaleFactor,
        })),
      },
      user,
      context: this.options.context ?? {},
      started_at: started.toISOString(),
      privacy: { excluded_windows: this.privacy.excludePatterns, sensitive_windows: this.privacy.sensitivePatterns },
    };
    this.normaliser = new EventNormaliser(
      {
        emit: (seq, event, action) => {
          this.events++;
          this.sink({ kind: 'event', seq, event });
          if (action) this.awaitSettle(seq);
        },
        update: (seq, patch, action) => {
          this.sink({ kind: 'update', seq, patch });
          if (action) this.awaitSettle(seq);
        },
        pending: (seq, event) => this.sink({ kind: 'pending', seq, event }),
        secretField: (event, typed, beforeMs) => this.showsBullets(event, typed, beforeMs),
      },
      { ...this.tuning, startedAtMs: this.startedAtMs },
    );
    this.window = await this.windowContext();
    this.remember(this.window);
    if (this.window?.privacy !== 'excluded') this.previousFrame = await this.grabber.grab();
    this.stopFocusWatch = this.desktop.windows.watchFocus?.((t) => {
      this.focusMoves.push(t);
      if (this.focusMoves.length > 16) this.focusMoves.shift();
    });
    await this.desktop.input.start((raw) => this.onInput(raw));
    // Announced only now: a caller that acts as soon as start() resolves is heard.
    this.sink({ kind: 'started', header });
    this.schedule(this.tuning.idleFrameIntervalMs);
  }

  // --- input ----------------------------------------------------------------------------------

  private onInput(raw: RawInputEvent): void {
    if (this.stopping) return;
    this.lastInputAt = raw.time;
    const sinceFrame = raw.time - (this.grabber.latest?.startedAt ?? 0);
    if (
      (raw.kind === 'mousedown' || raw.kind === 'keydown' || raw.kind === 'wheel') &&
      sinceFrame >= this.tuning.settleFrameIntervalMs
    ) {
      // The first frame after an action, grabbed from the hook's callback before anything else:
      // how long it takes is the recorder's capture latency. (Fast typing gets one every 100 ms.)
      this.latencyWatch ??= raw.time;
      this.wake(true);
    } else if (raw.kind === 'mousemove' && sinceFrame >= this.tuning.activeFrameIntervalMs) {
      this.wake(); // pointer moves announce a click: keep the rolling frame fresh for it
    }
    // enqueue() catches a failed task and reports it as a warning.
    void this.enqueue(async () => {
      const acts = raw.kind === 'mousedown' || raw.kind === 'keydown' || raw.kind === 'wheel';
      // A key reaches the application before the hook reports it to us: a frame or a title read
      // meanwhile already shows the first letter typed ("Untitled" became "*Untitled"). The
      // person pressed it on the screen of a moment earlier: that frame, and the title then.
      const seen = raw.kind === 'keydown' ? raw.time - KEY_SEEN_BEFORE_MS : raw.time;
      const clicked = raw.kind === 'mousedown';
      const shotFor = (t: number) =>
        t === raw.time && seen !== t ? (this.shotBefore(seen) ?? this.shotBefore(t)) : this.shotBefore(t, clicked);
      if (!acts) {
        this.normaliser.handle(raw, this.window, shotFor);
        return;
      }
      // The window an action was made in is the one known just before it, even when the action
      // closed it (a dialog's OK) or opened another (Ctrl+S's dialog) before the hook reported
      // it: the action is recorded first, then the window change it caused.
      const next = clicked ? await this.windowTakingClick() : await this.windowContext();
      const madeIn = this.windowBefore(raw, seen, next);
      if (madeIn && PRIVACY_RANK[next?.privacy ?? 'normal'] <= PRIVACY_RANK[madeIn.privacy]) {
        this.handlingIn = madeIn;
        // An action made in a window comes before the change away from it, which a frame may have
        // announced first when the hook heard the action late.
        const left = this.lastWindowChange;
        const event = left && left.from === madeIn.id && left.at <= raw.time ? { ...raw, time: left.at - 1 } : raw;
        try {
          this.normaliser.handle(event, madeIn, shotFor);
        } finally {
          this.handlingIn = undefined;
        }
        this.applyWindow(raw.time, next);
      } else {
        this.applyWindow(raw.time, next);
        this.normaliser.handle(raw, this.window, shotFor);
      }
    });
  }

  /**
   * The window known just before an action. Its title as shown on the frame the person acted on
   * or as read before the key ("Factures" may already be "Facture F-1002", "Untitled" already
   * "*Untitled", when read after it). Another window than the one read after the action only
   * when a reading of it is recent enough to trust and the action was made in it: keys go to
   * the window that had the focus; a click when it falls inside it (otherwise it may have
   * focused the other window).
   */
  private windowBefore(raw: RawInputEvent, seen: number, next: WindowContext | null): WindowContext | undefined {
    const reading = this.readingAt(seen);
    if (!reading?.window) return undefined;
    const shown = raw.kind === 'mousedown' ? this.grabber.before(raw.time) : null;
    const onFrame = shown ? this.frameWindows.get(shown) : undefined;
    const earlier = onFrame?.id === reading.window.id ? onFrame : reading.window;
    if (earlier.id === next?.id) return raw.kind === 'wheel' ? undefined : earlier;
    // An old reading still holds when the focus watch saw no move between it and the action
    // (a frame is grabbed only every 2 s while the person is idle).
    const watched = this.stopFocusWatch !== undefined;
    if (
      watched
        ? this.focusMovedBetween(reading.confirmedAt, raw.time)
        : reading.confirmedAt < seen - WINDOW_READING_FRESH_MS
    )
      return undefined;
    if (raw.kind === 'keydown') return earlier;
    if (raw.kind !== 'mousedown') return undefined;
    const b = earlier.ref.bounds;
    return b && raw.x >= b[0] && raw.x < b[2] && raw.y >= b[1] && raw.y < b[3] ? earlier : undefined;
  }

  /**
   * Whether the field of a finished text shows a row of bullets on the last frame before the
   * action that ended it (Enter may close the dialog at once): in the band of the click that put
   * the caret there, else anywhere in the window (a field reached with Tab). A row longer than
   * what was typed was there before (another field); a shorter one counts: the frame may lag
   * the last keys, and a long secret may not fit its field. Wrongly masking an ordinary field
   * (bullets elsewhere on its line) loses a value a person can type again; the other mistake
   * would keep a password.
   */
  private showsBullets(event: RawEvent, typed: number, beforeMs?: number): boolean {
    const frame = beforeMs === undefined ? this.grabber.latest : (this.grabber.before(beforeMs) ?? this.grabber.latest);
    if (!frame) return false;
    const image = frame.image;
    const s = image.scaleFactor || 1;
    const b = event.window?.bounds;
    const win: [number, number, number, number] = b
      ? [b[0] * s, b[1] * s, b[2] * s, b[3] * s]
      : [0, 0, image.width, image.height];
    const region: [number, number, number, number] = event.pos
      ? [win[0], (event.pos[1] - FIELD_HALF_HEIGHT) * s, win[2], (event.pos[1] + FIELD_HALF_HEIGHT) * s]
      : win;
    return findBulletRows(image, region).some((row) => row.count <= typed + 1);
  }

  /** Input and window checks run one after another, in the order they happened. */
  private enqueue(task: () => Promise<void>): Promise<void> {
    this.work = this.work
      .then(task)
      .catch((err) =>
        this.sink({ kind: 'warning', message: `an input event could not be recorded: ${(err as Error).message}` }),
      );
    return this.work;
  }

  private shotBefore(timeMs: number, inHand = false): string | null {
    if (this.window?.privacy === 'excluded') return null;
    const frame = this.grabber.before(timeMs, inHand);
    return frame ? this.writer.save(frame, 'before') : null;
  }

  // --- windows --------------------------------------------------------------------------------

  private async windowContext(): Promise<WindowContext | null> {
    const info: WindowInfo | null = await this.desktop.windows.active().catch(() => null);
    // Nothing has the focus: X reports the window manager's focus holder, with no title and no application.
    if (!info || (!info.title && !info.appName)) return null;
    const privacy = this.privacy.classify(info);
    const ref = windowSummary(info)!;
    return { id: info.id, privacy, ref: privacy === 'excluded' ? { ...ref, title: EXCLUDED_TITLE } : ref };
  }

  /** The active window after a click: when nothing has the focus yet, the one the click is giving it to. */
  private async windowTakingClick(): Promise<WindowContext | null> {
    const deadline = Date.now() + FOCUS_AFTER_CLICK_MS;
    let window = await this.windowContext();
    while (!window && !this.stopping && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, FOCUS_POLL_MS));
      window = await this.windowContext();
    }
    return window;
  }

  private windowCheckedAt = 0;
  /** The active window as known when each frame's grab began. */
  private readonly frameWindows = new WeakMap<Frame, WindowContext | null>();
  /** The active window as read at each change of it or of its title, newest last (a few). */
  private windowHistory: WindowReading[] = [];

  private remember(window: WindowContext | null, readAt = Date.now()): void {
    const last = this.windowHistory[this.windowHistory.length - 1];
    if (last && last.window?.id === window?.id && last.window?.ref.title === window?.ref.title) {
      last.confirmedAt = readAt;
      return;
    }
    this.windowHistory.push({ at: readAt, confirmedAt: readAt, window });
    if (this.windowHistory.length > 8) this.windowHistory.shift();
  }

  /** The reading of the active window that was current at `timeMs`. */
  private readingAt(timeMs: number): WindowReading | undefined {
    for (let i = this.windowHistory.length - 1; i >= 0; i--)
      if (this.windowHistory[i].at <= timeMs) return this.windowHistory[i];
    return undefined;
  }

  /** The last change of the active window: when, and the window it left. */
  private lastWindowChange?: { at: number; from: string | null };
  /** Times the input focus was seen moving to another window, newest last (a few). */
  private readonly focusMoves: number[] = [];
  private stopFocusWatch?: () => void;

  /** Whether the focus was seen moving between `fromMs` (excluded) and `toMs` (included). */
  private focusMovedBetween(fromMs: number, toMs: number): boolean {
    return this.focusMoves.some((t) => t > fromMs && t <= toMs);
  }

  private inExcludedWindow(): boolean {
    return this.window?.privacy === 'excluded';
  }

  private async refreshWindow(timeMs: number): Promise<void> {
    this.applyWindow(timeMs, await this.windowContext());
  }

  private applyWindow(timeMs: number, next: WindowContext | null): void {
    this.windowCheckedAt = Date.now();
    this.remember(next, this.windowCheckedAt);
    const previous = this.window;
    if ((previous?.id ?? null) === (next?.id ?? null)) {
      this.window = next; // same window, perhaps a new title ("*Untitled" once edited)
      return;
    }
    if ((previous?.privacy === 'excluded') !== (next?.privacy === 'excluded')) {
      // Frames grabbed around the switch may show the excluded window: use none of them.
      this.grabber.forget();
      this.previousFrame = undefined;
      if (next?.privacy === 'excluded') this.settle = undefined;
    }
    const shot = this.shotBefore(timeMs);
    this.window = next;
    this.lastWindowChange = { at: timeMs, from: previous?.id ?? null };
    this.normaliser.windowChanged(timeMs, previous, next, shot);
  }

  // --- frames ---------------------------------------------------------------------------------

  /** The window of the action being handled, when it is not the current one (see onInput). */
  private handlingIn?: WindowContext;

  private awaitSettle(seq: number): void {
    // No "after" shot for an action in an excluded window, even one the action left.
    if (this.inExcludedWindow() || this.handlingIn?.privacy === 'excluded') return;
    this.settle ??= { waiting: new Set(), lastActionAt: 0, changed: false };
    this.settle.waiting.add(seq);
    this.settle.lastActionAt = Date.now();
    this.settle.changed = false;
    // From now on a frame every settleFrameIntervalMs (an idle tick due later comes sooner).
    if (!this.ticking && this.timerDueAt - Date.now() > this.tuning.settleFrameIntervalMs)
      this.schedule(this.tuning.settleFrameIntervalMs);
  }

  private timerDueAt = 0;
  private wokenByInput = false;

  private schedule(delayMs: number): void {
    if (this.stopping) return;
    clearTimeout(this.timer);
    this.timerDueAt = Date.now() + Math.max(0, delayMs);
    this.timer = setTimeout(() => void this.tick(), Math.max(0, delayMs));
  }

  /**
   * Grabs a frame now — started synchronously, because the time from an input event to its
   * frame is the recorder's capture latency — or right after the frame being grabbed.
   */
  private wake(forInput = false): void {
    // The input's own handler reads the window: a reading by the frame first would announce the
    // window the action opened before the action itself.
    if (forInput) this.wokenByInput = true;
    if (this.ticking) {
      this.wakeAgain = true;
    } else {
      clearTimeout(this.timer);
      void this.tick();
    }
  }

  private async tick(): Promise<void> {
    if (this.stopping || this.ticking) return;
    this.ticking = true;
    const began = Date.now();
    try {
      // No frame is grabbed while an excluded window is active. Input looked at the window just
      // now, so the grab that times it does not look again first; every frame is checked after.
      const forInput = this.wokenByInput;
      this.wokenByInput = false;
      if (!forInput && began - this.windowCheckedAt > WINDOW_RECHECK_MS)
        await this.enqueue(() => this.refreshWindow(Date.now()));
      if (!this.inExcludedWindow() && !this.stopping) {
        const windowThen = this.window;
        const frame = await this.grabber.grab();
        this.frameWindows.set(frame, windowThen);
        // An excluded window that came up meanwhile makes refreshWindow forget the frame.
        await this.enqueue(() => this.refreshWindow(Date.now()));
        if (!this.inExcludedWindow()) this.onFrame(frame);
      }
      this.sampleResources(began);
    } catch (err) {
      this.sink({ kind: 'warning', message: `a screen frame could not be grabbed: ${(err as Error).message}` });
    } finally {
      this.ticking = false;
    }
    const interval = this.settle
      ? this.tuning.settleFrameIntervalMs
      : began - this.lastInputAt < this.tuning.activeAfterInputMs
        ? this.tuning.activeFrameIntervalMs
        : this.tuning.idleFrameIntervalMs;
    this.schedule(this.wakeAgain ? 0 : interval - (Date.now() - began));
    this.wakeAgain = false;
  }

  private onFrame(frame: Frame): void {
    this.grabTimes.push(frame.grabMs);
    if (this.grabTimes.length > 2000) this.grabTimes.splice(0, 1000);
    if (this.latencyWatch !== undefined && frame.startedAt >= this.latencyWatch) {
      this.latencies.push(frame.endedAt - this.latencyWatch);
      this.latencyWatch = undefined;
    }
    const previous = this.previousFrame;
    this.previousFrame = frame;
    if (!previous) return;
    const diff = compareImages(previous.image, frame.image);
    const alike = nearlyIdentical(
      diff,
      frame.image.width * frame.image.height,
      this.tuning.duplicateMaxChangedFraction,
    );
    const now = Date.now();
    if (this.settle) {
      if (!alike) this.settle.changed = true;
      const since = now - this.settle.lastActionAt;
      const settled =
        alike && since >= this.tuning.settleMinMs && (this.settle.changed || since >= this.tuning.settleUnchangedMs);
      if (settled || now - this.settle.lastActionAt >= this.tuning.settleTimeoutMs) this.attachAfter(frame);
      return;
    }
    if (
      !alike &&
      diff.similarity <= this.tuning.screenChangeMaxSimilarity &&
      frame.startedAt - this.lastInputAt >= this.tuning.quietBeforeScreenChangeMs
    ) {
      const id = this.writer.save(frame, 'screen_change');
      this.normaliser.screenChanged(frame.startedAt, diff.similarity, this.window, id);
    }
  }

  private attachAfter(frame: Frame): void {
    const settle = this.settle;
    this.settle = undefined;
    if (!settle) return;
    const id = this.writer.save(frame, 'after');
    for (const seq of settle.waiting) this.sink({ kind: 'update', seq, patch: { after_screenshot_id: id } });
  }

  // --- performance ----------------------------------------------------------------------------

  private sampleResources(now: number): void {
    this.peakRssMb = Math.max(this.peakRssMb, process.memoryUsage.rss() / 1048576);
    if (now - this.lastPerformanceAt >= 5000) {
      this.lastPerformanceAt = now;
      this.sink({ kind: 'performance', performance: this.performance() });
    }
  }

  /** The recorder's own cost so far: CPU (percent of one core), peak memory, event → frame latency. */
  performance(): NonNullable<RawSession['performance']> {
    const cpu = process.cpuUsage(this.cpuStart);
    const wallUs = Number(process.hrtime.bigint() - this.wallStart) / 1000;
    const samples = [...(this.latencies.length ? this.latencies : this.grabTimes)].sort((a, b) => a - b);
    return {
      cpu_usage_percent: round1(((cpu.user + cpu.system) / Math.max(1, wallUs)) * 100),
      memory_usage_mb: Math.round(Math.max(this.peakRssMb, process.memoryUsage.rss() / 1048576)),
      capture_latency_ms: round1(percentile(samples, 0.5)),
      capture_latency_p95_ms: round1(percentile(samples, 0.95)),
    };
  }

  /** Event → frame latencies measured so far, in ms (for the benchmark). */
  latencySamples(): number[] {
    return [...this.latencies];
  }

  // --- end ------------------------------------------------------------------------------------

  private failure?: Error;
  private onFailure?: (err: Error) => void;

  /** Called once when the recorder cannot go on (the disk is full); it stops itself. */
  onFailed(listener: (err: Error) => void): void {
    this.onFailure = listener;
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.sink({ kind: 'failed', error: { name: err.name, message: err.message } });
    this.onFailure?.(err);
  }

  /** Stops listening, records what was held back, waits for the screenshots to be written. */
  async stop(reason = 'stopped'): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearTimeout(this.timer);
    this.stopFocusWatch?.();
    await this.desktop.input.stop().catch(() => undefined);
    await this.work;
    this.normaliser?.flush();
    if (this.settle && this.window?.privacy !== 'excluded' && !this.failure) {
      try {
        this.attachAfter(await this.grabber.grab());
      } catch {
        /* no final frame: the events keep their "before" shots */
      }
    } else if (this.window?.privacy !== 'excluded' && !this.failure && this.previousFrame) {
      // The screen as the session ends, when no screenshot shows it: a page that came more than
      // the settle time after the last action, too soon after it to count as a screen_change.
      try {
        await this.refreshWindow(Date.now());
        const frame = await this.grabber.grab();
        const last = this.writer.lastId;
        const id = this.writer.save(frame, 'screen_change');
        if (id && id !== last)
          this.normaliser.screenChanged(
            frame.startedAt,
            compareImages(this.previousFrame.image, frame.image).similarity,
            this.window,
            id,
          );
      } catch {
        /* no final frame */
      }
    }
    await this.writer.drained();
    this.sink({ kind: 'performance', performance: this.performance() });
    this.sink({
      kind: 'stopped',
      reason: this.failure ? `output failed: ${this.failure.message}` : reason,
      ended_at: new Date().toISOString(),
    });
  }
}
