/**
 * The test command's way through every spec (`npm test`, after the build and lint): the specs
 * that drive a virtual desktop (Xvfb, real programs, xdotool) run one after another, and the
 * others (vision on captured screens, the Node-RED runtime, the store, headless Chromium) run
 * beside them in a second mocha process, one after another too, a little lower in CPU priority.
 * Two desktops never run at once. The desktop lane's report is shown as it runs, the other
 * lane's after it; it fails when either lane fails. `npm run test:serial` runs every spec in one
 * mocha process instead.
 */
import { spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

const root = path.resolve(__dirname, '..', '..');
const testDir = path.join(root, 'dist', 'test');
const mocha = path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
/** The module every desktop-driving spec reaches, directly or through a helper. */
const DESKTOP = path.join(testDir, 'helpers', 'desktop.js');
/** The other lane's priority: 5 leaves the desktop lane about three quarters of a busy machine. */
const OTHER_LANE_NICE = 5;

function specFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.spec.js'))
    .map((f) => path.join(dir, f))
    .sort();
}

/** The test modules a compiled module requires by a relative path. */
function localRequires(file: string): string[] {
  const source = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of source.matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) {
    const target = path.resolve(path.dirname(file), m[1]);
    for (const candidate of [target, `${target}.js`, path.join(target, 'index.js')])
      if (candidate.startsWith(testDir) && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
        out.push(candidate);
        break;
      }
  }
  return out;
}

/** True when the spec reaches the virtual desktop helper through the test modules it requires. */
function drivesDesktop(spec: string, seen = new Set<string>()): boolean {
  if (spec === DESKTOP) return true;
  if (seen.has(spec)) return false;
  seen.add(spec);
  return localRequires(spec).some((m) => drivesDesktop(m, seen));
}

interface Lane {
  name: string;
  specs: string[];
  nice: number;
  /** Shown as it comes; otherwise kept until `show` is called. */
  live: boolean;
}

/** The options of .mocharc.json (timeout, reporter…) as arguments, without its list of every spec. */
function mochaOptions(): string[] {
  const config = JSON.parse(fs.readFileSync(path.join(root, '.mocharc.json'), 'utf8')) as Record<string, unknown>;
  return Object.entries(config).flatMap(([key, value]) =>
    key === 'spec' || value === false ? [] : value === true ? [`--${key}`] : [`--${key}`, String(value)],
  );
}

function runLane(lane: Lane): { done: Promise<number>; show(): void } {
  const child = spawn(process.execPath, [mocha, '--no-config', ...mochaOptions(), ...lane.specs], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? '1' : '0' },
  });
  if (lane.nice) {
    try {
      os.setPriority(child.pid!, lane.nice);
    } catch {
      // Without the right to lower a priority the lane runs at the same one.
    }
  }
  let live = lane.live;
  const kept: Buffer[] = [];
  const write = (chunk: Buffer): void => {
    if (live) process.stdout.write(chunk);
    else kept.push(chunk);
  };
  child.stdout.on('data', write);
  child.stderr.on('data', write);
  const done = new Promise<number>((resolve) => {
    child.on('error', (err) => {
      write(Buffer.from(`${lane.name} lane: mocha could not start: ${err.message}\n`));
      resolve(1);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
  return {
    done,
    show() {
      process.stdout.write(Buffer.concat(kept));
      kept.length = 0;
      live = true;
    },
  };
}

async function main(): Promise<void> {
  const specs = specFiles(testDir);
  if (!specs.length) {
    console.error(`run-specs: no compiled specs under ${path.relative(root, testDir)}; run the build first`);
    process.exit(1);
  }
  const desktop = specs.filter((s) => drivesDesktop(s));
  const other = specs.filter((s) => !desktop.includes(s));
  console.log(
    `run-specs: ${desktop.length} spec files that drive a desktop, one after another, beside the ${other.length} others`,
  );
  const started = Date.now();
  const lanes = (
    [
      { name: 'desktop', specs: desktop, nice: 0, live: true },
      { name: 'other', specs: other, nice: OTHER_LANE_NICE, live: false },
    ] as Lane[]
  ).map((lane) => ({ lane, run: runLane(lane) }));
  const codes: number[] = [];
  for (const { lane, run } of lanes) {
    if (lane.name !== 'desktop') {
      console.log(`\n===== the ${other.length} spec files that drive no desktop =====`);
      run.show();
    }
    codes.push(await run.done);
  }
  const minutes = ((Date.now() - started) / 60000).toFixed(1);
  const failed = lanes.filter((_, i) => codes[i] !== 0).map(({ lane }) => lane.name);
  console.log(
    failed.length
      ? `\nrun-specs: FAILED in the ${failed.join(' and ')} lane (${minutes} min)`
      : `\nrun-specs: all passed in ${minutes} min`,
  );
  process.exit(failed.length ? 1 : 0);
}

void main();
