/**
 * The platform registry: which desktop implementation serves a display. The engine asks for
 * `openDesktop()` and never names X11, so a virtual display or another OS is another provider.
 */
import type { Desktop } from './types';
import { requireDisplay } from './display';
import { createX11Desktop } from './x11/x11-desktop';

export * from './types';
export { probeDisplay, requireDisplay, NoDisplayError, type DisplayProbe } from './display';
export { normaliseKey, parseCombination, isModifier, KEY_NAMES, MODIFIERS, UnknownKeyError } from './keys';
export { InputHookError } from './x11/x11-input-hook';
export { withDesktopLease, desktopHolder, leaseFile, DesktopBusyError, type LeaseOptions } from './desktop-lease';
export { acquireFileLock, lockOwner, type FileLockOptions } from './file-lock';

export type DesktopFactory = (display: string) => Desktop;

const factories = new Map<string, DesktopFactory>([['x11', createX11Desktop]]);

/** Registers another implementation (a test double behind the same interface, another OS). */
export function registerDesktop(kind: string, factory: DesktopFactory): void {
  factories.set(kind, factory);
}

/**
 * The desktop of the current display, after checking that it is reachable; throws a
 * NoDisplayError ("no display (set DISPLAY)") instead of letting a native module abort.
 */
export async function openDesktop(options: { kind?: string; display?: string } = {}): Promise<Desktop> {
  const kind = options.kind ?? process.env.RPA_VISION_DESKTOP ?? 'x11';
  const factory = factories.get(kind);
  if (!factory)
    throw new Error(`no desktop implementation named "${kind}" (known: ${[...factories.keys()].join(', ')})`);
  const display = await requireDisplay(options.display ?? process.env.DISPLAY);
  return factory(display);
}
