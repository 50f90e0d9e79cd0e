/**
 * What the recorder must not keep. An *excluded* window (a banking site, a private chat) gets
 * no screenshot and no typed text; a *sensitive* window (a login dialog, a password prompt)
 * is screenshotted but what is typed in it is stored masked.
 *
 * A pattern matches a window when it occurs in its title or application name, ignoring case;
 * "/regex/flags" patterns are regular expressions.
 */
import { unsafePatternProblem } from '../contracts/safe-pattern';
import type { WindowInfo } from '../platform/types';

export interface PrivacyOptions {
  /** Windows whose screenshots and typed text are never recorded. */
  exclude?: string[];
  /** Windows whose typed text is masked. Defaults to DEFAULT_SENSITIVE_PATTERNS. */
  sensitive?: string[];
}

/** Password and login prompts in English and French, and the usual desktop authentication dialogs. */
export const DEFAULT_SENSITIVE_PATTERNS = [
  '/pass(word|phrase)|mot de passe|passwort|contraseña|\\bpin\\b/i',
  '/\\b(log ?in|sign ?in|connexion|authenticat|identification)/i',
  'pinentry',
  'polkit',
  'keyring',
  'sudo',
];

export class PatternError extends Error {
  override name = 'PatternError';
}

type Matcher = (text: string) => boolean;

function compile(pattern: string): Matcher {
  const re = /^\/(.+)\/([a-z]*)$/.exec(pattern);
  if (re) {
    // matched against every window title the recorder sees: a backtracking pattern would stall it
    const unsafe = unsafePatternProblem(re[1], re[2]);
    if (unsafe) throw new PatternError(`window pattern ${pattern} ${unsafe}`);
    let regex: RegExp;
    try {
      regex = new RegExp(re[1], re[2]);
    } catch (err) {
      throw new PatternError(`window pattern ${pattern} is not a valid regular expression: ${(err as Error).message}`);
    }
    return (text) => regex.test(text);
  }
  const needle = pattern.toLowerCase();
  return (text) => text.toLowerCase().includes(needle);
}

export type Privacy = 'normal' | 'sensitive' | 'excluded';

export class PrivacyRules {
  private readonly excluded: Matcher[];
  private readonly sensitive: Matcher[];
  readonly excludePatterns: string[];
  readonly sensitivePatterns: string[];

  constructor(options: PrivacyOptions = {}) {
    this.excludePatterns = (options.exclude ?? []).filter((p) => p.trim() !== '');
    this.sensitivePatterns = (options.sensitive ?? DEFAULT_SENSITIVE_PATTERNS).filter((p) => p.trim() !== '');
    this.excluded = this.excludePatterns.map(compile);
    this.sensitive = this.sensitivePatterns.map(compile);
  }

  classify(window: Pick<WindowInfo, 'title' | 'appName'> | null): Privacy {
    if (!window) return 'normal';
    const hit = (matchers: Matcher[]) => matchers.some((m) => m(window.title) || m(window.appName));
    if (hit(this.excluded)) return 'excluded';
    if (hit(this.sensitive)) return 'sensitive';
    return 'normal';
  }
}

/** Splits a comma- or newline-separated list from a form field or a flag. */
export function patternList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const parts = Array.isArray(value) ? value : value.split(/[\n,]/);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** The title written in place of an excluded window's own. */
export const EXCLUDED_TITLE = '[excluded]';

/** A masked text keeps its length, so a reader sees that something was typed. */
export function maskText(text: string): string {
  return '•'.repeat([...text].length);
}
