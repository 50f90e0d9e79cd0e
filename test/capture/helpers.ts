/** What the recorder specs share: playing the human without waiting on xdotool's --sync, and reading shots. */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { execFile } from 'child_process';
import { promisify } from 'util';
import { decodeImage } from '../../lib/image/codec';
import type { RawSession } from '../../lib/contracts/raw-session';
import type { RgbaImage } from '../../lib/platform/types';
import type { VirtualDesktop } from '../helpers/desktop';

const execFileAsync = promisify(execFile);

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Moves and clicks in one xdotool call. (The shared helper's `mousemove --sync` waits for the
 * pointer to move, and so hangs for seconds when it is already there.)
 */
export async function click(vd: VirtualDesktop, x: number, y: number, button = 1, repeat = 1): Promise<void> {
  await vd.xdotool([
    'mousemove',
    String(x),
    String(y),
    'click',
    '--repeat',
    String(repeat),
    '--delay',
    '80',
    String(button),
  ]);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The top-left corner of a window's client area on the screen (xwininfo; xdotool's is off by the title bar). */
export async function clientOrigin(vd: VirtualDesktop, windowId: string): Promise<{ x: number; y: number }> {
  const { stdout } = await execFileAsync('xwininfo', ['-id', windowId], { env: vd.env });
  return {
    x: Number(/Absolute upper-left X:\s*(-?\d+)/.exec(stdout)![1]),
    y: Number(/Absolute upper-left Y:\s*(-?\d+)/.exec(stdout)![1]),
  };
}

export async function shotImage(dir: string, session: RawSession, id: string | null | undefined): Promise<RgbaImage> {
  const shot = session.screenshots.find((s) => s.screenshot_id === id);
  if (!shot) throw new Error(`no screenshot ${id} in the session`);
  return decodeImage(path.join(dir, shot.relative_path));
}

export function pixel(img: RgbaImage, x: number, y: number): [number, number, number] {
  const i = (y * img.width + x) * 4;
  return [img.data[i], img.data[i + 1], img.data[i + 2]];
}

/** Pixels darker than text grey in a rectangle: how much writing there is. */
export function darkPixels(img: RgbaImage, x1: number, y1: number, x2: number, y2: number): number {
  let n = 0;
  for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) if (pixel(img, x, y).every((c) => c < 110)) n++;
  return n;
}
