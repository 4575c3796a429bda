import { describe, expect, it } from 'vitest';
import { diffMou, diffText, type DiffPart } from '../../workflows/mou-diff';
import type { MouSection } from '../../workflows/mou';

const added = (parts: DiffPart[]) => parts.filter((p) => p.kind === 'added').map((p) => p.text.trim());
const removed = (parts: DiffPart[]) => parts.filter((p) => p.kind === 'removed').map((p) => p.text.trim());
const after = (parts: DiffPart[]) => parts.filter((p) => p.kind !== 'removed').map((p) => p.text).join('');
const before = (parts: DiffPart[]) => parts.filter((p) => p.kind !== 'added').map((p) => p.text).join('');

describe('diffText (word level)', () => {
  it('marks an added word and nothing else', () => {
    const parts = diffText('The partner names one contact.', 'The partner names one contact person.');
    expect(added(parts)).toEqual(['person']);
    expect(removed(parts)).toEqual([]);
  });

  it('marks a removed word and nothing else', () => {
    const parts = diffText('All public materials will be approved.', 'All materials will be approved.');
    expect(removed(parts)).toEqual(['public']);
    expect(added(parts)).toEqual([]);
  });

  it('shows a changed word as the old one removed and the new one added, leaving the rest alone', () => {
    const parts = diffText('within five working days', 'within ten working days');
    expect(removed(parts)).toEqual(['five']);
    expect(added(parts)).toEqual(['ten']);
    expect(parts.filter((p) => p.kind === 'same').map((p) => p.text).join('')).toBe('within  working days');
  });

  it('rebuilds both texts exactly from its parts', () => {
    const a = 'Either party may end it at any time by written notice.';
    const b = 'Either party may end it by written notice to the other contact, at any time.';
    const pairs: [string, string][] = [
      [a, b],
      ['Ends on the event date.', 'Ends on the approval end date.'],
      ['one  two\nthree', 'one two\n\nthree four'],
      ['', 'Only new words.'],
      ['Only old words.', ''],
    ];
    for (const [x, y] of pairs) {
      const parts = diffText(x, y);
      expect(before(parts)).toBe(x);
      expect(after(parts)).toBe(y);
    }
  });

  it('reports identical texts as one unchanged part, and empty ones as nothing', () => {
    expect(diffText('Same words.', 'Same words.')).toEqual([{ kind: 'same', text: 'Same words.' }]);
    expect(diffText('', '')).toEqual([]);
    expect(diffText('', 'New text')).toEqual([{ kind: 'added', text: 'New text' }]);
  });
});

const clause = (id: string, text: string, origin: MouSection['clauses'][number]['origin'] = null) => ({ id, text, origin });
const v1: MouSection[] = [
  { key: 'parties', title: 'Parties', body: 'Between the Chapter and the Partner.', clauses: [] },
  {
    key: 'conditions',
    title: 'Conditions',
    body: 'The parties agree to the following conditions:',
    clauses: [
      clause('perception:disclaimer', 'The listing carries the disclaimer.', { kind: 'perception', ref: 'disclaimer', label: 'Disclaimer' }),
      clause('perception:logo', 'Our logo is not placed beside BDS calls.', { kind: 'perception', ref: 'logo', label: 'Logo' }),
    ],
  },
  { key: 'term', title: 'Term', body: 'Ends on the event date.', clauses: [] },
];

describe('diffMou (per section and per clause)', () => {
  it('finds no change between equal versions', () => {
    const result = diffMou(v1, structuredClone(v1));
    expect(result.changedSections).toBe(0);
    expect(result.sections.every((s) => s.status === 'same')).toBe(true);
    expect(result.wordsAdded + result.wordsRemoved).toBe(0);
  });

  it('matches clauses by id: an edited, an added and a removed clause each get their own status', () => {
    const v2 = structuredClone(v1);
    const conditions = v2[1]!;
    conditions.clauses[0]!.text = 'The listing and the flyer carry the disclaimer.';
    conditions.clauses.splice(1, 1);
    conditions.clauses.push(clause('custom:abc', 'The partner shares its programme a week ahead.'));
    const result = diffMou(v1, v2);
    const section = result.sections.find((s) => s.key === 'conditions')!;
    expect(section.status).toBe('changed');
    expect(section.clauses.map((c) => [c.id, c.status])).toEqual([
      ['perception:disclaimer', 'changed'],
      ['perception:logo', 'removed'],
      ['custom:abc', 'added'],
    ]);
    const edited = section.clauses[0]!;
    expect(before(edited.parts)).toBe('The listing carries the disclaimer.');
    expect(after(edited.parts)).toBe('The listing and the flyer carry the disclaimer.');
    expect(added(edited.parts).join(' ')).toMatch(/and.*flyer carry/);
    expect(removed(edited.parts)).toEqual(['carries']);
    expect(edited.origin?.kind).toBe('perception');
    expect(section.clauses[1]!.parts).toEqual([{ kind: 'removed', text: 'Our logo is not placed beside BDS calls.' }]);
    expect(result.sections.find((s) => s.key === 'parties')!.status).toBe('same');
    expect(result.changedSections).toBe(1);
    expect(result.wordsAdded).toBe(added(edited.parts).join(' ').split(/\s+/).length + 8);
    expect(result.wordsRemoved).toBe(1 + 8);
  });

  it('shows a body edit word by word, and added or removed sections where they stood', () => {
    const v2 = structuredClone(v1);
    v2[2]!.body = 'Ends on the approval end date.';
    v2.splice(0, 1);
    v2.push({ key: 'signatures', title: 'Signatures', body: 'Signed by both.', clauses: [] });
    const result = diffMou(v1, v2);
    expect(result.sections.map((s) => [s.key, s.status])).toEqual([
      ['parties', 'removed'],
      ['conditions', 'same'],
      ['term', 'changed'],
      ['signatures', 'added'],
    ]);
    const term = result.sections.find((s) => s.key === 'term')!;
    expect(removed(term.bodyParts)).toEqual(['event']);
    expect(added(term.bodyParts)).toEqual(['approval end']);
  });

  it('treats everything as added when there is no earlier version', () => {
    const result = diffMou(null, v1);
    expect(result.sections.every((s) => s.status === 'added')).toBe(true);
    expect(result.sections[1]!.clauses.every((c) => c.status === 'added')).toBe(true);
  });

  it('counts a reordering of clauses as a change', () => {
    const v2 = structuredClone(v1);
    v2[1]!.clauses.reverse();
    expect(diffMou(v1, v2).sections[1]!.status).toBe('changed');
  });
});
