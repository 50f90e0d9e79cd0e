/**
 * One vision engine per process, shared by every node that needs one (models are loaded once,
 * caches are shared), released when the last user lets go.
 */
import { createVisionEngine, type VisionEngine } from './index';

let engine: Promise<VisionEngine> | null = null;
let users = 0;

export function acquireVisionEngine(): Promise<VisionEngine> {
  users++;
  engine ??= createVisionEngine().catch((err) => {
    engine = null;
    throw err;
  });
  return engine;
}

export async function releaseVisionEngine(): Promise<void> {
  users = Math.max(0, users - 1);
  if (users > 0 || !engine) return;
  const closing = engine;
  engine = null;
  await (await closing.catch(() => null))?.close();
}
