import { parseWithZod } from '@conform-to/zod/v4';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseDecimal, parseWholeNumber, positiveWholeNumber } from '../../app/utils/whole-number';
import { decimalNumber, wholeNumber } from '../../app/utils/whole-number.server';
import { pathId } from '../../app/utils/path-id';

/** The field messages of a parse (none when it succeeded). */
const errorsOf = (s: { status?: string; error?: Record<string, string[] | null> | null }) => (s.status === 'success' ? {} : (s.error ?? {}));

// Number() reads many spellings as one number ("0x3", "3e0", " 3", "+3", "0b11", "3." are all 3):
// a form or an address must mean the number it shows, so only plain decimal digits count.
const NOT_DECIMAL = ['0x3', '0b11', '0o3', '3e0', '1e3', ' 3', '3 ', '+3', '3.', '3.0', '.3', '', ' ', '3,000', '١٢', 'Infinity', 'NaN', '--3', '3-'];
const HUGE = ['9007199254740993', '99999999999999999999', '1'.repeat(10_000)];

describe('parseWholeNumber', () => {
  it('reads plain decimal digits as their number', () => {
    expect(parseWholeNumber('3')).toBe(3);
    expect(parseWholeNumber('0')).toBe(0);
    expect(parseWholeNumber('042')).toBe(42);
    expect(parseWholeNumber('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each(NOT_DECIMAL)('refuses %j', (text) => {
    expect(parseWholeNumber(text)).toBeNull();
    expect(parseWholeNumber(text, { negative: true })).toBeNull();
  });

  it.each(HUGE)('refuses numbers past the exact range (%#)', (text) => {
    expect(parseWholeNumber(text)).toBeNull();
  });

  it('takes a leading minus only where negatives are asked for', () => {
    expect(parseWholeNumber('-3')).toBeNull();
    expect(parseWholeNumber('-3', { negative: true })).toBe(-3);
    expect(Object.is(parseWholeNumber('-0', { negative: true }), 0)).toBe(true);
  });

  it('refuses absent values', () => {
    expect(parseWholeNumber(null)).toBeNull();
    expect(parseWholeNumber(undefined)).toBeNull();
  });
});

describe('positiveWholeNumber', () => {
  it('reads 1 and up, nothing else', () => {
    expect(positiveWholeNumber('7')).toBe(7);
    expect(positiveWholeNumber('0')).toBeNull();
    expect(positiveWholeNumber('-7')).toBeNull();
    for (const text of [...NOT_DECIMAL, ...HUGE]) expect(positiveWholeNumber(text)).toBeNull();
  });
});

describe('parseDecimal', () => {
  it('reads decimal notation and nothing else', () => {
    expect(parseDecimal('12.5')).toBe(12.5);
    expect(parseDecimal('3.0')).toBe(3);
    expect(parseDecimal('10')).toBe(10);
    for (const text of ['0x3', '1e3', ' 3', '+3', '3.', '.5', '', 'Infinity']) expect(parseDecimal(text)).toBeNull();
  });
});

describe('wholeNumber in a form schema', () => {
  const schema = z.object({
    id: wholeNumber('Choose a message.'),
    days: wholeNumber({ invalid: 'Give a number of days from 1 to 30.', tooLarge: 'At most 30 days.' }, { max: 30 }).optional(),
    offset: wholeNumber({ missing: 'Give an offset.', invalid: 'Give a whole number from -5 to 5.' }, { min: -5, max: 5 }).optional(),
  });
  const parse = (fields: Record<string, string>) => {
    const fd = new FormData();
    for (const [k, v] of Object.entries(fields)) fd.append(k, v);
    return parseWithZod(fd, { schema });
  };

  it('accepts plain digits', () => {
    const s = parse({ id: '3', days: '30', offset: '-5' });
    expect(s.status).toBe('success');
    expect(s.status === 'success' && s.value).toEqual({ id: 3, days: 30, offset: -5 });
  });

  it.each([...NOT_DECIMAL.filter((t) => t !== ''), ...HUGE])('gives the field its message for %j and keeps what was typed', (text) => {
    const s = parse({ id: text });
    expect(s.status).toBe('error');
    expect(errorsOf(s).id).toEqual(['Choose a message.']);
    expect(s.payload.id).toBe(text);
  });

  it('reads an empty field as missing', () => {
    const s = parse({ id: '' });
    expect(errorsOf(s).id).toEqual(['Choose a message.']);
    expect(parse({ id: '1', days: '' }).status).toBe('success');
  });

  it('applies the range with its own messages', () => {
    expect(errorsOf(parse({ id: '0' })).id).toEqual(['Choose a message.']);
    expect(errorsOf(parse({ id: '1', days: '31' })).days).toEqual(['At most 30 days.']);
    expect(errorsOf(parse({ id: '1', days: '1e1' })).days).toEqual(['Give a number of days from 1 to 30.']);
    expect(errorsOf(parse({ id: '1', offset: '-6' })).offset).toEqual(['Give a whole number from -5 to 5.']);
  });

  it('checks a typed command’s number the same way', () => {
    expect(schema.safeParse({ id: 3 }).success).toBe(true);
    expect(schema.safeParse({ id: 3.5 }).success).toBe(false);
    expect(schema.safeParse({ id: 2 ** 53 }).success).toBe(false);
    expect(schema.safeParse({ id: '3' }).success).toBe(true);
    expect(schema.safeParse({ id: '0x3' }).success).toBe(false);
  });
});

describe('decimalNumber in a form schema', () => {
  const schema = z.object({ percent: decimalNumber('Enter a percentage from 0 to 100.', { min: 0, max: 100 }) });
  const parse = (percent: string) => {
    const fd = new FormData();
    fd.append('percent', percent);
    return parseWithZod(fd, { schema });
  };
  it('accepts 12.5 and refuses other spellings', () => {
    expect(parse('12.5').status).toBe('success');
    for (const text of ['0x3', '1e1', ' 3', '+3', '3.', '', '101']) expect(errorsOf(parse(text)).percent).toEqual(['Enter a percentage from 0 to 100.']);
  });
});

describe('pathId, on the same rule', () => {
  it('reads a record number in digits without a leading zero, and nothing else', () => {
    expect(pathId('12')).toBe(12);
    for (const text of ['012', '0', '0x0c', '12e0', '+12', ' 12', '12.', '-12', '', ...HUGE]) expect(pathId(text)).toBeNull();
    expect(pathId(undefined)).toBeNull();
  });
});
