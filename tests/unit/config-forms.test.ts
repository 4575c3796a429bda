import { describe, expect, it } from 'vitest';
import { positionsSchema, riskMatrixSchema, valuesCriteriaSchema } from '../../app/features/admin/config-forms.server';
import { diffConfig } from '../../app/features/admin/config.server';
import { seedConfig } from '../../db/seed-data/config';
import { bandFor } from '../../workflows/rules/risk';

// The configuration forms refuse what the vetting rules could not use, and the
// comparison names entries by key.

const matrix = { baseVersion: 1, note: 'A change.', ...seedConfig.risk_matrix };
const messages = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.join('.'), i.message]));

describe('the risk matrix form', () => {
  it('accepts the seeded matrix, whose bands cover every score from 1 to 25', () => {
    const parsed = riskMatrixSchema.parse(matrix);
    for (let score = 1; score <= 25; score++) expect(() => bandFor(score, parsed)).not.toThrow();
  });

  it('refuses bands out of order, a band that ends before it starts, and a repeated category', () => {
    const swapped = riskMatrixSchema.safeParse({ ...matrix, bands: [matrix.bands[1], matrix.bands[0], matrix.bands[2], matrix.bands[3]] });
    expect(messages(swapped)).toEqual({ bands: 'The bands must be low, medium, high and critical, in that order.' });
    const reversed = riskMatrixSchema.safeParse({
      ...matrix,
      bands: [
        { name: 'low', min: 1, max: 4 },
        { name: 'medium', min: 5, max: 3 },
        { name: 'high', min: 10, max: 14 },
        { name: 'critical', min: 15, max: 25 },
      ],
    });
    expect(messages(reversed)['bands.1.max']).toBe('The medium band ends before it starts (5 to 3).');
    const repeated = riskMatrixSchema.safeParse({ ...matrix, categories: ['legal', 'legal'] });
    expect(messages(repeated)['categories.1']).toContain('already uses the key “legal”');
  });

  it('reports every problem at once, even when a band’s score is missing', () => {
    const result = riskMatrixSchema.safeParse({ ...matrix, bands: [{ name: 'low', min: 1 }], categories: ['a', 'a'] });
    const found = messages(result);
    expect(found['bands.0.max']).toContain('highest score');
    expect(found['categories.1']).toContain('already uses the key');
  });
});

describe('the values and positions forms', () => {
  it('refuses an empty rubric and a key that is not plain', () => {
    expect(messages(valuesCriteriaSchema.safeParse({ baseVersion: 1, note: 'A change.', criteria: [] }))).toEqual({
      criteria: 'Keep at least one criterion: the values step rates the partner against them.',
    });
    const bad = valuesCriteriaSchema.safeParse({ baseVersion: 1, note: 'A change.', criteria: [{ key: 'Fair Funding', label: 'x', description: 'y' }] });
    expect(messages(bad)['criteria.0.key']).toContain('lowercase letters');
  });

  it('keeps perception sensitivity to “no position” entries and refuses an unknown stance', () => {
    const base = { key: 'k', statement: 'A statement.', campaignKey: '', keywords: '', sources: '' };
    const result = positionsSchema.safeParse({
      baseVersion: 1,
      note: 'A change.',
      positions: [
        { ...base, stance: 'calls_for', perceptionSensitive: 'BDS' },
        { ...base, key: 'j', stance: 'endorses' },
      ],
    });
    const found = messages(result);
    expect(found['positions.0.perceptionSensitive']).toContain('Only a “no position” entry');
    expect(found['positions.1.stance']).toBe('Choose the organization’s stance.');
  });
});

describe('diffConfig', () => {
  it('names added, removed and changed entries by key, word by word inside a field', () => {
    const before = seedConfig.values_criteria;
    const after = {
      criteria: [
        ...before.criteria.filter((c) => c.key !== 'transparency').map((c) => (c.key === 'independence' ? { ...c, required: false } : c)),
        { key: 'accessibility', label: 'Accessibility', description: 'Accessible events.', required: false },
      ],
    };
    const changes = diffConfig('values_criteria', before, after);
    expect(changes.map((c) => [c.key, c.status])).toEqual([
      ['independence', 'changed'],
      ['accessibility', 'added'],
      ['transparency', 'removed'],
    ]);
    expect(changes[0]!.fields).toEqual([
      {
        label: 'Required',
        parts: [
          { kind: 'removed', text: 'Yes' },
          { kind: 'added', text: 'No' },
        ],
      },
    ]);
    expect(diffConfig('values_criteria', before, before)).toEqual([]);
  });
});
