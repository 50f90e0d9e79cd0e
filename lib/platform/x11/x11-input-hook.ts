/**
 * Global mouse and keyboard events from uiohook-napi (libuiohook over XRecord), translated to
 * the product's RawInputEvent with readable key names and, for printable keys, the character
 * typed (US layout, which is what Xvfb and the tests use).
 */
import type { InputHookProvider, MouseButton, RawInputEvent } from '../types';

type Uiohook = typeof import('uiohook-napi');
/** Each handler below reads only the fields of its own event kind. */
type HookEvent = Omit<import('uiohook-napi').UiohookKeyboardEvent, 'type'> &
  Omit<import('uiohook-napi').UiohookMouseEvent, 'type'> &
  Omit<import('uiohook-napi').UiohookWheelEvent, 'type'> & { type: number };
let uiohookModule: Uiohook | undefined;

export class InputHookError extends Error {
  override name = 'InputHookError';
}

const NAME_FIXUPS: Record<string, string> = {
  Ctrl: 'CTRL',
  CtrlRight: 'CTRL',
  Alt: 'ALT',
  AltRight: 'ALT',
  Shift: 'SHIFT',
  ShiftRight: 'SHIFT',
  Meta: 'META',
  MetaRight: 'META',
  ArrowUp: 'UP',
  ArrowDown: 'DOWN',
  ArrowLeft: 'LEFT',
  ArrowRight: 'RIGHT',
};

const SHIFTED: Record<string, string> = {
  '1': '!',
  '2': '@',
  '3': '#',
  '4': '$',
  '5': '%',
  '6': '^',
  '7': '&',
  '8': '*',
  '9': '(',
  '0': ')',
  MINUS: '_',
  EQUAL: '+',
  COMMA: '<',
  PERIOD: '>',
  SLASH: '?',
  BACKSLASH: '|',
  SEMICOLON: ':',
  QUOTE: '"',
  BACKQUOTE: '~',
  BRACKETLEFT: '{',
  BRACKETRIGHT: '}',
};
const PLAIN: Record<string, string> = {
  MINUS: '-',
  EQUAL: '=',
  COMMA: ',',
  PERIOD: '.',
  SLASH: '/',
  BACKSLASH: '\\',
  SEMICOLON: ';',
  QUOTE: "'",
  BACKQUOTE: '`',
  BRACKETLEFT: '[',
  BRACKETRIGHT: ']',
  SPACE: ' ',
  NUMPADADD: '+',
  NUMPADSUBTRACT: '-',
  NUMPADMULTIPLY: '*',
  NUMPADDIVIDE: '/',
  NUMPADDECIMAL: '.',
};

let keyNames: Map<number, string> | undefined;
function keyName(code: number): string {
  if (!keyNames) {
    keyNames = new Map();
    for (const [name, value] of Object.entries(uiohookModule!.UiohookKey)) {
      if (typeof value !== 'number') continue;
      keyNames.set(value, NAME_FIXUPS[name] ?? name.toUpperCase());
    }
  }
  return keyNames.get(code) ?? `KEY_${code}`;
}

/** The character a key produces, or undefined for non-printable keys and shortcuts. */
export function printableChar(
  key: string,
  mods: { ctrl: boolean; alt: boolean; shift: boolean; meta: boolean },
  capsLock = false,
): string | undefined {
  if (mods.ctrl || mods.alt || mods.meta) return undefined;
  if (/^[A-Z]$/.test(key)) return mods.shift !== capsLock ? key : key.toLowerCase();
  if (/^[0-9]$/.test(key)) return mods.shift ? SHIFTED[key] : key;
  if (/^NUMPAD[0-9]$/.test(key)) return key.slice(6);
  if (key in PLAIN) return mods.shift && SHIFTED[key] ? SHIFTED[key] : PLAIN[key];
  return undefined;
}

/** libuiohook's EVENT_MOUSE_DRAGGED, missing from uiohook-napi's EventType enum. */
const EVENT_MOUSE_DRAGGED = 10;

const BUTTONS: Record<number, MouseButton> = { 1: 'left', 2: 'right', 3: 'middle' };

