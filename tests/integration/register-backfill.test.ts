import { describe, expect, it } from 'vitest';
import { getDb } from '../../db/connection';
import * as registerSearch from '../../db/migrations/2026-11-22-0010-register-search';
import { searchDecisions } from '../../db/register';

// The migration indexes records that existed before it: rebuilding it over
// the seeded log must give exactly what the insert triggers gave.

function snapshot() {
  const sqlite = getDb().sqlite;
  return {
    search: sqlite.prepare('SELECT rowid, rationale, evidence, partner, agenda, tags FROM decision_search ORDER BY rowid').all(),
    days: sqlite.prepare('SELECT * FROM decision_days ORDER BY day').all(),
  };
}

describe('the register-search migration', () => {
  it('backfills the index and the day table from existing records', async () => {
    const sqlite = getDb().sqlite;
    const filledByTriggers = snapshot();
    expect(filledByTriggers.search.length).toBeGreaterThan(20);
    const sample = filledByTriggers.search.find((r) => (r as { agenda: string }).agenda.includes('Masafer Yatta'));
    expect(sample).toBeDefined();

    await registerSearch.down(getDb().kysely);
    expect(sqlite.prepare("SELECT name FROM sqlite_master WHERE name IN ('decision_search', 'decision_days')").all()).toEqual([]);
    await registerSearch.up(getDb().kysely);

    expect(snapshot()).toEqual(filledByTriggers);
    expect(searchDecisions({ q: 'Masafer' }).rows.length).toBeGreaterThan(0);
  });
});
