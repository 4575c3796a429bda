import { expressionBuilder, sql, type Compilable, type Expression, type SqlBool } from 'kysely';
import { all, dialect, first, insertId, prebuilt, qb, raw } from './connection';
import { dataCache } from './read-cache';
import { catchUpSearchIndex } from './search-index';
import type { Database, Partner } from './schema';

// The decision register: every decision record, newest first, filtered,
// searched (FTS5 table decision_search, see migration 0010) and paged by seq.

export type RegisterFilter = {
  partnerId?: number | null;
  /** Words of a partner's name as typed; matched, like `q`, through the search index's partner column. */
  partnerName?: string | null;
  chapterId?: number | null;
  campaignId?: number | null;
  proposalId?: number | null;
  step?: string | null;
  outcome?: string | null;
  actorId?: number | null;
  /** Inclusive UTC days, YYYY-MM-DD, compared with the record's `at`. */
  from?: string | null;
  to?: string | null;
  /** What the person typed; turned into a safe FTS5 query by ftsQuery(). */
  q?: string | null;
};

/** Whose records may be seen: a chapter lead's chapter, or null for every chapter. */
export type RegisterScope = { chapterId: number | null };

/**
 * Keyset page: `after` = the last seq seen (older records follow), `before` =
 * the first seq seen (the newer page). Neither: the newest page.
 */
export type RegisterPage = { after?: number | null; before?: number | null; limit?: number };

export type RegisterRow = {
  seq: number;
  at: string;
  step: string;
  outcome: string;
  actor_id: number | null;
  actor_name: string;
  actor_role: string;
  rationale: string;
  from_state: string | null;
  to_state: string;
  hash: string;
  proposal_id: number;
  proposal_reference: string;
  event_title: string;
  partner_id: number;
  partner_name: string;
  chapter_id: number;
  chapter_name: string;
  campaign_id: number;
  campaign_name: string;
  /** Matched text with SNIPPET_START/SNIPPET_END around each hit; null without a search. */
  snippet: string | null;
};

export type RegisterResult = {
  rows: RegisterRow[];
  /** Pass as `before` for the newer page; null on the newest page. */
  newerCursor: number | null;
  /** Pass as `after` for the older page; null on the oldest page. */
  olderCursor: number | null;
  /** The FTS5 query actually run, or null when there was no usable search text. */
  ftsQuery: string | null;
};

// Control characters never typed in a form: the snippet is plain text, and the
// page turns these into <mark> elements itself, so stored text is never HTML.
export const SNIPPET_START = '\u0002';
export const SNIPPET_END = '\u0003';

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 500;

// Letters, digits and combining marks: what the unicode61 tokenizer keeps in a token.
const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;
const MAX_TERMS = 12;

/**
 * Turns free text into an FTS5 query that cannot be a syntax error: every word
 * becomes a quoted string, so `"`, `*`, `-`, `:`, `(`, AND, OR, NOT and NEAR are
 * plain words or separators. A whitespace-separated chunk is one phrase
 * ("People's" -> "people s") matched as a prefix; text in balanced double
 * quotes is an exact phrase. Terms are ANDed. Returns null when nothing is left.
 */
/** One term of a search: words matched as a phrase, the last one as a prefix when `prefix`. */
export type SearchTerm = { words: string[]; prefix: boolean };

/**
 * The terms of free text: a whitespace-separated chunk is one phrase
 * ("People's" -> people s) matched as a prefix; text in balanced double quotes
 * is an exact phrase. Only letters, digits and marks survive, so no character
 * typed can be query syntax on either database.
 */
export function searchTerms(input: string | null | undefined): SearchTerm[] {
  if (!input) return [];
  const terms: SearchTerm[] = [];
  for (const match of input.matchAll(/"([^"]*)"|(\S+)/g)) {
    const exact = match[1] !== undefined;
    const tokens = (exact ? match[1]! : match[2]!).match(TOKEN);
    if (!tokens) continue;
    const words = tokens.slice(0, 16).map((t) => t.slice(0, 64));
    const last = words[words.length - 1]!;
    // A one-letter prefix would expand to a large part of the vocabulary: match it exactly.
    terms.push({ words, prefix: !exact && last.length > 1 });
    if (terms.length >= MAX_TERMS) break;
  }
  return terms;
}

/**
 * Turns free text into an FTS5 query that cannot be a syntax error: every term
 * becomes a quoted string, so `"`, `*`, `-`, `:`, `(`, AND, OR, NOT and NEAR are
 * plain words or separators. Terms are ANDed. Returns null when nothing is left.
 */
