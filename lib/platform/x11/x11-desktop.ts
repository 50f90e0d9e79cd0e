/**
 * The X11 desktop: screen, mouse, keyboard and windows through @nut-tree-fork/nut-js (libnut),
 * window facts through a connection of our own (x11-window-query), global input through uiohook-napi. Native modules load only
 * when a provider is first used, and only after the display has been probed, because libnut and
 * libuiohook abort the process when the display cannot be opened.
 */
import { execFile } from 'child_process';
import { promisify } from 'util';
import type {
  Desktop,
  KeyboardProvider,
  MouseButton,
  MouseProvider,
  Point,
  Rect,
  RgbaImage,
  ScreenInfo,
  ScreenProvider,
  WindowInfo,
  WindowProvider,
} from '../types';
import { NoDisplayError, probeDisplay } from '../display';
import { parseCombination } from '../keys';
import { X11InputHook } from './x11-input-hook';
import { listMonitors } from './x11-monitors';
import { keysymName, SpareKeys } from './x11-spare-keys';
import { X11WindowQuery } from './x11-window-query';

const execFileAsync = promisify(execFile);

type NutJs = typeof import('@nut-tree-fork/nut-js');
type LibNut = typeof import('@nut-tree-fork/libnut-linux');
let nutModule: NutJs | undefined;
let libnutModule: LibNut | undefined;

function nut(): NutJs {
  if (!nutModule) {
    // Loaded on first use, after the display was probed: libnut opens $DISPLAY when it loads.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    nutModule = require('@nut-tree-fork/nut-js') as NutJs;
    // nut.js waits between actions by default (300 ms a key, 100 ms a click) for slow
    // applications; the runner waits for the screen to settle itself, so keep these short.
    nutModule.keyboard.config.autoDelayMs = 8;
    nutModule.mouse.config.autoDelayMs = 20;
  }
  return nutModule;
}

function libnut(): LibNut {
  nut();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded with nut.js, see nut()
  libnutModule ??= require('@nut-tree-fork/libnut-linux') as LibNut;
  return libnutModule;
}

/** Readable key name → nut.js Key enum member name. */
const NUT_KEY: Record<string, string> = {
  CTRL: 'LeftControl',
  ALT: 'LeftAlt',
  SHIFT: 'LeftShift',
  META: 'LeftSuper',
  ENTER: 'Enter',
  ESCAPE: 'Escape',
  BACKSPACE: 'Backspace',
  DELETE: 'Delete',
  INSERT: 'Insert',
  HOME: 'Home',
  END: 'End',
  PAGEUP: 'PageUp',
  PAGEDOWN: 'PageDown',
  UP: 'Up',
  DOWN: 'Down',
  LEFT: 'Left',
  RIGHT: 'Right',
  TAB: 'Tab',
  SPACE: 'Space',
  CAPSLOCK: 'CapsLock',
  NUMLOCK: 'NumLock',
  SCROLLLOCK: 'ScrollLock',
  PRINTSCREEN: 'Print',
  MINUS: 'Minus',
  EQUAL: 'Equal',
  COMMA: 'Comma',
  PERIOD: 'Period',
  SLASH: 'Slash',
  BACKSLASH: 'Backslash',
  SEMICOLON: 'Semicolon',
  QUOTE: 'Quote',
  BACKQUOTE: 'Grave',
  BRACKETLEFT: 'LeftBracket',
  BRACKETRIGHT: 'RightBracket',
  NUMPADADD: 'Add',
  NUMPADSUBTRACT: 'Subtract',
  NUMPADMULTIPLY: 'Multiply',
  NUMPADDIVIDE: 'Divide',
  NUMPADDECIMAL: 'Decimal',
  NUMPADENTER: 'Enter',
};

function nutKey(name: string): number {
  const { Key } = nut();
  const member =
    NUT_KEY[name] ??
    (/^[0-9]$/.test(name) ? `Num${name}` : /^NUMPAD[0-9]$/.test(name) ? `NumPad${name.slice(6)}` : name);
  const value = (Key as unknown as Record<string, number>)[member];
  if (value === undefined) throw new Error(`the X11 keyboard cannot press "${name}"`);
  return value;
}

function nutButton(button: MouseButton): number {
  const { Button } = nut();
  return button === 'right' ? Button.RIGHT : button === 'middle' ? Button.MIDDLE : Button.LEFT;
}

