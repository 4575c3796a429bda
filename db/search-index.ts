import type SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { all, changeToken, database, first, getDb, qb, raw, run, transaction } from './connection';
import type { DecisionSearchTable } from './schema';

// The full-text index of the register (table decision_search, one row per
// decision record, rowid = seq) is derived data: it is filled after the
// decision commits, from the highest indexed seq on. Searches call
// catchUpSearchIndex() first, so a search never misses a committed record.
// SQLite derives the five columns in SQL (FTS5); PostgreSQL from the same record
// fields in searchColumnsOf() below, which yields the same text (a test compares them).

/** The searchable text of a record, as SQL over the record row `r`: rationale, evidence, partner, agenda, tags. */
function columns(r: string): string[] {
  // Only what the person sent (and a new proposal's description): the judged
  // configuration (criteria, checklists) would match every record.
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
  // Filter values as tokens, so a search with filters is one FTS query.
  const tags = `'p' || ${r}.partner_id || ' c' || ${r}.chapter_id || ' k' || ${r}.campaign_id || ' r' || ${r}.proposal_id
      || ' a' || coalesce(${r}.actor_id, 0) || ' s' || replace(${r}.step, '_', '') || ' o' || replace(${r}.outcome, '_', '')`;
  return [`${r}.rationale`, evidence, partner, agenda, tags];
}

const CATCH_UP_SQL = `INSERT INTO decision_search (rowid, rationale, evidence, partner, agenda, tags)
  SELECT d.seq, ${columns('d').join(', ')} FROM decision_records d
   WHERE d.seq > coalesce((SELECT rowid FROM decision_search ORDER BY rowid DESC LIMIT 1), 0)
   ORDER BY d.seq
   LIMIT ?`;

/** The SQLite derivation over every record (for the test that holds searchColumnsOf to it). */
export const SQLITE_COLUMNS_SQL = `SELECT d.seq AS rowid, ${columns('d')
  .map((expression, i) => `${expression} AS ${['rationale', 'evidence', 'partner', 'agenda', 'tags'][i]}`)
  .join(', ')} FROM decision_records d ORDER BY d.seq`;

// A backlog (a restored copy, a bulk load) is indexed in short write transactions, so that a
// decision waiting for the write lock never waits out its busy timeout behind the whole backlog.
const BATCH_RECORDS = 2_000;

/** The catch-up's statements, made once per connection: every search runs the check, and preparing them cost more than running it. */
type CatchUp = {
  head: SQLite.Statement;
  indexedUpTo: SQLite.Statement;
  batch: SQLite.Transaction<(limit: number) => number>;
  /** The change token (changeToken) at which the index was last found complete: nothing to check while it holds. */
  completeAt: string | null;
};
const catchUps = new WeakMap<SQLite.Database, CatchUp>();

function catchUpStatements(sqlite: SQLite.Database): CatchUp {
  let made = catchUps.get(sqlite);
  if (!made) {
    const insert = sqlite.prepare(CATCH_UP_SQL);
    made = {
      head: sqlite.prepare('SELECT max(seq) AS seq FROM decision_records'),
      indexedUpTo: sqlite.prepare('SELECT rowid AS seq FROM decision_search ORDER BY rowid DESC LIMIT 1'),
      // IMMEDIATE: two processes catching up at once do not index a record twice.
      batch: sqlite.transaction((limit: number) => insert.run(limit).changes),
      completeAt: null,
    };
    catchUps.set(sqlite, made);
  }
  return made;
}

/**
 * Indexes every record committed since the last call (at most `maxBatches` batches), a batch per
 * transaction; returns how many.
 */
export function catchUpSearchIndex(batchRecords = BATCH_RECORDS, maxBatches = Infinity): number {
  if (database().kind === 'postgres') return catchUpOnPostgres(batchRecords, maxBatches);
  const statements = catchUpStatements(getDb().sqlite);
  const { head, indexedUpTo, batch } = statements;
  // Read before the check: a record committed after it changes the token, so it is checked for.
  const token = changeToken();
  if (token !== null && statements.completeAt === token) return 0;
  const newest = (head.get() as { seq: number | null }).seq ?? 0;
  const indexed = () => (indexedUpTo.get() as { seq: number } | undefined)?.seq ?? 0;
  let total = 0;
  for (let batches = 0; batches < maxBatches && indexed() < newest; batches++) {
    const added = batch.immediate(batchRecords);
    if (added === 0) break;
    total += added;
  }
  // Only a check that wrote nothing proves the index complete at that token (writing moves it).
  statements.completeAt = total === 0 && indexed() >= newest ? token : null;
  return total;
}

// ---- PostgreSQL ----

export type IndexedRecord = {
  seq: number;
  rationale: string;
  inputs: string;
  partner_name: string | null;
  partner_id: number;
  chapter_id: number;
  campaign_id: number;
  proposal_id: number;
  actor_id: number | null;
  step: string;
  outcome: string;
};

