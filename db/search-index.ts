import { dialect, getDb } from './connection';

// The full-text index of the register (FTS5 table decision_search, one row per
// decision record, rowid = seq) is derived data: it is filled after the
// decision commits, from the highest indexed seq on. Searches call
// catchUpSearchIndex() first, so a search never misses a committed record.

/** The searchable text of a record, as SQL over the record row `r`. */
function columns(r: string) {
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
  return `${r}.rationale, ${evidence}, ${partner}, ${agenda}, ${tags}`;
}

const CATCH_UP_SQL = `INSERT INTO decision_search (rowid, rationale, evidence, partner, agenda, tags)
  SELECT d.seq, ${columns('d')} FROM decision_records d
   WHERE d.seq > coalesce((SELECT rowid FROM decision_search ORDER BY rowid DESC LIMIT 1), 0)
   ORDER BY d.seq
   LIMIT ?`;

// A backlog (a restored copy, a bulk load) is indexed in short write transactions, so that a
// decision waiting for the write lock never waits out its busy timeout behind the whole backlog.
const BATCH_RECORDS = 2_000;

/** Indexes every record committed since the last call, a batch per transaction; returns how many. */
export function catchUpSearchIndex(batchRecords = BATCH_RECORDS): number {
  // PostgreSQL's index is not filled yet: its search finds nothing rather than failing.
  if (dialect() === 'postgres') return 0;
  const sqlite = getDb().sqlite;
  const head = sqlite.prepare('SELECT max(seq) AS seq FROM decision_records').get() as { seq: number | null };
  const newest = head.seq ?? 0;
  const indexedUpTo = () =>
    (sqlite.prepare('SELECT rowid AS seq FROM decision_search ORDER BY rowid DESC LIMIT 1').get() as { seq: number } | undefined)?.seq ?? 0;
  const insert = sqlite.prepare(CATCH_UP_SQL);
  // IMMEDIATE: two processes catching up at once do not index a record twice.
  const batch = sqlite.transaction(() => insert.run(batchRecords).changes);
  let total = 0;
  while (indexedUpTo() < newest) {
    const added = batch.immediate();
    if (added === 0) break;
    total += added;
  }
  return total;
}
