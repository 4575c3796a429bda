import { execFile } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { all, closeDatabase, first, getDb, qb, raw, run, useDatabase } from '../../db/connection';
import { moveToPostgres } from '../../db/move';
import { closePostgres, openPostgres } from '../../db/postgres';
import { createPartner } from '../../db/partners';
import { eachDecisionBatch, searchDecisions, searchTerms, SNIPPET_END, SNIPPET_START, type RegisterFilter, type RegisterPage } from '../../db/register';
import { catchUpSearchIndex, searchColumnsOf, SQLITE_COLUMNS_SQL, type IndexedRecord } from '../../db/search-index';
import { userByEmail } from '../../db/users';
import { createProposal } from '../../app/features/vetting/vetting.server';
import { currentDatabasePath } from '../support/db';
import { freshPostgresDatabase } from '../support/postgres';

// The register's search on PostgreSQL (tsvector, websearch-safe tsquery, ts_headline) must give
// what FTS5 gives on SQLite: the same seeded data on both, the same searches, the same records.

type Outcome = { seqs: number[]; newer: number | null; older: number | null; snippets: (string | null)[] };

const lead = () => {
  const u = userByEmail('lead@cosponsor.test')!;
  return { id: u.id, name: u.name, roles: u.roles, chapterId: u.chapter_id };
};

// Text that splits and folds in awkward ways, through the real services.
function addAwkwardProposals(): void {
  const campaignId = first(qb().selectFrom('campaigns').select('id').orderBy('id').limit(1))!.id;
  const partners = [
    ['Comité de Solidaridad Zürich2', 'Naïve café-concert on 2026-12-01, co-host: Ünal; “quoted” O’Brien’s talk'],
    ['Øresund Ærø Straße Group', 'Ligatures, ß, Łódź and señor; e-mail info@example.org; v1.2 release; AND OR NOT NEAR'],
    ["People's Défense (PD)", 'Decomposed Comite\u0301 text, under_scores and 100% sure; c3 p1 svalues are words here'],
  ];
  for (const [name, description] of partners) {
    const partnerId = createPartner({ name: name!, website: null, country: 'US', description: 'x', publicPositions: [] }, null);
    createProposal(lead(), {
      partnerId,
      campaignId,
      eventTitle: `Evening with ${name}`,
      eventDate: '2031-05-01',
      eventPlace: 'Chicago',
      eventDescription: description!,
      kind: 'co_hosting',
    });
  }
}

function everyPage(filter: RegisterFilter, limit: number): Outcome[] {
  const pages: Outcome[] = [];
  let page: RegisterPage = { limit };
  for (let i = 0; i < 200; i++) {
    const r = searchDecisions(filter, page);
    pages.push({ seqs: r.rows.map((x) => x.seq), newer: r.newerCursor, older: r.olderCursor, snippets: r.rows.map((x) => x.snippet) });
    if (r.olderCursor === null) break;
    page = { after: r.olderCursor, limit };
  }
  // And one step back from the last page, through `before`.
  const last = pages[pages.length - 1]!;
  if (last.newer !== null) {
    const r = searchDecisions(filter, { before: last.newer, limit });
    pages.push({ seqs: r.rows.map((x) => x.seq), newer: r.newerCursor, older: r.olderCursor, snippets: r.rows.map((x) => x.snippet) });
  }
  return pages;
}

// Accents off, as both indexes fold them (letters without a decomposition too, as unaccent does).
const LETTERS: Record<string, string> = { ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', ł: 'l', đ: 'd' };
const fold = (text: string) =>
  text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[øæœßłđ]/g, (c) => LETTERS[c]!);

/** The words marked in a snippet. */
const marked = (snippet: string) => [...snippet.matchAll(new RegExp(`${SNIPPET_START}([^${SNIPPET_END}]*)${SNIPPET_END}`, 'g'))].map((m) => m[1]!);

let sqlitePath: string;
let postgresUrl: string;
let vocabulary: string[];
const searches: { filter: RegisterFilter; limit: number }[] = [];
const onSqlite = new Map<string, Outcome[]>();
const exportOnSqlite = new Map<string, number[]>();
let sqliteColumns: Record<string, unknown>[];
let records: IndexedRecord[];

const key = (s: { filter: RegisterFilter; limit: number }) => JSON.stringify(s);