export function ftsQuery(input: string | null | undefined): string | null {
  const terms = searchTerms(input);
  return terms.length > 0 ? terms.map((t) => `"${t.words.join(' ')}"${t.prefix ? '*' : ''}`).join(' ') : null;
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

type RecordTables = { d: Database['decision_records'] };

/** A filter compiled for one query: conditions on `d`, and the seq window a date range allows. */
type Compiled = {
  where: Expression<SqlBool>[];
  /** The same equality filters as FTS tokens of the `tags` column. */
  tags: string[];
  /** From decision_days: the exact first and last seq of the days asked; null without dates. */
  window: { lo: number; hi: number } | null;
  /** A date range with no record at all. */
  empty: boolean;
  /** The FTS5 query of the partner name typed, or null. */
  partnerFts: string | null;
};

function compile(filter: RegisterFilter, scope: RegisterScope): Compiled {
  const eb = expressionBuilder<RecordTables, 'd'>();
  const where: Expression<SqlBool>[] = [];
  const tags: string[] = [];
  const equal = (column: 'chapter_id' | 'partner_id' | 'campaign_id' | 'proposal_id' | 'actor_id', tag: string, value: number | null | undefined) => {
    if (value == null) return;
    where.push(eb(`d.${column}`, '=', value));
    tags.push(`${tag}${Math.trunc(value)}`);
  };
  equal('chapter_id', 'c', scope.chapterId);
  equal('chapter_id', 'c', filter.chapterId);
  equal('partner_id', 'p', filter.partnerId);
  equal('campaign_id', 'k', filter.campaignId);
  equal('proposal_id', 'r', filter.proposalId);
  equal('actor_id', 'a', filter.actorId);
  if (filter.step) {
    where.push(eb('d.step', '=', filter.step));
    tags.push(`s${filter.step.replace(/_/g, '')}`);
  }
  if (filter.outcome) {
    where.push(eb('d.outcome', '=', filter.outcome));
    tags.push(`o${filter.outcome.replace(/_/g, '')}`);
  }
  // Typed text with no word in it matches no partner.
  const partnerFts = ftsQuery(filter.partnerName);
  const noPartner = Boolean(filter.partnerName?.trim()) && partnerFts === null;
  if (partnerFts && dialect() === 'postgres') {
    // The partner column of the index is the partner's current name: on PostgreSQL the few
    // partners are matched by name directly, and their records walk the (partner_id, seq) index.
    where.push(eb('d.partner_id', 'in', partnerIdsNamed(searchTerms(filter.partnerName))));
  }
  if (!filter.from && !filter.to) return { where, tags, window: null, empty: noPartner, partnerFts };

  // `at` itself decides; the window only lets the query skip straight to those days.
  if (filter.from) where.push(eb('d.at', '>=', `${filter.from}T00:00:00.000Z`));
  if (filter.to) where.push(eb('d.at', '<', nextDay(filter.to)));
  let days = qb()
    .selectFrom('decision_days')
    .select((e) => [e.fn.min('min_seq').as('lo'), e.fn.max('max_seq').as('hi')]);
  if (filter.from) days = days.where('day', '>=', filter.from);
  if (filter.to) days = days.where('day', '<=', filter.to);
  const range = first(days);
  if (!range || range.lo === null || range.hi === null) return { where, tags, window: null, empty: true, partnerFts };
  return { where, tags, window: { lo: Number(range.lo), hi: Number(range.hi) }, empty: noPartner, partnerFts };
}

/** A seq of a page and its snippet; with the row itself when the page's query read it (simpleHitsQuery). */
type Hit = { seq: number; snippet: string | null; row?: RegisterRow };
/** What was typed, as an FTS5 query (SQLite) and as terms (PostgreSQL). */
type Search = { fts: string | null; terms: SearchTerm[] };

function searchOf(q: string | null | undefined): Search {
  return { fts: ftsQuery(q), terms: searchTerms(q) };
}

// ---- PostgreSQL: the same searches over the tsvector of decision_search (migrations 0010, 0190) ----

/**
 * The terms as a to_tsquery text on the cosponsor_search configuration: each term a phrase
 * (<->), its last word a prefix (:*), terms ANDed. The words hold only letters, digits and
 * marks (searchTerms), so nothing in them is tsquery syntax; the configuration folds case and
 * accents as the index did.
 */
function tsqueryText(terms: SearchTerm[]): string {
  return terms
    .map((t) => `(${t.words.map((w, i) => `'${w}'${t.prefix && i === t.words.length - 1 ? ':*' : ''}`).join(' <-> ')})`)
    .join(' & ');
}

const textQuery = (terms: SearchTerm[]) => sql`to_tsquery('cosponsor_search', ${tsqueryText(terms)})`;

/** The filter tags as the '#'-marked lexemes the document holds them as (migration 0190): no typed word can be one. */
const tagQuery = (tags: string[]) => sql`${[...new Set(tags)].map((t) => `'#${t.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(' & ')}::tsquery`;

/** The words of a text column as the index splits them (every run of non-letters and non-digits separates). */
const columnWords = (column: string) => sql`to_tsvector('cosponsor_search', regexp_replace(${sql.ref(column)}, '[^[:alnum:]]+', ' ', 'g'))`;

function partnerIdsNamed(terms: SearchTerm[]) {
  return qb()
    .selectFrom('partners')
    .select('id')
    .where(sql<SqlBool>`${columnWords('partners.name')} @@ ${textQuery(terms)}`);
}

const HEADLINE_OPTIONS = `StartSel=${SNIPPET_START}, StopSel=${SNIPPET_END}, MaxWords=24, MinWords=12, ShortWord=0, MaxFragments=1, FragmentDelimiter=…`;

/**
 * Snippets like FTS5's snippet(): the first text column holding a hit of any term, cut to
 * about 24 words around it, '…' where the column's text goes on. ts_headline reads the
 * stored text itself, so the page shows it as written.
 */
function postgresSnippets(seqs: number[], terms: SearchTerm[]): Map<number, string | null> {
  const snippets = new Map<number, string | null>();
  if (seqs.length === 0) return snippets;
  const anyTerm = sql`to_tsquery('cosponsor_search', ${terms.map((t) => tsqueryText([t])).join(' | ')})`;
  const rows = all(
    qb()
      .selectFrom('decision_search')
      .select('rowid')
      .select(TEXT_COLUMNS.map((c) => sql<string>`${sql.ref(c)}`.as(`t_${c}`)))
      .select(TEXT_COLUMNS.map((c) => sql<number>`CASE WHEN ${columnWords(c)} @@ ${anyTerm} THEN 1 ELSE 0 END`.as(`m_${c}`)))
      .where('rowid', 'in', seqs),
  );
  const chosen = rows.flatMap((row) => {
    const column = TEXT_COLUMNS.find((c) => row[`m_${c}`] === 1);
    return column ? [{ seq: Number(row.rowid), column, text: row[`t_${column}`] }] : [];
  });
  // The headlines of the chosen columns only: ts_headline parses the whole text it is given.
  const headlines = chosen.length
    ? all(
        raw(
          sql<{ i: number; headline: string }>`SELECT i, ts_headline('cosponsor_search', t, ${anyTerm}, ${HEADLINE_OPTIONS}) AS headline
            FROM unnest(${chosen.map((c) => c.text)}::text[]) WITH ORDINALITY AS x(t, i)`,
        ),
      )
    : [];
  for (const { i, headline } of headlines) {
    const { seq, text } = chosen[Number(i) - 1]!;
    const shown = headline.replaceAll(SNIPPET_START, '').replaceAll(SNIPPET_END, '');
    const at = text.indexOf(shown);
    snippets.set(seq, `${at > 0 ? '…' : ''}${headline}${at >= 0 && at + shown.length < text.length ? '…' : ''}`);
  }
  return snippets;
}

/** pageHits on PostgreSQL: the GIN index of the document instead of FTS5's MATCH. */
function postgresPageHits(compiled: Compiled, terms: SearchTerm[], bound: Bound | null, order: 'asc' | 'desc', limit: number, withSnippet: boolean): Hit[] {
  const { where, window } = compiled;
  const tags = [...new Set(compiled.tags)];
  if (terms.length > 0 || tags.length >= 2) {
    const match = [...(terms.length > 0 ? [textQuery(terms)] : []), ...(tags.length > 0 ? [tagQuery(tags)] : [])];
    let q = qb()
      .selectFrom('decision_search')
      .crossJoin('decision_records as d')
      .whereRef('d.seq', '=', 'decision_search.rowid')
      .where(sql<SqlBool>`decision_search.document @@ (${sql.join(match, sql` && `)})`)
      .select('d.seq');
    for (const w of where) q = q.where(w);
    if (window) q = q.where('decision_search.rowid', '>=', window.lo).where('decision_search.rowid', '<=', window.hi);
    if (bound) q = q.where('decision_search.rowid', bound.op, bound.seq);
    const seqs = all(q.orderBy('decision_search.rowid', order).limit(limit)).map((r) => Number(r.seq));
    const snippets = withSnippet && terms.length > 0 ? postgresSnippets(seqs, terms) : new Map<number, string | null>();
    return seqs.map((seq) => ({ seq, snippet: snippets.get(seq) ?? null }));
  }
  let q = qb().selectFrom('decision_records as d').select('d.seq');
  for (const w of where) q = q.where(w);
  if (window) q = q.where('d.seq', '>=', window.lo).where('d.seq', '<=', window.hi);
  if (bound) q = q.where('d.seq', bound.op, bound.seq);
  return all(q.orderBy('d.seq', order).limit(limit)).map((r) => ({ seq: Number(r.seq), snippet: null }));
}
type Bound = { op: '<' | '>'; seq: number };

/** The text columns a person searches; `tags` only carries the filters. */
const TEXT_COLUMNS = ['rationale', 'evidence', 'agenda', 'partner'] as const;
const COLUMN_INDEX: Record<(typeof TEXT_COLUMNS)[number], number> = { rationale: 0, evidence: 1, partner: 2, agenda: 3 };

/**
 * The MATCH expression: the person's words in the text columns, AND each
 * filter as a tag token. FTS5 advances all terms together, so the rarest one
 * (often a filter) sets the pace instead of a scan over every match of a common word.
 */
function matchExpression(fts: string | null, partnerFts: string | null, tags: string[]): string {
  const terms = [...new Set(tags)].map((t) => `tags : "${t}"`);
  if (partnerFts) terms.unshift(`partner : (${partnerFts})`);
  return (fts ? [`{${TEXT_COLUMNS.join(' ')}} : (${fts})`, ...terms] : terms).join(' AND ');
}

function snippetOf(row: Record<string, unknown>): string | null {
  // The first text column with a hit, in the order a reader cares about.
  for (const column of TEXT_COLUMNS) {
    const text = row[`s_${column}`];
    if (typeof text === 'string' && text.includes(SNIPPET_START)) return text;
  }
  return null;
}

type RecordRow = Omit<RegisterRow, 'snippet'>;

/** What a register row holds, from the record and the names joined to it (d, p, pa, c, ca). */
const RECORD_COLUMNS = [
  'd.seq',
  'd.at',
  'd.step',
  'd.outcome',
  'd.actor_id',
  'd.actor_name',
  'd.actor_role',
  'd.rationale',
  'd.from_state',
  'd.to_state',
  'd.hash',
  'd.proposal_id',
  'p.reference as proposal_reference',
  'p.event_title',
  'd.partner_id',
  'pa.name as partner_name',
  'd.chapter_id',
  'c.name as chapter_name',
  'd.campaign_id',
  'ca.name as campaign_name',
] as const;

type SimpleHitsParams = { match: string; seq: number; limit: number };
const simpleHitsQueries = new Map<string, (p: SimpleHitsParams) => Compilable<{ seq: number } & Record<string, unknown>>>();

/**
 * pageHits' query for the two commonest pages, built once per shape: a search with no filter
 * (text), or no search and no filter at all. Without rows, the SQL the general path builds for
 * them; with rows, the same walk reads each hit's row too (CROSS JOINs keep the walk the outer
 * loop and the names looked up by key), instead of a second query for them (rowsOf).
 */
function simpleHitsQuery(text: boolean, snippet: boolean, rows: boolean, op: Bound['op'] | null, order: 'asc' | 'desc') {
  const key = `${text}:${snippet}:${rows}:${op}:${order}`;
  let query = simpleHitsQueries.get(key);
  if (!query) {
    const names: (keyof SimpleHitsParams)[] = [...(text ? (['match'] as const) : []), ...(op ? (['seq'] as const) : []), 'limit'];
    query = prebuilt<SimpleHitsParams, { seq: number } & Record<string, unknown>>(names, (p) => {
      if (text) {
        let q = qb()
          .selectFrom('decision_search')
          .crossJoin('decision_records as d')
          .whereRef('d.seq', '=', 'decision_search.rowid')
          .where(sql<SqlBool>`decision_search MATCH ${p.match}`)
          .select('d.seq');
        if (rows) q = withRecordRow(q) as unknown as typeof q;
        if (snippet) q = q.select(sql<string>`snippet(decision_search, -1, ${SNIPPET_START}, ${SNIPPET_END}, '…', 24)`.as(rows ? 'snippet' : 's_rationale')) as unknown as typeof q;
        if (op) q = q.where('decision_search.rowid', op, p.seq);
        return q.orderBy('decision_search.rowid', order).limit(p.limit);
      }
      let q = rows
        ? (withRecordRow(qb().selectFrom('decision_records as d').select('d.seq')).select(sql<null>`NULL`.as('snippet')) as unknown as ReturnType<typeof noTextHits>)
        : noTextHits();
      if (op) q = q.where('d.seq', op, p.seq);
      return q.orderBy('d.seq', order).limit(p.limit);
    });
    simpleHitsQueries.set(key, query);
  }
  return query;
}

/** A query over `d` made to read the register row of each record: its names joined by key, in this order. */
function withRecordRow<Q extends { crossJoin: unknown }>(q: Q) {
  // Typed loosely: the joins add tables Kysely's builder type cannot carry through a generic.
  const b = q as unknown as ReturnType<typeof noTextHits>;
  return b
    .crossJoin('proposals as p')
    .crossJoin('partners as pa')
    .crossJoin('chapters as c')
    .crossJoin('campaigns as ca')
    .whereRef('p.id', '=', 'd.proposal_id')
    .whereRef('pa.id', '=', 'd.partner_id')
    .whereRef('c.id', '=', 'd.chapter_id')
    .whereRef('ca.id', '=', 'd.campaign_id')
    .select(RECORD_COLUMNS.slice(1));
}
const noTextHits = () => qb().selectFrom('decision_records as d').select(['d.seq', sql<null>`NULL`.as('snippet')]);

/**
 * The seqs of one page (plus one, to tell whether more follow), in the order
 * asked. With a search, or with two filters or more, the FTS index drives
 * (CROSS JOIN keeps it the outer loop): it yields rowids newest first and
 * intersects the terms by skipping, so a page stops after `limit` matches
 * however rare the combination. A single filter walks its (x, seq) B-tree index.
 */
function pageHits(
  compiled: Compiled,
  search: Search,
  bound: Bound | null,
  order: 'asc' | 'desc',
  limit: number,
  withSnippet: boolean,
  /** Read each hit's row as well, where the page's query can (see simpleHitsQuery). */
  withRows = false,
): Hit[] {
  if (compiled.empty) return [];
  if (dialect() === 'postgres') return postgresPageHits(compiled, search.terms, bound, order, limit, withSnippet);
  const { fts } = search;
  const { where, window } = compiled;
  if (where.length === 0 && !window && !compiled.partnerFts && compiled.tags.length === 0) {
    const text = fts !== null;
    const params = { match: text ? matchExpression(fts, null, []) : '', seq: bound?.seq ?? 0, limit };
    if (withRows) {
      const rows = all(simpleHitsQuery(text, withSnippet && text, true, bound?.op ?? null, order)(params)) as unknown as RegisterRow[];
      for (const row of rows) {
        // As snippetOf: a snippet with no hit marked in it is none.
        if (row.snippet !== null && !row.snippet.includes(SNIPPET_START)) row.snippet = null;
      }
      return rows.map((row) => ({ seq: row.seq, snippet: row.snippet, row }));
    }
    const rows = all(simpleHitsQuery(text, withSnippet && text, false, bound?.op ?? null, order)(params));
    return rows.map((row) => ({ seq: row.seq, snippet: withSnippet && text ? snippetOf(row) : null }));
  }
  // Without statistics SQLite would pick one index for several filters and scan it
  // (a small chapter + "decision: approved" read 15,000 index entries).
  if (fts || compiled.partnerFts || new Set(compiled.tags).size >= 2) {
    let q = qb()
      .selectFrom('decision_search')
      .crossJoin('decision_records as d')
      .whereRef('d.seq', '=', 'decision_search.rowid')
      .where(sql<SqlBool>`decision_search MATCH ${matchExpression(fts, compiled.partnerFts, compiled.tags)}`)
      .select('d.seq');
    if (withSnippet && fts && compiled.tags.length === 0 && !compiled.partnerFts) {
      // Only text columns can hold a hit, so FTS5 may choose the column itself.
      q = q.select(sql<string>`snippet(decision_search, -1, ${SNIPPET_START}, ${SNIPPET_END}, '…', 24)`.as('s_rationale')) as unknown as typeof q;
    } else if (withSnippet && fts) {
      // Tag or partner-name hits would make FTS5 pick that column: take each text column's snippet instead.
      for (const column of TEXT_COLUMNS) {
        q = q.select(
          sql<string>`snippet(decision_search, ${COLUMN_INDEX[column]}, ${SNIPPET_START}, ${SNIPPET_END}, '…', 24)`.as(`s_${column}`),
        ) as unknown as typeof q;
      }
    }
    // The tags already filter; the same conditions on d keep the result exact whatever the index holds.
    for (const w of where) q = q.where(w);
    if (window) q = q.where('decision_search.rowid', '>=', window.lo).where('decision_search.rowid', '<=', window.hi);
    if (bound) q = q.where('decision_search.rowid', bound.op, bound.seq);
    const rows = all(q.orderBy('decision_search.rowid', order).limit(limit)) as ({ seq: number } & Record<string, unknown>)[];
    return rows.map((row) => ({ seq: row.seq, snippet: withSnippet && fts ? snippetOf(row) : null }));
  }
  let q = qb().selectFrom('decision_records as d').select(['d.seq', sql<null>`NULL`.as('snippet')]);
  for (const w of where) q = q.where(w);
  if (window) q = q.where('d.seq', '>=', window.lo).where('d.seq', '<=', window.hi);
  if (bound) q = q.where('d.seq', bound.op, bound.seq);
  return all(q.orderBy('d.seq', order).limit(limit));
}


/**
 * The query of rowsOf for n seqs, built and compiled once for each n (a page holds at most
 * MAX_PAGE_SIZE + 1): building it cost about as much as SQLite takes to run it.
 */
const rowsQueries = new Map<number, (seqs: Record<string, number>) => Compilable<RecordRow>>();

function rowsQuery(n: number) {
  let query = rowsQueries.get(n);
  if (!query) {
    const names = Array.from({ length: n }, (_, i) => `s${i}`);
    query = prebuilt<Record<string, number>, RecordRow>(names, (p) =>
      qb()
        .selectFrom('decision_records as d')
        .innerJoin('proposals as p', 'p.id', 'd.proposal_id')
        .innerJoin('partners as pa', 'pa.id', 'd.partner_id')
        .innerJoin('chapters as c', 'c.id', 'd.chapter_id')
        .innerJoin('campaigns as ca', 'ca.id', 'd.campaign_id')
        .select(RECORD_COLUMNS)
        .where(
          'd.seq',
          'in',
          names.map((name) => p[name]!),
        )
        .orderBy('d.seq', 'desc'),
    );
    rowsQueries.set(n, query);
  }
  return query;
}

/** The register rows of these seqs, newest first, with names joined in. */
function rowsOf(hits: Hit[]): RegisterRow[] {
  if (hits.length === 0) return [];
  const seqs: Record<string, number> = {};
  hits.forEach((h, i) => (seqs[`s${i}`] = h.seq));
  const rows = all(rowsQuery(hits.length)(seqs));
  const snippets = new Map(hits.map((h) => [h.seq, h.snippet]));
  return rows.map((row) => ({ ...row, snippet: snippets.get(row.seq) ?? null }));
}

/**
 * One page of the register, newest first. Keyset pagination on seq: each page
 * costs the same however deep it is.
 */
export function searchDecisions(
  filter: RegisterFilter,
  page: RegisterPage = {},
  scope: RegisterScope = { chapterId: null },
): RegisterResult {
  catchUpSearchIndex();
  const limit = Math.min(Math.max(1, Math.floor(page.limit ?? DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE);
  const search = searchOf(filter.q);
  const fts = search.fts;
  if (filter.q?.trim() && !fts) {
    // Only punctuation was typed: nothing can match it.
    return { rows: [], newerCursor: null, olderCursor: null, ftsQuery: null };
  }
  const goingBack = page.before != null && page.after == null;
  const bound = goingBack
    ? { op: '>' as const, seq: page.before! }
    : page.after != null
      ? { op: '<' as const, seq: page.after }
      : null;
  const compiled = compile(filter, scope);
  const hits = pageHits(compiled, search, bound, goingBack ? 'asc' : 'desc', limit + 1, true, true);
  const more = hits.length > limit;
  const kept = hits.slice(0, limit);
  if (goingBack) kept.reverse();
  const rows = kept.every((h) => h.row) ? kept.map((h) => h.row!) : rowsOf(kept);
  const newest = rows[0]?.seq;
  const oldest = rows[rows.length - 1]?.seq;

  let hasNewer: boolean;
  let hasOlder: boolean;
  if (goingBack) {
    hasNewer = more;
    hasOlder = exists(compiled, search, { op: '<', seq: oldest ?? page.before! + 1 });
  } else {
    hasOlder = more;
    hasNewer = bound ? exists(compiled, search, { op: '>', seq: newest ?? page.after! - 1 }) : false;
  }
  return {
    rows,
    newerCursor: hasNewer ? (newest ?? (page.after ?? page.before)!) : null,
    olderCursor: hasOlder ? (oldest ?? (page.before ?? page.after)!) : null,
    ftsQuery: fts,
  };
}

function exists(compiled: Compiled, search: Search, bound: Bound): boolean {
  // Newest first in both cases: FTS5 reaches a match from the top at once, while
  // an ascending walk from a deep rowid costs milliseconds on a common word.
  return pageHits(compiled, search, bound, 'desc', 1, false).length > 0;
}

/**
 * Every record of the filtered register, newest first, in batches: for the
 * CSV export, which must hold the whole result, not one page.
 */
export function* eachDecisionBatch(
  filter: RegisterFilter,
  scope: RegisterScope = { chapterId: null },
  batchSize = 500,
): Generator<RegisterRow[]> {
  catchUpSearchIndex();
  const search = searchOf(filter.q);
  if (filter.q?.trim() && !search.fts) return;
  const compiled = compile(filter, scope);
  let bound: Bound | null = null;
  for (;;) {
    const hits = pageHits(compiled, search, bound, 'desc', batchSize, false);
    if (hits.length === 0) return;
    yield rowsOf(hits);
    if (hits.length < batchSize) return;
    bound = { op: '<', seq: hits[hits.length - 1]!.seq };
  }
}

// ---- Partner history ----

export type PartnerProposalRow = {
  id: number;
  reference: string;
  event_title: string;
  event_date: string;
  kind: string;
  state: string;
  chapter_id: number;
  chapter_name: string;
  campaign_name: string;
  proposer_name: string;
  created_at: string;
  decided_at: string | null;
  approved_until: string | null;
};

export type PartnerHistory = {
  partner: Partner & { publicPositions: string[] };
  /** Newest first: one keyset page of `proposalLimit` (the newest, or those either side of a cursor). */
  proposals: PartnerProposalRow[];
  /** Proposal ids to pass as `before` (newer page) and `after` (older page); null at either end. */
  newerProposalsCursor: number | null;
  olderProposalsCursor: number | null;
  proposalCount: number;
  /** Proposals by state, e.g. { approved: 3, rejected: 1 }. */
  proposalStates: Record<string, number>;
  /** The newest decisions about the partner; the rest follow in the register (olderCursor). */
  decisions: RegisterRow[];
  decisionCount: number;
  /** Pass as `after`, with the partner filter, to read on in the register; null when all are shown. */
  olderCursor: number | null;
  /** Proposals about this partner in chapters outside the scope (counted, not shown). */
  otherChapterProposals: number;
};

/**
 * A partner's profile and the proposals and decisions about it, across the
 * chapters in scope. A much-asked partner has thousands of records: the newest
 * come here, the rest page on in the register filtered by partner.
 */
// The partner page's queries, built once each (the page is a busy one to serve).
const partnerRow = prebuilt<{ partnerId: number }, Partner>(['partnerId'], (p) => qb().selectFrom('partners').selectAll().where('id', '=', p.partnerId));

type ProposalsParams = { partnerId: number; chapterId: number; cursor: number; limit: number };
/** Which page of a partner's proposals: the newest, those older than a cursor, or those newer. */
type ProposalsPage = 'newest' | 'after' | 'before';
const proposalQueries = new Map<string, (p: ProposalsParams) => Compilable<PartnerProposalRow>>();

function partnerProposalsQuery(page: ProposalsPage, scoped: boolean) {
  const key = `${page}:${scoped}`;
  let query = proposalQueries.get(key);
  if (!query) {
    const names: (keyof ProposalsParams)[] = ['partnerId', 'limit', ...(page === 'newest' ? [] : (['cursor'] as const)), ...(scoped ? (['chapterId'] as const) : [])];
    query = prebuilt<ProposalsParams, PartnerProposalRow>(names, (p) => {
      let proposals = qb()
        .selectFrom('proposals as p')
        .innerJoin('chapters as c', 'c.id', 'p.chapter_id')
        .innerJoin('campaigns as ca', 'ca.id', 'p.campaign_id')
        .innerJoin('users as u', 'u.id', 'p.proposer_id')
        .select([
          'p.id',
          'p.reference',
          'p.event_title',
          'p.event_date',
          'p.kind',
          'p.state',
          'p.chapter_id',
          'c.name as chapter_name',
          'ca.name as campaign_name',
          'u.name as proposer_name',
          'p.created_at',
          'p.decided_at',
          'p.approved_until',
        ])
        .where('p.partner_id', '=', p.partnerId);
      // Keyset on the proposal id, newest first: a page deep in a busy partner costs the same as the first.
      if (page === 'before') proposals = proposals.where('p.id', '>', p.cursor);
      else if (page === 'after') proposals = proposals.where('p.id', '<', p.cursor);
      if (scoped) proposals = proposals.where('p.chapter_id', '=', p.chapterId);
      return proposals.orderBy('p.id', page === 'before' ? 'asc' : 'desc').limit(p.limit);
    });
    proposalQueries.set(key, query);
  }
  return query;
}

const partnerStates = prebuilt<{ partnerId: number }, { state: string; n: number }>(['partnerId'], (p) =>
  qb()
    .selectFrom('proposals')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('partner_id', '=', p.partnerId)
    .groupBy('state'),
);
const partnerStatesInChapter = prebuilt<{ partnerId: number; chapterId: number }, { state: string; n: number }>(['partnerId', 'chapterId'], (p) =>
  qb()
    .selectFrom('proposals')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('partner_id', '=', p.partnerId)
    .where('chapter_id', '=', p.chapterId)
    .groupBy('state'),
);
// From the counts the trigger keeps (migration 0125): a busy partner has tens of thousands of records.
const partnerDecisionCount = prebuilt<{ partnerId: number }, { n: number | null }>(['partnerId'], (p) =>
  qb()
    .selectFrom('decision_partner_counts')
    .select((eb) => eb.fn.sum<number | null>('n').as('n'))
    .where('partner_id', '=', p.partnerId),
);
const partnerDecisionCountInChapter = prebuilt<{ partnerId: number; chapterId: number }, { n: number | null }>(['partnerId', 'chapterId'], (p) =>
  qb()
    .selectFrom('decision_partner_counts')
    .select((eb) => eb.fn.sum<number | null>('n').as('n'))
    .where('partner_id', '=', p.partnerId)
    .where('chapter_id', '=', p.chapterId),
);
const partnerProposalsElsewhere = prebuilt<{ partnerId: number; chapterId: number }, { n: number }>(['partnerId', 'chapterId'], (p) =>
  qb()
    .selectFrom('proposals')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('partner_id', '=', p.partnerId)
    .where('chapter_id', '!=', p.chapterId),
);

/**
 * A partner's profile and the proposals and decisions about it, across the
 * chapters in scope. A much-asked partner has thousands of records: the newest
 * come here, the rest page on in the register filtered by partner.
 */
export function partnerHistory(
  partnerId: number,
  scope: RegisterScope = { chapterId: null },
  options: { proposalLimit?: number; decisionLimit?: number; proposalsAfter?: number | null; proposalsBefore?: number | null } = {},
): PartnerHistory | undefined {
  const partner = first(partnerRow({ partnerId }));
  if (!partner) return undefined;
  const proposalLimit = options.proposalLimit ?? 200;
  const goingBack = options.proposalsBefore != null && options.proposalsAfter == null;
  const page: ProposalsPage = goingBack ? 'before' : options.proposalsAfter != null ? 'after' : 'newest';
  const chapterId = scope.chapterId;
  const scoped = chapterId != null;
  const proposals = partnerProposalsQuery(page, scoped)({
    partnerId,
    chapterId: chapterId ?? 0,
    cursor: (goingBack ? options.proposalsBefore : options.proposalsAfter) ?? 0,
    limit: proposalLimit + 1,
  });
  const states = scoped ? partnerStatesInChapter({ partnerId, chapterId }) : partnerStates({ partnerId });
  const decisionCount = scoped ? partnerDecisionCountInChapter({ partnerId, chapterId }) : partnerDecisionCount({ partnerId });
  const proposalStates = Object.fromEntries(all(states).map((r) => [r.state, r.n]));
  const decisionPage = searchDecisions({ partnerId }, { limit: options.decisionLimit ?? 50 }, scope);
  const otherChapterProposals = scoped ? (first(partnerProposalsElsewhere({ partnerId, chapterId }))?.n ?? 0) : 0;
  const fetched = all(proposals);
  const more = fetched.length > proposalLimit;
  const shown = fetched.slice(0, proposalLimit);
  if (goingBack) shown.reverse();
  const paged = goingBack || options.proposalsAfter != null;
  return {
    partner: { ...partner, publicPositions: JSON.parse(partner.public_positions) as string[] },
    proposals: shown,
    newerProposalsCursor: shown.length > 0 && (goingBack ? more : paged) ? shown[0]!.id : null,
    olderProposalsCursor: shown.length > 0 && (goingBack ? true : more) ? shown[shown.length - 1]!.id : null,
    proposalCount: Object.values(proposalStates).reduce((a, b) => a + b, 0),
    proposalStates,
    decisions: decisionPage.rows,
    decisionCount: Number(first(decisionCount)?.n ?? 0),
    olderCursor: decisionPage.olderCursor,
    otherChapterProposals,
  };
}

// ---- Choices for the filter form ----

// The choices' queries, built once: the form is on every page of the register.
const chapterChoices = prebuilt<Record<string, never>, { id: number; name: string }>([], () => qb().selectFrom('chapters').select(['id', 'name']).orderBy('name'));
const oneChapterChoice = prebuilt<{ chapterId: number }, { id: number; name: string }>(['chapterId'], (p) =>
  qb().selectFrom('chapters').select(['id', 'name']).where('id', '=', p.chapterId).orderBy('name'),
);
const campaignChoices = prebuilt<Record<string, never>, { id: number; name: string }>([], () => qb().selectFrom('campaigns').select(['id', 'name']).orderBy('name'));
// People who have decided something; the system actor (null id) is its own choice.
const actorChoices = prebuilt<Record<string, never>, { id: number; name: string }>([], () =>
  qb()
    .selectFrom('users as u')
    .select(['u.id', 'u.name'])
    .where((eb) => eb.exists(eb.selectFrom('decision_records as d').select('d.seq').whereRef('d.actor_id', '=', 'u.id')))
    .orderBy('u.name'),
);
const chapterActorChoices = prebuilt<{ chapterId: number }, { id: number; name: string }>(['chapterId'], (p) =>
  qb()
    .selectFrom('users as u')
    .select(['u.id', 'u.name'])
    .where((eb) =>
      eb.exists(eb.selectFrom('decision_records as d').select('d.seq').whereRef('d.actor_id', '=', 'u.id').where('d.chapter_id', '=', p.chapterId)),
    )
    .orderBy('u.name'),
);

type FilterChoices = {
  chapters: readonly { id: number; name: string }[];
  campaigns: readonly { id: number; name: string }[];
  actors: readonly { id: number; name: string }[];
};

/**
 * The choices of each scope, kept while the data is unchanged (db/read-cache): they are on every
 * page of the register and change only with the database.
 */
const choicesKept = dataCache<FilterChoices>(64);

export function registerFilterChoices(scope: RegisterScope = { chapterId: null }): FilterChoices {
  // No partner list: hundreds of names made the page heavy; the form takes a partner's name as text.
  const chapterId = scope.chapterId;
  return choicesKept.read(String(chapterId ?? 'all'), () => ({
    chapters: Object.freeze(all(chapterId == null ? chapterChoices({}) : oneChapterChoice({ chapterId }))),
    campaigns: Object.freeze(all(campaignChoices({}))),
    actors: Object.freeze(all(chapterId == null ? actorChoices({}) : chapterActorChoices({ chapterId }))),
  }));
}

// ---- Audit runs ----

export type AuditRun = {
  id: number;
  user_id: number | null;
  user_name: string | null;
  at: string;
  ok: number;
  record_count: number;
  duration_ms: number;
  first_bad_seq: number | null;
  message: string;
  tree_size: number | null;
  root_hash: string | null;
};

export function insertAuditRun(values: {
  userId: number | null;
  at: string;
  ok: boolean;
  recordCount: number;
  durationMs: number;
  firstBadSeq: number | null;
  message: string;
  /** The Merkle tree head a successful run verified. */
  head?: { size: number; root: string } | null;
}): number {
  return insertId(
    qb()
      .insertInto('audit_runs')
      .values({
        user_id: values.userId,
        at: values.at,
        ok: values.ok ? 1 : 0,
        record_count: values.recordCount,
        duration_ms: Math.round(values.durationMs),
        first_bad_seq: values.firstBadSeq,
        message: values.message,
        tree_size: values.head?.size ?? null,
        root_hash: values.head?.root ?? null,
      }),
  );
}

function auditRunQuery() {
  return qb()
    .selectFrom('audit_runs as a')
    .leftJoin('users as u', 'u.id', 'a.user_id')
    .select([
      'a.id',
      'a.user_id',
      'u.name as user_name',
      'a.at',
      'a.ok',
      'a.record_count',
      'a.duration_ms',
      'a.first_bad_seq',
      'a.message',
      'a.tree_size',
      'a.root_hash',
    ]);
}

export function auditRunById(id: number): AuditRun | undefined {
  return first(auditRunQuery().where('a.id', '=', id));
}

/** The head the last successful run verified: a later run must find the log still holding it. */
export function lastVerifiedHead(): { size: number; root: string } | undefined {
  const row = first(
    qb()
      .selectFrom('audit_runs')
      .select(['tree_size', 'root_hash'])
      .where('ok', '=', 1)
      .where('tree_size', 'is not', null)
      .orderBy('id', 'desc')
      .limit(1),
  );
  return row && row.tree_size !== null && row.root_hash ? { size: row.tree_size, root: row.root_hash } : undefined;
}

export function lastAuditRun(): AuditRun | undefined {
  return first(auditRunQuery().orderBy('a.id', 'desc').limit(1));
}

export function recentAuditRuns(limit = 20): AuditRun[] {
  return all(auditRunQuery().orderBy('a.id', 'desc').limit(limit));
}
