/**
 * Readable key names, the one vocabulary for keys everywhere in the product: recorded
 * `key_press` events, learned key actions and the keyboard provider all say "CTRL", "F", "ENTER".
 */

/** Modifier names in the order they are written in a combination ("CTRL+SHIFT+S"). */
export const MODIFIERS = ['CTRL', 'ALT', 'SHIFT', 'META'] as const;
export type Modifier = (typeof MODIFIERS)[number];

/** Every readable key name the product knows. */
export const KEY_NAMES: readonly string[] = [
  ...MODIFIERS,
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split(''),
  ...'0123456789'.split(''),
  ...Array.from({ length: 24 }, (_, i) => `F${i + 1}`),
  'ENTER',
  'TAB',
  'SPACE',
  'BACKSPACE',
  'DELETE',
  'INSERT',
  'ESCAPE',
  'HOME',
  'END',
  'PAGEUP',
  'PAGEDOWN',
  'UP',
  'DOWN',
  'LEFT',
  'RIGHT',
  'CAPSLOCK',
  'NUMLOCK',
  'SCROLLLOCK',
  'PRINTSCREEN',
  'MINUS',
  'EQUAL',
  'COMMA',
  'PERIOD',
  'SLASH',
  'BACKSLASH',
  'SEMICOLON',
  'QUOTE',
  'BACKQUOTE',
  'BRACKETLEFT',
  'BRACKETRIGHT',
  'NUMPAD0',
  'NUMPAD1',
  'NUMPAD2',
  'NUMPAD3',
  'NUMPAD4',
  'NUMPAD5',
  'NUMPAD6',
  'NUMPAD7',
  'NUMPAD8',
  'NUMPAD9',
  'NUMPADADD',
  'NUMPADSUBTRACT',
  'NUMPADMULTIPLY',
  'NUMPADDIVIDE',
  'NUMPADDECIMAL',
  'NUMPADENTER',
];
const KNOWN = new Set(KEY_NAMES);

const ALIASES: Record<string, string> = {
  CONTROL: 'CTRL',
  CTL: 'CTRL',
  CTRLRIGHT: 'CTRL',
  ALTRIGHT: 'ALT',
  ALTGR: 'ALT',
  SHIFTRIGHT: 'SHIFT',
  SUPER: 'META',
  WIN: 'META',
  CMD: 'META',
  METARIGHT: 'META',
  RETURN: 'ENTER',
  ESC: 'ESCAPE',
  DEL: 'DELETE',
  ARROWUP: 'UP',
  ARROWDOWN: 'DOWN',
  ARROWLEFT: 'LEFT',
  ARROWRIGHT: 'RIGHT',
  PGUP: 'PAGEUP',
  PGDN: 'PAGEDOWN',
};

export class UnknownKeyError extends Error {
  override name = 'UnknownKeyError';
}

/** Normalises a key name ("ctrl", "Return", "ArrowUp") to the product's readable name. */
export function normaliseKey(name: string): string {
  const upper = name
    .trim()
    .toUpperCase()
    .replace(/[\s_-]/g, '');
  const key = ALIASES[upper] ?? upper;
  if (!KNOWN.has(key))
    throw new UnknownKeyError(
      `unknown key "${name}" (known keys: CTRL, ALT, SHIFT, META, A-Z, 0-9, F1-F24, ENTER, TAB, ESCAPE, …)`,
    );
  return key;
}

/** Parses "ctrl+shift+s" or ["CTRL","S"] into readable names, modifiers first. */
export function parseCombination(combo: string | string[]): string[] {
  const parts = (Array.isArray(combo) ? combo : combo.split('+')).filter((p) => p.trim() !== '').map(normaliseKey);
  if (parts.length === 0) throw new UnknownKeyError('empty key combination');
  const mods = MODIFIERS.filter((m) => parts.includes(m));
  return [...mods, ...parts.filter((p) => !(MODIFIERS as readonly string[]).includes(p))];
}

export function isModifier(key: string): key is Modifier {
  return (MODIFIERS as readonly string[]).includes(key);
}
