/**
 * A real virtual desktop for tests: Xvfb on a free display number (chosen by Xvfb itself with
 * -displayfd, so parallel runs never collide), a window manager, real applications, and xdotool
 * to play the human. Everything started here is killed on stop() and on process exit, even when
 * a test fails half-way.
 */
import { ChildProcess, execFile, spawn, SpawnOptions } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';

const execFileAsync = promisify(execFile);
const running = new Set<ChildProcess>();

function killAll(): void {
  for (const child of running) {
    if (child === sharedXvfb && child.pid) {
      // The native desktop libraries of this process still hold a connection to the shared
      // display; killing it now makes Xlib's I/O error handler crash the exiting process.
      // Let a detached shell kill it a moment after we are gone.
      spawn('sh', ['-c', `sleep 1; kill -9 -${child.pid} 2>/dev/null`], { detached: true, stdio: 'ignore' }).unref();
      continue;
    }
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      try {
        child.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
  running.clear();
}
process.once('exit', killAll);

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

export interface DesktopOptions {
  width?: number;
  height?: number;
  /** Start openbox; true by default. */
  windowManager?: boolean;
}

export class VirtualDesktop {
  private children: ChildProcess[] = [];
  /** How launched programs ended (for timeout messages). */
  private exits: string[] = [];
  private lastXdotoolAt = 0;
  private constructor(
    /** e.g. ":93" */
    readonly display: string,
    private readonly xvfb: ChildProcess,
    readonly width: number,
    readonly height: number,
  ) {}

  /** Environment for a child process that should draw on this desktop. */
  get env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      DISPLAY: this.display,
      XDG_DATA_HOME: path.join(this.home, 'data'),
      XDG_CONFIG_HOME: path.join(this.home, 'config'),
      XDG_CACHE_HOME: path.join(this.home, 'cache'),
      ...(this.sessionBus ? { DBUS_SESSION_BUS_ADDRESS: this.sessionBus } : {}),
    };
  }

  /**
   * A D-Bus session bus of this desktop's own. Without it GTK programs find a bus by display
   * number, which a later desktop on the same number inherits, and a single-instance program
   * (mousepad) started there may open its window in an instance of another test.
   */
  private sessionBus?: string;

  private async startSessionBus(): Promise<void> {
    const bus = this.launch('dbus-daemon', ['--session', '--nofork', '--print-address=1'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    this.sessionBus = await new Promise<string | undefined>((resolve) => {
      let out = '';
      const timer = setTimeout(() => resolve(undefined), 5000);
      bus.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) {
          clearTimeout(timer);
          resolve(out.split('\n')[0].trim() || undefined);
        }
      });
      bus.once('error', () => resolve(undefined)); // no dbus-daemon: programs find their own bus
      bus.once('exit', () => resolve(undefined));
    });
  }

  /**
   * Programs keep what they save for next time in folders of this desktop's own: a mousepad
   * killed by an earlier test leaves autosaves (data) and its session in dconf (config), which
   * make the next one open a "restore the previous session?" dialog instead of its window.
   */
  private readonly home = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-desktop-home-'));

  static async start(options: DesktopOptions = {}): Promise<VirtualDesktop> {
    const width = options.width ?? 1920;
    const height = options.height ?? 1080;
    const xvfb = track(
      spawn(
        'Xvfb',
        [
          '-displayfd',
          '3',
          '-screen',
          '0',
          `${width}x${height}x24`,
          '+extension',
          'RECORD',
          '+extension',
          'XTEST',
          '-nolisten',
          'tcp',
          '-ac',
        ],
        { stdio: ['ignore', 'ignore', 'pipe', 'pipe'], detached: true },
      ),
    );
    let stderr = '';
    xvfb.stderr?.on('data', (d) => (stderr += d));
    const display = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`Xvfb did not report a display within 30 s: ${stderr}`)), 30_000);
      (xvfb.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => {
        out += d.toString();
        const m = /(\d+)\n/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(`:${m[1]}`);
        }
      });
      xvfb.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Xvfb exited with code ${code} before it was ready: ${stderr}`));
      });
      xvfb.once('error', (e) => {
        clearTimeout(timer);
        reject(new Error(`cannot start Xvfb (is the xvfb package installed?): ${e.message}`));
      });
    });
    const desktop = new VirtualDesktop(display, xvfb, width, height);
    await desktop.startSessionBus();
    if (options.windowManager !== false) {
      // openbox sometimes ends at once on a server that just came up: started again, up to 3 times.
      let wm = desktop.launch('openbox', ['--sm-disable']);
      let starts = 1;
      try {
        await desktop.waitFor(
          async () => {
            if ((wm.exitCode !== null || wm.signalCode !== null) && starts < 3) {
              wm = desktop.launch('openbox', ['--sm-disable']);
              starts++;
            }
            return (await desktop.xprop(['-root', '_NET_SUPPORTING_WM_CHECK'])).includes('window id');
          },
          30_000,
          'openbox to start',
        );
      } catch (err) {
        throw new Error(`${(err as Error).message}; programs ended: ${JSON.stringify(desktop.exits)}`, { cause: err });
      }
    }
    return desktop;
  }

  /** Starts a program on this desktop; it is killed with the desktop. */
  launch(command: string, args: string[] = [], options: SpawnOptions = {}): ChildProcess {
    const child = track(
      spawn(command, args, { stdio: 'ignore', detached: true, ...options, env: { ...this.env, ...options.env } }),
    );
    // Kept for timeout messages: a window that never came is often a program that never ran.
    child.on('error', (err) => this.exits.push(`${command}: ${err.message}`));
    child.on('exit', (code, signal) => this.exits.push(`${command} exited (${signal ?? `code ${code}`})`));
    this.children.push(child);
    return child;
  }

  async xdotool(args: string[]): Promise<string> {
    try {
      const { stdout } = await execFileAsync('xdotool', args, { env: this.env });
      return stdout.trim();
    } finally {
      this.lastXdotoolAt = performance.now();
    }
  }

  /**
   * How long ago xdotool last ran: every click, key and typed text of a test goes through it, so
   * the person has done nothing for at least this long.
   */
  msSinceXdotool(): number {
    return performance.now() - this.lastXdotoolAt;
  }

  async xprop(args: string[]): Promise<string> {
    try {
      const { stdout } = await execFileAsync('xprop', args, { env: this.env });
      return stdout;
    } catch {
      return '';
    }
  }

  /** Polls `check` until it returns true, or fails with a message naming what was awaited. */
  async waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        if (await check()) return;
      } catch {
        /* not yet */
      }
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Waits for a visible window whose title matches `pattern` and returns its X window id. */
  async waitForWindow(pattern: string, timeoutMs = 30_000): Promise<string> {
    let id = '';
    try {
      await this.waitFor(
        async () => {
          id = (await this.xdotool(['search', '--onlyvisible', '--name', pattern])).split('\n')[0] ?? '';
          return id !== '';
        },
        timeoutMs,
        `a window titled /${pattern}/ on ${this.display}`,
      );
    } catch (err) {
      const titles = await this.xdotool(['search', '--onlyvisible', '--name', '.']).then(
        async (ids) =>
          Promise.all(
            ids
              .split('\n')
              .filter(Boolean)
              .map((w) => this.xdotool(['getwindowname', w]).catch(() => '?')),
          ),
        () => [],
      );
      throw new Error(
        `${(err as Error).message}; windows seen: ${JSON.stringify(titles)}; programs ended: ${JSON.stringify(this.exits)}`,
        {
          cause: err,
        },
      );
    }
    return id;
  }

  /** Focuses and raises a window and waits until it is the active one. */
  async activate(windowId: string): Promise<void> {
    await this.xdotool(['windowactivate', '--sync', windowId]).catch(() => undefined);
    await this.waitFor(
      async () => (await this.xdotool(['getactivewindow'])) === windowId,
      5_000,
      `window ${windowId} to be active`,
    );
  }

  // --- playing the human -------------------------------------------------------------------
  async click(x: number, y: number, button = 1, repeat = 1): Promise<void> {
    // Not `mousemove --sync`: it waits for a motion event, which never comes (xdotool then
    // hangs ~16 s) when the pointer is already there.
    await this.xdotool(['mousemove', String(x), String(y)]);
    await this.waitFor(
      async () => (await this.xdotool(['getmouselocation'])).startsWith(`x:${x} y:${y} `),
      2000,
      `the pointer at ${x},${y}`,
    );
    await this.xdotool(['click', '--repeat', String(repeat), '--delay', '80', String(button)]);
  }

  async type(text: string, delayMs = 30): Promise<void> {
    await this.xdotool(['type', '--delay', String(delayMs), '--', text]);
  }

  /** Presses a key or combination in xdotool syntax, e.g. "ctrl+s", "BackSpace", "Return". */
  async key(combo: string): Promise<void> {
    await this.xdotool(['key', '--delay', '40', combo]);
  }

  async stop(): Promise<void> {
    for (const child of [...this.children].reverse()) {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    this.children = [];
    if (this.xvfb.exitCode === null) {
      const exited = new Promise((r) => this.xvfb.once('exit', r));
      try {
        if (this.xvfb.pid) process.kill(-this.xvfb.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (this.xvfb.exitCode === null && this.xvfb.pid) {
        try {
          process.kill(-this.xvfb.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}

let shared: Promise<VirtualDesktop> | undefined;
let sharedXvfb: ChildProcess | undefined;

/**
 * One desktop for every in-process test of a mocha run. The native desktop libraries
 * (libnut, libuiohook) open $DISPLAY once per process and keep it, so specs that call the
 * platform layer in-process must share one display; it is set as process.env.DISPLAY and
 * killed when the process exits. Specs that launch apps close them in their own after().
 */
export function sharedDesktop(): Promise<VirtualDesktop> {
  shared ??= VirtualDesktop.start().then((d) => {
    process.env.DISPLAY = d.display;
    sharedXvfb = (d as unknown as { xvfb: ChildProcess }).xvfb;
    return d;
  });
  return shared;
}
