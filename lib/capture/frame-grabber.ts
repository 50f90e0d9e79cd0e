/**
 * Grabs full-screen frames one at a time and remembers the last few, so that when the user
 * clicks the recorder can show what the screen looked like just *before* the click — the
 * click itself may already have changed it by the time anyone could grab a new frame.
 */
import type { ScreenProvider, RgbaImage } from '../platform/types';

export interface Frame {
  image: RgbaImage;
  /**
   * Epoch ms when the grab was asked for. The X server takes the pixels when it gets to the
   * request, somewhere until `endedAt`: on a loaded machine after a click that came meanwhile.
   */
  startedAt: number;
  /** Epoch ms when the pixels were in hand. */
  endedAt: number;
  /** How long the grab took, high resolution. */
  grabMs: number;
}

export class FrameGrabber {
  /** Newest last. */
  private recent: Frame[] = [];
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly screen: ScreenProvider,
    /** How many recent frames to keep (about 8 MB each at 1920×1080). */
    private readonly keep = 3,
  ) {}

  /** A new frame; grabs run one after another, so each caller's frame starts after its call. */
  grab(): Promise<Frame> {
    const next = this.chain.then(async () => {
      const startedAt = Date.now();
      const t0 = process.hrtime.bigint();
      const image = await this.screen.grab();
      const frame: Frame = {
        image,
        startedAt,
        endedAt: Date.now(),
        grabMs: Number(process.hrtime.bigint() - t0) / 1e6,
      };
      this.recent.push(frame);
      if (this.recent.length > this.keep) this.recent.shift();
      return frame;
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  /**
   * What the user saw at `timeMs`: the newest frame whose grab began before it. With `inHand`,
   * the newest whose pixels were in hand before it, when there is one: a grab asked for just
   * before a click (the pointer moving onto a button asks for one) may be served after the
   * click closed the dialog that button was on. (Not for keys: the frame in hand before Enter
   * may lag the text typed just before it.)
   */
  before(timeMs: number, inHand = false): Frame | null {
    if (inHand)
      for (let i = this.recent.length - 1; i >= 0; i--) if (this.recent[i].endedAt < timeMs) return this.recent[i];
    for (let i = this.recent.length - 1; i >= 0; i--) if (this.recent[i].startedAt < timeMs) return this.recent[i];
    return null;
  }

  get latest(): Frame | null {
    return this.recent[this.recent.length - 1] ?? null;
  }

  /** Forgets every frame, e.g. when an excluded window came up and frames may show it. */
  forget(): void {
    this.recent = [];
  }
}
