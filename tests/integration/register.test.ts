import { describe, expect, it } from 'vitest';
import { catchUpSearchIndex } from '../../db/search-index';
import { all, first, qb } from '../../db/connection';
import { sqlAll, sqlGet, sqlRun } from '../support/sql';
import { createPartner } from '../../db/partners';
import { DEFAULT_PAGE_SIZE, eachDecisionBatch, ftsQuery, partnerHistory, searchDecisions, type RegisterFilter } from '../../db/register';
import type { DecisionRecord } from '../../db/schema';
import { userByEmail } from '../../db/users';
import type { ActingUser } from '../../workflows/policy';
import {
  exportRegisterCsv,
  parseRegisterQuery,
  partnerProfile,
  registerSearchParams,
  searchRegister,
  snippetParts,
} from '../../app/features/register/register.server';
import { createProposal } from '../../app/features/vetting/vetting.server';

function actor(email: string): ActingUser {
  const u = userByEmail(email)!;
  return { id: u.id, name: u.name, roles: u.roles, chapterId: u.chapter_id };
}

function everyRecord(): DecisionRecord[] {
  return all(qb().selectFrom('decision_records').selectAll().orderBy('seq', 'desc'));
}

/** Every seq the register returns for a filter, walking all pages. */
function allSeqs(filter: RegisterFilter, limit = 500): number[] {
  const seqs: number[] = [];
  let after: number | null = null;
  for (let i = 0; i < 1000; i++) {
    const page = searchDecisions(filter, { after, limit });
    seqs.push(...page.rows.map((r) => r.seq));
    if (page.olderCursor === null) break;
    after = page.olderCursor;
  }
  return seqs;
}

const lead = () => actor('lead@cosponsor.test');
const lead2 = () => actor('lead2@cosponsor.test');
const staff = () => actor('staff@cosponsor.test');
const reviewer = () => actor('reviewer@cosponsor.test');

function campaignIdOf(key: string): number {
  return first(qb().selectFrom('campaigns').select('id').where('key', '=', key))!.id;
}

// A partner with an accented name, proposed through the real service.
const comite = (() => {
  const partnerId = createPartner(
    {
      name: 'Comité de Solidaridad con los Pueblos',
      website: null,
      country: 'US',
      description: 'Latin American solidarity committee.',
      publicPositions: [],
    },
    null,
  );
  const proposal = createProposal(lead(), {
    partnerId,
    campaignId: campaignIdOf('guantanamo'),
    eventTitle: 'Letter-writing night: close Guantánamo',
    eventDate: '2031-05-01',
    eventPlace: 'Casa Aztlán, Pilsen, Chicago',
    eventDescription: 'Letters to senators, with a short talk by a former detainee’s lawyer (habeas corpus).',
    kind: 'co_hosting',
  });
  return { partnerId, proposalId: proposal.id };
})();

