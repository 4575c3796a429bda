import { describe, expect, it } from 'vitest';
import { MAX_LIST_INDEX, formNamesProblem, listIntentProblem } from '../../app/http/form-limits';
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

describe('listIntentProblem', () => {
  const post = (intent: unknown, fields: [string, string][] = []) => [...fields, ['__intent__', typeof intent === 'string' ? intent : JSON.stringify(intent)]] as [string, unknown][];

  it('accepts the add and remove buttons our forms send, nested lists included, and a post without one', () => {
    expect(listIntentProblem([['version', '3']])).toBeNull();
    expect(listIntentProblem(post({ type: 'insert', payload: { name: 'items', defaultValue: { text: '', scope: 'event' } } }, [['items[0].text', 'x']]))).toBeNull();
    expect(listIntentProblem(post({ type: 'insert', payload: { name: 'categories', defaultValue: '' } }))).toBeNull();
    expect(listIntentProblem(post({ type: 'insert', payload: { name: 'sections', index: 4, defaultValue: { key: 'section_5', title: '', body: '' } } }))).toBeNull();
    expect(listIntentProblem(post({ type: 'remove', payload: { name: 'ratings.independence.attachments', index: 0 } }, [['ratings.independence.rating', 'meets']]))).toBeNull();
    expect(listIntentProblem(post({ type: 'remove', payload: { name: 'items[2].attachments', index: 1 } }))).toBeNull();
  });

  it('refuses what the form library would choke on or grow without bound', () => {
    for (const intent of [
      'not json',
      'null',
      { type: 'remove' },
      { type: 'reset', payload: {} },
      { type: 'update', payload: { name: 'items', value: [] } },
      { type: 'insert', payload: { name: `items[${MAX_LIST_INDEX + 1}]` } },
      { type: 'insert', payload: { name: 'items', index: MAX_LIST_INDEX + 1 } },
      { type: 'remove', payload: { name: 'items', index: -1 } },
      { type: 'remove', payload: { name: 'items' } },
      { type: 'insert', payload: { name: '__proto__' } },
      { type: 'insert', payload: { name: 'items', defaultValue: { nested: { deep: '' } } } },
    ]) {
      expect(listIntentProblem(post(intent)), JSON.stringify(intent)).toMatch(/not one this form sends/);
    }
    // A field that is not a list: a plain value, or an object of named fields.
    expect(listIntentProblem(post({ type: 'insert', payload: { name: 'version' } }, [['version', '3']]))).not.toBeNull();
    expect(listIntentProblem(post({ type: 'insert', payload: { name: 'ratings' } }, [['ratings.independence.rating', 'meets']]))).not.toBeNull();
    // Two buttons' values at once, a file in its place, and the library's other field.
    expect(listIntentProblem([...post({ type: 'remove', payload: { name: 'items', index: 0 } }), ['__intent__', 'x']])).not.toBeNull();
    expect(listIntentProblem([['__intent__', new Blob(['x'])]])).not.toBeNull();
    expect(listIntentProblem([['__state__', '{}']])).not.toBeNull();
  });
});
