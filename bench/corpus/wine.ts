/**
 * Win32 programs under Wine for the desktop corpus. Wine has no accessibility bridge: the truth
 * comes from the Win32 side, read by a program of ours (programs/win32-truth.c) compiled here with
 * the Debian MinGW cross-compiler and run in the same prefix, on the same display, once the
 * program under test is up. One prefix per language, display scale and look, made once per
 * capture; its wineserver is stopped at the end.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { REPO_ROOT } from '../screens/generate';
import type { AccessibleNode } from './accessibility';

const execFileAsync = promisify(execFile);
const SOURCE = path.join(REPO_ROOT, 'bench', 'corpus', 'programs', 'win32-truth.c');
const MINGW = 'x86_64-w64-mingw32-gcc';

/** The looks of Wine 8: its default (classic 3D controls, no theme) and the "Light" theme it ships. */
export type WineTheme = 'classic' | 'light';

export interface WineLook {
  lang: 'en' | 'fr';
  scale: number;
  theme: WineTheme;
}

const THEME_KEY = 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\ThemeManager';
const LIGHT_THEME = 'C:\\windows\\resources\\themes\\light\\light.msstyles';

/**
 * Registry values of a look: Wine's DPI (96 per ×1) and the visual style; and the key regedit
 * opens on, one with values to list rather than an empty pane.
 */
export function registryOf(look: WineLook): string[][] {
  const values = [
    ['HKCU\\Control Panel\\Desktop', '/v', 'LogPixels', '/t', 'REG_DWORD', '/d', String(Math.round(96 * look.scale))],
    [
      'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Applets\\Regedit',
      '/v',
      'LastKey',
      '/d',
      'HKEY_CURRENT_USER\\Control Panel\\Desktop',
    ],
  ];
  if (look.theme === 'light')
    values.push(
      [THEME_KEY, '/v', 'ThemeActive', '/d', '1'],
      [THEME_KEY, '/v', 'DllName', '/d', LIGHT_THEME],
      [THEME_KEY, '/v', 'ColorName', '/d', ''],
      [THEME_KEY, '/v', 'SizeName', '/d', ''],
    );
  return values;
}

/** The Wine prefixes and the truth reader of one corpus capture, on one display. */
export class WineSession {
  private readonly prefixes = new Map<string, string>();
  private reader?: Promise<string>;

  /** `env`: the display's environment (DISPLAY, the session bus). */
  constructor(
    private readonly workDir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** The environment a program of this look runs in; makes its prefix the first time. */
  async envFor(look: WineLook): Promise<NodeJS.ProcessEnv> {
    const key = `${look.lang}-${look.scale}-${look.theme}`;
    let prefix = this.prefixes.get(key);
    const env = this.wineEnv(look, prefix ?? path.join(this.workDir, `wine-${key}`));
    if (!prefix) {
      prefix = env.WINEPREFIX!;
      await this.wine('wineboot', ['-i'], env, 'create a Wine prefix');
      for (const value of registryOf(look)) await this.wine('wine', ['reg', 'add', ...value, '/f'], env, 'set up Wine');
      // The prefix is written by wineserver when it exits: the programs then start from it.
      await this.wine('wineserver', ['-w'], env, 'set up Wine');
      this.prefixes.set(key, prefix);
    }
    return env;
  }

  /** The windows and controls `program` (e.g. notepad.exe) shows now, from the Win32 side. */
  async truth(look: WineLook, program: string): Promise<AccessibleNode[]> {
    const exe = await this.compile();
    const { stdout } = await execFileAsync('wine', [exe, program], {
      env: await this.envFor(look),
      maxBuffer: 64 * 1024 * 1024,
      timeout: 60_000,
    }).catch((e: Error & { stderr?: string }) => {
      throw new Error(`win32-truth: ${(e.stderr ?? '').trim() || e.message}`, { cause: e });
    });
    return (JSON.parse(stdout) as { nodes: AccessibleNode[] }).nodes;
  }

  /** Stops the wineserver of every prefix made (and the programs Wine started with it). */
  async stop(): Promise<void> {
    for (const prefix of this.prefixes.values())
      await execFileAsync('wineserver', ['-k'], { env: { ...this.env, WINEPREFIX: prefix } }).catch(() => undefined);
    this.prefixes.clear();
  }

  private wineEnv(look: WineLook, prefix: string): NodeJS.ProcessEnv {
    const locale = look.lang === 'fr' ? 'fr_FR.UTF-8' : 'en_US.UTF-8';
    return {
      ...this.env,
      WINEPREFIX: prefix,
      WINEDEBUG: '-all',
      // No Mono or Gecko installer dialog when the prefix is made: the corpus needs neither.
      WINEDLLOVERRIDES: 'mscoree,mshtml=',
      LANG: locale,
      LC_ALL: locale,
      LANGUAGE: look.lang,
    };
  }

  private async wine(command: string, args: string[], env: NodeJS.ProcessEnv, what: string): Promise<void> {
    await execFileAsync(command, args, { env, timeout: 180_000 }).catch((e: Error) => {
      throw new Error(`cannot ${what} (packages wine, wine64): ${e.message.split('\n')[0]}`, { cause: e });
    });
  }

  /** The reader, built as an exe and as the dll it hooks into the program (see win32-truth.c). */
  private compile(): Promise<string> {
    this.reader ??= (async () => {
      const dir = path.join(this.workDir, 'win32-truth');
      fs.mkdirSync(dir, { recursive: true });
      const exe = path.join(dir, 'win32-truth.exe');
      const flags = ['-O2', '-municode', SOURCE, '-lgdi32'];
      try {
        await execFileAsync(MINGW, [...flags, '-o', exe]);
        await execFileAsync(MINGW, [...flags, '-shared', '-o', path.join(dir, 'win32-truth.dll')]);
      } catch (e) {
        throw new Error(
          `cannot compile win32-truth.c (package gcc-mingw-w64-x86-64-win32): ${(e as Error).message.split('\n')[0]}`,
          { cause: e },
        );
      }
      return exe;
    })();
    return this.reader;
  }
}
