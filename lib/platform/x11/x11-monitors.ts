/**
 * The monitors of an X display. X11 shows all monitors as one root bitmap (what the screen
 * provider grabs); RandR 1.5 (`xrandr --listmonitors`) says how that bitmap is split into
 * physical monitors and which one is primary, which the recorder writes to `environment.screens`.
 */
import { execFile } from 'child_process';
import { promisify } from 'util';

const execFileAsync = promisify(execFile);

export interface Monitor {
  name: string;
  width: number;
  height: number;
  x: number;
  y: number;
  isPrimary: boolean;
}

/**
 * Parses `xrandr --listmonitors`, e.g.
 * ` 0: +*DP-1 2560/597x1440/336+0+0  DP-1` (name, width/mm x height/mm + x + y; * = primary).
 * The primary monitor comes first; without a marked one, the first listed is primary.
 */
export function parseMonitors(output: string): Monitor[] {
  const monitors: Monitor[] = [];
  for (const line of output.split('\n')) {
    const m = /^\s*\d+:\s+\+?(\*?)(\S+)\s+(\d+)\/\d+x(\d+)\/\d+([+-]\d+)([+-]\d+)/.exec(line);
    if (m)
      monitors.push({
        name: m[2],
        width: Number(m[3]),
        height: Number(m[4]),
        x: Number(m[5]),
        y: Number(m[6]),
        isPrimary: m[1] === '*',
      });
  }
  if (monitors.length && !monitors.some((m) => m.isPrimary)) monitors[0].isPrimary = true;
  return monitors.sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary));
}

/** The display's monitors, or [] when RandR cannot tell (no xrandr, an old server). */
export async function listMonitors(): Promise<Monitor[]> {
  try {
    const { stdout } = await execFileAsync('xrandr', ['--listmonitors'], { timeout: 2000 });
    return parseMonitors(stdout);
  } catch {
    return [];
  }
}
