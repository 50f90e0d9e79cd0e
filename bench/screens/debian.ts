/**
 * Screenshots of real Debian applications (GTK 3 under openbox on Xvfb, 1280×800, English UI)
 * with hand-written ground truth for a handful of targets each. Boxes were measured on the
 * screenshots (flood fill of the widget's face, ink runs of menu titles) with the window moved
 * to a fixed place; at capture time the window is moved there again and any offset the window
 * manager adds is applied to the boxes.
 *
 *   node dist/bench/screens/debian.js [--out DIR]
 */
import { ChildProcess, execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { VirtualDesktop } from '../../test/helpers/desktop';
import { DEFAULT_OUT_DIR } from './generate';
import { Box, ElementType, ScreenTruth, SetManifest, TruthElement } from './types';

const execFileAsync = promisify(execFile);

export const DEBIAN_SET_VERSION = 1;
export const DEBIAN_DESKTOP = { width: 1280, height: 800 };
const DESKTOP = DEBIAN_DESKTOP;
/** Where the windows are moved, and where their client area was when the boxes were measured. */
const MOVE_TO = [200, 150] as const;
const MEASURED_CLIENT_AT = [202, 190] as const;

interface HandTruth {
  type: ElementType;
  label: string;
  bbox: Box;
  /** Defaults to bbox. */
  click_box?: Box;
}

export interface DebianScenario {
  name: string;
  command: string;
  args: string[];
  /** Pattern of the window title to wait for. */
  window: string;
  /** Something to do before the screenshot (open a menu). */
  prepare?: (desktop: VirtualDesktop) => Promise<void>;
  elements: HandTruth[];
}

const menuRow = (label: string, cropY: number): HandTruth => ({
  type: 'menu_item',
  label,
  bbox: [203, cropY + 130 - 12, 503, cropY + 130 + 12],
});
const menuTitle = (label: string, x1: number, x2: number): HandTruth => ({
  type: 'menu_item',
  label,
  bbox: [x1 - 7, 172, x2 + 7, 193],
});

export const DEBIAN_SCENARIOS: DebianScenario[] = [
  {
    name: 'zenity-forms',
    command: 'zenity',
    args: [
      '--forms',
      '--title=Nouveau patient',
      '--text=Saisir le patient',
      '--add-entry=Nom',
      '--add-entry=Prénom',
      '--add-combo=Mutuelle',
      '--combo-values=MGEN|Aucune',
      '--add-entry=Téléphone',
    ],
    window: 'Nouveau patient',
    elements: [
      { type: 'text_input', label: 'Nom', bbox: [297, 207, 464, 240] },
      { type: 'text_input', label: 'Prénom', bbox: [297, 247, 464, 280] },
      { type: 'dropdown', label: 'Mutuelle', bbox: [297, 287, 464, 320] },
      { type: 'text_input', label: 'Téléphone', bbox: [297, 327, 464, 360] },
      { type: 'button', label: 'Cancel', bbox: [296, 370, 381, 403] },
      { type: 'button', label: 'OK', bbox: [386, 370, 471, 403] },
    ],
  },
  {
    name: 'zenity-question',
    command: 'zenity',
    args: ['--question', '--title=Confirmation', '--text=Voulez-vous valider la facture FAC-2024-0042 ?'],
    window: 'Confirmation',
    elements: [
      { type: 'button', label: 'No', bbox: [410, 249, 494, 282] },
      { type: 'button', label: 'Yes', bbox: [499, 249, 583, 282] },
    ],
  },
  {
    name: 'yad-form',
    command: 'yad',
    args: [
      '--form',
      '--title=Paramètres',
      '--field=Dossier des exports',
      '/home/exports',
      '--field=Vérifier les mises à jour:CHK',
      'TRUE',
      '--field=Langue:CB',
      'English!Deutsch',
      '--button=Appliquer:0',
      '--button=Fermer:1',
    ],
    window: 'Paramètres',
    elements: [
      { type: 'text_input', label: 'Dossier des exports', bbox: [337, 172, 504, 205] },
      // A GTK check button toggles on its label too: the whole button is the click target.
      {
        type: 'checkbox',
        label: 'Vérifier les mises à jour',
        bbox: [207, 214, 223, 230],
        click_box: [205, 212, 381, 233],
      },
      { type: 'dropdown', label: 'Langue', bbox: [337, 238, 504, 271] },
      { type: 'button', label: 'Appliquer', bbox: [306, 276, 401, 309] },
      { type: 'button', label: 'Fermer', bbox: [407, 276, 502, 309] },
    ],
  },
  {
    name: 'galculator',
    command: 'galculator',
    args: [],
    window: 'galculator',
    elements: [
      menuTitle('Edit', 249, 272),
      menuTitle('Calculator', 338, 402),
      { type: 'button', label: 'AC', bbox: [418, 267, 469, 300] },
      { type: 'button', label: 'sqrt', bbox: [467, 353, 525, 386] },
      { type: 'button', label: '7', bbox: [207, 353, 265, 386] },
      { type: 'button', label: '5', bbox: [272, 393, 330, 426] },
      { type: 'button', label: '=', bbox: [467, 433, 525, 506] },
    ],
  },
  {
    name: 'mousepad-file-menu',
    command: 'mousepad',
    args: [],
    window: 'Mousepad',
    prepare: async (desktop) => {
      await desktop.click(220, 182);
      await new Promise((r) => setTimeout(r, 600));
    },
    elements: [
      menuTitle('Search', 290, 331),
      menuTitle('Help', 481, 508),
      menuRow('New Window', 102),
      menuRow('Save All', 254),
      menuRow('Print...', 305),
      menuRow('Close Window', 382),
      menuRow('Quit', 407),
    ],
  },
];

function shift(box: Box, dx: number, dy: number): Box {
  return [box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy];
}

export interface ShownScenario {
  app: ChildProcess;
  windowId: string;
  /** The scenario's ground truth where the window really is. */
  elements: TruthElement[];
}

/** Starts a scenario's application, puts its window in the measured place, and maps its truth there. */
export async function showScenario(desktop: VirtualDesktop, scenario: DebianScenario): Promise<ShownScenario> {
  const app = desktop.launch(scenario.command, scenario.args, { env: { LANG: 'C.UTF-8', NO_AT_BRIDGE: '1' } });
  const windowId = await desktop.waitForWindow(scenario.window);
  await desktop.xdotool(['windowmove', '--sync', windowId, String(MOVE_TO[0]), String(MOVE_TO[1])]);
  await desktop.xdotool(['mousemove', String(DESKTOP.width - 10), String(DESKTOP.height - 10)]);
  await new Promise((r) => setTimeout(r, 800));
  const geometry = await desktop.xdotool(['getwindowgeometry', windowId]);
  const m = /Position: (\d+),(\d+)/.exec(geometry);
  const [dx, dy] = m ? [Number(m[1]) - MEASURED_CLIENT_AT[0], Number(m[2]) - MEASURED_CLIENT_AT[1]] : [0, 0];
  if (scenario.prepare) {
    await scenario.prepare(desktop);
    await desktop.xdotool(['mousemove', String(DESKTOP.width - 10), String(DESKTOP.height - 10)]);
    await new Promise((r) => setTimeout(r, 400));
  }
  const elements: TruthElement[] = scenario.elements.map((e, i) => {
    const bbox = shift(e.bbox, dx, dy);
    const isField = e.type === 'text_input' || e.type === 'dropdown' || e.type === 'checkbox' || e.type === 'radio';
    return {
      id: `gt${i + 1}`,
      type: e.type,
      label: e.label,
      bbox,
      click_box: e.click_box ? shift(e.click_box, dx, dy) : bbox,
      target: isField ? { label: e.label, type: e.type } : { text: e.label, type: e.type },
    };
  });
  return { app, windowId, elements };
}

/** Shows one scenario on the desktop, screenshots it, and returns its ground truth. */
async function capture(desktop: VirtualDesktop, scenario: DebianScenario, dir: string): Promise<ScreenTruth> {
  const shown = await showScenario(desktop, scenario);
  try {
    const title = (await desktop.xdotool(['getwindowname', shown.windowId])).trim();
    const file = `${scenario.name}.png`;
    await execFileAsync('import', ['-window', 'root', path.join(dir, file)], { env: desktop.env });
    return {
      id: `debian-${scenario.name}`,
      file,
      template: scenario.name,
      state: scenario.name,
      theme: 'gtk3-adwaita',
      scale: 1,
      ...DESKTOP,
      title,
      seed: 0,
      elements: shown.elements,
    };
  } finally {
    try {
      if (shown.app.pid) process.kill(-shown.app.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

export interface DebianOptions {
  outDir?: string;
  force?: boolean;
  log?: (line: string) => void;
}

/**
 * The Debian set: rendered once on a private Xvfb and cached like the Chromium sets. Only the
 * hand-measured targets are known on these screens, so they serve grounding, not detection.
 */
export async function debianSet(options: DebianOptions = {}): Promise<SetManifest> {
  const dir = path.join(options.outDir ?? DEFAULT_OUT_DIR, 'debian');
  const manifestFile = path.join(dir, 'manifest.json');
  if (!options.force && fs.existsSync(manifestFile)) {
    const cached = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as SetManifest;
    if (
      cached.generator_version === DEBIAN_SET_VERSION &&
      cached.screens.every((s) => fs.existsSync(path.join(dir, s.file)))
    )
      return cached;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const desktop = await VirtualDesktop.start(DESKTOP);
  const screens: ScreenTruth[] = [];
  try {
    for (const scenario of DEBIAN_SCENARIOS) screens.push(await capture(desktop, scenario, dir));
  } finally {
    await desktop.stop();
  }
  const manifest: SetManifest = {
    set: 'debian',
    generator_version: DEBIAN_SET_VERSION,
    generated_at: new Date().toISOString(),
    screens,
  };
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 1));
  options.log?.(`captured ${screens.length} Debian application screens into ${dir}`);
  return manifest;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  debianSet({
    outDir: outIndex >= 0 ? args[outIndex + 1] : undefined,
    force: true,
    log: (l) => process.stderr.write(`${l}\n`),
  }).then(
    () => undefined,
    (e: Error) => {
      process.stderr.write(`debian: ${e.message}\n`);
      process.exit(1);
    },
  );
}
