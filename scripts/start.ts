/**
 * `npm start`: prepares a Node-RED user directory (git-ignored), installs this package into it
 * the way `npm install <folder>` does (a link), deploys the default flows from flows/ when the
 * user has none yet, and starts the real Node-RED runtime with our settings.
 *
 * Environment: PORT (default 1880), NODE_RED_USER_DIR (default .userdir), RPA_VISION_DATA_DIR,
 * RPA_VISION_RESET_FLOWS=1 to replace the user's flows with the defaults.
 */
import fs from 'fs';
import path from 'path';
import { spawn } from 'child_process';
import { prepareUserDir } from './userdir';

const root = path.resolve(__dirname, '..', '..');
const settingsFile = path.join(root, 'dist', 'settings.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require(settingsFile) as { userDir: string; uiPort: number; rpaVision: { dataDir: string } };

const { deployed } = prepareUserDir({
  root,
  userDir: settings.userDir,
  resetFlows: process.env.RPA_VISION_RESET_FLOWS === '1',
});
fs.mkdirSync(settings.rpaVision.dataDir, { recursive: true });
console.log(
  `RPA Vision: user dir ${settings.userDir}, data dir ${settings.rpaVision.dataDir}${deployed ? ', default flows deployed' : ''}`,
);
console.log(`RPA Vision: editor on http://localhost:${settings.uiPort}/  (dashboard: /dashboard)`);
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
