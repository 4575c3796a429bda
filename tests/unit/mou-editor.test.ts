import { describe, expect, it } from 'vitest';
import { applyEditorIntent, type EditorState } from '../../app/features/mou/mou.server';

// The editor's add / remove / restore, which run on the server so the page works without JavaScript.

const state: EditorState = {
  version: 7,
  baseVersion: 2,
  note: 'typed note',
  confirmVoid: false,
  sections: [
    { key: 'parties', title: 'Parties', body: 'Typed body.', clauses: [] },
    {
      key: 'conditions',
      title: 'Conditions',
      body: 'Conditions:',
      clauses: [
        { id: 'perception:disclaimer', text: 'Disclaimer on the listing.', removed: false, reason: '' },
        { id: 'custom:abc', text: 'Our own clause.', removed: false, reason: '' },
      ],
    },
  ],
};
const required = new Set(['perception:disclaimer']);
const ids = () => 'fresh1';

describe('applyEditorIntent', () => {
  it('only marks a required clause as removed, so a reason can be given, and keeps its text', () => {
    const next = applyEditorIntent(state, 'remove:1:0', required, ids);
    expect(next.sections[1]!.clauses[0]).toEqual({ id: 'perception:disclaimer', text: 'Disclaimer on the listing.', removed: true, reason: '' });
    expect(state.sections[1]!.clauses[0]!.removed).toBe(false);
  });

  it('drops a clause nothing required', () => {
    const next = applyEditorIntent(state, 'remove:1:1', required, ids);
    expect(next.sections[1]!.clauses.map((c) => c.id)).toEqual(['perception:disclaimer']);
  });

  it('restores a removed clause and forgets the reason', () => {
    const removed = applyEditorIntent(state, 'remove:1:0', required, ids);
    removed.sections[1]!.clauses[0]!.reason = 'half a reason';
    const back = applyEditorIntent(removed, 'restore:1:0', required, ids);
    expect(back.sections[1]!.clauses[0]).toMatchObject({ removed: false, reason: '' });
  });

  it('adds an empty clause with a fresh id, keeping everything typed', () => {
    const next = applyEditorIntent(state, 'add:0', required, ids);
    expect(next.sections[0]!.clauses).toEqual([{ id: 'custom:fresh1', text: '', removed: false, reason: '' }]);
    expect(next).toMatchObject({ version: 7, baseVersion: 2, note: 'typed note' });
    expect(next.sections[0]!.body).toBe('Typed body.');
  });

  it('ignores an intent that points nowhere', () => {
    expect(applyEditorIntent(state, 'remove:9:0', required, ids)).toEqual(state);
    expect(applyEditorIntent(state, 'remove:1:9', required, ids)).toEqual(state);
  });
});
