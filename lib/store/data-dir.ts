/**
 * One data directory for the CLI and Node-RED: where `npm start`'s Node-RED keeps its store,
 * workflows and logs is where every `rpa-vision` command looks by default, so CLI runs reach the
 * dashboard and `doctor` checks the store Node-RED uses.
 *
 * The order: an explicit --data-dir; RPA_VISION_DATA_DIR; `<NODE_RED_USER_DIR>/rpa-vision-data`;
 * the Node-RED user dir of this copy of the package — the folder whose node_modules holds it
 * (installed with npm into a user dir), else the clone's `.userdir` (`npm start`'s default) —
 * plus `/rpa-vision-data`. Node-RED itself follows settings.rpaVision.dataDir,
 * RPA_VISION_DATA_DIR, then `<its user dir>/rpa-vision-data` (settings.ts, nodes/shared/runtime.ts).
 */
import fs from 'fs';
import path from 'path';

/** The folder of this package (the one holding its package.json). */
const PACKAGE_ROOT = (() => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && !/[\\/]dist$/.test(dir)) return dir;
    if (path.dirname(dir) === dir) return path.resolve(__dirname, '..', '..');
  }
})();

/** The Node-RED user dir `npm start` uses, or the one this package is installed in. */
export function nodeRedUserDir(): string {
  if (process.env.NODE_RED_USER_DIR) return path.resolve(process.env.NODE_RED_USER_DIR);
  const parent = path.dirname(PACKAGE_ROOT);
  const modules = path.basename(parent).startsWith('@') ? path.dirname(parent) : parent;
  if (path.basename(modules) === 'node_modules') return path.dirname(modules);
  return path.join(PACKAGE_ROOT, '.userdir');
}

export type DataDirSource = 'option' | 'RPA_VISION_DATA_DIR' | 'node-red-user-dir';

/** The data directory and what chose it (said by `doctor`). */
export function locateDataDir(explicit?: string): { dir: string; source: DataDirSource } {
  if (explicit) return { dir: path.resolve(explicit), source: 'option' };
  if (process.env.RPA_VISION_DATA_DIR)
    return { dir: path.resolve(process.env.RPA_VISION_DATA_DIR), source: 'RPA_VISION_DATA_DIR' };
  return { dir: path.join(nodeRedUserDir(), 'rpa-vision-data'), source: 'node-red-user-dir' };
}

/** Where the data lives (see the top of this file). */
export function resolveDataDir(explicit?: string): string {
  return locateDataDir(explicit).dir;
}

/** Where processes that find the store held by another leave their writes (lib/monitoring/store-inbox.ts). */
export function inboxDir(dataDir: string): string {
  return path.join(dataDir, 'store-inbox');
}

/** Inbox files not yet moved into the store, oldest first. */
export function pendingInbox(dataDir: string): string[] {
  const dir = inboxDir(dataDir);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(dir, f));
}
