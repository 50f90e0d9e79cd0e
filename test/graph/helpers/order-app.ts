/**
 * The application the learning specs demonstrate on: a three-screen order form (client →
 * amount → confirmation) in a Chromium --app window on a VirtualDesktop, served from
 * 127.0.0.1; plus the real `rpa-vision record` CLI to record what xdotool does in it.
 */
import fs from 'fs';
import http from 'http';
import os from 'os';
import path from 'path';
import { spawn } from 'child_process';
import type { AddressInfo } from 'net';
import type { VirtualDesktop } from '../../helpers/desktop';

const APP_HTML = path.resolve(__dirname, '..', '..', 'fixtures', 'graph-app', 'index.html');
const CLI = path.resolve(__dirname, '..', '..', '..', 'bin', 'rpa-vision.js');

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function serveApp(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(fs.readFileSync(APP_HTML));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // Chromium keeps its connection alive: drop it, or close() waits for it for minutes.
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((r) => (server.close(() => r()), server.closeAllConnections())),
  };
}

/** Where the window's client area starts, so clicks can be given relative to the page. */
export interface AppWindow {
  id: string;
  origin: { x: number; y: number };
}

/** Points of the page (CSS pixels from the client area's top-left), measured on the fixture's layout. */
export const PAGE = {
  nom: [209, 175],
  ville: [209, 251],
  suivant: [93, 314],
  montant: [209, 258],
  valider: [90, 321],
  nouvelle: [125, 257],
  confirmer: [100, 257],
} as const;

export async function launchApp(vd: VirtualDesktop, url: string, position = { x: 40, y: 30 }): Promise<AppWindow> {
  const profile = tempDir('rpa-graph-chromium-');
  vd.launch('/usr/bin/chromium', [
    `--app=${url}`,
    `--user-data-dir=${profile}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--no-sandbox', // the tests run as root in CI
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--hide-scrollbars',
    '--disable-dev-shm-usage',
    '--test-type', // no warning bar about --no-sandbox
    '--lang=fr-FR',
    '--disable-features=Translate,TranslateUI,MediaRouter',
    '--password-store=basic',
    '--force-device-scale-factor=1',
    `--window-position=${position.x},${position.y}`,
    '--window-size=760,560',
  ]);
  const id = await vd.waitForWindow('^Saisie commande', 40_000);
  await vd.activate(id);
  await sleep(800);
  const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) => {
    const p = spawn('xwininfo', ['-id', id], { env: vd.env });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('exit', () => resolve({ stdout: out }));
    p.on('error', reject);
  });
  return {
    id,
    origin: {
      x: Number(/Absolute upper-left X:\s*(-?\d+)/.exec(stdout)![1]),
      y: Number(/Absolute upper-left Y:\s*(-?\d+)/.exec(stdout)![1]),
    },
  };
}

export async function clickPage(vd: VirtualDesktop, app: AppWindow, point: readonly [number, number]): Promise<void> {
  await vd.xdotool([
    'mousemove',
    String(app.origin.x + point[0]),
    String(app.origin.y + point[1]),
    'click',
    '--delay',
    '80',
    '1',
  ]);
  await sleep(350);
}

/** One pass through the task: client name and town, amount, then the confirmation screen. */
export async function fillOrder(
  vd: VirtualDesktop,
  app: AppWindow,
  data: { nom: string; ville: string; montant: string },
): Promise<void> {
  await clickPage(vd, app, PAGE.nom);
  await vd.type(data.nom, 25);
  await sleep(250);
  await clickPage(vd, app, PAGE.ville);
  await vd.type(data.ville, 25);
  await sleep(250);
  await clickPage(vd, app, PAGE.suivant);
  await sleep(700);
  await clickPage(vd, app, PAGE.montant);
  await vd.type(data.montant, 25);
  await sleep(250);
  await clickPage(vd, app, PAGE.valider);
  await sleep(900);
  if (Number(data.montant.replace(',', '.')) > 1000) {
    // The amount needs confirming: the screen only some runs show.
    await clickPage(vd, app, PAGE.confirmer);
    await sleep(900);
  }
  // The user's hand moves on: the recorder sees the window (and its new title) once more.
  await vd.xdotool(['mousemove_relative', '--', '60', '40']);
  await sleep(200);
}

/** Starts mousepad beside the application, for unrelated activity. */
export async function launchNotes(vd: VirtualDesktop): Promise<string> {
  vd.launch('mousepad', ['--disable-server']);
  const id = await vd.waitForWindow('Mousepad', 30_000);
  await vd.xdotool(['windowsize', id, '400', '400']);
  await vd.xdotool(['windowmove', id, '850', '120']);
  await sleep(500);
  return id;
}

/** Something unrelated to the task: a note typed in another application. */
export async function unrelatedActivity(
  vd: VirtualDesktop,
  notesId: string,
  app: AppWindow,
  note: string,
): Promise<void> {
  await vd.activate(notesId);
  await sleep(300);
  await vd.type(note, 25);
  await vd.key('Return');
  await sleep(500);
  await vd.activate(app.id);
  await sleep(500);
}

/** How long the recorder runs on after the person's last action: it sees the screen settle. */
const AFTER_LAST_ACTION_MS = 2300;

/** Runs the real recorder CLI around `act`, and returns the session directory. */
export async function recordWith(vd: VirtualDesktop, act: () => Promise<void>): Promise<string> {
  const dir = path.join(tempDir('rpa-graph-session-'), 'session');
  const child = spawn(process.execPath, [CLI, 'record', '--out', dir], {
    env: vd.env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (d) => {
      stderr += d;
      if (/press Ctrl\+C to stop/.test(stderr)) resolve();
    });
    void exited.then(() => reject(new Error(`the recorder exited before it listened: ${stderr}`)));
  });
  await sleep(300);
  await act();
  // The recorder takes its "after" shot of the settled screen at the latest 2 s after the last action.
  await sleep(AFTER_LAST_ACTION_MS - vd.msSinceXdotool());
  child.kill('SIGTERM');
  const code = await exited;
  if (code !== 0) throw new Error(`rpa-vision record exited with ${code}: ${stderr}`);
  return dir;
}
