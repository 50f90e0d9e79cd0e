/**
 * Text comparison for the benchmark: accent-, case- and punctuation-insensitive, the way a user
 * means "the Valider button" whether the screen shows "VALIDER" or "Valider". The normalisation
 * is the engine's own (lib/vision/text-match), so both locators compare words the same way.
 */
import { normalizeText } from '../../lib/vision/text-match';

export { normalizeText };

/** The words of a text after normalisation ("Mot de passe :" → ["mot", "de", "passe"]). */
export function words(s: string): string[] {
  return normalizeText(s)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}
