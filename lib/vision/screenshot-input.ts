/**
 * What a screenshot can arrive as in a flow: an encoded PNG buffer, a file path, or the output
 * of the capture node ({screenshot_path, image, scale_factor, window}), or a ScreenState that
 * already carries its analysis.
 */
import * as fs from 'fs';
import type { ScreenState } from '../contracts/screen-state';
import type { ImageInput } from './types';

export class ScreenshotInputError extends Error {
  override name = 'ScreenshotInputError';
}

export interface Screenshot {
  image: ImageInput;
  scaleFactor: number;
  path: string | null;
  fileSizeBytes: number | null;
  window: { title?: string; appName?: string };
}

interface CaptureOutput {
  screenshot_path?: string;
  image?: Buffer;
  scale_factor?: number;
  window?: { title?: string; app_name?: string; appName?: string } | null;
}

/** The window's box [x1, y1, x2, y2] a capture output carries (rpa-capture), or null. */
export function windowBounds(payload: unknown): [number, number, number, number] | null {
  const b = (payload as { window?: { bounds?: unknown } | null } | null)?.window?.bounds;
  return Array.isArray(b) && b.length === 4 && b.every((x) => typeof x === 'number')
    ? (b as [number, number, number, number])
    : null;
}

export function isScreenState(x: unknown): x is ScreenState {
  return typeof x === 'object' && x !== null && 'ui_elements' in x && 'perception' in x;
}

export function screenshotFrom(payload: unknown): Screenshot {
  if (Buffer.isBuffer(payload))
    return { image: payload, scaleFactor: 1, path: null, fileSizeBytes: payload.length, window: {} };
  if (typeof payload === 'string') {
    if (!fs.existsSync(payload)) throw new ScreenshotInputError(`screenshot file "${payload}" does not exist`);
    return { image: payload, scaleFactor: 1, path: payload, fileSizeBytes: fs.statSync(payload).size, window: {} };
  }
  if (typeof payload === 'object' && payload !== null) {
    const c = payload as CaptureOutput;
    const window = { title: c.window?.title, appName: c.window?.app_name ?? c.window?.appName };
    const scaleFactor = typeof c.scale_factor === 'number' && c.scale_factor > 0 ? c.scale_factor : 1;
    if (Buffer.isBuffer(c.image))
      return { image: c.image, scaleFactor, path: c.screenshot_path ?? null, fileSizeBytes: c.image.length, window };
    if (typeof c.screenshot_path === 'string') return { ...screenshotFrom(c.screenshot_path), scaleFactor, window };
  }
  const seen =
    payload === null
      ? 'null'
      : Array.isArray(payload)
        ? 'an array'
        : typeof payload === 'object'
          ? `an object with keys ${Object.keys(payload as object).join(', ') || '(none)'}`
          : typeof payload;
  throw new ScreenshotInputError(
    `expected a PNG buffer, a file path or a capture output ({screenshot_path} or {image}) in msg.payload, got ${seen}`,
  );
}
