/**
 * Writes the session's screenshots to DIR/shots/shot_NNNN.png. An id is handed out at once
 * (the event that needs it is recorded now) and the PNG is encoded and written in the
 * background; the screenshot is listed in the session only once it is on disk.
 *
 * A frame that looks like the last one written (nothing changed but a blinking caret) is not
 * written again: its event gets the earlier id.
 */
import path from 'path';
import type { RawScreenshot } from '../contracts/raw-session';
import { writeDataFile } from '../contracts/sealed-files';
import { encodePng } from '../image/codec';
import { compareImages, nearlyIdentical } from './frame-diff';
import { outputError } from './errors';
import type { Frame } from './frame-grabber';

export const SHOTS_DIR = 'shots';

export interface ShotWriterOptions {
  /** The session directory. */
  dir: string;
  /** Largest share of pixels that may differ for a frame to count as a duplicate. */
  duplicateMaxChangedFraction: number;
  onWritten(shot: RawScreenshot): void;
  onError(err: Error): void;
}

export class ShotWriter {
  private count = 0;
  private last?: { frame: Frame; id: string };
  private ids = new WeakMap<Frame, string>();
  private queue: Array<() => Promise<void>> = [];
  private running = 0;
  private idle: Array<() => void> = [];
  private failed = false;
  /** Encodings at once: sharp encodes on libuv's thread pool, two keep one core free for the hook. */
  private readonly concurrency = 2;

  constructor(private readonly o: ShotWriterOptions) {}

  /** The id of the last screenshot written, if any. */
  get lastId(): string | null {
    return this.last?.id ?? null;
  }

  /** The id of `frame` in the session, writing it unless it duplicates the last one written. */
  save(frame: Frame, reason: string): string | null {
    if (this.failed) return null;
    const known = this.ids.get(frame);
    if (known) return known;
    if (this.last) {
      const diff = compareImages(this.last.frame.image, frame.image);
      if (nearlyIdentical(diff, frame.image.width * frame.image.height, this.o.duplicateMaxChangedFraction)) {
        this.ids.set(frame, this.last.id);
        return this.last.id;
      }
    }
    const id = `shot_${String(++this.count).padStart(4, '0')}`;
    this.ids.set(frame, id);
    this.last = { frame, id };
    this.queue.push(() => this.write(frame, id, reason));
    this.pump();
    return id;
  }

  private async write(frame: Frame, id: string, reason: string): Promise<void> {
    const relative = `${SHOTS_DIR}/${id}.png`;
    try {
      const png = await encodePng(frame.image);
      await writeDataFile(path.join(this.o.dir, relative), png);
    } catch (err) {
      if (!this.failed) {
        this.failed = true;
        this.o.onError(outputError(this.o.dir, err, `write screenshot ${relative}`));
      }
      return;
    }
    this.o.onWritten({
      screenshot_id: id,
      relative_path: relative,
      captured_at: new Date(frame.startedAt).toISOString(),
      reason,
      width: frame.image.width,
      height: frame.image.height,
      capture_latency_ms: Math.round((frame.endedAt - frame.startedAt) * 10) / 10,
    });
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length) {
      const job = this.queue.shift()!;
      this.running++;
      // write() reports its own failures through onError, so the job never rejects.
      void job().finally(() => {
        this.running--;
        this.pump();
        if (this.running === 0 && this.queue.length === 0) this.idle.splice(0).forEach((r) => r());
      });
    }
  }

  /** Resolves when every screenshot handed out so far is on disk (or failed). */
  async drained(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return;
    await new Promise<void>((r) => this.idle.push(r));
  }
}
