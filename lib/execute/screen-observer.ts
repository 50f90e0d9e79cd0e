/**
 * How the runner looks at the screen: one frame is the screenshot, its analysis (OCR + UI
 * elements) and the active window. The vision engine caches analyses by pixel hash and
 * recognised text by crop hash, so looking again at an unchanged screen is cheap.
 */
import type { Desktop, RgbaImage, WindowInfo } from '../platform/types';
import type { ScreenAnalysis, VisionEngine } from '../vision';
import { compareImages, nearlyIdentical } from '../capture/frame-diff';
import { sleep } from './errors';

export interface Frame {
  image: RgbaImage;
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

export class ScreenObserver {
  private last: Frame | null = null;

  constructor(
    readonly desktop: Desktop,
    readonly vision: VisionEngine,
  ) {}

  /** The most recent frame, if any. */
  get latest(): Frame | null {
    return this.last;
  }

  /** Grabs and analyses the screen now. */
  async capture(image?: RgbaImage): Promise<Frame> {
    const t0 = performance.now();
    const [img, window] = await Promise.all([image ? Promise.resolve(image) : this.desktop.screen.grab(), this.desktop.windows.active().catch(() => null)]);
    const analysis = await this.vision.analyze(img, { windowTitle: window?.title, previous: this.last?.analysis, scaleFactor: img.scaleFactor });
    this.last = { image: img, analysis, window, at: t0, cost_ms: performance.now() - t0 };
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

  /** Whether the region of `box` looks the same now as in `frame` (the target is not moving). */
  async regionUnchanged(frame: Frame, box: [number, number, number, number]): Promise<boolean> {
    const x = Math.max(0, Math.floor(box[0]));
    const y = Math.max(0, Math.floor(box[1]));
    const width = Math.min(frame.image.width - x, Math.ceil(box[2] - box[0]));
    const height = Math.min(frame.image.height - y, Math.ceil(box[3] - box[1]));
    if (width <= 0 || height <= 0) return false;
    const now = await this.desktop.screen.grab({ x, y, width, height });
    const before = cropRgba(frame.image, x, y, width, height);
    return nearlyIdentical(compareImages(before, now), width * height, 0.02);
  }
}

/** A copy of a rectangle of an RGBA image. */
export function cropRgba(image: RgbaImage, x: number, y: number, width: number, height: number): RgbaImage {
  const out = Buffer.alloc(width * height * 4);
  for (let row = 0; row < height; row++) {
    const start = ((y + row) * image.width + x) * 4;
    image.data.copy(out, row * width * 4, start, start + width * 4);
  }
  return { width, height, data: out, scaleFactor: image.scaleFactor };
}
