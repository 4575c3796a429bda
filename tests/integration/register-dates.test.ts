import { afterEach, describe, expect, it, vi } from 'vitest';
import { all, first, qb } from '../../db/connection';
import { sqlAll } from '../support/sql';
import { searchDecisions, type RegisterFilter } from '../../db/register';
import { userByEmail } from '../../db/users';
import { createProposal } from '../../app/features/vetting/vetting.server';

// Date filters go through the per-day seq bounds (decision_days). Records are
// written on chosen days, one of them out of seq order, as a clock step back
// between two writers would leave them.

afterEach(() => {
  vi.useRealTimers();
});

const lead = userByEmail('lead@cosponsor.test')!;
const actor = { id: lead.id, name: lead.name, roles: lead.roles, chapterId: lead.chapter_id };
const partnerId = first(qb().selectFrom('partners').select('id').limit(1))!.id;
const campaignId = first(qb().selectFrom('campaigns').select('id').limit(1))!.id;

function proposeOn(iso: string, title: string): number {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(iso));
  try {
    const { id } = createProposal(actor, {
      partnerId,
      campaignId,
      eventTitle: title,
      eventDate: '2031-01-01',
      eventPlace: 'Chicago',
      eventDescription: 'A dated record for the register test.',
      kind: 'co_listing',
    });
    return first(qb().selectFrom('decision_records').select('seq').where('proposal_id', '=', id))!.seq;
  } finally {
    vi.useRealTimers();
  }
}

const a = proposeOn('2030-01-10T23:59:59.999Z', 'A');
const b = proposeOn('2030-01-12T00:00:00.000Z', 'B');
const c = proposeOn('2030-01-11T12:00:00.000Z', 'C'); // written after B, dated before it
const d = proposeOn('2030-01-12T18:30:00.000Z', 'D');

function seqs(filter: RegisterFilter): number[] {
  const out: number[] = [];
  let after: number | null = null;
  for (;;) {
    const page = searchDecisions(filter, { after, limit: 2 });
    out.push(...page.rows.map((r) => r.seq));
    if (page.olderCursor === null) return out;
    after = page.olderCursor;
  }
}

describe('date range filters', () => {
  it('keep the per-day seq bounds exact, even for a record out of order', () => {
    const days = all(qb().selectFrom('decision_days').selectAll().where('day', '>=', '2030-01-01').orderBy('day'));
    expect(days).toEqual([
      { day: '2030-01-10', min_seq: a, max_seq: a },
      { day: '2030-01-11', min_seq: c, max_seq: c },
      { day: '2030-01-12', min_seq: b, max_seq: d },
    ]);
  });

  it('include both end days and nothing else', () => {
    expect(seqs({ from: '2030-01-11', to: '2030-01-11' })).toEqual([c]);
    expect(seqs({ from: '2030-01-10', to: '2030-01-11' })).toEqual([c, a]);
    expect(seqs({ from: '2030-01-12', to: '2030-01-12' })).toEqual([d, b]);
    expect(seqs({ from: '2030-01-11' })).toEqual([d, c, b]);
    expect(seqs({ from: '2030-01-13' })).toEqual([]);
    expect(seqs({ from: '2029-12-01', to: '2029-12-31' })).toEqual([]);
    const everything = all(qb().selectFrom('decision_records').select(['seq', 'at']).orderBy('seq', 'desc'));
    expect(seqs({ to: '2030-01-11' })).toEqual(everything.filter((r) => r.at < '2030-01-12').map((r) => r.seq));
    expect(seqs({ to: '2030-01-11' })).toContain(c);
    expect(seqs({ to: '2030-01-11' })).not.toContain(b);
  });

  it('combine with other filters and with full-text search', () => {
    expect(seqs({ from: '2030-01-11', step: 'proposal', outcome: 'created', chapterId: actor.chapterId })).toEqual([d, c, b]);
    expect(seqs({ from: '2030-01-11', to: '2030-01-11', q: 'dated record' })).toEqual([c]);
    expect(seqs({ from: '2030-01-10', q: 'dated record' })).toEqual([d, c, b, a]);
  });

  it('were filled for records written before the migration (backfill)', () => {
    const rows = sqlAll(`SELECT substr(at, 1, 10) AS day, min(seq) AS min_seq, max(seq) AS max_seq FROM decision_records GROUP BY 1 ORDER BY 1`);
    expect(all(qb().selectFrom('decision_days').selectAll().orderBy('day'))).toEqual(rows);
  });
});