beforeAll(async () => {
  sqlitePath = currentDatabasePath();
  addAwkwardProposals();
  catchUpSearchIndex();
  const sqlite = getDb().sqlite;
  sqliteColumns = sqlite.prepare(SQLITE_COLUMNS_SQL).all() as Record<string, unknown>[];
  records = sqlite
    .prepare(
      `SELECT d.seq, d.rationale, d.inputs, p.name AS partner_name, d.partner_id, d.chapter_id, d.campaign_id, d.proposal_id, d.actor_id, d.step, d.outcome
         FROM decision_records d LEFT JOIN partners p ON p.id = d.partner_id ORDER BY d.seq`,
    )
    .all() as IndexedRecord[];
  // Every word FTS5 indexed in a text column, as a search of its own.
  sqlite.exec("CREATE VIRTUAL TABLE temp.search_terms USING fts5vocab(main, 'decision_search', 'col')");
  vocabulary = (sqlite.prepare("SELECT DISTINCT term FROM temp.search_terms WHERE col != 'tags' ORDER BY term").all() as { term: string }[]).map((r) => r.term);
  const chapter = first(qb().selectFrom('chapters').select('id').orderBy('id').limit(1))!.id;
  const partner = first(qb().selectFrom('partners').select('id').orderBy('id').limit(1))!.id;
  const days = all(qb().selectFrom('decision_days').select('day').orderBy('day'));
  for (const term of vocabulary) {
    searches.push({ filter: { q: term }, limit: 500 });
    if (term.length > 3) searches.push({ filter: { q: term.slice(0, 3) }, limit: 500 });
    searches.push({ filter: { q: `"${term}"` }, limit: 500 });
  }
  const crafted = [
    'comite',
    'Comité',
    'ZÜRICH2',
    'zurich2',
    '"co-host"',
    'co host',
    'café concert',
    'naive',
    '2026 12 01',
    '12',
    'c3',
    'sval',
    'p1',
    "People's",
    'people s defense',
    'Défense PD',
    'v1.2',
    'info@example.org',
    '"quoted"',
    'O’Brien’s',
    'under_scores',
    '100%',
    'AND OR NOT NEAR',
    'NEAR(a b)',
    '(*',
    '-x*',
    '"foo',
    'partner: x',
    "'; DROP TABLE decision_records; --",
    'a',
    'the partner',
    'values incompatible',
    '"values incompatible"',
    'decomposed comite',
  ];
  for (const q of crafted) searches.push({ filter: { q }, limit: 500 });
  // Pages, filters and their combinations.
  for (const filter of [
    { q: 'the', chapterId: chapter },
    { q: 'partner', step: 'values' },
    { q: 'proposed', outcome: 'submitted' },
    { chapterId: chapter, step: 'values' },
    { partnerId: partner, chapterId: chapter },
    { partnerName: 'comite' },
    { partnerName: 'Solidaridad zur', q: 'naive' },
    { partnerName: "people's" },
    { partnerName: '((' },
    { q: 'the', from: days[0]!.day, to: days[Math.floor(days.length / 2)]!.day },
    { from: days[1]?.day ?? days[0]!.day, step: 'values', outcome: 'compatible' },
  ] as RegisterFilter[]) {
    searches.push({ filter, limit: 500 });
    searches.push({ filter, limit: 3 });
  }
  for (const s of searches) onSqlite.set(key(s), everyPage(s.filter, s.limit));
  for (const filter of [{ q: 'the' }, { chapterId: chapter, step: 'values' }, { partnerName: 'comite' }] as RegisterFilter[]) {
    exportOnSqlite.set(JSON.stringify(filter), [...eachDecisionBatch(filter, { chapterId: null }, 4)].flat().map((r) => r.seq));
  }

  // The same data on PostgreSQL, with the index built there by its own catch-up.
  postgresUrl = await freshPostgresDatabase();
  const target = openPostgres(postgresUrl);
  try {
    const moved = await moveToPostgres(sqlite, target, { batchRows: 500 });
    expect(moved.ok).toBe(true);
  } finally {
    await closePostgres(target);
  }
  useDatabase(postgresUrl);
  run(raw(sql`DELETE FROM decision_search`));
}, 120_000);

