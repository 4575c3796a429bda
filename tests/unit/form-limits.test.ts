import { describe, expect, it } from 'vitest';
import { MAX_LIST_INDEX, formNamesProblem } from '../../app/http/form-limits';
import { safeRedirect } from '../../app/utils/safe-redirect';

describe('formNamesProblem', () => {
  it('accepts the names our forms send', () => {
    expect(formNamesProblem(['intent', 'version', 'items[0].text', 'items[0].scope', 'items[1].text', 'ratings.independence.rating'])).toBeNull();
    expect(formNamesProblem(['sections[0].key', 'sections[0].clauses[0].id', 'sections[0].clauses[1].id', 'sections[1].key', 'roles', 'roles'])).toBeNull();
    expect(formNamesProblem([`items[${MAX_LIST_INDEX}].text`, ...Array.from({ length: MAX_LIST_INDEX }, (_, i) => `items[${i}].text`)])).toBeNull();
  });

  it('refuses huge indices, gaps, odd brackets, empty and reserved names', () => {
    expect(formNamesProblem(['email[100000000]'])).toMatch(/longest list/);
    expect(formNamesProblem(['items[2147483648].residualImpact'])).toMatch(/not a number|longest list/);
    expect(formNamesProblem(['items[0].text', 'items[61].text'])).toMatch(/missing rows/);
    expect(formNamesProblem(['sections[0].key', 'sections[0].clauses[2].id'])).toMatch(/missing rows/);
    expect(formNamesProblem(['items[-1].text'])).toMatch(/not a number/);
    expect(formNamesProblem(['items[01].text'])).toMatch(/not a number/);
    expect(formNamesProblem(['items[].text'])).toMatch(/not a number/);
    expect(formNamesProblem(['items[0'])).toMatch(/not a number/);
    expect(formNamesProblem([''])).toMatch(/no name/);
    expect(formNamesProblem(['__proto__.polluted'])).toMatch(/reserved/);
    expect(formNamesProblem(['a'.repeat(201)])).toMatch(/too long/);
  });
});

describe('safeRedirect', () => {
  it('percent-encodes characters outside Latin-1 instead of failing the redirect', () => {
    expect(safeRedirect('/proposals?q=\u3000\u2215x')).toBe('/proposals?q=%E3%80%80%E2%88%95x');
    expect(safeRedirect('/a%20b')).toBe('/a%20b');
    expect(safeRedirect('/x\uD800')).toBe('/');
    expect(safeRedirect('//evil.example')).toBe('/');
  });
});
