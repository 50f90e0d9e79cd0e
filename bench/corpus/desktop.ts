/**
 * The desktop corpus: screenshots of real programs of six toolkit families, each with the
 * ground truth its toolkit reports through the accessibility bus (AT-SPI), or, for Tk and Wine
 * which have none, through their own geometry calls. One private Xvfb, D-Bus session and AT-SPI
 * bus, one program at a time. Nothing is downloaded: the programs are Debian packages
 * (scripts/install-corpus-deps.sh) and three small programs of ours compiled or run here.
 *
 *   node dist/bench/corpus/desktop.js [--out DIR] [--only REGEX]
 *   node dist/bench/corpus/desktop.js --remap [--out DIR]   (truth again from the saved trees)
 */
import { ChildProcess, execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { VirtualDesktop } from '../../test/helpers/desktop';
import { DEFAULT_OUT_DIR, REPO_ROOT } from '../screens/generate';
import { ScreenTruth, SetManifest } from '../screens/types';
import { AccessibleNode, truthFromAccessibility } from './accessibility';
import { DESKTOP_SCENARIOS, DesktopScenario } from './scenarios';
import { WineSession } from './wine';

const execFileAsync = promisify(execFile);

/** Bump when scenarios or the mapping change, so a cached corpus is captured again. */
export const DESKTOP_CORPUS_VERSION = 3;
export const CORPUS_SCREEN = { width: 1280, height: 800 };
const DUMPER = path.join(REPO_ROOT, 'bench', 'corpus', 'atspi-dump.py');
const PROGRAMS = path.join(REPO_ROOT, 'bench', 'corpus', 'programs');
/** Debian's interpreter: gi and tkinter are Debian packages, not in another python on the PATH. */
const PYTHON = '/usr/bin/python3';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A virtual desktop with its own D-Bus session and accessibility bus, as a logged-in user has. */
export class AccessibleDesktop {
  private constructor(
    readonly desktop: VirtualDesktop,
    readonly busAddress: string,
  ) {}

  static async start(): Promise<AccessibleDesktop> {
    const desktop = await VirtualDesktop.start(CORPUS_SCREEN);
    try {
      const bus = desktop.launch('dbus-daemon', ['--session', '--nofork', '--print-address=1'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const busAddress = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error('dbus-daemon printed no address within 10 s')), 10_000);
        bus.stdout?.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) {
            clearTimeout(timer);
            resolve(out.split('\n')[0].trim());
          }
        });
        bus.once('error', (e) => reject(new Error(`cannot start dbus-daemon (package dbus): ${e.message}`)));
      });
      // The bus launcher publishes the accessibility bus as AT_SPI_BUS on the root window, where
      // every toolkit's bridge looks for it when it starts: it must be there before any program.
      desktop.launch('/usr/libexec/at-spi-bus-launcher', ['--launch-immediately'], {
        env: { DBUS_SESSION_BUS_ADDRESS: busAddress },
      });
      await desktop.waitFor(
        async () => (await desktop.xprop(['-root', 'AT_SPI_BUS'])).includes('unix:'),
        15_000,
        'the AT-SPI bus on the root window (package at-spi2-core)',
      );
      return new AccessibleDesktop(desktop, busAddress);
    } catch (err) {
      await desktop.stop();
      throw err;
    }
  }

  /** The environment of a program on this desktop: its display, its session bus, bridges on. */
  env(extra: Record<string, string>): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...this.desktop.env, DBUS_SESSION_BUS_ADDRESS: this.busAddress, ...extra };
    delete env.NO_AT_BRIDGE;
    delete env.GTK_MODULES;
    return env;
  }

  async dump(pid: number, timeoutSeconds = 20): Promise<AccessibleNode[]> {
    const { stdout } = await execFileAsync(PYTHON, [DUMPER, String(pid), '--timeout', String(timeoutSeconds)], {
      env: this.env({}),
      maxBuffer: 64 * 1024 * 1024,
      timeout: (timeoutSeconds + 30) * 1000,
    });
    return (JSON.parse(stdout) as { nodes: AccessibleNode[] }).nodes;
  }

  stop(): Promise<void> {
    return this.desktop.stop();
  }
}

