import { describe, expect, it } from 'vitest';
import { all, database, qb, useDatabase } from '../../db/connection';
import { migrateToLatest } from '../../db/migrate';
import { seedScale } from '../../scripts/seed/scale';
import { freshDatabase } from '../support/db';
import { freshPostgresDatabase } from '../support/postgres';

// The scale generator builds a register through the real services from a seeded random
// sequence. Everything it reads back must come in the same order on both databases, or the
// same seed builds another register there (the campaigns once came by key on SQLite, by id
// on PostgreSQL). The times differ (the clock ends now); the log, step by step, must not.

const N = 40;

function register() {
  return {
    records: all(
      qb().selectFrom('decision_records').select(['seq', 'proposal_id', 'step', 'outcome', 'actor_name', 'rationale', 'from_state', 'to_state']).orderBy('seq'),
    ),
    proposals: all(qb().selectFrom('proposals').select(['id', 'partner_id', 'chapter_id', 'campaign_id', 'event_title', 'state']).orderBy('id')),
  };
}

describe('the scale seed', () => {
  it('builds the same register on SQLite and on PostgreSQL', async () => {
    // This file runs in the SQLite pass only: its first database is a SQLite file.
    expect(freshDatabase('empty').kind).toBe('sqlite');
    const onSqlite = await seedScale(N);
    const sqliteRegister = register();

    useDatabase(await freshPostgresDatabase());
    await migrateToLatest(database());
    const onPostgres = await seedScale(N);
    const postgresRegister = register();

    expect(onPostgres.byState).toEqual(onSqlite.byState);
    expect(postgresRegister.proposals).toEqual(sqliteRegister.proposals);
    expect(postgresRegister.records).toEqual(sqliteRegister.records);
    expect(sqliteRegister.records.length).toBeGreaterThan(N * 3);
  }, 120_000);
});
