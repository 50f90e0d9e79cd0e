/**
 * Finds out, without loading any native module, whether an X display is reachable. Native
 * desktop libraries abort the process when they cannot open the display, so every caller asks
 * here first and shows a clear status ("no display (set DISPLAY)") instead of crashing.
 */
import net from 'net';

export type DisplayProbe = { ok: true; display: string } | { ok: false; display: string | undefined; reason: string };

export class NoDisplayError extends Error {
  override name = 'NoDisplayError';
  constructor(readonly probe: Extract<DisplayProbe, { ok: false }>) {
    super(probe.reason);
  }
}

/** Parses ":1", ":1.0", "host:1" and "unix:1" into where the X server listens. */
function socketFor(display: string): { path: string } | { host: string; port: number } | null {
  const m = /^([^:]*):(\d+)(?:\.\d+)?$/.exec(display);
  if (!m) return null;
  const [, host, num] = m;
  if (host === '' || host === 'unix') return { path: `/tmp/.X11-unix/X${num}` };
  return { host, port: 6000 + Number(num) };
}

export async function probeDisplay(display = process.env.DISPLAY, timeoutMs = 1500): Promise<DisplayProbe> {
  if (!display) return { ok: false, display, reason: 'no display (set DISPLAY)' };
  const target = socketFor(display);
  if (!target) return { ok: false, display, reason: `DISPLAY="${display}" is not a valid X display name` };
  return new Promise((resolve) => {
    const socket = 'path' in target ? net.connect(target.path) : net.connect(target.port, target.host);
    const finish = (result: DisplayProbe) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () =>
      finish({ ok: false, display, reason: `display ${display} did not answer within ${timeoutMs} ms` }),
    );
    socket.once('connect', () => finish({ ok: true, display }));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      finish({
        ok: false,
        display,
        reason: `display ${display} is not reachable (${err.code ?? err.message}); is the X server running?`,
      }),
    );
  });
}

/** Resolves when the display is reachable, otherwise throws a NoDisplayError saying why. */
export async function requireDisplay(display = process.env.DISPLAY): Promise<string> {
  const probe = await probeDisplay(display);
  if (!probe.ok) throw new NoDisplayError(probe);
  return probe.display;
}
