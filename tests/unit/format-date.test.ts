import { describe, expect, it } from 'vitest';
import { formatDate } from '../../app/utils/labels';

const intl = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });

describe('formatDate', () => {
  it('writes every day of a leap year and a common year as Intl does', () => {
    for (const start of [Date.UTC(2027, 0, 1), Date.UTC(2028, 0, 1)]) {
      for (let day = 0; day < 366; day++) {
        const date = new Date(start + day * 86_400_000);
        const iso = date.toISOString();
        expect(formatDate(iso.slice(0, 10))).toBe(intl.format(date));
        expect(formatDate(iso)).toBe(intl.format(date));
      }
    }
  });

  it('reads a time with an offset in UTC, and leaves other years to Intl', () => {
    expect(formatDate('2027-03-03T23:30:00-02:00')).toBe('Mar 4, 2027');
    expect(formatDate('0999-12-31')).toBe(intl.format(new Date('0999-12-31T00:00:00Z')));
    expect(formatDate(null)).toBe('—');
    expect(() => formatDate('not a date')).toThrow(RangeError);
  });
});
