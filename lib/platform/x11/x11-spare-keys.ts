/**
 * Keys for the characters the keyboard map has none for ("é", "œ", "€", "«" on a US map), so they
 * can be typed as key presses like any other character.
 *
 * xdotool types such a character by binding it to a spare keycode, pressing it and unbinding it
 * at once; a program that looks the keycode up after the unbinding (GTK and Java fetch a changed
 * map when they next need it) reads nothing, and "Chloé" arrives as "Chlo" (issue 15). Pasting
 * through the clipboard loses it the same way when the program asks for the clipboard after it
 * was restored (a busy Swing form). Here the character stays bound to its spare keycode after
 * the press; a spare keycode is only reused, least recently typed first, when every one holds a
 * character. Spare keycodes are those the map gives no key symbol: no physical key sends them.
 */
import { execFile } from 'child_process';
import { promisify } from 'util';

const execFileAsync = promisify(execFile);

/** A character as an X key symbol name: Latin-1 ones are their own key symbol, others are Unicode ones. */
export function keysymName(char: string): string {
  return `U${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The key symbol value X gives the name (what `xmodmap -pk` lists). */
function keysymValue(char: string): number {
  const code = char.codePointAt(0)!;
  return code < 0x100 ? code : 0x1000000 | code;
}

interface Keymap {
  /** Key symbol values any key of the map produces. */
  symbols: Set<number>;
  /** Keycodes without any key symbol. */
  spare: number[];
}

/** Parses `xmodmap -pk`: one line per keycode, its key symbols as hexadecimal values. */
export function parseKeymap(table: string): Keymap {
  const symbols = new Set<number>();
  const spare: number[] = [];
  for (const line of table.split('\n')) {
    const m = /^\s+(\d+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const values = [...m[2].matchAll(/0x([0-9a-f]+)/gi)].map((v) => parseInt(v[1], 16)).filter((v) => v !== 0);
    if (values.length) for (const v of values) symbols.add(v);
    else spare.push(Number(m[1]));
  }
  return { symbols, spare };
}

/** The characters bound by this process, and the keycodes they hold. */
export class SpareKeys {
  /** Characters bound here to a keycode, least recently typed first. */
  private bound = new Map<string, number>();

  /**
   * Makes every character of `chars` a key of the map: those it lacks are bound to spare keycodes.
   * Throws when more characters are needed at once than there are spare keycodes.
   */
  async ensure(chars: string[]): Promise<void> {
    const wanted = [...new Set(chars)];
    const table = await this.xmodmap(['-pk']);
    const map = parseKeymap(table);
    // Bindings another program undid (or a reset X server) are forgotten.
    for (const c of this.bound.keys()) if (!map.symbols.has(keysymValue(c))) this.bound.delete(c);
    const missing = wanted.filter((c) => !map.symbols.has(keysymValue(c)));
    for (const c of wanted.filter((c) => this.bound.has(c))) this.touch(c);
    if (!missing.length) return;
    const available = [...map.spare];
    const reusable = [...this.bound].filter(([c]) => !wanted.includes(c));
    if (missing.length > available.length + reusable.length)
      throw new Error(
        `cannot type ${missing.length} characters the keyboard map has no key for (${missing.join(' ')}) at once: only ${available.length + reusable.length} spare keycodes`,
      );
    const lines: string[] = [];
    for (const c of missing) {
      let code = available.shift();
      if (code === undefined) {
        const [old, k] = reusable.shift()!;
        this.bound.delete(old);
        code = k;
      }
      this.bound.set(c, code);
      const sym = keysymName(c);
      // The same symbol with and without Shift: a held Shift does not change what is typed.
      lines.push('-e', `keycode ${code} = ${sym} ${sym}`);
    }
    await this.xmodmap(lines);
  }

  private touch(c: string): void {
    const code = this.bound.get(c)!;
    this.bound.delete(c);
    this.bound.set(c, code);
  }

  private async xmodmap(args: string[]): Promise<string> {
    try {
      const { stdout } = await execFileAsync('xmodmap', args, { timeout: 10_000 });
      return stdout;
    } catch (err) {
      throw new Error(
        `cannot read or change the keyboard map with xmodmap (package x11-xserver-utils): ${(err as Error).message}`,
        { cause: err },
      );
    }
  }
}
