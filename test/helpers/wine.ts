/**
 * Win32 programs under Wine on a virtual desktop. A Wine prefix (the Windows installation Wine
 * keeps: registry, C: drive) of the test's own, in a home of its own, so nothing a program
 * remembers (a dialog's last folder, a window's size) leaks from another test or the machine's
 * user; made once per describe block (wineboot takes 10–20 s) and ended with its wineserver,
 * which outlives the programs it served.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { execFile, type ChildProcess } from 'child_process';
import { promisify } from 'util';
import type { VirtualDesktop } from './desktop';

const execFileAsync = promisify(execFile);

export class WinePrefix {
  private constructor(
    private readonly vd: VirtualDesktop,
    private readonly home: string,
  ) {}

  /** Where Wine keeps this prefix; Z: is mapped to /, so a program sees any folder of the test. */
  get dir(): string {
    return path.join(this.home, '.wine');
  }

  get env(): NodeJS.ProcessEnv {
    return {
      ...this.vd.env,
      HOME: this.home,
      WINEPREFIX: this.dir,
      WINEDEBUG: '-all',
      // No Mono or Gecko: Wine would offer to download them, in a dialog, at the first start.
      WINEDLLOVERRIDES: 'mscoree,mshtml=',
    };
  }

  /** Creates the prefix (wineboot) on the desktop. */
  static async create(vd: VirtualDesktop): Promise<WinePrefix> {
    const prefix = new WinePrefix(vd, fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-wine-home-')));
    try {
      await execFileAsync('wineboot', ['-i'], { env: prefix.env, timeout: 90_000 });
    } catch (err) {
      // wineboot may have started the prefix's wineserver before it failed: it would outlive the test.
      await prefix.stop();
      const e = err as { code?: string | number; stderr?: string };
      throw new Error(
        e.code === 'ENOENT'
          ? 'wineboot is not installed (scripts/install-debian-deps.sh installs wine)'
          : `wineboot failed (${e.code}): ${e.stderr ?? ''}`,
        { cause: err },
      );
    }
    return prefix;
  }

  /** Starts a Win32 program (e.g. "notepad") in `cwd`; it is killed with the desktop. */
  launch(program: string, args: string[] = [], cwd?: string): ChildProcess {
    return this.vd.launch('wine', [program, ...args], { env: this.env, ...(cwd ? { cwd } : {}) });
  }

  /** Runs a Win32 console command to its end (e.g. `reg delete …`). */
  async run(program: string, args: string[]): Promise<string> {
    const { stdout } = await execFileAsync('wine', [program, ...args], { env: this.env, timeout: 30_000 });
    return stdout;
  }

  /** Ends every program of the prefix and its wineserver, and removes the prefix. */
  async stop(): Promise<void> {
    await execFileAsync('wineserver', ['-k'], { env: this.env, timeout: 10_000 }).catch(() => undefined);
    // The server leaves as its programs are killed; waiting for it keeps the folder from being written as it goes.
    await execFileAsync('wineserver', ['-w'], { env: this.env, timeout: 10_000 }).catch(() => undefined);
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}
