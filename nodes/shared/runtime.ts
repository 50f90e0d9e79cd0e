/**
 * What every node of this package shares inside one Node-RED process: the data directory
 * (settings.rpaVision.dataDir, else RPA_VISION_DATA_DIR, else <userDir>/rpa-vision-data) and
 * the one embedded store, opened on first use, and the data key that seals the data files
 * (lib/contracts/sealed-files): RPA_VISION_DATA_KEY, else settings.rpaVision.dataKey, else
 * `<dataDir>/.data-key`, created on first start when settings.rpaVision.createDataKey is set
 * (the product's settings.ts sets it).
 */
import path from 'path';
import type { NodeAPI } from 'node-red';
import { loadDataKey, refuseDataWrites, useDataKey } from '../../lib/contracts/sealed-files';
import { openStore, StoreLockedError, type Store } from '../../lib/store/store';

interface RpaSettings {
  rpaVision?: { dataDir?: string; dataKey?: string; createDataKey?: boolean };
  userDir?: string;
}

let storePromise: Promise<Store> | undefined;
let dataKeyLoaded = false;

export function dataDir(RED: NodeAPI): string {
  const settings = RED.settings as unknown as RpaSettings;
  const configured = settings.rpaVision?.dataDir || process.env.RPA_VISION_DATA_DIR;
  const dir = path.resolve(configured || path.join(settings.userDir || process.cwd(), 'rpa-vision-data'));
  // Every node asks for the data directory before it writes there: the key is in use by then.
  if (!dataKeyLoaded) {
    dataKeyLoaded = true;
    const rpa = settings.rpaVision;
    try {
      useDataKey(loadDataKey(dir, { create: rpa?.createDataKey === true, configured: rpa?.dataKey }));
    } catch (err) {
      // Thrown here, it would stop every node of the package from starting. Writing in clear
      // what should be sealed is worse: every write fails instead, saying what to fix.
      refuseDataWrites(err as Error);
      RED.log.error(
        `rpa-vision: the data key cannot be loaded, so nothing will be written to the data directory: ${(err as Error).message}`,
      );
    }
  }
  return dir;
}

let lockReported = false;

/** The process-wide store of the runtime's data directory. */
export function runtimeStore(RED: NodeAPI): Promise<Store> {
  storePromise ??= openStore(dataDir(RED)).catch((err) => {
    storePromise = undefined; // let a later call retry, e.g. once the directory is writable
    if (err instanceof StoreLockedError && !lockReported) {
      lockReported = true; // once: every API call would say it again
      RED.log.error(`rpa-vision: ${err.message}; until then the API answers 503`);
    }
    throw err;
  });
  return storePromise;
}

/** Status shapes used by all our nodes, so the editor reads the same everywhere. */
export const STATUS = {
  idle: (text = 'ready') => ({ fill: 'grey', shape: 'ring', text }) as const,
  busy: (text: string) => ({ fill: 'blue', shape: 'dot', text }) as const,
  ok: (text: string) => ({ fill: 'green', shape: 'dot', text }) as const,
  warn: (text: string) => ({ fill: 'yellow', shape: 'ring', text }) as const,
  error: (text: string) => ({ fill: 'red', shape: 'ring', text }) as const,
};
