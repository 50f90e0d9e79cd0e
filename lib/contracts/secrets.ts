/**
 * What counts as a secret, for every place that stores or shows run data: a workflow parameter
 * marked `secret: true`, or any key whose name looks like a password, PIN, IBAN, token or key
 * (French and English). Their values are replaced by SECRET_MASK wherever they would be kept —
 * execution records, analytics, log metadata, exports, error messages; only the run itself
 * gets the real value.
 */
import type { WorkflowParameter } from './workflow';

export const SECRET_MASK = '••••';

// Words, not substrings of words: "pin" must catch "code_pin" and "PIN" but not "pinned" or "spinner".
const SECRET_WORDS = [
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'mot_de_passe',
  'motdepasse',
  'mdp',
  'pin',
  'code_pin',
  'iban',
  'secret',
  'token',
  'api_key',
  'apikey',
  'private_key',
  'credential',
  'credentials',
  'cvv',
  'otp',
];

/** The key's name as lower-case words joined by "_" ("apiKey" → "api_key", "Mot de passe" → "mot_de_passe"). */
function words(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** True when a parameter or metadata key's name says it holds a secret. */
export function isSecretName(name: string): boolean {
  const w = `_${words(name)}_`;
  return SECRET_WORDS.some((s) => w.includes(`_${s}_`));
}

/** The names of the workflow's secret parameters: marked `secret: true` or named like a secret. */
export function secretParameterNames(workflow: {
  parameters?: ReadonlyArray<Pick<WorkflowParameter, 'name' | 'secret'>>;
}): Set<string> {
  return new Set(
    (workflow.parameters ?? []).filter((p) => p.secret === true || isSecretName(p.name)).map((p) => p.name),
  );
}

/**
 * A copy of `values` where every secret key (named like a secret, or listed in `secretNames`)
 * holds SECRET_MASK; nested objects and arrays are masked the same way.
 */
export function maskSecrets<T>(values: T, secretNames: ReadonlySet<string> = new Set()): T {
  const mask = (value: unknown, depth: number): unknown => {
    if (depth > 8 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => mask(v, depth + 1));
    // fromEntries defines each key as the object's own: a key named "__proto__" (JSON.parse makes
    // one) stays data instead of setting the copy's prototype and vanishing from it.
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        (secretNames.has(k) || isSecretName(k)) && v !== undefined && v !== null && v !== ''
          ? SECRET_MASK
          : mask(v, depth + 1),
      ]),
    );
  };
  return mask(values, 0) as T;
}

/** The secret values among `values` (by key), to be blotted out of free text such as error messages. */
export function secretValues(values: Record<string, unknown>, secretNames: ReadonlySet<string> = new Set()): string[] {
  return Object.entries(values)
    .filter(([k, v]) => (secretNames.has(k) || isSecretName(k)) && typeof v === 'string' && v.length > 0)
    .map(([, v]) => v as string);
}

/** `text` with every occurrence of each secret value replaced by SECRET_MASK, longest first. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) if (s) out = out.split(s).join(SECRET_MASK);
  return out;
}

// "password: x", "mot de passe = x", "with password Hunter2!": a secret's name, then its value.
const INLINE_SECRET =
  /\b(password|passwd|passphrase|pwd|mot de passe|mot_de_passe|mdp|code pin|code_pin|pin|iban|secret|token|api[ _-]?key)\b(\s*[:=]\s*|\s+(?:is\s+|est\s+)?)("[^"]*"|'[^']*'|[^\s,;]+)/giu;

/**
 * Free text (a log message, an error) with the value after a secret's name masked: after ":"
 * or "=" always, after a space only when the value looks like a credential (it holds a digit or
 * a symbol), so "password Hunter2!" is masked and "password field not found" is not.
 */
export function redactInlineSecrets(text: string): string {
  return text.replace(INLINE_SECRET, (match, name: string, sep: string, value: string) =>
    /[:=]/.test(sep) || /[^\p{L}]/u.test(value) ? `${name}${sep}${SECRET_MASK}` : match,
  );
}