class X11Screen implements ScreenProvider {
  async screens(): Promise<ScreenInfo[]> {
    await connected();
    const { screen } = nut();
    const scaleFactor = await this.scaleFactor();
    // All monitors share one root bitmap; RandR says how it is split, when there are several.
    const monitors = await listMonitors();
    if (monitors.length > 1)
      return monitors.map((m, id) => ({ id, width: m.width, height: m.height, scaleFactor, isPrimary: m.isPrimary }));
    return [{ id: 0, width: await screen.width(), height: await screen.height(), scaleFactor, isPrimary: true }];
  }

  /** X11 has no per-screen scale; Xft.dpi (96 = 100 %) is what toolkits scale by. */
  private scale?: number;
  private async scaleFactor(): Promise<number> {
    if (this.scale !== undefined) return this.scale;
    this.scale = 1;
    try {
      const { stdout } = await execFileAsync('xrdb', ['-query'], { timeout: 2000 });
      const dpi = /Xft\.dpi:\s*([\d.]+)/.exec(stdout);
      if (dpi) this.scale = Math.round((Number(dpi[1]) / 96) * 100) / 100;
    } catch {
      /* no xrdb: 100 % */
    }
    return this.scale;
  }

  async grab(region?: Rect): Promise<RgbaImage> {
    await connected();
    const lib = libnut();
    const size = lib.getScreenSize();
    const r = region ?? { x: 0, y: 0, width: size.width, height: size.height };
    const bmp = lib.screen.capture(r.x, r.y, r.width, r.height);
    const src = bmp.image as Buffer;
    return {
      width: bmp.width,
      height: bmp.height,
      data: bgraToRgba(src, bmp.width, bmp.height, bmp.byteWidth),
      scaleFactor: await this.scaleFactor(),
    };
  }
}

/**
 * libnut returns BGRA rows of byteWidth bytes; the product wants tight RGBA. Swapping through
 * 32-bit words is about four times faster than byte by byte (3 ms instead of 12 ms at
 * 1920×1080), which matters because the recorder grabs several frames a second.
 */
export function bgraToRgba(src: Buffer, width: number, height: number, byteWidth: number): Buffer {
  const data = Buffer.allocUnsafeSlow(width * height * 4); // its own memory: 4-byte aligned
  const out = new Uint32Array(data.buffer, data.byteOffset, width * height);
  const aligned = src.byteOffset % 4 === 0 && byteWidth % 4 === 0;
  const input = aligned ? new Uint32Array(src.buffer, src.byteOffset, (byteWidth / 4) * height) : undefined;
  for (let y = 0; y < height; y++) {
    let d = y * width;
    if (input) {
      // little-endian word 0xAARRGGBB (bytes B G R A) → 0xFFBBGGRR (bytes R G B 255)
      for (let s = (y * byteWidth) / 4, end = s + width; s < end; s++, d++) {
        const v = input[s];
        out[d] = (0xff000000 | ((v & 0xff) << 16) | (v & 0xff00) | ((v >>> 16) & 0xff)) >>> 0;
      }
    } else {
      for (let x = 0, s = y * byteWidth; x < width; x++, s += 4, d++)
        out[d] = (0xff000000 | (src[s] << 16) | (src[s + 1] << 8) | src[s + 2]) >>> 0;
    }
  }
  return data;
}

class X11Mouse implements MouseProvider {
  async position(): Promise<Point> {
    await connected();
    const p = libnut().getMousePos();
    return { x: p.x, y: p.y };
  }
  async move(to: Point): Promise<void> {
    await connected();
    await nut().mouse.setPosition(new (nut().Point)(Math.round(to.x), Math.round(to.y)));
  }
  async click(button: MouseButton, count = 1): Promise<void> {
    await connected();
    const { mouse } = nut();
    if (count === 2) return void (await mouse.doubleClick(nutButton(button)));
    for (let i = 0; i < count; i++) await mouse.click(nutButton(button));
  }
  async press(button: MouseButton): Promise<void> {
    await connected();
    await nut().mouse.pressButton(nutButton(button));
  }
  async release(button: MouseButton): Promise<void> {
    await connected();
    await nut().mouse.releaseButton(nutButton(button));
  }
  async scroll(dx: number, dy: number): Promise<void> {
    await connected();
    const { mouse } = nut();
    if (dy > 0) await mouse.scrollDown(dy);
    if (dy < 0) await mouse.scrollUp(-dy);
    if (dx > 0) await mouse.scrollRight(dx);
    if (dx < 0) await mouse.scrollLeft(-dx);
  }
}

