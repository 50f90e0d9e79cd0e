/**
 * One screenshot with the context a ScreenState needs: the image, the active window and when
 * it was taken. The capture node's "snapshot" mode and the runner use it.
 */
import path from 'path';
import type { Desktop, RgbaImage, WindowInfo } from '../platform/types';
import { makeDataDir, writeDataFile } from '../contracts/sealed-files';
import { encodePng } from '../image/codec';

export interface Snapshot {
  /** Where the PNG was written, when an output directory was given. */
  path: string | null;
  png: Buffer;
  image: RgbaImage;
  width: number;
  height: number;
  scale_factor: number;
  captured_at: string;
  capture_latency_ms: number;
  window: { title: string; app_name: string; bounds: [number, number, number, number] } | null;
}

export function windowSummary(w: WindowInfo | null): Snapshot['window'] {
  if (!w) return null;
  return {
    title: w.title,
    app_name: w.appName,
    bounds: [w.bounds.x, w.bounds.y, w.bounds.x + w.bounds.width, w.bounds.y + w.bounds.height],
  };
}

export async function takeSnapshot(
  desktop: Desktop,
  options: { outDir?: string; name?: string } = {},
): Promise<Snapshot> {
  const start = process.hrtime.bigint();
  const capturedAt = new Date();
  const [image, win] = await Promise.all([desktop.screen.grab(), desktop.windows.active().catch(() => null)]);
  const latency = Number(process.hrtime.bigint() - start) / 1e6;
  const png = await encodePng(image);
  let file: string | null = null;
  if (options.outDir) {
    makeDataDir(options.outDir);
    file = path.join(
      options.outDir,
      `${options.name ?? 'snapshot_' + capturedAt.toISOString().replace(/[:.]/g, '-')}.png`,
    );
    await writeDataFile(file, png);
  }
  return {
    path: file,
    png,
    image,
    width: image.width,
    height: image.height,
    scale_factor: image.scaleFactor,
    captured_at: capturedAt.toISOString(),
    capture_latency_ms: Math.round(latency * 10) / 10,
    window: windowSummary(win),
  };
}