describe('the full-text index', () => {
  it('holds one row per decision record once it has caught up with the log', () => {
    catchUpSearchIndex();
    const records = first(qb().selectFrom('decision_records').select((eb) => eb.fn.countAll<number>().as('n')))!.n;
    const indexed = sqlGet<{ n: number }>('SELECT count(*) AS n FROM decision_search')!;
    expect(records).toBeGreaterThan(20);
    expect(indexed.n).toBe(records);
  });

  it('indexes a backlog larger than one batch completely, a batch at a time', () => {
    // The index is derived data: emptied, as on a copy restored without it.
    sqlRun('DELETE FROM decision_search');
    const records = sqlGet<{ n: number }>('SELECT count(*) AS n FROM decision_records')!.n;
    expect(records).toBeGreaterThan(20);
    expect(catchUpSearchIndex(7)).toBe(records);
    expect(sqlGet<{ n: number }>('SELECT count(*) AS n FROM decision_search')!.n).toBe(records);
    expect(catchUpSearchIndex(7)).toBe(0);
  });

  it('finds a partner by its name without accents, and highlights the accented word', () => {
    const result = searchDecisions({ q: 'comite' });
    expect(result.rows.map((r) => r.proposal_id)).toEqual([comite.proposalId]);
    const parts = snippetParts(result.rows[0]!.snippet)!;
    expect(parts.filter((p) => p.hit).map((p) => p.text)).toEqual(['Comité']);
    expect(parts.map((p) => p.text).join('')).toContain('Comité de Solidaridad');
    // Accents typed into the query fold the same way.
    expect(searchDecisions({ q: 'Solidaridád' }).rows.map((r) => r.proposal_id)).toEqual([comite.proposalId]);
    expect(searchDecisions({ q: 'GUANTÁNAMO letter' }).rows.map((r) => r.proposal_id)).toContain(comite.proposalId);
  });

  it('searches rationale, evidence, agenda items and event descriptions', () => {
    // Agenda item text (case 1), only in the agenda record's inputs.
    const agenda = searchDecisions({ q: 'Masafer Yatta' }).rows;
    expect(agenda.some((r) => r.step === 'agenda' && r.partner_name.startsWith('Lakeshore'))).toBe(true);
    // Values evidence (case 1): "code of conduct" is in the non-discrimination evidence.
    const evidence = searchDecisions({ q: '"code of conduct"', step: 'values' }).rows;
    expect(evidence.length).toBeGreaterThan(0);
    expect(snippetParts(evidence[0]!.snippet)!.some((p) => p.hit && /code/i.test(p.text))).toBe(true);
    // The event description of a new proposal.
    expect(searchDecisions({ q: 'habeas' }).rows.map((r) => r.proposal_id)).toEqual([comite.proposalId]);
    // Prefix: "demoli" finds "demolitions".
    expect(searchDecisions({ q: 'demoli' }).rows.length).toBeGreaterThan(0);
    // Every word must match.
    expect(searchDecisions({ q: 'habeas Masafer' }).rows).toEqual([]);
  });

  it('treats punctuation as word breaks: an apostrophe, a hyphen', () => {
    const vaccine = searchDecisions({ q: "People's Vaccine" }).rows;
    expect(vaccine.length).toBeGreaterThan(0);
    expect(new Set(vaccine.map((r) => r.partner_name))).toEqual(new Set(["Bay Area People's Vaccine Alliance"]));
    expect(searchDecisions({ q: 'letter-writing' }).rows.map((r) => r.proposal_id)).toContain(comite.proposalId);
  });

  it('never fails on FTS syntax characters typed into the search box', () => {
    const nasty = [
      '"foo',
      'a AND (',
      '-x*',
      'NEAR(a b)',
      'partner: x',
      '*',
      '^start',
      'OR',
      'NOT',
      '")',
      "'; DROP TABLE decision_records; --",
      '{rationale}: foo',
      'a + b',
      '\u0002x\u0003',
      '😀 émoji',
      'x'.repeat(300),
      'a b c d e f g h i j k l m n o p q',
    ];
    for (const q of nasty) {
      expect(() => searchDecisions({ q }), q).not.toThrow();
      const fts = ftsQuery(q);
      if (fts !== null) expect(fts, q).toMatch(/^("[^"]+"\*? ?)+$/);
    }
    expect(ftsQuery('a AND (')).toBe('"a" "AND"*');
    expect(ftsQuery('-x*')).toBe('"x"');
    expect(ftsQuery('"foo')).toBe('"foo"*');
    expect(ftsQuery('"home demolitions" evict')).toBe('"home demolitions" "evict"*');
    expect(ftsQuery('*** ---')).toBeNull();
    // Only punctuation: no results, no error.
    expect(searchDecisions({ q: '(*)' }).rows).toEqual([]);
    // The filter tokens of the index are not text: typing one finds nothing.
    const someTag = sqlGet<{ tags: string }>('SELECT tags FROM decision_search LIMIT 1')!;
    for (const tag of someTag.tags.split(' ')) expect(searchDecisions({ q: tag }).rows, tag).toEqual([]);
    // Operators are plain words: "AND" as a word does not turn into an operator.
    expect(searchDecisions({ q: 'comite AND' }).rows).toEqual([]);
  });

  it('follows a partner rename', () => {
    const partnerColumn = () =>
      sqlAll('SELECT DISTINCT s.partner FROM decision_search s JOIN decision_records d ON d.seq = s.rowid WHERE d.partner_id = ?', comite.partnerId);
    sqlRun('UPDATE partners SET name = ? WHERE id = ?', 'Comisión Pro Derechos', comite.partnerId);
    try {
      expect(partnerColumn()).toEqual([{ partner: 'Comisión Pro Derechos' }]);
      expect(searchDecisions({ q: 'comision derechos' }).rows.map((r) => r.proposal_id)).toEqual([comite.proposalId]);
    } finally {
      sqlRun('UPDATE partners SET name = ? WHERE id = ?', 'Comité de Solidaridad con los Pueblos', comite.partnerId);
    }
    expect(partnerColumn()).toEqual([{ partner: 'Comité de Solidaridad con los Pueblos' }]);
    expect(searchDecisions({ q: 'comision' }).rows).toEqual([]);
  });
});

describe('filters', () => {
  const records = () => everyRecord();

  it('each filter returns exactly the matching records, newest first', () => {
    const rs = records();
    const someStaffDecision = rs.find((r) => r.step === 'decision')!;
    const cases: [RegisterFilter, (r: DecisionRecord) => boolean][] = [
      [{ partnerId: rs[5]!.partner_id }, (r) => r.partner_id === rs[5]!.partner_id],
      [{ chapterId: rs[0]!.chapter_id }, (r) => r.chapter_id === rs[0]!.chapter_id],
      [{ campaignId: campaignIdOf('israel_opt') }, (r) => r.campaign_id === campaignIdOf('israel_opt')],
      [{ step: 'values' }, (r) => r.step === 'values'],
      [{ outcome: 'not_applicable' }, (r) => r.outcome === 'not_applicable'],
      [{ actorId: someStaffDecision.actor_id }, (r) => r.actor_id === someStaffDecision.actor_id],
      [{ proposalId: comite.proposalId }, (r) => r.proposal_id === comite.proposalId],
    ];
    for (const [filter, predicate] of cases) {
      const expected = rs.filter(predicate).map((r) => r.seq);
      expect(expected.length, JSON.stringify(filter)).toBeGreaterThan(0);
      expect(allSeqs(filter), JSON.stringify(filter)).toEqual(expected);
    }
  });

  it('combines filters (AND)', () => {
    const rs = records();
    const israel = campaignIdOf('israel_opt');
    const chicago = lead().chapterId!;
    const expected = rs.filter((r) => r.campaign_id === israel && r.chapter_id === chicago && r.step === 'decision');
    expect(expected.length).toBeGreaterThan(0);
    expect(allSeqs({ campaignId: israel, chapterId: chicago, step: 'decision' })).toEqual(expected.map((r) => r.seq));
    const rejected = rs.filter((r) => r.step === 'decision' && r.outcome === 'rejected' && r.chapter_id === chicago);
    expect(allSeqs({ step: 'decision', outcome: 'rejected', chapterId: chicago })).toEqual(rejected.map((r) => r.seq));
    // Full text and filters together.
    const withText = searchDecisions({ q: 'comite', step: 'proposal', outcome: 'created' }).rows;
    expect(withText.map((r) => r.proposal_id)).toEqual([comite.proposalId]);
    expect(searchDecisions({ q: 'comite', step: 'values' }).rows).toEqual([]);
  });

  it('filters by an inclusive date range on the record time', () => {
    const rs = records();
    const day = rs[0]!.at.slice(0, 10);
    const dayBefore = new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const dayAfter = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const onDay = rs.filter((r) => r.at.startsWith(day)).map((r) => r.seq);
    expect(allSeqs({ from: day, to: day })).toEqual(onDay);
    expect(allSeqs({ from: dayBefore })).toEqual(rs.map((r) => r.seq));
    expect(allSeqs({ from: dayAfter })).toEqual([]);
    expect(allSeqs({ to: dayBefore })).toEqual(rs.filter((r) => r.at < `${day}`).map((r) => r.seq));
  });

  it('returns the names a register row shows', () => {
    const row = searchDecisions({ proposalId: comite.proposalId }).rows[0]!;
    expect(row).toMatchObject({
      partner_name: 'Comité de Solidaridad con los Pueblos',
      chapter_name: 'Chicago Local Group',
      campaign_name: 'Close Guantanamo',
      step: 'proposal',
      outcome: 'created',
      actor_name: 'Dana Whitfield',
      actor_role: 'chapter_lead',
      event_title: 'Letter-writing night: close Guantánamo',
    });
    expect(row.proposal_reference).toMatch(/^CSP-\d{4}-\d{5}$/);
    expect(row.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(row.rationale).toContain('Comité');
  });
});

describe('chapter scoping', () => {
  it('shows a chapter lead only their chapter, whatever the filter asks', () => {
    const me = lead();
    const mine = everyRecord().filter((r) => r.chapter_id === me.chapterId);
    const others = everyRecord().filter((r) => r.chapter_id !== me.chapterId);
    expect(others.length).toBeGreaterThan(0);
    const result = searchRegister(me, {}, { limit: 500 });
    if (!result.ok) throw result.error;
    expect(result.scope).toEqual({ chapterId: me.chapterId });
    expect(result.rows.map((r) => r.seq)).toEqual(mine.map((r) => r.seq));
    // Asking for another chapter gives nothing rather than that chapter's records.
    const other = searchRegister(me, { chapterId: lead2().chapterId }, { limit: 500 });
    if (!other.ok) throw other.error;
    expect(other.rows).toEqual([]);
    // Text search stays inside the chapter: case 2b (Bay Area) mentions the Westside Justice Coalition too.
    const westside = searchRegister(me, { q: 'Westside' }, { limit: 500 });
    if (!westside.ok) throw westside.error;
    expect(westside.rows.length).toBeGreaterThan(0);
    expect(westside.rows.every((r) => r.chapter_id === me.chapterId)).toBe(true);
    const westsideAll = searchRegister(staff(), { q: 'Westside' }, { limit: 500 });
    if (!westsideAll.ok) throw westsideAll.error;
    expect(westsideAll.rows.some((r) => r.chapter_id !== me.chapterId)).toBe(true);
  });

  it('shows staff and reviewers every chapter', () => {
    const total = everyRecord().length;
    for (const who of [staff(), reviewer()]) {
      const result = searchRegister(who, {}, { limit: 500 });
      if (!result.ok) throw result.error;
      expect(result.scope).toEqual({ chapterId: null });
      expect(result.rows.length).toBe(total);
    }
  });

  it('refuses a person with no role', () => {
    const nobody: ActingUser = { id: 999, name: 'Nobody', roles: [], chapterId: null };
    const result = searchRegister(nobody, {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.kind).toBe('forbidden');
  });
});

describe('keyset pagination', () => {
  it('walks older pages that are disjoint, consecutive and complete', () => {
    const expected = everyRecord().map((r) => r.seq);
    const pages: number[][] = [];
    let after: number | null = null;
    for (;;) {
      const page = searchDecisions({}, { after, limit: 7 });
      pages.push(page.rows.map((r) => r.seq));
      if (pages.length === 1) expect(page.newerCursor).toBeNull();
      else expect(page.newerCursor).toBe(page.rows[0]!.seq);
      if (page.olderCursor === null) break;
      expect(page.olderCursor).toBe(page.rows[page.rows.length - 1]!.seq);
      after = page.olderCursor;
    }
    expect(pages.length).toBe(Math.ceil(expected.length / 7));
    expect(pages.slice(0, -1).every((p) => p.length === 7)).toBe(true);
    expect(pages.flat()).toEqual(expected);
    expect(new Set(pages.flat()).size).toBe(expected.length);
  });

  it('goes back with `before` to exactly the previous page', () => {
    const first = searchDecisions({}, { limit: 5 });
    const second = searchDecisions({}, { after: first.olderCursor, limit: 5 });
    const third = searchDecisions({}, { after: second.olderCursor, limit: 5 });
    const back = searchDecisions({}, { before: third.newerCursor, limit: 5 });
    expect(back.rows.map((r) => r.seq)).toEqual(second.rows.map((r) => r.seq));
    expect(back.newerCursor).toBe(second.rows[0]!.seq);
    expect(back.olderCursor).toBe(second.rows[4]!.seq);
    const top = searchDecisions({}, { before: back.newerCursor, limit: 5 });
    expect(top.rows.map((r) => r.seq)).toEqual(first.rows.map((r) => r.seq));
    expect(top.newerCursor).toBeNull();
  });

  it('pages through search results and filtered results the same way', () => {
    for (const filter of [{ q: 'partner' }, { step: 'values' }, { chapterId: lead().chapterId, q: 'the' }] as RegisterFilter[]) {
      const whole = searchDecisions(filter, { limit: 500 }).rows.map((r) => r.seq);
      expect(whole.length, JSON.stringify(filter)).toBeGreaterThan(3);
      expect(allSeqs(filter, 2)).toEqual(whole);
      expect([...whole].sort((a, b) => b - a)).toEqual(whole);
    }
  });

  it('keeps the filter in the page links, for bookmarks', () => {
    const filter: RegisterFilter = { q: 'Solidaridad «x»', step: 'proposal', from: '2020-01-01', partnerId: comite.partnerId };
    const params = registerSearchParams(filter, { after: 42 });
    const parsed = parseRegisterQuery(new URLSearchParams(params.toString()));
    expect(parsed.errors).toEqual({});
    expect(parsed.filter).toMatchObject(filter);
    expect(parsed.page).toEqual({ after: 42, before: null });
    const result = searchRegister(staff(), { step: 'values' }, { limit: 2 });
    if (!result.ok) throw result.error;
    expect(result.olderParams!.get('step')).toBe('values');
    expect(Number(result.olderParams!.get('after'))).toBe(result.rows[1]!.seq);
  });

  it('drops invalid URL parameters with a reason instead of failing', () => {
    const parsed = parseRegisterQuery(
      new URLSearchParams('partner=abc&step=nonsense&from=2024-02-30&to=2024-01-01&outcome=approved&chapter=-1&q=%20ok%20'),
    );
    expect(Object.keys(parsed.errors).sort()).toEqual(['chapter', 'from', 'partner', 'step']);
    expect(parsed.filter).toMatchObject({ partnerId: null, step: null, from: null, to: '2024-01-01', outcome: 'approved', q: 'ok' });
    const reversed = parseRegisterQuery(new URLSearchParams('from=2024-03-01&to=2024-01-01'));
    expect(reversed.errors.to).toBeDefined();
    expect(reversed.filter.to).toBeNull();
  });
});

describe('partner history', () => {
  const westsideId = () => first(qb().selectFrom('partners').select('id').where('name', '=', 'Westside Justice Coalition'))!.id;

  it('lists every proposal and decision about a partner, across chapters', () => {
    const westside = westsideId();
    const history = partnerHistory(westside)!;
    expect(history.partner.name).toBe('Westside Justice Coalition');
    expect(new Set(history.proposals.map((p) => p.chapter_name))).toEqual(new Set(['Chicago Local Group', 'Bay Area Chapter']));
    expect(history.proposalCount).toBe(2);
    expect(Object.values(history.proposalStates).reduce((a, b) => a + b, 0)).toBe(2);
    const expected = everyRecord().filter((r) => r.partner_id === westside);
    expect(history.decisions.map((d) => d.seq)).toEqual(expected.map((r) => r.seq));
    expect(history.decisionCount).toBe(expected.length);
    expect(history.olderCursor).toBeNull();
    expect(history.otherChapterProposals).toBe(0);
  });

  it('shows the newest decisions and pages on through the register for the rest', () => {
    const westside = westsideId();
    const expected = everyRecord().filter((r) => r.partner_id === westside).map((r) => r.seq);
    expect(expected.length).toBeGreaterThan(3);
    const result = partnerProfile(staff(), westside, { decisionLimit: 3, proposalLimit: 1 });
    if (!result.ok) throw result.error;
    expect(result.proposals).toHaveLength(1);
    expect(result.proposalCount).toBe(2);
    expect(result.decisions.map((d) => d.seq)).toEqual(expected.slice(0, 3));
    expect(result.decisionCount).toBe(expected.length);
    expect(result.registerParams.toString()).toBe(`partner=${westside}`);
    const { filter, page } = parseRegisterQuery(result.olderParams!);
    const rest = searchDecisions(filter, { ...page, limit: 500 }).rows.map((r) => r.seq);
    expect([...result.decisions.map((d) => d.seq), ...rest]).toEqual(expected);
  });

  it('limits a chapter lead to their chapter and counts the rest', () => {
    const result = partnerProfile(lead2(), westsideId());
    if (!result.ok) throw result.error;
    expect(result.proposals.map((p) => p.chapter_name)).toEqual(['Bay Area Chapter']);
    expect(result.proposalCount).toBe(1);
    expect(result.decisions.every((d) => d.chapter_name === 'Bay Area Chapter')).toBe(true);
    expect(result.decisions.length).toBeGreaterThan(0);
    expect(result.decisionCount).toBe(result.decisions.length);
    expect(result.otherChapterProposals).toBe(1);
    const missing = partnerProfile(staff(), 999_999);
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error.kind).toBe('not_found');
  });
});

describe('CSV export of the register', () => {
  it('exports the whole filtered result, not one page, with BOM and header', () => {
    const csvOf = (filter: RegisterFilter) => {
      const exported = exportRegisterCsv(staff(), filter);
      if (!exported.ok) throw exported.error;
      expect(exported.filename).toMatch(/^decision-register-\d{4}-\d{2}-\d{2}\.csv$/);
      return [...exported.chunks].join('');
    };
    const seqLines = (text: string) => (text.match(/\r\n\d+,\d{4}-\d{2}-\d{2}T/g) ?? []).length;

    const whole = csvOf({ from: '2000-01-01' });
    expect(whole.startsWith('\uFEFFSeq,Recorded at (UTC),Proposal,')).toBe(true);
    expect(whole.endsWith('\r\n')).toBe(true);
    const records = everyRecord();
    expect(records.length).toBeGreaterThan(DEFAULT_PAGE_SIZE);
    // Every record once, as a line starting with its seq (rationales may span lines, inside quotes).
    for (const r of records) expect(whole).toContain(`\r\n${r.seq},${r.at},`);
    expect(seqLines(whole)).toBe(records.length);

    const israel = campaignIdOf('israel_opt');
    const filtered = csvOf({ campaignId: israel });
    expect(seqLines(filtered)).toBe(records.filter((r) => r.campaign_id === israel).length);
    expect(filtered).not.toContain('Close Guantanamo');
  });

  it('batches the export and keeps a chapter lead in their chapter', () => {
    const me = lead();
    const batches = [...eachDecisionBatch({}, { chapterId: me.chapterId }, 4)];
    const mine = everyRecord().filter((r) => r.chapter_id === me.chapterId);
    expect(batches.length).toBe(Math.ceil(mine.length / 4));
    expect(batches.flat().map((r) => r.seq)).toEqual(mine.map((r) => r.seq));
    const exported = exportRegisterCsv(me, {});
    if (!exported.ok) throw exported.error;
    const text = [...exported.chunks].join('');
    expect(text).toContain('Chicago Local Group');
    expect(text).not.toContain('Bay Area Chapter');
  });

  it('refuses the export to a person with no role before producing anything', () => {
    const result = exportRegisterCsv({ id: 999, name: 'Nobody', roles: [], chapterId: null }, {});
    expect(result.ok).toBe(false);
  });
});
