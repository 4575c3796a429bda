import { z } from 'zod';
import { parseDecimal, parseWholeNumber } from './whole-number';

// The form schemas' side of app/utils/whole-number.ts (server-only, so zod never ships to the browser).

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
