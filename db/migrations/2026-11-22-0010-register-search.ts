import { sql, type Kysely } from 'kysely';
import { isPostgres, postgresTrigger } from './dialect';

// Frozen in time: this file must never import application code.
//
// Full-text search over the decision register. One FTS5 row per decision
// record (rowid = seq). decision_records is append-only, so an AFTER INSERT
// trigger keeps the index complete whatever code path appends; the text is
// drawn from the record's own inputs snapshot, plus the partner's name.

/** The searchable text of a record, as SQL over the record row `r`. */
function columns(r: string) {
  // Only the command the person sent (and, for a new proposal, its description):
  // the judged configuration (criteria, checklists) would match every record.
  const evidence = `CASE WHEN json_valid(${r}.inputs) THEN trim(
      coalesce((SELECT group_concat(value, ' · ') FROM json_tree(${r}.inputs, '$.command')
                 WHERE type = 'text'
                   AND (key IN ('evidence', 'note', 'description', 'mitigation', 'screeningAcknowledgement')
                        OR path LIKE '%.conditions')), '')
      || ' · ' || coalesce(json_extract(${r}.inputs, '$.proposal.eventDescription'), ''), ' ·') ELSE '' END`;
  const agenda = `CASE WHEN json_valid(${r}.inputs) THEN trim(
      coalesce((SELECT group_concat(value, ' · ') FROM json_tree(${r}.inputs, '$.command.input.items')
                 WHERE key = 'text' AND type = 'text'
                   AND json_extract(${r}.inputs, '$.command.type') = 'SUBMIT_AGENDA'), '')
      || ' · ' || coalesce(json_extract(${r}.inputs, '$.judged.item.text'), ''), ' ·') ELSE '' END`;
  const partner = `coalesce((SELECT name FROM partners WHERE id = ${r}.partner_id), '')`;
  // Filter values as tokens ("p12 c3 k1 r40 a7 svalues ocompatiblewithconcerns"): a
  // search with filters is then one FTS query whose rarest term drives it.
  // Underscores would split a token, so outcomes lose them.
  const tags = `'p' || ${r}.partner_id || ' c' || ${r}.chapter_id || ' k' || ${r}.campaign_id || ' r' || ${r}.proposal_id
      || ' a' || coalesce(${r}.actor_id, 0) || ' s' || replace(${r}.step, '_', '') || ' o' || replace(${r}.outcome, '_', '')`;
  return `${r}.rationale, ${evidence}, ${partner}, ${agenda}, ${tags}`;
}

const statements = [
  // remove_diacritics 2: "comite" finds "Comité". Every search word is a prefix
  // query; without a prefix index FTS5 merges the doclists of all matching
  // terms on each query ("partner*": 4 ms at 180k records, 0.02 ms with one),
  // so prefixes of 2 to 8 characters are indexed (the index is about twice as large).
  `CREATE VIRTUAL TABLE decision_search USING fts5(
    rationale, evidence, partner, agenda, tags,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4 5 6 7 8'
  )`,
  `CREATE TRIGGER decision_records_search AFTER INSERT ON decision_records BEGIN
    INSERT INTO decision_search (rowid, rationale, evidence, partner, agenda, tags)
    SELECT new.seq, ${columns('new')};
  END`,
  // A renamed partner is found under its current name.
  `CREATE TRIGGER partners_search_rename AFTER UPDATE OF name ON partners WHEN new.name IS NOT old.name BEGIN
    UPDATE decision_search SET partner = new.name
     WHERE rowid IN (SELECT seq FROM decision_records WHERE partner_id = new.id);
  END`,
  `INSERT INTO decision_search (rowid, rationale, evidence, partner, agenda, tags)
    SELECT d.seq, ${columns('d')} FROM decision_records d ORDER BY d.seq`,
  // The seq range of each UTC day. `at` follows seq only roughly (it is taken
  // before the write lock), so a date filter cannot binary-search seq; with the
  // exact min/max per day it becomes a seq range that every index can use.
  `CREATE TABLE decision_days (
    day TEXT PRIMARY KEY,
    min_seq INTEGER NOT NULL,
    max_seq INTEGER NOT NULL
  ) WITHOUT ROWID`,
  `CREATE TRIGGER decision_records_day AFTER INSERT ON decision_records BEGIN
    INSERT INTO decision_days (day, min_seq, max_seq) VALUES (substr(new.at, 1, 10), new.seq, new.seq)
      ON CONFLICT (day) DO UPDATE SET min_seq = min(min_seq, excluded.min_seq), max_seq = max(max_seq, excluded.max_seq);
  END`,
  `INSERT INTO decision_days (day, min_seq, max_seq)
    SELECT substr(at, 1, 10), min(seq), max(seq) FROM decision_records GROUP BY substr(at, 1, 10)`,
  // Register filters walk seq newest first; these let each single filter do so without sorting.
  `CREATE INDEX decision_records_outcome ON decision_records(outcome, seq)`,
  `CREATE INDEX decision_records_step ON decision_records(step, seq)`,
];

