/**
 * `npm start`: prepares a Node-RED user directory (git-ignored), installs this package into it
 * the way `npm install <folder>` does (a link), deploys the default flows from flows/ when the
 * user has none yet, and starts the real Node-RED runtime with our settings.
 *
 * Environment: PORT (default 1880), RPA_VISION_HOST (default 127.0.0.1), NODE_RED_USER_DIR
 * (default .userdir), RPA_VISION_DATA_DIR, RPA_VISION_RESET_FLOWS=1 to replace the user's flows
 * with the defaults; the login variables of settings.ts.
 */
import fs from 'fs';
import path from 'path';
import { spawn } from 'child_process';
import { prepareUserDir } from './userdir';

const root = path.resolve(__dirname, '..', '..');
const settingsFile = path.join(root, 'dist', 'settings.js');
interface Settings {
  userDir: string;
  uiPort: number;
  uiHost: string;
  rpaVision: { dataDir: string };
}
let settings: Settings;
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  settings = require(settingsFile) as Settings;
} catch (err) {
  // The settings refuse an unsafe configuration with a sentence saying what to set.
  console.error(`RPA Vision: ${(err as Error).message}`);
  process.exit(1);
}

const { deployed } = prepareUserDir({
  root,
  userDir: settings.userDir,
  resetFlows: process.env.RPA_VISION_RESET_FLOWS === '1',
});
fs.mkdirSync(settings.rpaVision.dataDir, { recursive: true });
console.log(
  `RPA Vision: user dir ${settings.userDir}, data dir ${settings.rpaVision.dataDir}${deployed ? ', default flows deployed' : ''}`,
);
console.log(
  `RPA Vision: editor on http://${settings.uiHost.includes(':') ? `[${settings.uiHost}]` : settings.uiHost}:${settings.uiPort}/  (dashboard: /dashboard)`,
);
if (!process.env.DISPLAY)
  console.log(
    'RPA Vision: no DISPLAY set — the editor works; nodes that need a screen will say "no display (set DISPLAY)"',
  );

const redMain = require.resolve('node-red/red.js');
const child = spawn(process.execPath, [redMain, '--settings', settingsFile, '--userDir', settings.userDir], {
  stdio: 'inherit',
  env: process.env,
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