class X11Keyboard implements KeyboardProvider {
  private readonly spareKeys = new SpareKeys();

  /**
   * Printable ASCII goes through xdotool, which presses each character's own key and shift
   * (nut.js lost the shift of symbols such as "*" under Xvfb). Other characters ("é", "œ", "€")
   * are pressed as keys too, once the keyboard map has one for each (x11-spare-keys.ts), never
   * pasted: a paste needs the program to ask for the clipboard in time and to paste on CTRL+V.
   */
  async type(text: string): Promise<void> {
    const runs = text.match(/[\x20-\x7e\n\t]+|[^\x20-\x7e\n\t]+/g) ?? [];
    const others = runs.filter((r) => !/^[\x20-\x7e\n\t]/.test(r)).flatMap((r) => [...r]);
    if (others.length) await this.spareKeys.ensure(others);
    for (const run of runs) {
      const args = /^[\x20-\x7e\n\t]/.test(run)
        ? ['type', '--delay', '12', '--', run]
        : ['key', '--delay', '12', ...[...run].map(keysymName)];
      await execFileAsync('xdotool', args, { timeout: 60_000 });
    }
  }

  async tap(keys: string[]): Promise<void> {
    await connected();
    const codes = parseCombination(keys).map(nutKey);
    const { keyboard } = nut();
    await keyboard.pressKey(...codes);
    await keyboard.releaseKey(...codes);
  }
}

/** How often the focus watch asks X; well under a person's reaction to a window that came up. */
const FOCUS_POLL_MS = 40;

class X11Windows implements WindowProvider {
  private appNames = new Map<number, { appName: string; pid?: number }>();

  /**
   * Asking X for the input focus is one round trip in-process (no xdotool), so it can be polled
   * often enough to tell whether the focus moved before or after an input event.
   */
  watchFocus(onChange: (timeMs: number) => void): () => void {
    let last: number | undefined;
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    void connected().then(() => {
      if (stopped) return;
      const lib = libnut();
      timer = setInterval(() => {
        let focus: number;
        try {
          focus = lib.getActiveWindow();
        } catch {
          return;
        }
        if (last !== undefined && focus !== last) onChange(Date.now());
        last = focus;
      }, FOCUS_POLL_MS);
      timer.unref();
    });
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }

  /**
   * The window manager's active window. libnut asks X for the input focus, which for GTK and Qt
   * applications is a hidden child window with no title, and reports positions relative to the
   * window manager's frame; so the focus only says whether a window has it, and the top-level
   * window comes from _NET_ACTIVE_WINDOW, its title and position from the window query.
   */
  async active(): Promise<WindowInfo | null> {
    await connected();
    const focus = libnut().getActiveWindow();
    // Without a window manager the focus is often None (0) or PointerRoot (1), not a window.
    if (!isWindowId(focus)) return null;
    const query = await windowQuery();
    // No window manager (no _NET_ACTIVE_WINDOW): the focus window is the best we know.
    const handle = (await query.activeWindow()) ?? focus;
    const seen = await query.describe(handle);
    if (!seen) return null; // closed since it was named
    const id = String(handle);
    return { id, title: seen.title, bounds: seen.bounds, ...(await this.appOf(handle)) };
  }

  /**
   * WM_CLASS instance (e.g. "mousepad") and _NET_WM_PID, cached per window. A dialog belongs to
   * the program that opened it: a window transient for another takes that one's application
   * name, as Tk names a toplevel's WM_CLASS after its widget ("!toplevel2", another for each
   * dialog opened), not after the program.
   */
  private async appOf(handle: number, depth = 0): Promise<{ appName: string; pid?: number }> {
    const cached = this.appNames.get(handle);
    if (cached) return cached;
    const { appName, pid, transientFor } = await (await windowQuery()).owner(handle);
    const result = { appName, pid };
    if (transientFor && transientFor !== handle && depth < 3) {
      const owner = await this.appOf(transientFor, depth + 1);
      if (owner.appName) result.appName = owner.appName;
    }
    if (this.appNames.size > 500) this.appNames.clear();
    this.appNames.set(handle, result);
    return result;
  }

