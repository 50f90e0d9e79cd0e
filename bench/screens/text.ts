/**
 * Text comparison for the benchmark: accent-, case- and punctuation-insensitive, the way a user
 * means "the Valider button" whether the screen shows "VALIDER" or "Valider".
 */

/** Lower case, accents stripped, every run of non-alphanumerics turned into one space. */
export function normalizeText(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The words of a text after normalisation ("Mot de passe :" → ["mot", "de", "passe"]). */
export function words(s: string): string[] {
  const n = normalizeText(s);
  return n === '' ? [] : n.split(' ');
}
