import { z } from 'zod';

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

type Messages = string | { missing?: string; invalid: string; tooLarge?: string };

/**
 * A form's whole-number field between `min` and `max`. A string that is not plain digits becomes
 * NaN here, before conform's Number() sees it, so it gets the field's message; '' is left for
 * conform to read as missing, and a typed command's number passes through to the same checks.
 */
export function wholeNumber(messages: Messages, { min = 1, max = Number.MAX_SAFE_INTEGER }: { min?: number; max?: number } = {}) {
  const { missing, invalid, tooLarge } = typeof messages === 'string' ? { missing: messages, invalid: messages, tooLarge: messages } : messages;
  return z.preprocess(
    (v) => (typeof v === 'string' && v !== '' ? (parseWholeNumber(v, { negative: min < 0 }) ?? Number.NaN) : v),
    z
      .number({ error: (issue) => (issue.input === undefined ? (missing ?? invalid) : invalid) })
      .int(invalid)
      .min(min, invalid)
      .max(max, tooLarge ?? invalid),
  );
}

/** A form's decimal field (a percentage) between `min` and `max`: plain decimal notation only, as for whole numbers. */
export function decimalNumber(message: string, { min, max }: { min: number; max: number }) {
  return z.preprocess(
    (v) => (typeof v === 'string' && v !== '' ? (parseDecimal(v) ?? Number.NaN) : v),
    z.number({ error: message }).min(min, message).max(max, message),
  );
}
