/**
 * Two of the seed's quick actions (orchestration-interface.md, "Actions Rapides"), one call each:
 * store maintenance — a consistent backup of the store and the data folder into a folder the
 * person chose, then compaction — and a smoke test proving that the display, the vision and the
 * store work, in well under a minute. (The health check is Monitoring.health().)
 */
import fs from 'fs';
import path from 'path';
import { openDesktop, probeDisplay } from '../platform';
import { backupStore, compactStore, type Store } from '../store/store';
import { acquireVisionEngine, releaseVisionEngine } from '../vision/shared-engine';

export interface MaintenanceReport {
  /** The backup: a data folder as it was, store included; restore by putting it in place of the data directory. */
  backup_dir: string;
  store_entries: number;
  files_copied: number;
  store_bytes_before: number;
  store_bytes_after: number;
  elapsed_ms: number;
}

function folderBytes(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .reduce((a, e) => a + (e.isFile() ? fs.statSync(path.join(dir, e.name)).size : 0), 0);
}

/**
 * Backs up `dataDir` into a new folder `rpa-vision-backup-<time>` of `backupRoot`: the store as
 * one consistent snapshot (it stays in use), the other files copied; then compacts the store.
 */
export async function maintainStore(options: {
  dataDir: string;
  store: Store;
  backupRoot: string;
  now?: Date;
}): Promise<MaintenanceReport> {
  const t0 = performance.now();
  const dataDir = path.resolve(options.dataDir);
  const root = path.resolve(options.backupRoot);
  if (!path.isAbsolute(options.backupRoot)) throw new Error('the backup folder must be an absolute path');
  if (root === dataDir || root.startsWith(dataDir + path.sep))
    throw new Error(`the backup folder ${root} is inside the data directory ${dataDir}: choose a folder outside it`);
  fs.mkdirSync(root, { recursive: true });
  const stamp = (options.now ?? new Date()).toISOString().replace(/[:.]/g, '-');
  const target = path.join(root, `rpa-vision-backup-${stamp}`);
  fs.mkdirSync(target, { mode: 0o700 });
  const storeDir = path.join(dataDir, 'store');
  let filesCopied = 0;
  fs.cpSync(dataDir, target, {
    recursive: true,
    // The store's files change while it is open: it is copied below, as one snapshot.
    filter: (src) => {
      if (src === storeDir || src.startsWith(storeDir + path.sep)) return false;
      if (fs.statSync(src).isFile()) filesCopied++;
      return true;
    },
  });
  const { entries } = await backupStore(options.store, path.join(target, 'store'));
  const before = folderBytes(storeDir);
  await compactStore(options.store);
  return {
    backup_dir: target,
    store_entries: entries,
    files_copied: filesCopied,
    store_bytes_before: before,
    store_bytes_after: folderBytes(storeDir),
    elapsed_ms: Math.round(performance.now() - t0),
  };
}

export interface SmokeCheck {
  name: 'display' | 'vision' | 'store';
  ok: boolean;
  detail: string;
  ms: number;
}

export interface SmokeReport {
  ok: boolean;
  checks: SmokeCheck[];
  elapsed_ms: number;
}

async function timedCheck(name: SmokeCheck['name'], fn: () => Promise<string>): Promise<SmokeCheck> {
  const t0 = performance.now();
  try {
    return { name, ok: true, detail: await fn(), ms: Math.round(performance.now() - t0) };
  } catch (err) {
    return { name, ok: false, detail: (err as Error).message, ms: Math.round(performance.now() - t0) };
  }
}

/**
 * The smoke test: the display answers and a screenshot is taken; the vision reads that
 * screenshot (OCR and elements); the store writes, reads back and deletes a value.
 */
export async function smokeTest(store: () => Promise<Store>): Promise<SmokeReport> {
  const t0 = performance.now();
  let shot: Awaited<ReturnType<Awaited<ReturnType<typeof openDesktop>>['screen']['grab']>> | null = null;
  const display = await timedCheck('display', async () => {
    const probe = await probeDisplay();
    if (!probe.ok) throw new Error(`${probe.reason} (start an X server and set DISPLAY)`);
    const desktop = await openDesktop();
    shot = await desktop.screen.grab();
    return `display ${probe.display}: captured ${shot.width}×${shot.height}`;
  });
  const vision = await timedCheck('vision', async () => {
    if (!shot) throw new Error('not checked: no screenshot (see display)');
    const engine = await acquireVisionEngine();
    try {
      const analysis = await engine.analyze(shot);
      return `read ${analysis.text.length} text line(s) and ${analysis.elements.length} element(s) on the screenshot`;
    } finally {
      await releaseVisionEngine();
    }
  });
  const stored = await timedCheck('store', async () => {
    const probe = (await store()).sub<{ at: string }>('smoke-test');
    const at = new Date().toISOString();
    await probe.put('probe', { at });
    const back = await probe.get('probe');
    await probe.del('probe');
    if (back?.at !== at) throw new Error('a value written could not be read back');
    return 'wrote, read back and deleted a value';
  });
  const checks = [display, vision, stored];
  return { ok: checks.every((c) => c.ok), checks, elapsed_ms: Math.round(performance.now() - t0) };
}