// PostgreSQL has no FTS5. The same five columns (rowid = seq, so queries keep their shape)
// with a tsvector over them and a GIN index: the text search configuration folds accents
// with unaccent, as remove_diacritics does ("comite" finds "Comité"), and does not stem,
// as unicode61 does not. Searches go through websearch_to_tsquery, which accepts any text
// (FTS syntax characters are harmless), and ts_headline gives the snippets. Like unicode61,
// every character that is not a letter or digit separates words: PostgreSQL's parser would
// otherwise keep "co-host", "-12" or an e-mail address as tokens of their own.
// A PostgreSQL database is always new at this point (created empty, or filled by
// npm run db:move, which copies the index rows), so there is nothing to backfill; and the
// index is filled after commit (migration 0060), so there is no insert trigger.
const postgresStatements = [
  'CREATE EXTENSION IF NOT EXISTS unaccent',
  'CREATE TEXT SEARCH CONFIGURATION cosponsor_search (COPY = simple)',
  'ALTER TEXT SEARCH CONFIGURATION cosponsor_search ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple',
  `CREATE TABLE decision_search (
    rowid BIGINT PRIMARY KEY,
    rationale TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT '',
    partner TEXT NOT NULL DEFAULT '',
    agenda TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    document tsvector GENERATED ALWAYS AS (
      to_tsvector('cosponsor_search'::regconfig,
        regexp_replace(rationale || ' ' || evidence || ' ' || partner || ' ' || agenda || ' ' || tags, '[^[:alnum:]]+', ' ', 'g'))
    ) STORED
  )`,
  'CREATE INDEX decision_search_document ON decision_search USING gin (document)',
  ...postgresTrigger(
    'partners_search_rename',
    'AFTER UPDATE OF name',
    'partners',
    'UPDATE decision_search SET partner = new.name WHERE rowid IN (SELECT seq FROM decision_records WHERE partner_id = new.id);',
    'new.name IS DISTINCT FROM old.name',
  ),
  `CREATE TABLE decision_days (
    day TEXT PRIMARY KEY,
    min_seq BIGINT NOT NULL,
    max_seq BIGINT NOT NULL
  )`,
  ...postgresTrigger(
    'decision_records_day',
    'AFTER INSERT',
    'decision_records',
    `INSERT INTO decision_days (day, min_seq, max_seq) VALUES (substr(new.at, 1, 10), new.seq, new.seq)
  ON CONFLICT (day) DO UPDATE SET min_seq = least(decision_days.min_seq, excluded.min_seq), max_seq = greatest(decision_days.max_seq, excluded.max_seq);`,
  ),
  `INSERT INTO decision_days (day, min_seq, max_seq)
    SELECT substr(at, 1, 10), min(seq), max(seq) FROM decision_records GROUP BY substr(at, 1, 10)`,
  `CREATE INDEX decision_records_outcome ON decision_records(outcome, seq)`,
  `CREATE INDEX decision_records_step ON decision_records(step, seq)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of isPostgres(db) ? postgresStatements : statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    for (const statement of [
      'DROP INDEX decision_records_step',
      'DROP INDEX decision_records_outcome',
      'DROP TRIGGER decision_records_day ON decision_records',
      'DROP FUNCTION decision_records_day()',
      'DROP TABLE decision_days',
      'DROP TRIGGER partners_search_rename ON partners',
      'DROP FUNCTION partners_search_rename()',
      'DROP TABLE decision_search',
      'DROP TEXT SEARCH CONFIGURATION cosponsor_search',
    ]) {
      await sql.raw(statement).execute(db);
    }
    return;
  }
  for (const statement of [
    'DROP INDEX decision_records_step',
    'DROP INDEX decision_records_outcome',
    'DROP TRIGGER decision_records_day',
    'DROP TABLE decision_days',
    'DROP TRIGGER partners_search_rename',
    'DROP TRIGGER IF EXISTS decision_records_search',
    'DROP TABLE decision_search',
  ]) {
    await sql.raw(statement).execute(db);
  }
}
