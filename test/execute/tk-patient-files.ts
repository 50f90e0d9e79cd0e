/**
 * A clinic office's list of patient files of ours in Tk (test/fixtures/tk-files/patient_files.py,
 * default Tk look), driven as a person would with the mouse only: a double click on a name opens
 * the patient's file (its "Mark as seen" button closes it), a right click opens a context menu
 * (Move to archive, Delete), a name dragged onto the Archive zone is archived. The program
 * appends what it did to a file, one line each: the specs check that file.
 */
import fs from 'fs';
import path from 'path';
import { execFile } from 'child_process';
import { promisify } from 'util';
import type { VirtualDesktop } from '../helpers/desktop';
import { launchApp, sleep, type AppWindow } from './debian-apps';

const execFileAsync = promisify(execFile);

const PROGRAM = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'tk-files', 'patient_files.py');

// Debian's interpreter, the one python3-tk (scripts/install-debian-deps.sh) gives tkinter to.
const PYTHON = '/usr/bin/python3';

/** The list showing `names` in that order, writing what it does to `log`. */
export async function launchPatientFiles(vd: VirtualDesktop, log: string, names: string[]): Promise<AppWindow> {
  return launchApp(vd, PYTHON, [PROGRAM, log, ...names], '^Patient files$');
}

/**
 * Where the person points, from the top-left of the window's client area (the program places
 * its widgets at fixed places; a Listbox row is 18 pixels high in the default font).
 */
const row = (index: number): [number, number] => [55, 49 + 18 * index];
const ARCHIVE_ZONE: [number, number] = [445, 190];
/** The button of the patient's dialog. */
const MARK_AS_SEEN: [number, number] = [170, 105];
/** "Move to archive" in the context menu, from where the right click was. */
const MOVE_TO_ARCHIVE: [number, number] = [50, 35];

/** Where the client area of a window starts on the screen (xdotool's geometry is off by the frame). */
async function origin(vd: VirtualDesktop, id: string): Promise<[number, number]> {
  const { stdout } = await execFileAsync('xwininfo', ['-id', id], { env: vd.env });
  const v = (axis: string) => Number(new RegExp(`Absolute upper-left ${axis}:\\s*(-?\\d+)`).exec(stdout)?.[1]);
  return [v('X'), v('Y')];
}

async function at(vd: VirtualDesktop, id: string, p: [number, number]): Promise<[number, number]> {
  const [x, y] = await origin(vd, id);
  return [x + p[0], y + p[1]];
}

/** Double click on the name of row `index`, then "Mark as seen" in the dialog that opens. */
export async function openAndMarkSeen(vd: VirtualDesktop, app: AppWindow, index: number): Promise<void> {
  const [x, y] = await at(vd, app.id, row(index));
  await vd.click(x, y, 1, 2);
  const dialog = await vd.waitForWindow('^Patient file$', 10_000);
  await sleep(900);
  await vd.click(...(await at(vd, dialog, MARK_AS_SEEN)));
  await sleep(900);
}

/** Right click on the name of row `index`, then "Move to archive" in the context menu. */
export async function archiveWithMenu(vd: VirtualDesktop, app: AppWindow, index: number): Promise<void> {
  const [x, y] = await at(vd, app.id, row(index));
  await vd.click(x, y, 3);
  await sleep(900);
  await vd.click(x + MOVE_TO_ARCHIVE[0], y + MOVE_TO_ARCHIVE[1]);
  await sleep(900);
  // The pointer moved off, as a person's hand does: the menu never had the focus, so only an
  // event after it tells the recorder which window the list it leaves is in.
  await vd.xdotool(['mousemove_relative', '--', '60', '40']);
  await sleep(300);
}

/** The name of row `index` pressed, moved onto the Archive zone with pauses, released there. */
export async function dragToArchive(vd: VirtualDesktop, app: AppWindow, index: number): Promise<void> {
  const [x, y] = await at(vd, app.id, row(index));
  const [zx, zy] = await at(vd, app.id, ARCHIVE_ZONE);
  await vd.xdotool(['mousemove', String(x), String(y)]);
  await sleep(200);
  await vd.xdotool(['mousedown', '1']);
  for (let i = 1; i <= 6; i++) {
    await vd.xdotool([
      'mousemove',
      String(Math.round(x + ((zx - x) * i) / 6)),
      String(Math.round(y + ((zy - y) * i) / 6)),
    ]);
    await sleep(60);
  }
  await sleep(200);
  await vd.xdotool(['mouseup', '1']);
  await sleep(900);
}

/** What the program did, one line each ("seen NAME", "archived NAME", "deleted NAME"). */
export function done(log: string): string[] {
  return fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
}
