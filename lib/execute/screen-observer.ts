/**
 * How the runner looks at the screen. One frame is the screenshot, the active window, and the
 * analysis (OCR + UI elements) of the window's part of the screen — the convention learned
 * prototypes are made with (lib/graph/screen-embedding.ts): the same window embeds the same
 * wherever it is and whatever is open beside it, and fewer pixels are read. Everything in a
 * frame's analysis is in window-crop coordinates; `toScreen` turns them into the physical
 * screen pixels the mouse needs. The vision engine caches analyses by pixel hash and
 * recognised text by crop hash, so looking again at an unchanged window is cheap.
 */
import type { Desktop, RgbaImage, WindowInfo } from '../platform/types';
import type { BBox, Point2, ScreenAnalysis, VisionEngine } from '../vision';
import { crop } from '../image/pixels';
import { windowFrame } from '../graph/screen-embedding';
import { compareImages, nearlyIdentical } from '../capture/frame-diff';
import { sleep } from './errors';

/** Pixels a text caret's blink changes (a 2×16 bar, twice over), not a person's action. */
const CARET_PIXELS = 64;

export interface Frame {
  /** The whole screenshot (what the report's screenshots show). */
  screen: RgbaImage;
  /** The analysed part: the active window clipped to the screen (or the whole screen). */
  image: RgbaImage;
  /** Where `image` starts on the screen. */
  offset: { x: number; y: number };
  analysis: ScreenAnalysis;
  window: WindowInfo | null;
  /** performance.now() when it was grabbed. */
  at: number;
  /** Milliseconds spent grabbing and analysing. */
  cost_ms: number;
}

export interface SettleOptions {
  /** Give up waiting for stillness after this long (the verification still polls). */
  maxMs?: number;
  /** Time between two grabs. */
  intervalMs?: number;
  signal?: AbortSignal;
}

// A blinking caret changes about 20 pixels; a typed character or a new row changes hundreds.
const STILL_FRACTION = 0.00005;

/** A point of the frame's analysis on the screen. */
export function toScreen(frame: Pick<Frame, 'offset'>, p: Point2): Point2 {
  return [Math.round(p[0] + frame.offset.x), Math.round(p[1] + frame.offset.y)];
}

export function boxToScreen(frame: Pick<Frame, 'offset'>, b: BBox): BBox {
  return [b[0] + frame.offset.x, b[1] + frame.offset.y, b[2] + frame.offset.x, b[3] + frame.offset.y];
}

export class ScreenObserver {
  private last: Frame | null = null;

  constructor(
    readonly desktop: Desktop,
    readonly vision: VisionEngine,
    /**
     * Read every frame whole. A learned workflow's screens were read that way (lib/graph/learn.ts);
     * re-detecting only what changed reads a screen differently (a menu bar as one line instead of
     * five: 0.81 instead of 0.90 against its learned prototype).
     */
    private readonly options: { wholeFrames?: boolean } = {},
  ) {}

  /** The most recent frame, if any. */
  get latest(): Frame | null {
    return this.last;
  }

  /** Grabs and analyses the screen now (or the screenshot given). */
  async capture(screenshot?: RgbaImage): Promise<Frame> {
    const t0 = performance.now();
    const [screen, window] = await Promise.all([
      screenshot ? Promise.resolve(screenshot) : this.desktop.screen.grab(),
      this.desktop.windows.active().catch(() => null),
    ]);
    const b = window?.bounds;
    const box = windowFrame(screen.width, screen.height, b ? [b.x, b.y, b.x + b.width, b.y + b.height] : null);
    const whole = box[0] === 0 && box[1] === 0 && box[2] === screen.width && box[3] === screen.height;
    const image = whole ? screen : crop(screen, box[0], box[1], box[2], box[3]);
    const analysis = await this.vision.analyze(image, {
      windowTitle: window?.title,
      previous: this.last?.analysis,
      scaleFactor: screen.scaleFactor,
      wholeFrame: this.options.wholeFrames,
    });
    this.last = {
      screen,
      image,
      offset: { x: box[0], y: box[1] },
      analysis,
      window,
      at: t0,
      cost_ms: performance.now() - t0,
    };
    return this.last;
  }

  /**
   * Waits until two consecutive grabs are (nearly) identical — the application finished
   * reacting — or `maxMs` passed, and analyses that last image.
   */
  async settle(options: SettleOptions = {}): Promise<Frame> {
    const maxMs = options.maxMs ?? 3000;
    const interval = options.intervalMs ?? 60;
    const deadline = performance.now() + maxMs;
    let previous = await this.desktop.screen.grab();
    for (;;) {
      await sleep(interval, options.signal);
      const current = await this.desktop.screen.grab();
      const still = nearlyIdentical(compareImages(previous, current), current.width * current.height, STILL_FRACTION);
      previous = current;
      if (still || performance.now() > deadline) return this.capture(current);
    }
  }

  /**
   * Whether the part of the screen `frame` analysed now shows more than a blinking caret's worth
   * of change (a window that moved or resized counts as changed).
   */
  async changedSince(frame: Frame): Promise<boolean> {
    const { width, height } = frame.image;
    const now = await this.desktop.screen.grab({ x: frame.offset.x, y: frame.offset.y, width, height });
    return compareImages(frame.image, now).changedPixels > CARET_PIXELS;
  }

  /** Whether the region of `box` (frame coordinates) looks the same now as in `frame`: the target is not moving. */
  async regionUnchanged(frame: Frame, box: BBox): Promise<boolean> {
    const x = Math.max(0, Math.floor(box[0]));
    const y = Math.max(0, Math.floor(box[1]));
    const width = Math.min(frame.image.width - x, Math.ceil(box[2] - box[0]));
    const height = Math.min(frame.image.height - y, Math.ceil(box[3] - box[1]));
    if (width <= 0 || height <= 0) return false;
    const now = await this.desktop.screen.grab({ x: x + frame.offset.x, y: y + frame.offset.y, width, height });
    const before = crop(frame.image, x, y, x + width, y + height);
    return nearlyIdentical(compareImages(before, now), width * height, 0.02);
  }
}
