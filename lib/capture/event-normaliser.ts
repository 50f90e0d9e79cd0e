/**
 * Turns the raw stream of the input hook into the events of rawsession_v1, the way a person
 * would describe what they did: "clicked here", "double-clicked there", "typed 'Bonjour'",
 * "pressed CTRL+F", rather than hundreds of key downs and pointer moves.
 *
 * - mouse_click: one per press; a second press of the same button close in time and place turns
 *   the previous click into a double click (click_count 2) instead of adding an event; a release
 *   away from the press makes it a drag (drag_to).
 * - mouse_move: at most one per `moveIntervalMs`, and only when the pointer went further than
 *   `moveMinDistancePx` from the last recorded position, so a shaky hand does not flood the log.
 * - mouse_scroll: consecutive wheel notches at one place merge; 120 per notch, negative is up.
 * - text_input: consecutive printable keys in one field (same window, no click, no navigation
 *   key in between) become one event holding the final text, BACKSPACE applied. The text is
 *   masked when the window is sensitive or the field shows bullets (`secretField`, asked once
 *   the field is finished); until then the text not yet finished goes out masked, so no
 *   checkpoint holds part of a password.
 * - key_press / key_release: every other key, with its modifiers ("CTRL", "F").
 *
 * Pure: no display, no clock, no files. The recorder feeds it and stores what comes out.
 */
import type { RawInputEvent } from '../platform/types';
import { isModifier, MODIFIERS } from '../platform/keys';
import type { RawEvent, RawWindowRef } from '../contracts/raw-session';
import { maskText, type Privacy } from './privacy';

export const EVENT_VERSION = '1.0';

/** The active window as the normaliser needs it. */
export interface WindowContext {
  /** Stable id of the window, to know when typing moved to another one. */
  id: string;
  /** What is written to the session (an excluded window's title is already hidden). */
  ref: RawWindowRef;
  privacy: Privacy;
}

export interface NormaliserSink {
  /** A new event; `action` events want a screenshot of the screen once it has settled. */
  emit(seq: number, event: RawEvent, action: boolean): void;
  /** Changes to an event emitted earlier (a click that became a double click). */
  update(seq: number, patch: Partial<RawEvent>, action: boolean): void;
  /** The text being typed, not finished yet (null once it is emitted or abandoned); its text is masked. */
  pending(seq: number, event: RawEvent | null): void;
  /**
   * Whether the field a finished text was typed into hides what it shows (a password field
   * drawing bullets); `typed` is how many characters it holds, `beforeMs` when the action that
   * ended it happened (undefined at the end of the session). Absent: only window rules mask.
   */
  secretField?(event: RawEvent, typed: number, beforeMs?: number): boolean;
}

export interface NormaliserOptions {
  /** Epoch milliseconds of the session start; event `t` counts from here. */
  startedAtMs: number;
  doubleClickMs?: number;
  doubleClickDistancePx?: number;
  moveIntervalMs?: number;
  moveMinDistancePx?: number;
  scrollMergeMs?: number;
}

export const NORMALISER_DEFAULTS = {
  doubleClickMs: 400,
  doubleClickDistancePx: 5,
  moveIntervalMs: 100,
  moveMinDistancePx: 10,
  scrollMergeMs: 400,
};

/** Screenshot of what the user saw just before the event at `timeMs`, or null (excluded window). */
export type ShotBefore = (timeMs: number) => string | null;

interface PendingText {
  seq: number;
  windowId: string;
  event: RawEvent;
  typed: string[];
}

const NOTCH = 120;
/** Keys that move the caret to another field or place: text typed after them is not at the last click. */
const CARET_KEYS = new Set([
  'TAB',
  'ENTER',
  'NUMPADENTER',
  'UP',
  'DOWN',
  'LEFT',
  'RIGHT',
  'HOME',
  'END',
  'PAGEUP',
  'PAGEDOWN',
]);
const distance = (a: [number, number], b: [number, number]) => Math.hypot(a[0] - b[0], a[1] - b[1]);

export class EventNormaliser {
  private readonly o: Required<NormaliserOptions>;
  private seq = 0;
  private lastClick?: {
    seq: number;
    timeMs: number;
    button: string;
    pos: [number, number];
    count: number;
    windowId: string | null;
  };
  private lastMove?: { timeMs: number; pos: [number, number] };
  private unsentMove?: { timeMs: number; pos: [number, number]; window: WindowContext | null };
  private lastScroll?: { seq: number; timeMs: number; pos: [number, number]; horizontal: boolean; delta: number };
  private text?: PendingText;
  /** A key (Tab, arrows, Enter) may have moved the caret since the last click: its place is unknown. */
  private caretMoved = false;
  /** Keys whose press was recorded as key_press, so their release is recorded too. */
  private pressed = new Map<string, string[]>();
  /** Keys whose press went into a text, so their release is not a key_release. */
  private typedKeys = new Set<string>();