const EVIDENCE_KEYS = new Set(['evidence', 'note', 'description', 'mitigation', 'screeningAcknowledgement']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON value as SQLite's json_extract returns it, concatenated as text (null: SQL NULL). */
function extractedText(value: Json | undefined): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

function member(value: Json | undefined, ...path: string[]): Json | undefined {
  let at = value;
  for (const key of path) {
    if (at === null || typeof at !== 'object' || Array.isArray(at)) return undefined;
    at = Object.prototype.hasOwnProperty.call(at, key) ? at[key] : undefined;
  }
  return at;
}

/**
 * The strings below `root` (not root itself), in document order, as json_tree walks them:
 * each with its key and the key of the object member holding it (null inside an array or at the top).
 */
function eachString(root: Json | undefined, visit: (value: string, key: string | number, containerKey: string | null) => void): void {
  const walk = (value: Json, containerKey: string | null) => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (typeof item === 'string') visit(item, i, containerKey);
        else if (item !== null && typeof item === 'object') walk(item, null);
      });
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (typeof item === 'string') visit(item, key, containerKey);
        else if (item !== null && typeof item === 'object') walk(item, key);
      }
    }
  };
  if (root !== undefined && root !== null && typeof root === 'object') walk(root, null);
}

/** SQLite's trim(x, ' ·'). */
const trimSeparators = (text: string) => text.replace(/^[ ·]+|[ ·]+$/g, '');

/**
 * The five searchable columns of a record, exactly as SQLite's SQL above derives them:
 * strings under the command (evidence-like keys, or inside a `conditions` member) and a new
 * proposal's description; the agenda items' texts; the partner's name; the filter tags.
 */
export function searchColumnsOf(record: IndexedRecord): Omit<DecisionSearchTable, 'rowid'> {
  let inputs: Json | undefined;
  try {
    inputs = JSON.parse(record.inputs) as Json;
  } catch {
    inputs = undefined;
  }
  let evidence = '';
  let agenda = '';
  if (inputs !== undefined) {
    const found: string[] = [];
    // json_tree's path LIKE '%.conditions': the holder is a member named conditions (LIKE ignores ASCII case).
    eachString(member(inputs, 'command'), (value, key, containerKey) => {
      if ((typeof key === 'string' && EVIDENCE_KEYS.has(key)) || containerKey?.toLowerCase() === 'conditions') found.push(value);
    });
    evidence = trimSeparators(`${found.join(' · ')} · ${extractedText(member(inputs, 'proposal', 'eventDescription')) ?? ''}`);
    const items: string[] = [];
    if (member(inputs, 'command', 'type') === 'SUBMIT_AGENDA') {
      eachString(member(inputs, 'command', 'input', 'items'), (value, key) => {
        if (key === 'text') items.push(value);
      });
    }
    agenda = trimSeparators(`${items.join(' · ')} · ${extractedText(member(inputs, 'judged', 'item', 'text')) ?? ''}`);
  }
  const tags = [
    `p${record.partner_id}`,
    `c${record.chapter_id}`,
    `k${record.campaign_id}`,
    `r${record.proposal_id}`,
    `a${record.actor_id ?? 0}`,
    `s${record.step.replace(/_/g, '')}`,
    `o${record.outcome.replace(/_/g, '')}`,
  ].join(' ');
  return { rationale: record.rationale, evidence, partner: record.partner_name ?? '', agenda, tags };
}

function indexedUpTo(): number {
  return Number(first(qb().selectFrom('decision_search').select('rowid').orderBy('rowid', 'desc').limit(1))?.rowid ?? 0);
}

function recordsAfter(seq: number, limit: number): IndexedRecord[] {
  return all(
    qb()
      .selectFrom('decision_records as d')
      .leftJoin('partners as p', 'p.id', 'd.partner_id')
      .select([
        'd.seq',
        'd.rationale',
        'd.inputs',
        'p.name as partner_name',
        'd.partner_id',
        'd.chapter_id',
        'd.campaign_id',
        'd.proposal_id',
        'd.actor_id',
        'd.step',
        'd.outcome',
      ])
      .where('d.seq', '>', seq)
      .orderBy('d.seq')
      .limit(limit),
  );
}

// Rows per INSERT: five text columns each, well under PostgreSQL's 65,535 parameters.
const INSERT_ROWS = 500;

/**
 * The batch is read and its text derived outside the write lock; the rows go in under it, and
 * only if nobody indexed past the same point meanwhile (another instance catching up at once),
 * so no record is indexed twice (the rowid key is the backstop).
 */
function catchUpOnPostgres(batchRecords: number, maxBatches: number): number {
  const newest = Number(first(raw(sql<{ seq: number | null }>`SELECT max(seq) AS seq FROM decision_records`))?.seq ?? 0);
  let total = 0;
  for (let batches = 0; batches < maxBatches; batches++) {
    const from = indexedUpTo();
    if (from >= newest) break;
    const records = recordsAfter(from, batchRecords);
    if (records.length === 0) break;
    const rows = records.map((r) => ({ rowid: r.seq, ...searchColumnsOf(r) }));
    const added = transaction(() => {
      if (indexedUpTo() !== from) return null;
      let n = 0;
      for (let i = 0; i < rows.length; i += INSERT_ROWS) n += run(qb().insertInto('decision_search').values(rows.slice(i, i + INSERT_ROWS))).changes;
      return n;
    });
    if (added === null) continue;
    total += added;
  }
  return total;
}
