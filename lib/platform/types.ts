/**
 * The desktop as the engine sees it. Everything that touches a real screen, mouse, keyboard,
 * input hook or window manager implements one of these interfaces, so tests, a virtual display
 * or another OS are just another provider (the nut.js provider-interface idea).
 *
 * Coordinates are physical screen pixels, origin top-left.
 */

/** A point on the screen in physical pixels. */
export interface Point {
  x: number;
  y: number;
}

/** An axis-aligned rectangle in physical pixels. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A captured image: tightly packed RGBA, 4 bytes a pixel, rows top to bottom. */
export interface RgbaImage {
  width: number;
  height: number;
  /** width * height * 4 bytes, R G B A. */
  data: Buffer;
  /** Physical pixels per logical pixel of the screen it came from (1 at 100 %, 2 at 200 %). */
  scaleFactor: number;
}

export interface ScreenInfo {
  id: number;
  width: number;
  height: number;
  scaleFactor: number;
  isPrimary: boolean;
}

export interface ScreenProvider {
  /** The screens of the display; the primary one first. */
  screens(): Promise<ScreenInfo[]>;
  /** Captures the whole primary screen, or a region of it. */
  grab(region?: Rect): Promise<RgbaImage>;
}

export type MouseButton = 'left' | 'right' | 'middle';

export interface MouseProvider {
  position(): Promise<Point>;
  move(to: Point): Promise<void>;
  /** Clicks at the current position; `count` 2 is a double click. */
  click(button: MouseButton, count?: number): Promise<void>;
  press(button: MouseButton): Promise<void>;
  release(button: MouseButton): Promise<void>;
  /** Scrolls by whole wheel notches; positive `dy` scrolls down, positive `dx` right. */
  scroll(dx: number, dy: number): Promise<void>;
}

export interface KeyboardProvider {
  /** Types text as a person would, character by character. */
  type(text: string): Promise<void>;
  /**
   * Presses a key combination and releases it, e.g. ['CTRL', 'F'] or ['ENTER'].
   * Key names are the readable names of {@link KEY_NAMES}.
   */
  tap(keys: string[]): Promise<void>;
}

/** A window as the window manager reports it. */
export interface WindowInfo {
  /** Opaque, stable for the window's lifetime. */
  id: string;
  title: string;
  /** The application, e.g. the WM_CLASS instance or the process name ("mousepad"). */
  appName: string;
  bounds: Rect;
  pid?: number;
}

export interface WindowProvider {
  active(): Promise<WindowInfo | null>;
  /**
   * The windows the window manager shows, top-level only. Optional: a provider without it
   * cannot bring another program's window to the front by itself.
   */
  list?(): Promise<WindowInfo[]>;
  /** Brings a window to the front and gives it the focus. */
  focus(id: string): Promise<void>;
  move(id: string, to: Point): Promise<void>;
  resize(id: string, width: number, height: number): Promise<void>;
  /**
   * Calls `onChange` with the time (ms since the epoch) soon after the input focus moves to
   * another window, until the returned function is called. Optional: a provider without it
   * leaves its callers to the readings of `active()`.
   */
  watchFocus?(onChange: (timeMs: number) => void): () => void;
}

/** A global input event as the hook delivers it, before any interpretation. */
export type RawInputEvent =
  | { kind: 'mousedown' | 'mouseup'; button: MouseButton; x: number; y: number; clicks: number; time: number }
  | { kind: 'mousemove'; x: number; y: number; time: number }
  | { kind: 'wheel'; x: number; y: number; delta: number; horizontal: boolean; time: number }
  | {
      kind: 'keydown' | 'keyup';
      /** Readable key name, e.g. 'A', 'ENTER', 'CTRL', 'F5'. */
      key: string;
      /** The character the key produces with the current modifiers, when it is printable. */
      char?: string;
      modifiers: { ctrl: boolean; alt: boolean; shift: boolean; meta: boolean };
      time: number;
    };

export interface InputHookProvider {
  /** Starts delivering global events; rejects with a clear error when the hook cannot start. */
  start(listener: (event: RawInputEvent) => void): Promise<void>;
  stop(): Promise<void>;
}

/** Everything a desktop offers; one object per display. */
export interface Desktop {
  /** A human-readable description, e.g. "X11 display :99". */
  readonly description: string;
  readonly screen: ScreenProvider;
  readonly mouse: MouseProvider;
  readonly keyboard: KeyboardProvider;
  readonly windows: WindowProvider;
  readonly input: InputHookProvider;
}
