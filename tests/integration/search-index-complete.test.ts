import { describe, expect, it } from 'vitest';
import SQLite from 'better-sqlite3';
import { searchDecisions } from '../../db/register';
import { currentDatabasePath } from '../support/db';
import { sqlRun } from '../support/sql';

// A search checks that the index holds every committed record only when the database changed
// since it last found it complete (db/search-index.ts): a record committed by another process
// (a second worker) or by this one is found by the very next search.

/** A copy of the newest record with this rationale, under the next seq, as a raw insert. */
const NEXT_RECORD = `INSERT INTO decision_records (seq, proposal_id, partner_id, chapter_id, campaign_id, step, outcome, actor_id,
    actor_name, actor_role, at, rationale, inputs, config_versions, from_state, to_state, prev_hash, proposal_prev_hash, hash)
  SELECT seq + 1, proposal_id, partner_id, chapter_id, campaign_id, step, outcome, actor_id, actor_name, actor_role, at, ?,
    inputs, config_versions, from_state, to_state, hash, proposal_prev_hash, ?
  FROM decision_records ORDER BY seq DESC LIMIT 1`;

describe('the register search index', () => {
  it('finds a record another connection committed after the index was last found complete', () => {
    expect(searchDecisions({ q: 'quetzalcoatlus' }).rows).toEqual([]);
    expect(searchDecisions({ q: 'quetzalcoatlus' }).rows).toEqual([]);
    const other = new SQLite(currentDatabasePath());
    try {
      other.prepare(NEXT_RECORD).run('A quetzalcoatlus flew over the hall.', 'f'.repeat(64));
    } finally {
      other.close();
    }
    expect(searchDecisions({ q: 'quetzalcoatlus' }).rows.map((r) => r.rationale)).toEqual(['A quetzalcoatlus flew over the hall.']);
  });

  it('finds a record this process committed after the index was last found complete', () => {
    expect(searchDecisions({ q: 'archaeopteryx' }).rows).toEqual([]);
    sqlRun(NEXT_RECORD, 'An archaeopteryx was sighted.', 'e'.repeat(64));
    expect(searchDecisions({ q: 'archaeopteryx' }).rows.map((r) => r.rationale)).toEqual(['An archaeopteryx was sighted.']);
  });
});
