/**
 * Numbers as a form or an address carries them: plain decimal digits, a leading minus only
 * where negatives mean something. JavaScript's Number() (and so conform's coercion) also reads
 * "0x3", "0b11", "3e0", "+3", " 3" and "3." as 3, "1e3" as 1000 and "" as 0, so a typo or a
 * crafted value would pass as another number than the one on the page. The one rule for every
 * whole number a form field or query string takes.
 */
const DIGITS = /^[0-9]{1,16}$/;
const SIGNED_DIGITS = /^-?[0-9]{1,16}$/;
/** A decimal written out: digits, at most one point with digits after it. */
const DECIMAL = /^-?[0-9]{1,16}(\.[0-9]{1,16})?$/;

/** The whole number `text` spells in plain decimal digits, or null (also past 2^53, where numbers stop being exact). */
export function parseWholeNumber(text: string | null | undefined, { negative = false }: { negative?: boolean } = {}): number | null {
  if (typeof text !== 'string' || !(negative ? SIGNED_DIGITS : DIGITS).test(text)) return null;
  const n = Number(text);
  // "-0" is 0: a negative zero would print and compare oddly later.
  return Number.isSafeInteger(n) ? (n === 0 ? 0 : n) : null;
}

/** A positive whole number (a page, an id, a version) from a query string, or null when absent or anything else. */
export function positiveWholeNumber(text: string | null | undefined): number | null {
  const n = parseWholeNumber(text);
  return n !== null && n > 0 ? n : null;
}

/** The number `text` spells as plain decimal notation (12, 12.5, -3), or null. */
export function parseDecimal(text: string | null | undefined): number | null {
  if (typeof text !== 'string' || !DECIMAL.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}
