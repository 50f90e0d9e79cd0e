/**
 * Regular expressions written by users (a workflow's `screen_template.window.title_pattern`)
 * are run on every frame by V8's backtracking engine, where a pattern such as `^(a|a)*$` takes
 * seconds on a 27-character title and freezes Node-RED. So a pattern is accepted only in a
 * shape whose matching time stays polynomial and small: no backreferences, no lookarounds, no
 * quantifier or alternation inside a repeated group, at most MAX_UNBOUNDED unbounded
 * quantifiers, and texts clipped to MAX_SUBJECT characters when matched.
 */

export const MAX_PATTERN_LENGTH = 500;
/** `.*a.*b.*c` is cubic in the title's length: fine for a title, not for a fourth `.*`. */
export const MAX_UNBOUNDED = 3;
/** Window titles longer than this are matched on their first MAX_SUBJECT characters. */
export const MAX_SUBJECT = 512;

interface Group {
  /** A quantifier or an alternation inside the group: repeating it lets the engine split the text many ways. */
  ambiguous: boolean;
}

/** The problem with `source` as a user regex, or undefined when it is accepted. */
export function unsafePatternProblem(source: string, flags = ''): string | undefined {
  if (source.length > MAX_PATTERN_LENGTH) return `must be at most ${MAX_PATTERN_LENGTH} characters`;
  try {
    new RegExp(source, flags);
  } catch (err) {
    return `is not a valid regular expression (${(err as Error).message})`;
  }
  const groups: Group[] = [];
  let unbounded = 0;
  let lastWasGroup: Group | undefined;
  let lastAtom = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    const quantifier = readQuantifier(source, i);
    if (quantifier) {
      if (!lastAtom) continue; // a literal "{" that is not a quantifier
      if (quantifier.max === Infinity) unbounded++;
      if (lastWasGroup?.ambiguous && quantifier.max > 1)
        return 'repeats a group that holds a quantifier or an alternation (e.g. "(a+)+" or "(a|b)*"), which can take exponential time; write it without the nesting';
      if (groups.length) groups[groups.length - 1].ambiguous = true;
      i += quantifier.length - 1;
      if (source[i + 1] === '?') i++; // lazy
      lastWasGroup = undefined;
      lastAtom = false;
      continue;
    }
    lastWasGroup = undefined;
    lastAtom = true;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && source[i + 2] === '<'))
        return 'uses a backreference, which cannot be matched in linear time';
      i++;
    } else if (c === '[') {
      i = classEnd(source, i);
    } else if (c === '(') {
      if (/^\(\?<?[=!]/.test(source.slice(i, i + 4))) return 'uses a lookahead or lookbehind, which is not allowed';
      groups.push({ ambiguous: false });
      lastAtom = false;
      if (source[i + 1] === '?') i += source[i + 2] === '<' ? source.indexOf('>', i) - i : 2;
    } else if (c === ')') {
      const closed = groups.pop();
      if (closed?.ambiguous && groups.length) groups[groups.length - 1].ambiguous = true;
      lastWasGroup = closed;
    } else if (c === '|') {
      if (groups.length) groups[groups.length - 1].ambiguous = true;
      lastAtom = false;
    } else if (c === '^' || c === '$') {
      lastAtom = false;
    }
  }
  if (unbounded > MAX_UNBOUNDED)
    return `has ${unbounded} unbounded quantifiers (*, + or {n,}); at most ${MAX_UNBOUNDED} are allowed`;
  return undefined;
}

/** The quantifier starting at `i` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`), if any. */
function readQuantifier(source: string, i: number): { max: number; length: number } | undefined {
  const c = source[i];
  if (c === '*' || c === '+') return { max: Infinity, length: 1 };
  if (c === '?') return { max: 1, length: 1 };
  const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24));
  if (!m) return undefined;
  const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
  return { max, length: m[0].length };
}

/** The index of the `]` closing the character class opened at `i`. */
function classEnd(source: string, i: number): number {
  let j = i + 1;
  if (source[j] === '^') j++;
  if (source[j] === ']') j++;
  for (; j < source.length; j++) {
    if (source[j] === '\\') j++;
    else if (source[j] === ']') return j;
  }
  return source.length;
}

const compiled = new Map<string, RegExp | null>();

/**
 * Tests `text` against a user pattern that passed `unsafePatternProblem`; a pattern that did
 * not (a document written before the check, or by hand) matches nothing instead of running.
 */
export function testUserPattern(source: string, text: string): boolean {
  let re = compiled.get(source);
  if (re === undefined) {
    re = unsafePatternProblem(source) === undefined ? new RegExp(source) : null;
    if (compiled.size > 1000) compiled.clear();
    compiled.set(source, re);
  }
  return re !== null && re.test(text.slice(0, MAX_SUBJECT));
}
