/**
 * Comparing what OCR read with what a user typed: accent- and case-insensitive (the OCR
 * dictionary lacks ç ù ô € « and often drops accents it has), tolerant to OCR slips
 * (l/I/1, O/0) and to spacing.
 */

/**
 * Lower case, accents stripped, OCR look-alikes folded, punctuation and spaces collapsed; the
 * full-width forms the recognizer sometimes writes ("２", "（") are their ASCII selves. The
 * recognizer has no "€" and reads it as the letter it looks like ("Montant TTC (E)"): a query's
 * "€" is that letter, so "Montant (€)" is the label read "Montant (E)" more than a header "Montant".
 */
export function normalizeText(text: string): string {
  return text
    .replace(/€/g, ' e ')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[’`´]/g, "'")
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Folds characters OCR confuses, after normalizeText. */
function fold(text: string): string {
  return text
    .replace(/[il1|!]/g, 'l')
    .replace(/[o0]/g, 'o')
    .replace(/ /g, '');
}

/** Levenshtein distance (two rows). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** Letters to change, add or drop to read `candidate` as `query`, once both are normalised and folded. */
export function misreadDistance(query: string, candidate: string): number {
  return editDistance(fold(normalizeText(query)), fold(normalizeText(candidate)));
}

/**
 * Whether `candidate` reads as `query` with a few letters dropped ("Eregister" for "Enregistrer")
 * or added ("Irm primer" for "Imprimer"), the rest in order. A few: one letter in five at most,
 * two at most ("M" is no such reading of "Mr", nor "Mr" of "Mrs"), and not only at the end:
 * "Facture" beside the tab "Factures" is another word as often. A letter changed is not such a
 * slip: OCR's look-alike letters are one letter already ("Copier" and "Coller").
 */
export function readsWithLettersMisread(query: string, candidate: string): boolean {
  const q = fold(normalizeText(query));
  const c = fold(normalizeText(candidate));
  const [short, long] = q.length < c.length ? [q, c] : [c, q];
  const slipped = long.length - short.length;
  if (!short || slipped === 0 || slipped > Math.min(2, Math.floor(q.length / 5)) || long.startsWith(short))
    return false;
  let i = 0;
  for (const letter of long) if (letter === short[i]) i++;
  return i === short.length;
}

/**
 * How well `candidate` (OCR text) matches `query` (what the user wants), 0–1: 1 for equal text
 * after normalisation, high for small OCR slips; a query that is a whole-word part of a longer
 * candidate scores lower the more extra text the candidate has.
 */
export function textSimilarity(query: string, candidate: string): number {
  // The recognizer's dictionary has no "ç": it reads the letter "c", or "q" for the cedilla's tail
  // ("Aperqu"). Where the query has a "ç", a "q" read may be it.
  if (/ç/i.test(query) && /q/i.test(candidate))
    return Math.max(similarity(query, candidate), similarity(query, candidate.replace(/q/g, 'c').replace(/Q/g, 'C')));
  return similarity(query, candidate);
}

function similarity(query: string, candidate: string): number {
  const symbolic = symbolicLabel(query);
  if (symbolic !== null) return symbolSimilarity(symbolic, symbolicKey(candidate));
  const q = fold(normalizeText(query));
  const words = normalizeText(candidate).split(' ').map(fold).filter(Boolean);
  const c = words.join('');
  if (!q || !c) return 0;
  if (q === c) return 1;
  const full = 1 - editDistance(q, c) / Math.max(q.length, c.length);
  let partial = 0;
  if (c.length > q.length) {
    // Best window of the candidate with the query's length: "Valider" inside "Valider la facture".
    const { starts, ends } = wordEdges(words);
    for (let i = 0; i + q.length <= c.length; i++) {
      const edges = windowOnWords(q.length, starts.has(i), ends.has(i + q.length));
      if (edges === 0) continue;
      const likeness = (1 - editDistance(q, c.slice(i, i + q.length)) / q.length) * (edges === 2 ? 1 : CUT_WORD);
      partial = Math.max(partial, likeness * (0.75 + 0.2 * (q.length / c.length)));
    }
  }
  return Math.max(full, partial, elidedSimilarity(query, q, candidate));
}

/** An ellipsis as drawn or as OCR reads it ("...", "…", ".."). */
const ELLIPSIS = /\.{2,}|…/;

/**
 * How well a candidate cut short by its toolkit ("ActiveWndTra..." in a narrow column) matches
 * the whole query (`q` is it folded): the visible start must be the query's start, letter for
 * letter, a good part of it (half, 4 letters at least), cut inside a word of the query — "Open..." ends on a whole word
 * because a dialog follows, and is not "Open file". It scores below any whole match, lower the
 * less is shown, so a label seen whole wins, and two cut labels that both fit are a tie.
 */
function elidedSimilarity(query: string, q: string, candidate: string): number {
  const pieces = candidate.split(ELLIPSIS);
  if (pieces.length < 2) return 0;
  const wordEnds = wordEdges(wordsOf(query).map((w) => fold(normalizeText(w)))).ends;
  let best = 0;
  for (let p = 0; p + 1 < pieces.length; p++) {
    const words = normalizeText(pieces[p]).split(' ').map(fold).filter(Boolean);
    for (let w = 0; w < words.length; w++) {
      const shown = words.slice(w).join('');
      if (shown.length >= q.length || shown.length < Math.max(4, q.length / 2) || wordEnds.has(shown.length)) continue;
      // Letter for letter: where a label is cut, one letter is all that tells two rows apart
      // ("FocusBorderH..." and "FocusBorderW...").
      if (shown !== q.slice(0, shown.length)) continue;
      // Other text read with it (the next column's cell) makes it a part of the candidate.
      const alone = w === 0 && pieces.slice(p + 1).every((rest) => !normalizeText(rest));
      best = Math.max(best, (0.8 + 0.15 * (shown.length / q.length)) * (alone ? 1 : 0.95));
    }
  }
  return best;
}

/**
 * A query that ends (or starts) inside a word of the candidate scores lower than one on whole
 * words: "FontSmoothing" is only the start of "FontSmoothingOrientation", and a row that reads
 * "FontSmcthing" is more likely the one asked for.
 */
const CUT_WORD = 0.9;

/** Where the words of a text start and end once its spaces are gone. */
function wordEdges(words: string[]): { starts: Set<number>; ends: Set<number> } {
  const starts = new Set<number>();
  const ends = new Set<number>();
  let at = 0;
  for (const w of words) {
    starts.add(at);
    at += w.length;
    ends.add(at);
  }
  return { starts, ends };
}

/**
 * Whether a query may match this window of a longer text. The middle of a word is never a
 * match: "OK" is not the "ok" of "Bokd" (Bold misread), "11" not the "il" of "File". A word
 * may run into a neighbour OCR failed to space apart ("Validerla", a key's "MR" and its arrow
 * read "MRv"), so one end on a word's edge is enough (1; 2 for both); for one or two signs, it
 * is the start.
 */
function windowOnWords(length: number, atStart: boolean, atEnd: boolean): 0 | 1 | 2 {
  if (atStart && atEnd) return 2;
  return (length <= 2 ? atStart : atStart || atEnd) ? 1 : 0;
}

/**
 * Whether the character at `i` starts a new word inside the run of letters begun at `start`:
 * tabs drawn edge to edge are read as one word ("RésuméDétailsÉchéancier"), so a capital after a
 * small letter, past the run's first few letters ("iPhone", "McKay" stay whole) and before a small
 * one, begins the next word.
 */
export function startsWordInside(chars: readonly string[], start: number, i: number): boolean {
  return (
    i - start >= 3 &&
    i + 1 < chars.length &&
    /\p{Ll}/u.test(chars[i - 1]) &&
    /\p{Lu}/u.test(chars[i]) &&
    /\p{Ll}/u.test(chars[i + 1])
  );
}

/** The words of a text as OCR lines split them: at spaces, and where a word starts inside another. */
export function wordsOf(text: string): string[] {
  const words: string[] = [];
  for (const token of text.trim().split(/\s+/).filter(Boolean)) {
    const chars = [...token];
    let start = 0;
    for (let i = 1; i < chars.length; i++)
      if (startsWordInside(chars, start, i)) {
        words.push(chars.slice(start, i).join(''));
        start = i;
      }
    words.push(chars.slice(start).join(''));
  }
  return words;
}

/** Signs drawn in several ways that a user types one way: minus and dashes, times, divide, arrows. */
const SIGN_VARIANTS: Array<[RegExp, string]> = [
  [/[\u2550]/g, '='],
  [/[\u2500]/g, '-'],
  [/[\u2212\u2013\u2014\u2010\u2011]/g, '-'],
  [/[\u00d7\u2715\u2716]/g, '*'],
  [/[\u00f7\u2215]/g, '/'],
  [/[\u2190\u27f5\u232b]/g, '<-'],
  [/[\u2192\u27f6]/g, '->'],
];

/**
 * Ideographs a multilingual recogniser reads for a lone sign (galculator's "=" read "二"; its
 * dictionary is mostly CJK): a sign when alone, a word of a text in any other case ("十一" is
 * eleven, not "+-").
 */
const LONE_SIGN_READINGS: Readonly<Record<string, string>> = {
  二: '=',
  一: '-',
  ー: '-',
  十: '+',
  // A lone "<" (a backspace key's "<-") is read as 入, the ideograph of the same two strokes.
  '入-': '<-',
};

/** Text folded for a comparison where signs count: no accents, lower case, no spaces, one form per sign. */
function symbolicKey(text: string): string {
  let key = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, '');
  for (const [variants, sign] of SIGN_VARIANTS) key = key.replace(variants, sign);
  return LONE_SIGN_READINGS[key] ?? key;
}

/**
 * The key of a short label made of signs (`+`, `=`, `(`, `%`, `M+`, `+/-`, `<-`), or null for
 * ordinary text. Such a label means its signs: ordinary matching drops them, so `(` would match
 * nothing and `M+` would match `M-` and `MS` as well.
 */
export function symbolicLabel(query: string): string | null {
  const key = symbolicKey(query);
  return key.length > 0 && key.length <= 4 && /[^\p{L}\p{N}]/u.test(key) ? key : null;
}

/** True for a query made of signs (`-`, `=`, `M+`): its matches are told apart by their signs alone. */
export function isSignQuery(query: string): boolean {
  return symbolicLabel(query) !== null;
}

/** Whole-label likeness of two sign keys: a key of a longer text is not this label. */
function symbolSimilarity(query: string, candidate: string): number {
  if (!candidate) return 0;
  if (query === candidate) return 1;
  return Math.max(0, 1 - editDistance(query, candidate) / Math.max(query.length, candidate.length));
}
