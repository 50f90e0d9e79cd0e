/**
 * Two real Debian applications for the learn-then-replay specs, driven the way a person would
 * (xdotool typing and pressing keys) and checked where a person would look: mousepad saving a
 * note through its Save As dialog (the file on disk), galculator computing an expression (its
 * display, copied with CTRL+C and read from the X clipboard with xclip); and Wine's Notepad, a
 * Win32 program, saved through its menu and Save As dialog with the mouse. Plus the real CLI:
 * `rpa-vision learn` and `rpa-vision run`.
 */
import fs from 'fs';
import path from 'path';
import { execFile } from 'child_process';
import { promisify } from 'util';
import type { VirtualDesktop } from '../helpers/desktop';
import type { WinePrefix } from '../helpers/wine';

const execFileAsync = promisify(execFile);
export const CLI = path.resolve(__dirname, '..', '..', 'bin', 'rpa-vision.js');
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the real CLI on the desktop; rejects with its exit code and stderr. */
export function cli(vd: VirtualDesktop, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return cliIn(vd.env, args);
}

/** Runs the real CLI in `env`; rejects with its exit code and stderr. */
export async function cliIn(env: NodeJS.ProcessEnv, args: string[]): Promise<{ stdout: string; stderr: string }> {
  try {
    return await execFileAsync(process.execPath, [CLI, ...args], { env, maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const e = err as { code?: number; stderr?: string; stdout?: string };
    throw new Error(`rpa-vision ${args[0]} exited with ${e.code}: ${e.stderr ?? ''}${e.stdout ?? ''}`, { cause: err });
  }
}

/** A window of an application started for one demonstration or replay. */
export interface AppWindow {
  id: string;
  pid: number | undefined;
  close(): void;
}

/** Starts a program, waits for its window (title pattern) and brings it to the front; `settleMs` for it to draw. */
export async function launchApp(
  vd: VirtualDesktop,
  command: string,
  args: string[],
  title: string,
  cwd?: string,
  settleMs = 700,
): Promise<AppWindow> {
  const child = vd.launch(command, args, cwd ? { cwd } : {});
  const id = await vd.waitForWindow(title, 30_000);
  await vd.activate(id);
  await sleep(settleMs);
  return {
    id,
    pid: child.pid,
    close() {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    },
  };
}

/** Moves a window (the replay must recognise its screens wherever the window is now). */
export async function moveWindow(vd: VirtualDesktop, id: string, x: number, y: number): Promise<void> {
  await vd.xdotool(['windowmove', id, String(x), String(y)]);
  await sleep(700);
}

/**
 * Resizes a window by (dw, dh) and moves it as far from where it was as the screen allows, whole
 * on the screen (a replay must recognise its screens wherever the window is and at another size).
 */
export async function resizeAndMove(
  vd: VirtualDesktop,
  id: string,
  dw: number,
  dh: number,
  screenWidth: number,
): Promise<{ before: Geometry; after: Geometry }> {
  const before = await geometry(vd, id);
  await vd.xdotool(['windowsize', id, String(before.width + dw), String(before.height + dh)]);
  await sleep(500);
  const sized = await geometry(vd, id);
  const right = Math.max(0, screenWidth - sized.width - 20);
  await moveWindow(
    vd,
    id,
    Math.abs(right - before.x) > Math.abs(20 - before.x) ? right : 20,
    Math.max(40, before.y + 40),
  );
  return { before, after: await geometry(vd, id) };
}

export interface Geometry {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where a window is and how big, as X reports it. */
export async function geometry(vd: VirtualDesktop, id: string): Promise<Geometry> {
  const out = await vd.xdotool(['getwindowgeometry', '--shell', id]);
  const v = (k: string) => Number(new RegExp(`${k}=(-?\\d+)`).exec(out)?.[1]);
  return { x: v('X'), y: v('Y'), width: v('WIDTH'), height: v('HEIGHT') };
}

// --- mousepad --------------------------------------------------------------------------------

/** A new, empty mousepad document; its Save As dialog opens in `dir` (the working directory). */
export function launchMousepad(vd: VirtualDesktop, dir: string): Promise<AppWindow> {
  return launchApp(vd, 'mousepad', ['--disable-server'], 'Mousepad$', dir);
}

/** The person's task: type the note, CTRL+S, type the file name in the Save As dialog, Enter. */
export async function writeAndSaveNote(
  vd: VirtualDesktop,
  app: AppWindow,
  text: string,
  fileName: string,
): Promise<void> {
  await vd.type(text, 25);
  await sleep(600);
  await vd.key('ctrl+s');
  await vd.waitForWindow('^Save As$', 10_000);
  await sleep(900);
  await vd.type(fileName, 25);
  await sleep(600);
  await vd.key('Return');
  await vd.waitFor(
    async () => (await vd.xdotool(['getwindowname', app.id])).includes(fileName),
    10_000,
    `mousepad's title to show ${fileName}`,
  );
  await sleep(500);
}

// --- galculator ------------------------------------------------------------------------------

export async function launchGalculator(vd: VirtualDesktop): Promise<AppWindow> {
  // The pointer off the keypad: a window opening under it shows a key's tooltip.
  await vd.xdotool(['mousemove', '2', '2']);
  return launchApp(vd, 'galculator', [], '^galculator$');
}

/** The person's task: type the expression on the keyboard, Enter for the result. */
export async function compute(vd: VirtualDesktop, expression: string): Promise<void> {
  await vd.type(expression, 60);
  await sleep(500);
  await vd.key('Return');
  await sleep(900);
}

/**
 * Where galculator's keys are in its window at the size it opens with (331×343), as fractions
 * of the window: the person of the mouse-driven specs clicks them.
 */
const KEYPAD_COLUMN = { first: 34 / 331, pitch: 65 / 331 };
const KEYPAD_ROW = { first: 179 / 343, pitch: 40 / 343 };
/** Keys at [column, row] of the grid of digits; the row of C, AC and backspace sits above it. */
const KEYPAD: Record<string, [number, number]> = {
  C: [2.3, -2.15],
  '<-': [4, -2.15],
  '(': [0, -1],
  '7': [0, 0],
  '8': [1, 0],
  '9': [2, 0],
  '/': [3, 0],
  '4': [0, 1],
  '5': [1, 1],
  '6': [2, 1],
  '*': [3, 1],
  '1': [0, 2],
  '2': [1, 2],
  '3': [2, 2],
  '-': [3, 2],
  '0': [0, 3],
  '+': [3, 3],
  '=': [4, 2.5],
};

/** Where a key of galculator's keypad is on the screen, for a window of geometry `g`. */
export function keyCenter(g: Geometry, key: string): [number, number] {
  const [column, row] = KEYPAD[key];
  return [
    Math.round(g.x + (KEYPAD_COLUMN.first + column * KEYPAD_COLUMN.pitch) * g.width),
    Math.round(g.y + (KEYPAD_ROW.first + row * KEYPAD_ROW.pitch) * g.height),
  ];
}

/** The person's task with the mouse only: each key of the expression clicked on the keypad. */
export async function clickKeys(vd: VirtualDesktop, app: AppWindow, expression: string): Promise<void> {
  const g = await geometry(vd, app.id);
  for (const key of expression) {
    await vd.click(...keyCenter(g, key));
    await sleep(450);
  }
  await sleep(500);
}

/** The person copies the calculator's display with the mouse: Edit, then Copy Display Value. */
export async function copyDisplayWithMenu(vd: VirtualDesktop, app: AppWindow): Promise<void> {
  const g = await geometry(vd, app.id);
  await vd.click(g.x + 58, g.y - 8);
  await sleep(700);
  await vd.click(g.x + 132, g.y + 42);
  await sleep(600);
}

/** The person pastes into mousepad: a click in its text to go there, CTRL+V. */
export async function pasteInto(vd: VirtualDesktop, app: AppWindow): Promise<void> {
  const g = await geometry(vd, app.id);
  await vd.click(g.x + 300, g.y + 250);
  await sleep(600);
  await vd.key('ctrl+v');
  await sleep(700);
}

/** What the calculator shows: its display copied with CTRL+C, read from the X clipboard. */
export async function calculatorValue(vd: VirtualDesktop, app: AppWindow): Promise<string> {
  await vd.activate(app.id);
  await vd.key('ctrl+c');
  await sleep(300);
  const { stdout } = await execFileAsync('xclip', ['-selection', 'clipboard', '-o'], { env: vd.env, timeout: 5000 });
  return stdout.trim();
}

/** The directory's only file's text, or a clear failure naming what is there. */
export function readSaved(file: string): string {
  if (!fs.existsSync(file))
    throw new Error(`${file} was not saved; the directory holds ${JSON.stringify(fs.readdirSync(path.dirname(file)))}`);
  return fs.readFileSync(file, 'utf8');
}

// --- Notepad under Wine ------------------------------------------------------------------------

/** Where a window's client area starts on the screen (xwininfo; xdotool's geometry counts the frame differently). */
export async function clientOrigin(vd: VirtualDesktop, id: string): Promise<{ x: number; y: number }> {
  const { stdout } = await execFileAsync('xwininfo', ['-id', id], { env: vd.env, timeout: 5000 });
  const v = (k: string) => Number(new RegExp(`Absolute upper-left ${k}:\\s*(-?\\d+)`).exec(stdout)?.[1]);
  return { x: v('X'), y: v('Y') };
}

/** Clicks at (dx, dy) from the window's client origin: where the person sees the menu title or the button. */
async function clickIn(vd: VirtualDesktop, id: string, dx: number, dy: number): Promise<void> {
  const o = await clientOrigin(vd, id);
  await vd.click(o.x + dx, o.y + dy);
}

/**
 * Waits until the window looks the same (a caret aside) in two grabs 400 ms apart: Wine paints a new dialog's
 * controls one by one, over seconds on a loaded machine, and a person acts once they see them.
 */
async function waitUntilPainted(vd: VirtualDesktop, id: string): Promise<void> {
  const grab = async () =>
    (await execFileAsync('import', ['-window', id, 'rgb:-'], { env: vd.env, encoding: 'buffer', maxBuffer: 1 << 26 }))
      .stdout;
  let previous = await grab();
  await vd.waitFor(
    async () => {
      await sleep(400);
      const now = await grab();
      // A blinking caret is not painting.
      let changed = Math.abs(now.length - previous.length);
      for (let i = 0; i < Math.min(now.length, previous.length); i++) if (now[i] !== previous[i]) changed++;
      previous = now;
      return changed <= now.length * 0.001;
    },
    15_000,
    `window ${id} to be painted`,
  );
}

/**
 * A new, empty Wine Notepad whose Save As dialog opens in `dir`: the dialog opens in the folder
 * a program last saved in (the prefix's registry remembers it), else in the working directory,
 * so that memory is cleared first.
 */
export async function launchWineNotepad(vd: VirtualDesktop, wine: WinePrefix, dir: string): Promise<AppWindow> {
  await wine
    .run('reg', [
      'delete',
      'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\ComDlg32\\LastVisitedMRU',
      '/f',
    ])
    .catch(() => undefined); // nothing remembered yet
  const child = wine.launch('notepad', [], dir);
  const id = await vd.waitForWindow('^Untitled - Notepad$', 30_000);
  await vd.activate(id);
  await sleep(700);
  return {
    id,
    pid: child.pid,
    close() {
      void vd.xdotool(['windowclose', id]).catch(() => undefined);
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    },
  };
}

/**
 * The person's task with the mouse for every menu and button: type the note, click File, click
 * "Save as...", type the file name in the dialog (its name field has the focus), click Save.
 * Places are Wine's fixed layout at 96 dpi, from the window's client origin.
 */
export async function writeAndSaveAsWithMouse(
  vd: VirtualDesktop,
  app: AppWindow,
  text: string,
  fileName: string,
): Promise<void> {
  await vd.type(text, 25);
  await sleep(800);
  await clickIn(vd, app.id, 14, 10); // File
  await waitUntilPainted(vd, app.id); // the menu, drawn over the window
  await sleep(800);
  await clickIn(vd, app.id, 41, 78); // Save as...
  const dialog = await vd.waitForWindow('^Save As$', 10_000);
  await waitUntilPainted(vd, dialog);
  await vd.type(fileName, 25);
  await sleep(800);
  await clickIn(vd, dialog, 505, 280); // Save
  await vd.waitFor(
    async () => (await vd.xdotool(['getwindowname', app.id])).startsWith(fileName),
    10_000,
    `Notepad's title to show ${fileName}`,
  );
  await sleep(500);
}
