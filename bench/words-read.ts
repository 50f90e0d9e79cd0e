/**
 * How much of what the targets are called is read at all: the words of a screen's target names
 * found among the words read on it, case-insensitive, once with accents kept ("Edition" read for
 * "Édition" is not found) and once with them folded, the way the matcher compares. A change in
 * how text is read moves this more steadily than grounding, whose fuzzy matching forgives most
 * slips (a word read "Biling" still finds "Billing address").
 */
import { words } from './screens/text';

export interface WordsRead {
  /** Distinct words (two characters or more) in the screen's target names. */
  asked: number;
  /** Of them, read as they are written, accents included. */
  exact: number;
  /** Of them, read once accents and look-alike case are folded. */
  folded: number;
}

/** A text's words with their accents, lower case (what `words` gives, minus the folding). */
function accentedWords(text: string): string[] {
  return text
    .normalize('NFC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 2);
}

/** The words of `names` found among the words of `read` (both lists of texts). */
export function wordsRead(names: string[], read: string[]): WordsRead {
  const asked = [...new Set(names.flatMap(accentedWords))];
  const seen = new Set(read.flatMap(accentedWords));
  const seenFolded = new Set(read.flatMap(words));
  return {
    asked: asked.length,
    exact: asked.filter((w) => seen.has(w)).length,
    folded: asked.filter((w) => words(w).every((f) => seenFolded.has(f))).length,
  };
}

/** Sums per-screen counts. */
export function addWordsRead(list: WordsRead[]): WordsRead {
  return list.reduce((a, b) => ({ asked: a.asked + b.asked, exact: a.exact + b.exact, folded: a.folded + b.folded }), {
    asked: 0,
    exact: 0,
    folded: 0,
  });
}