  /** The window manager's client list (_NET_CLIENT_LIST), each with its title, bounds and application. */
  async list(): Promise<WindowInfo[]> {
    await connected();
    const query = await windowQuery();
    const handles = (await query.clientList()) ?? []; // no window manager: no list
    const out: WindowInfo[] = [];
    for (const handle of handles) {
      const seen = await query.describe(handle);
      if (seen) out.push({ id: String(handle), title: seen.title, bounds: seen.bounds, ...(await this.appOf(handle)) });
    }
    return out;
  }

  async focus(id: string): Promise<void> {
    const handle = await existingWindow(id);
    // The window manager's own activation (_NET_ACTIVE_WINDOW), which raises the window and
    // makes it the active one; libnut's input focus alone leaves the window manager unaware.
    try {
      await execFileAsync('xdotool', ['windowactivate', '--sync', String(handle)], { timeout: 3000 });
      return;
    } catch {
      /* no window manager or xdotool missing: the input focus at least */
    }
    libnut().focusWindow(handle);
  }
  async move(id: string, to: Point): Promise<void> {
    libnut().moveWindow(await existingWindow(id), { x: Math.round(to.x), y: Math.round(to.y) });
  }
  async resize(id: string, width: number, height: number): Promise<void> {
    libnut().resizeWindow(await existingWindow(id), { width: Math.round(width), height: Math.round(height) });
  }
}

let lostDisplay: string | undefined;

/**
 * libnut keeps one connection to the X server, opened when it loads. When the server goes
 * away, Xlib's I/O error handler ends the process at libnut's next call ("XIO: fatal IO
 * error"), so every call first checks that the server still answers. Once it did not, the
 * connection is dead for good, even if a server comes back on the same display.
 */
async function connected(): Promise<void> {
  const display = process.env.DISPLAY;
  if (lostDisplay === undefined) {
    const probe = await probeDisplay(display);
    if (probe.ok) return;
    lostDisplay = probe.reason;
  }
  throw new NoDisplayError({
    ok: false,
    display,
    reason: `the X display ${display ?? ''} was lost (${lostDisplay}); restart Node-RED once it is back`,
  });
}

/**
 * libnut installs no X error handler, so Xlib's default one ends the whole process (Node-RED
 * with it) when libnut is given an id that is not a live window: "X Error … BadWindow
 * (X_GetProperty, resource 0x1)". Every window id goes through these checks before libnut
 * sees it. The window query (x11-window-query.ts) has its own connection, where a BadWindow is
 * only an error reply.
 */
function isWindowId(handle: unknown): handle is number {
  return typeof handle === 'number' && Number.isInteger(handle) && handle > 1 && handle <= 0xffffffff;
}

async function windowExists(handle: number): Promise<boolean> {
  return (await describeWindow(handle)) !== null;
}

/** A live window's title and its bounds on the screen; null when there is no such window. */
async function describeWindow(handle: number): Promise<{ title: string; bounds: Rect } | null> {
  if (!isWindowId(handle)) return null;
  return (await windowQuery()).describe(handle);
}

let openQuery: { display: string | undefined; query: Promise<X11WindowQuery> } | undefined;

/** The process's connection for window questions, opened on first use and again if it was lost. */
async function windowQuery(): Promise<X11WindowQuery> {
  const display = process.env.DISPLAY;
  const current = openQuery && (await openQuery.query.catch(() => undefined));
  if (current?.usable && openQuery?.display === display) return current;
  current?.close();
  const query = X11WindowQuery.open(display);
  openQuery = { display, query };
  return query;
}

/** The numeric id of a window that exists now; a clear error otherwise. */
async function existingWindow(id: string): Promise<number> {
  await connected();
  const handle = Number(id);
  if (!(await windowExists(handle))) throw new Error(`no window ${JSON.stringify(id)} on the X display (closed?)`);
  return handle;
}

/** The desktop of the X display in process.env.DISPLAY. Probe it first (see display.ts). */
export function createX11Desktop(display = process.env.DISPLAY ?? ''): Desktop {
  return {
    description: `X11 display ${display}`,
    screen: new X11Screen(),
    mouse: new X11Mouse(),
    keyboard: new X11Keyboard(),
    windows: new X11Windows(),
    input: new X11InputHook(),
  };
}
