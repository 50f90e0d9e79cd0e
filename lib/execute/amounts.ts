/**
 * Reading money amounts, for the safety rule `max_amount_without_manual_check`: in a typed
 * parameter value ("1250", "1 250,50") and in OCR text ("1 250,00 €", "€1,250.00", "240,00").
 * Only what reads as money counts — a currency sign, two decimals, or a field/parameter named
 * like an amount — so an invoice number (F-1002), a postal code or a date is never taken for one.
 */

/** Words that name an amount, in a field label or a parameter name (accents and case ignored). */
const AMOUNT_NAME =
  /montant|total|amount|prix|price|somme|\bsum\b|tarif|co[uû]t|cost|eur|ttc|\bht\b|solde|balance|paiement|payment/i;

const CURRENCY = '€|\\$|£|CHF|EUR|USD|GBP';
const NUMBER = "\\d{1,3}(?:[ \\u00a0\\u202f.,']\\d{3})+(?:[.,]\\d{1,2})?|\\d+(?:[.,]\\d{1,2})?";
/** A number with a currency before or after it, or with two decimals, standing alone (not inside "F-1002" or "12/03"). */
const MONEY = new RegExp(
  `(?<![\\p{L}\\p{N}\\-/.,])(?:(${CURRENCY})\\s?(${NUMBER})|(${NUMBER})\\s?(${CURRENCY})?)(?![\\p{L}\\p{N}/]|[.,]\\d)`,
  'gu',
);

export function namesAnAmount(name: string | undefined | null): boolean {
  return (
    !!name &&
    AMOUNT_NAME.test(
      name
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/_/g, ' '),
    )
  );
}

/** The value of a number written with French or English separators: "1 250,50" → 1250.5, "1,250.50" → 1250.5, "1.250" → 1250. */
export function numberValue(text: string): number | null {
  const t = text.replace(/[ \u00a0\u202f']/g, '');
  if (!/^\d[\d.,]*$/.test(t)) return null;
  const last = Math.max(t.lastIndexOf(','), t.lastIndexOf('.'));
  // A last separator followed by 1–2 digits is the decimal mark; by 3 digits, a thousands one.
  const decimals = last >= 0 && t.length - last - 1 <= 2 ? t.slice(last + 1) : '';
  const whole = (decimals ? t.slice(0, last) : t).replace(/[.,]/g, '');
  const n = Number(`${whole}${decimals ? `.${decimals}` : ''}`);
  return Number.isFinite(n) ? n : null;
}

export interface AmountInText {
  amount: number;
  /** The text as read, e.g. "1 250,00 €". */
  text: string;
}

/**
 * The money amounts in a text. `plainNumbers`: the text is the value of a field named like an
 * amount, so a bare number ("240") counts too.
 */
export function amountsIn(text: string, plainNumbers = false): AmountInText[] {
  const out: AmountInText[] = [];
  for (const m of text.matchAll(MONEY)) {
    const number = m[2] ?? m[3];
    const currency = m[1] ?? m[4];
    const twoDecimals = /[.,]\d{2}$/.test(number);
    if (!currency && !twoDecimals && !plainNumbers) continue;
    const amount = numberValue(number);
    if (amount !== null) out.push({ amount, text: m[0].trim() });
  }
  return out;
}

/** A typed parameter value that is an amount: money as such, or a number typed under an amount's name. */
export function typedAmount(value: string, names: Array<string | undefined>): number | null {
  const v = value.trim();
  const [only] = amountsIn(v, names.some(namesAnAmount));
  return only && only.text.length >= v.length - 1 ? only.amount : null;
}

/** "1 250,00" for messages (the French grouping the seed's applications use). */
export function formatAmount(n: number): string {
  return n
    .toLocaleString('fr-FR', { minimumFractionDigits: Number.isInteger(n) ? 0 : 2, maximumFractionDigits: 2 })
    .replace(/\u202f|\u00a0/g, ' ');
}