  constructor(
    private readonly sink: NormaliserSink,
    options: NormaliserOptions,
  ) {
    this.o = { ...NORMALISER_DEFAULTS, ...options };
  }

  private t(timeMs: number): number {
    return Math.max(0, Math.round(timeMs - this.o.startedAtMs) / 1000);
  }

  private base(type: RawEvent['type'], timeMs: number, window: WindowContext | null): RawEvent {
    return { event_version: EVENT_VERSION, t: this.t(timeMs), type, window: window?.ref ?? null, screenshot_id: null };
  }

  private emit(event: RawEvent, action: boolean): number {
    const seq = ++this.seq;
    this.sink.emit(seq, event, action);
    return seq;
  }

  handle(raw: RawInputEvent, window: WindowContext | null, shotBefore: ShotBefore): void {
    switch (raw.kind) {
      case 'mousemove':
        return this.move(raw.time, [raw.x, raw.y], window);
      case 'mousedown':
        return this.click(raw.time, raw.button, [raw.x, raw.y], window, shotBefore);
      case 'mouseup':
        return this.release(raw.time, raw.button, [raw.x, raw.y], window);
      case 'wheel':
        return this.scroll(raw.time, [raw.x, raw.y], raw.delta, raw.horizontal, window, shotBefore);
      case 'keydown':
        return this.keyDown(raw.time, raw.key, raw.char, raw.modifiers, window, shotBefore);
      case 'keyup':
        return this.keyUp(raw.time, raw.key, window);
    }
  }

  private move(timeMs: number, pos: [number, number], window: WindowContext | null): void {
    const last = this.lastMove;
    if (
      !last ||
      (timeMs - last.timeMs >= this.o.moveIntervalMs && distance(last.pos, pos) >= this.o.moveMinDistancePx)
    ) {
      this.unsentMove = undefined;
      this.lastMove = { timeMs, pos };
      this.emit({ ...this.base('mouse_move', timeMs, window), pos }, false);
    } else {
      this.unsentMove = { timeMs, pos, window };
    }
  }

  /** Where the pointer came to rest, when throttling held it back; `except` is where the next event happens anyway. */
  private flushMove(except?: [number, number]): void {
    const m = this.unsentMove;
    this.unsentMove = undefined;
    if (!m || !this.lastMove || distance(this.lastMove.pos, m.pos) < this.o.moveMinDistancePx) return;
    if (except && distance(except, m.pos) < this.o.moveMinDistancePx) return;
    this.lastMove = { timeMs: m.timeMs, pos: m.pos };
    this.emit({ ...this.base('mouse_move', m.timeMs, m.window), pos: m.pos }, false);
  }

  private click(
    timeMs: number,
    button: RawEvent['button'] & string,
    pos: [number, number],
    window: WindowContext | null,
    shotBefore: ShotBefore,
  ): void {
    this.flushMove(pos);
    this.flushText(timeMs);
    const last = this.lastClick;
    const windowId = window?.id ?? null;
    if (
      last &&
      last.button === button &&
      timeMs - last.timeMs <= this.o.doubleClickMs &&
      distance(last.pos, pos) <= this.o.doubleClickDistancePx &&
      last.count < 3
    ) {
      last.count++;
      last.timeMs = timeMs;
      this.sink.update(last.seq, { click_count: last.count }, true);
      return;
    }
    const event: RawEvent = {
      ...this.base('mouse_click', timeMs, window),
      button,
      click_count: 1,
      pos,
      screenshot_id: shotBefore(timeMs),
    };
    const seq = this.emit(event, true);
    this.lastClick = { seq, timeMs, button, pos, count: 1, windowId };
    this.caretMoved = false;
    this.lastMove = { timeMs, pos };
  }

  /** A release away from where the button went down makes the click a drag. */
  private release(timeMs: number, button: string, pos: [number, number], window: WindowContext | null): void {
    const press = this.lastClick;
    if (!press || press.button !== button || distance(press.pos, pos) < this.o.moveMinDistancePx) return;
    this.flushMove(pos);
    this.lastMove = { timeMs, pos };
    this.lastClick = undefined; // a press after a drag is not a double click
    this.sink.update(press.seq, { drag_to: pos }, window?.privacy !== 'excluded');
  }