afterAll(() => {
  closeDatabase();
  useDatabase(sqlitePath);
});

describe('the register on PostgreSQL', () => {
  it('indexes the log in batches, each record once, with the five columns SQLite derives', () => {
    expect(catchUpSearchIndex(7)).toBe(records.length);
    expect(catchUpSearchIndex(7)).toBe(0);
    const onPostgres = all(qb().selectFrom('decision_search').select(['rowid', 'rationale', 'evidence', 'partner', 'agenda', 'tags']).orderBy('rowid'));
    expect(onPostgres).toEqual(sqliteColumns);
    // The derivation itself, record by record (what a mismatch would point at).
    for (const [i, record] of records.entries()) expect({ rowid: record.seq, ...searchColumnsOf(record) }).toEqual(sqliteColumns[i]);
  });

  it('finds the same records as FTS5 for every indexed word, its prefix and crafted searches, page by page', () => {
    expect(vocabulary.length).toBeGreaterThan(200);
    const differences: string[] = [];
    for (const s of searches) {
      const expected = onSqlite.get(key(s))!;
      const actual = everyPage(s.filter, s.limit);
      const strip = (pages: Outcome[]) => pages.map(({ seqs, newer, older }) => ({ seqs, newer, older }));
      if (JSON.stringify(strip(actual)) !== JSON.stringify(strip(expected))) {
        differences.push(`${key(s)}: sqlite ${JSON.stringify(strip(expected))} postgres ${JSON.stringify(strip(actual))}`);
      }
    }
    expect(differences).toEqual([]);
    // Something was found, and not everything: the comparison means something.
    const found = searches.filter((s) => onSqlite.get(key(s))![0]!.seqs.length > 0).length;
    expect(found).toBeGreaterThan(searches.length / 2);
    expect(onSqlite.get(key({ filter: { q: 'c3' }, limit: 500 }))![0]!.seqs.length).toBe(1);
  });

  it('highlights a hit of the search in each snippet, with the same markers, where FTS5 has a snippet', () => {
    let checked = 0;
    for (const s of searches) {
      if (!s.filter.q || s.limit !== 500) continue;
      const words = searchTerms(s.filter.q).flatMap((t) => t.words.map(fold));
      const expected = onSqlite.get(key(s))![0]!;
      const actual = searchDecisions(s.filter, { limit: 500 }).rows;
      for (const [i, row] of actual.entries()) {
        expect(row.snippet === null, `${s.filter.q} ${row.seq}`).toBe(expected.snippets[i] === null);
        if (!row.snippet) continue;
        const hits = marked(row.snippet).map(fold);
        if (hits.length === 0) continue; // ts_headline splits dates and signs its own way: the text is still shown
        expect(hits.some((h) => words.some((w) => h.includes(w) || w.includes(h))), `${s.filter.q}: ${row.snippet}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
    const naive = searchDecisions({ q: 'naive' }).rows[0]!;
    expect(marked(naive.snippet!)).toEqual(['Naïve']);
    expect(naive.snippet!.startsWith(`${SNIPPET_START}Naïve${SNIPPET_END} café-concert`)).toBe(true);
  });

  it('exports the same records in batches', () => {
    for (const [filter, seqs] of exportOnSqlite) {
      expect([...eachDecisionBatch(JSON.parse(filter) as RegisterFilter, { chapterId: null }, 4)].flat().map((r) => r.seq), filter).toEqual(seqs);
    }
  });

  it('indexes each record once when two instances catch up at the same time', async () => {
    run(raw(sql`DELETE FROM decision_search`));
    const [a, b] = await Promise.all([catchUpInAnotherProcess(), catchUpInAnotherProcess()]);
    // Between them every record, each by exactly one of them (the rowid key would refuse a second).
    expect(a + b).toBe(records.length);
    expect(Number(first(raw(sql<{ n: number }>`SELECT count(*) AS n FROM decision_search`))!.n)).toBe(records.length);
  });
});

/** A second app instance: a process on the same PostgreSQL database indexing in batches of 3. */
function catchUpInAnotherProcess(): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.resolve('tests/support/search-index-child.ts'), '3'],
      { env: { ...process.env, DATABASE_URL: postgresUrl } },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}: ${stderr}`)) : resolve(Number(stdout.trim().split('\\n').at(-1)))),
    );
  });
}