function kill(app: ChildProcess): void {
  try {
    if (app.pid) process.kill(-app.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/** Compiles the Swing form of ours with the Debian JDK, once per corpus. */
async function compileSwing(workDir: string): Promise<string> {
  const classes = path.join(workDir, 'classes');
  fs.mkdirSync(classes, { recursive: true });
  await execFileAsync('javac', ['-d', classes, path.join(PROGRAMS, 'CorpusForm.java')]).catch((e: Error) => {
    throw new Error(`cannot compile the Swing program (package openjdk-17-jdk): ${e.message}`, { cause: e });
  });
  return classes;
}

/** A fresh LibreOffice profile per language that does not open the tip of the day over the window. */
function libreOfficeProfile(workDir: string, lang: string): string {
  const dir = path.join(workDir, `lo-${lang}`);
  const user = path.join(dir, 'user');
  if (!fs.existsSync(user)) {
    fs.mkdirSync(user, { recursive: true });
    fs.writeFileSync(
      path.join(user, 'registrymodifications.xcu'),
      `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="ShowTipOfTheDay" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
`,
    );
  }
  return dir;
}

/** The centre of the first showing object named one of `names` ("File|Fichier"). */
function findNamed(nodes: AccessibleNode[], names: string, scale: number): [number, number] | undefined {
  const wanted = names.split('|');
  const n = nodes.find((x) => x.states.includes('showing') && x.box[2] > 0 && wanted.includes(x.name.trim()));
  return n ? [Math.round((n.box[0] + n.box[2] / 2) * scale), Math.round((n.box[1] + n.box[3] / 2) * scale)] : undefined;
}

function truthOf(scenario: DesktopScenario, nodes: AccessibleNode[]) {
  const elements = truthFromAccessibility(nodes, {
    coordinateScale: scenario.logicalCoordinates ? scenario.scale : 1,
    displayScale: scenario.scale,
    screen: CORPUS_SCREEN,
  });
  for (const e of elements)
    if (scenario.distrust?.includes(`${e.type}:${e.label}`)) {
      e.ignore = true;
      delete e.target;
    }
  return elements;
}

/**
 * Derives the truth again from the trees saved with a capture (after a change of the mapping),
 * without starting any program: the screenshots stay as they are.
 */
export function remapCorpus(outDir = DEFAULT_OUT_DIR): SetManifest {
  const dir = path.join(outDir, 'desktop');
  const manifestFile = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as SetManifest;
  for (const screen of manifest.screens) {
    const scenario = DESKTOP_SCENARIOS.find((s) => s.id === screen.id);
    if (!scenario) throw new Error(`${screen.id}: no such scenario any more; capture the corpus again`);
    const nodes = JSON.parse(fs.readFileSync(path.join(dir, `${screen.id}.nodes.json`), 'utf8')) as AccessibleNode[];
    screen.elements = truthOf(scenario, nodes);
  }
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 1));
  return manifest;
}

export interface CaptureContext {
  session: AccessibleDesktop;
  dir: string;
  workDir: string;
  classes?: string;
  /** The Wine prefixes of this capture, for the scenarios of Win32 programs. */
  wine?: WineSession;
}

function wineOf(ctx: CaptureContext, scenario: DesktopScenario) {
  if (!scenario.win32) return undefined;
  if (!ctx.wine) throw new Error(`${scenario.id}: a Win32 program needs a Wine session`);
  return { session: ctx.wine, ...scenario.win32 };
}

/** Shows one scenario, screenshots it, and reads its truth. */
export async function captureScenario(ctx: CaptureContext, scenario: DesktopScenario): Promise<ScreenTruth> {
  const { session } = ctx;
  const desktop = session.desktop;
  const truthFile = path.join(ctx.workDir, `${scenario.id}.json`);
  fs.rmSync(truthFile, { force: true });
  const args = scenario.args.map((a) =>
    a
      .replace('{out}', truthFile)
      .replace('{classes}', ctx.classes ?? '')
      .replace('{profile}', scenario.family === 'vcl' ? libreOfficeProfile(ctx.workDir, scenario.lang) : ''),
  );
  const wine = wineOf(ctx, scenario);
  const env = session.env({ ...scenario.env });
  const wineEnv = wine ? await wine.session.envFor(wine.look) : undefined;
  const app = desktop.launch(scenario.command, args, {
    env: wineEnv ? { ...env, ...wineEnv } : env,
    // The file dialogs open in the working directory: the prefix's C: drive, the same everywhere.
    ...(wineEnv ? { cwd: path.join(wineEnv.WINEPREFIX!, 'drive_c') } : {}),
  });
  // What the program shows now: from its accessibility tree, or from Win32 under Wine.
  const nodesNow = () => (wine ? wine.session.truth(wine.look, wine.process) : session.dump(app.pid!));
  const t0 = Date.now();
  const trace = (what: string) =>
    process.env.RPA_CORPUS_TRACE && process.stderr.write(`  ${scenario.id} ${what} +${Date.now() - t0} ms\n`);
  try {
    const windowId = await desktop.waitForWindow(scenario.window, 60_000);
    trace('window');
    await sleep((scenario.startSeconds ?? 1.5) * 1000);
    await desktop.activate(windowId).catch(() => undefined);
    const coordinateScale = scenario.logicalCoordinates ? scenario.scale : 1;
    for (const combo of scenario.keys ?? []) {
      await desktop.key(combo);
      await sleep(2500);
    }
    for (const names of scenario.open ?? []) {
      const where = findNamed(await nodesNow(), names, coordinateScale);
      if (!where) throw new Error(`${scenario.id}: nothing named "${names}" to open`);
      await desktop.click(where[0], where[1]);
      await sleep(1200);
    }
    await desktop.xdotool(['mousemove', String(CORPUS_SCREEN.width - 2), String(CORPUS_SCREEN.height - 2)]);
    await sleep(600);
    const file = `${scenario.id}.png`;
    await execFileAsync('import', ['-window', 'root', path.join(ctx.dir, file)], { env: desktop.env });
    trace('screenshot');
    let nodes: AccessibleNode[];
    if (scenario.truth === 'program') {
      await desktop.waitFor(() => fs.existsSync(truthFile), 10_000, `${scenario.id} to write its widgets`);
      await sleep(200);
      nodes = (JSON.parse(fs.readFileSync(truthFile, 'utf8')) as { nodes: AccessibleNode[] }).nodes;
    } else nodes = await nodesNow();
    // The raw tree next to the screenshot: what the truth was derived from, for an audit.
    fs.writeFileSync(path.join(ctx.dir, `${scenario.id}.nodes.json`), JSON.stringify(nodes));
    trace('truth');
    const title = (await desktop.xdotool(['getwindowname', windowId]).catch(() => scenario.window)).trim();
    const elements = truthOf(scenario, nodes);
    return {
      id: scenario.id,
      file,
      template: scenario.template,
      state: scenario.template,
      theme: scenario.theme,
      scale: scenario.scale,
      ...CORPUS_SCREEN,
      title,
      seed: 0,
      family: scenario.family,
      lang: scenario.lang,
      elements,
    };
  } finally {
    kill(app);
    // LibreOffice's soffice.bin outlives its launcher for a moment: let it go before the next start.
    if (scenario.family === 'vcl') await sleep(1500);
    // So does a Wine program, for its wineserver: the next one would find it still there.
    if (scenario.win32) await sleep(500);
  }
}

export interface CorpusOptions {
  outDir?: string;
  /** Capture again even when a complete corpus of this version is there. */
  force?: boolean;
  /** Only the scenarios whose id matches. */
  only?: RegExp;
  log?: (line: string) => void;
}

/**
 * Captures the corpus into <out>/desktop (git-ignored) and writes its manifest; a complete
 * earlier capture of the same version is reused, and `only` captures some screens again. A scenario that fails is reported and left
 * out, so one missing program does not lose the others.
 */
export async function desktopCorpus(options: CorpusOptions = {}): Promise<SetManifest> {
  const dir = path.join(options.outDir ?? DEFAULT_OUT_DIR, 'desktop');
  const manifestFile = path.join(dir, 'manifest.json');
  const scenarios = DESKTOP_SCENARIOS.filter((s) => !options.only || options.only.test(s.id));
  if (!options.force && !options.only && fs.existsSync(manifestFile)) {
    const cached = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as SetManifest;
    if (
      cached.generator_version === DESKTOP_CORPUS_VERSION &&
      cached.screens.every((s) => fs.existsSync(path.join(dir, s.file)))
    )
      return cached;
  }
  // A partial capture (--only) replaces those screens in the corpus and keeps the others.
  const kept =
    options.only && fs.existsSync(manifestFile)
      ? (JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as SetManifest).screens.filter(
          (s) => !scenarios.some((x) => x.id === s.id),
        )
      : [];
  if (!options.only) fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-corpus-'));
  const session = await AccessibleDesktop.start();
  const wine = scenarios.some((s) => s.win32) ? new WineSession(workDir, session.env({})) : undefined;
  const screens: ScreenTruth[] = [];
  const failed: string[] = [];
  try {
    const classes = scenarios.some((s) => s.family === 'swing') ? await compileSwing(workDir) : undefined;
    for (const scenario of scenarios) {
      try {
        const screen = await captureScenario({ session, dir, workDir, classes, wine }, scenario);
        screens.push(screen);
        const targets = screen.elements.filter((e) => e.target && !e.ignore).length;
        options.log?.(`${scenario.id}: ${screen.elements.length} elements, ${targets} targets`);
      } catch (e) {
        failed.push(scenario.id);
        options.log?.(`${scenario.id}: left out: ${(e as Error).message.split('\n')[0]}`);
      }
    }
  } finally {
    await wine?.stop();
    await session.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  const manifest: SetManifest = {
    set: 'desktop',
    generator_version: DESKTOP_CORPUS_VERSION,
    generated_at: new Date().toISOString(),
    screens: [...kept, ...screens],
  };
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 1));
  options.log?.(
    `captured ${screens.length} desktop screens into ${dir}${failed.length ? `; left out: ${failed.join(', ')}` : ''}`,
  );
  return manifest;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const value = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const only = value('--only');
  if (args.includes('--remap')) {
    const m = remapCorpus(value('--out'));
    process.stderr.write(`remapped the truth of ${m.screens.length} screens\n`);
    process.exit(0);
  }
  desktopCorpus({
    outDir: value('--out'),
    force: true,
    only: only ? new RegExp(only) : undefined,
    log: (l) => process.stderr.write(`${l}\n`),
  }).then(
    () => undefined,
    (e: Error) => {
      process.stderr.write(`desktop corpus: ${e.message}\n`);
      process.exit(1);
    },
  );
}