  private scroll(
    timeMs: number,
    pos: [number, number],
    rawDelta: number,
    horizontal: boolean,
    window: WindowContext | null,
    shotBefore: ShotBefore,
  ): void {
    if (rawDelta === 0) return;
    this.flushMove(pos);
    const delta = Math.sign(rawDelta) * NOTCH;
    const last = this.lastScroll;
    if (
      last &&
      last.horizontal === horizontal &&
      Math.sign(last.delta) === Math.sign(delta) &&
      timeMs - last.timeMs <= this.o.scrollMergeMs &&
      distance(last.pos, pos) <= 20
    ) {
      last.delta += delta;
      last.timeMs = timeMs;
      this.sink.update(last.seq, { delta: last.delta }, true);
      return;
    }
    const event: RawEvent = {
      ...this.base('mouse_scroll', timeMs, window),
      delta,
      pos,
      screenshot_id: shotBefore(timeMs),
    };
    if (horizontal) event.horizontal = true;
    const seq = this.emit(event, true);
    this.lastScroll = { seq, timeMs, pos, horizontal, delta };
  }

  private keyDown(
    timeMs: number,
    key: string,
    char: string | undefined,
    mods: { ctrl: boolean; alt: boolean; shift: boolean; meta: boolean },
    window: WindowContext | null,
    shotBefore: ShotBefore,
  ): void {
    if (isModifier(key)) return; // a modifier alone is part of the next key's combination
    if (char !== undefined) {
      this.typedKeys.add(key);
      if (window?.privacy !== 'excluded') this.typeChar(timeMs, char, window, shotBefore);
      return;
    }
    const plain = !mods.ctrl && !mods.alt && !mods.meta && !mods.shift;
    if (
      key === 'BACKSPACE' &&
      plain &&
      this.text &&
      this.text.typed.length > 0 &&
      this.text.windowId === (window?.id ?? '')
    ) {
      this.typedKeys.add(key);
      this.text.typed.pop();
      this.showText();
      return;
    }
    this.flushText(timeMs);
    if (CARET_KEYS.has(key)) this.caretMoved = true;
    const keys = [...MODIFIERS.filter((m) => mods[m.toLowerCase() as 'ctrl' | 'alt' | 'shift' | 'meta']), key];
    this.typedKeys.delete(key);
    this.pressed.set(key, keys);
    this.emit({ ...this.base('key_press', timeMs, window), keys, screenshot_id: shotBefore(timeMs) }, true);
  }

  private keyUp(timeMs: number, key: string, window: WindowContext | null): void {
    if (this.typedKeys.delete(key)) return;
    const keys = this.pressed.get(key);
    if (!keys) return;
    this.pressed.delete(key);
    this.emit({ ...this.base('key_release', timeMs, window), keys }, false);
  }

  private typeChar(timeMs: number, char: string, window: WindowContext | null, shotBefore: ShotBefore): void {
    const windowId = window?.id ?? '';
    if (this.text && this.text.windowId !== windowId) this.flushText(timeMs);
    if (!this.text) {
      const event: RawEvent = {
        ...this.base('text_input', timeMs, window),
        text: '',
        screenshot_id: shotBefore(timeMs),
      };
      // Where the field is: the click that put the caret there, when it was in this window.
      if (this.lastClick && !this.caretMoved && this.lastClick.windowId === (window?.id ?? null))
        event.pos = this.lastClick.pos;
      if (window?.privacy === 'sensitive') event.masked = true;
      this.text = { seq: ++this.seq, windowId, event, typed: [] };
    }
    this.text.typed.push(char);
    this.showText();
  }

  private showText(): void {
    const p = this.text!;
    const text = p.typed.join('');
    p.event.text = p.event.masked ? maskText(text) : text;
    this.sink.pending(p.seq, { ...p.event, text: maskText(text) });
  }

  /**
   * Ends the text being typed: emitted when something was typed, dropped when all was erased.
   * `endedAtMs`: when the action that ended it happened (the field is looked at as it was then).
   */
  flushText(endedAtMs?: number): void {
    const p = this.text;
    if (!p) return;
    this.text = undefined;
    this.sink.pending(p.seq, null);
    if (p.typed.length === 0) return;
    if (!p.event.masked && this.sink.secretField?.(p.event, p.typed.length, endedAtMs)) {
      p.event.masked = true;
      p.event.text = maskText(p.event.text ?? '');
    }
    this.sink.emit(p.seq, { ...p.event }, true);
  }

  /** The active window changed: typing there is over; `shotId` shows the new window. */
  windowChanged(timeMs: number, from: WindowContext | null, to: WindowContext | null, shotId: string | null): void {
    this.flushText(timeMs);
    this.emit(
      {
        ...this.base('window_change', timeMs, to),
        from_window: from?.ref ?? null,
        to_window: to?.ref ?? null,
        screenshot_id: shotId,
      },
      true,
    );
  }

  /** The screen changed while nobody touched anything (a dialog appeared, a page loaded). */
  screenChanged(timeMs: number, similarity: number, window: WindowContext | null, shotId: string | null): void {
    this.emit(
      { ...this.base('screen_change', timeMs, window), similarity_score: similarity, screenshot_id: shotId },
      false,
    );
  }

  /** End of the session: what was held back is recorded. */
  flush(): void {
    this.flushMove();
    this.flushText();
  }
}