/**
 * When an event happened, on the wall clock. The hook reports events late when the machine is
 * busy (a second and more under load), and an action is only understood on the screen and in
 * the window of its own moment: each event carries the X server's time of it (milliseconds
 * since the server started), put on the wall clock by the smallest offset seen so far, which
 * is the one of the event reported with the least delay.
 */
function eventClock(): (e: { time?: number }) => number {
  let offset = Infinity;
  return (e) => {
    const now = Date.now();
    if (typeof e.time !== 'number' || !Number.isFinite(e.time) || e.time <= 0) return now;
    offset = Math.min(offset, now - e.time);
    const at = e.time + offset;
    // The server's clock wrapped (every 49.7 days) or it restarted: start over from this event.
    if (now - at > CLOCK_RESET_MS) {
      offset = now - e.time;
      return now;
    }
    return at;
  };
}
const CLOCK_RESET_MS = 60_000;

export class X11InputHook implements InputHookProvider {
  private listener?: (event: RawInputEvent) => void;
  private started = false;
  private handlers: Array<[string, (...args: never[]) => void]> = [];

  async start(listener: (event: RawInputEvent) => void): Promise<void> {
    if (this.started) throw new InputHookError('the input hook is already running');
    try {
      // Loaded on first start: the native hook opens $DISPLAY when it loads.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      uiohookModule ??= require('uiohook-napi') as Uiohook;
    } catch (err) {
      throw new InputHookError(`the input hook library (uiohook-napi) cannot load: ${(err as Error).message}`);
    }
    const { uIOhook } = uiohookModule;
    this.listener = listener;
    const emit = (e: RawInputEvent) => this.listener?.(e);
    const when = eventClock();
    const mods = (e: { ctrlKey: boolean; altKey: boolean; shiftKey: boolean; metaKey: boolean }) => ({
      ctrl: e.ctrlKey,
      alt: e.altKey,
      shift: e.shiftKey,
      meta: e.metaKey,
    });
    const on = (name: string, fn: (e: HookEvent) => void) => {
      uIOhook.on(name as 'keydown', fn as never);
      this.handlers.push([name, fn]);
    };
    on('keydown', (e) => {
      const key = keyName(e.keycode);
      const m = mods(e);
      emit({ kind: 'keydown', key, char: printableChar(key, m), modifiers: m, time: when(e) });
    });
    on('keyup', (e) => emit({ kind: 'keyup', key: keyName(e.keycode), modifiers: mods(e), time: when(e) }));
    for (const kind of ['mousedown', 'mouseup'] as const) {
      on(kind, (e) =>
        emit({ kind, button: BUTTONS[Number(e.button)] ?? 'left', x: e.x, y: e.y, clicks: e.clicks, time: when(e) }),
      );
    }
    on('mousemove', (e) => emit({ kind: 'mousemove', x: e.x, y: e.y, time: when(e) }));
    // A move with a button held (a drag) has no event name of its own in uiohook-napi.
    on('input', (e) => {
      if (e.type === EVENT_MOUSE_DRAGGED) emit({ kind: 'mousemove', x: e.x, y: e.y, time: when(e) });
    });
    // libuiohook: direction 3 is vertical, 4 horizontal; rotation > 0 scrolls down/right.
    on('wheel', (e) =>
      emit({
        kind: 'wheel',
        x: e.x,
        y: e.y,
        delta: e.rotation * e.amount,
        horizontal: e.direction === 4,
        time: when(e),
      }),
    );
    try {
      uIOhook.start();
    } catch (err) {
      this.removeHandlers();
      throw new InputHookError(
        `cannot start the global input hook (the X server needs the RECORD extension): ${(err as Error).message}`,
      );
    }
    this.started = true;
  }

  private removeHandlers(): void {
    if (!uiohookModule) return;
    for (const [name, fn] of this.handlers) uiohookModule.uIOhook.off(name as 'keydown', fn as never);
    this.handlers = [];
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.removeHandlers();
    this.listener = undefined;
    uiohookModule?.uIOhook.stop();
  }
}
