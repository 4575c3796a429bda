import { describe, expect, it } from 'vitest';
import { formValue } from '../../app/features/vetting/step-form';

// The step pages' live preview reads the form's own data back into the nested shape the
// server parses; what is typed must arrive where the step's reader looks for it.
describe('formValue', () => {
  const data = (pairs: [string, string][]) => {
    const fd = new FormData();
    for (const [k, v] of pairs) fd.append(k, v);
    return fd;
  };

  it('nests rows and keyed groups by their field names', () => {
    expect(
      formValue(
        data([
          ['version', '3'],
          ['items[0].kind', 'risk'],
          ['items[0].likelihood', '4'],
          ['items[1].kind', 'benefit'],
          ['ratings.respect.rating', 'aligned'],
          ['ratings.respect.evidence', ''],
        ]),
      ),
    ).toEqual({
      version: '3',
      items: [
        { kind: 'risk', likelihood: '4' },
        { kind: 'benefit' },
      ],
      ratings: { respect: { rating: 'aligned', evidence: '' } },
    });
  });

  it('makes a list of a name given more than once, and leaves out row intents and prototype keys', () => {
    expect(
      formValue(
        data([
          ['links', 'https://a.example'],
          ['links', 'https://b.example'],
          ['__intent__', '{"type":"insert"}'],
          ['__proto__.polluted', 'yes'],
          ['items[0].constructor', 'x'],
        ]),
      ),
    ).toEqual({ links: ['https://a.example', 'https://b.example'] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
