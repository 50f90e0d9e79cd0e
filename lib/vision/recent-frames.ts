/**
 * The last frame read of each size, with its text boxes, so that text is detected again only
 * where a new frame of that size differs from it. Only the last one: a frame compared with an
 * older, closer one (the list read before a dialog) is read in parts more often, and a screen
 * read in parts is read a little differently from the whole (a menu bar as one line instead of
 * five); the learned screens it is recognised against were read whole. What comes back after a
 * dialog is still read cheaply: its unchanged lines come from the recognition cache
 * (./ocr/ink-key.ts), wherever they moved.
 */
import type { RgbaImage } from '../platform/types';
import type { BBox } from '../contracts/screen-state';
import { changedBox } from './change-regions';

export interface ReadFrame {
  image: RgbaImage;
  /** The text boxes detected on it. */
  boxes: BBox[];
}

export class RecentFrames {
  /** Oldest first, one per size. */
  private frames: ReadFrame[] = [];

  /** `sizes` frames at most (a 1920×1080 frame holds 8 MB). */
  constructor(private readonly sizes = 4) {}

  /** The last frame of the same size and scale as `image`, and the box where they differ (null: identical). */
  previous(image: RgbaImage): { frame: ReadFrame; changed: BBox | null } | undefined {
    const frame = this.frames.find((f) => sameShape(f.image, image));
    return frame && { frame, changed: changedBox(frame.image, image) };
  }

  remember(frame: ReadFrame): void {
    this.frames = this.frames.filter((f) => !sameShape(f.image, frame.image));
    this.frames.push(frame);
    if (this.frames.length > this.sizes) this.frames.shift();
  }

  clear(): void {
    this.frames = [];
  }
}

function sameShape(a: RgbaImage, b: RgbaImage): boolean {
  return a.width === b.width && a.height === b.height && a.scaleFactor === b.scaleFactor;
}

/**
 * Fresh boxes replaced by the earlier frame's box for the same text where the pixels around both
 * did not change: the detector places a box a pixel or two differently depending on what else is
 * in the region it sees, and a box that moved by a pixel is a new crop for the recognition cache,
 * read again for nothing.
 */
export function keepUnchangedBoxes(fresh: BBox[], before: ReadFrame, after: RgbaImage): BBox[] {
  return fresh.map((box) => {
    const old = before.boxes.find((o) => nearlySame(o, box));
    if (!old) return box;
    const around: BBox = [
      Math.min(old[0], box[0]) - 2,
      Math.min(old[1], box[1]) - 2,
      Math.max(old[2], box[2]) + 2,
      Math.max(old[3], box[3]) + 2,
    ];
    return samePixels(before.image, after, around) ? old : box;
  });
}

/** Each edge within 3 pixels: the same text line placed again. */
function nearlySame(a: BBox, b: BBox): boolean {
  return a.every((v, i) => Math.abs(v - b[i]) <= 3);
}

function samePixels(a: RgbaImage, b: RgbaImage, box: BBox): boolean {
  const x1 = Math.max(0, Math.floor(box[0]));
  const y1 = Math.max(0, Math.floor(box[1]));
  const x2 = Math.min(b.width, Math.ceil(box[2]));
  const y2 = Math.min(b.height, Math.ceil(box[3]));
  for (let y = y1; y < y2; y++) {
    const start = (y * b.width + x1) * 4;
    const end = (y * b.width + x2) * 4;
    if (a.data.compare(b.data, start, end, start, end) !== 0) return false;
  }
  return true;
}
