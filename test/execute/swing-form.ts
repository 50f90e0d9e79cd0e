/**
 * A data-entry form of ours in Java Swing (test/fixtures/swing-form/RecordForm.java) that comes
 * back empty after each record and appends each record to a file, driven as a person would with
 * the mouse and the keyboard: click a field, type, tick the checkbox, click Save record.
 */
import fs from 'fs';
import path from 'path';
import { execFile } from 'child_process';
import { promisify } from 'util';
import type { VirtualDesktop } from '../helpers/desktop';
import { geometry, launchApp, sleep, type AppWindow } from './debian-apps';
import { tempDir } from './helpers';

const execFileAsync = promisify(execFile);
const SOURCE = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'swing-form', 'RecordForm.java');

/** Compiles the form with the Debian JDK; the directory of its classes. */
export async function compileRecordForm(): Promise<string> {
  const classes = tempDir('rpa-swing-form-');
  await execFileAsync('javac', ['-d', classes, SOURCE]).catch((e: Error) => {
    throw new Error(`cannot compile ${SOURCE} (package openjdk-17-jdk): ${e.message}`, { cause: e });
  });
  return classes;
}

/** The form in a look and feel (metal | nimbus), appending its records to `file`. */
export async function launchRecordForm(
  vd: VirtualDesktop,
  classes: string,
  lookAndFeel: 'metal' | 'nimbus',
  file: string,
): Promise<AppWindow> {
  return launchApp(
    vd,
    'java',
    [`-Dswing.defaultlaf=${lafClass[lookAndFeel]}`, '-cp', classes, 'RecordForm', file],
    '^New patient$',
    undefined,
    1200,
  );
}

const lafClass = {
  metal: 'javax.swing.plaf.metal.MetalLookAndFeel',
  nimbus: 'javax.swing.plaf.nimbus.NimbusLookAndFeel',
};

/**
 * Where the person clicks in the Metal form, from the window's position as X reports it (the
 * form opens at its packed size; a demonstration never resizes it).
 */
const METAL = { lastName: [198, -5], firstName: [198, 26], urgent: [108, 59], save: [244, 94] } as const;

/**
 * One record entered with the mouse and the keyboard: names typed (by xdotool as the person, or
 * by `type`), Urgent ticked, Save record clicked.
 */
export async function enterRecord(
  vd: VirtualDesktop,
  app: AppWindow,
  last: string,
  first: string,
  type: (text: string) => Promise<void> = (text) => vd.type(text, 30),
): Promise<void> {
  const g = await geometry(vd, app.id);
  const click = (p: readonly [number, number]) => vd.click(g.x + p[0], g.y + p[1]);
  await click(METAL.lastName);
  await sleep(300);
  await type(last);
  await sleep(400);
  await click(METAL.firstName);
  await sleep(300);
  await type(first);
  await sleep(400);
  await click(METAL.urgent);
  await sleep(500);
  await click(METAL.save);
  await sleep(900);
}

/** The records the form appended, one per line. */
export function records(file: string): string[] {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}
