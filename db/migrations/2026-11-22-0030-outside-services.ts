import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// Outside services: an outbox row can end as failed (given up after its last
// retry), and a screening keeps what was asked and where the answer came from.

const statements = [
  `ALTER TABLE outbox ADD COLUMN failed_at TEXT`,
  `DROP INDEX outbox_pending`,
  `CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL`,
  `ALTER TABLE screenings ADD COLUMN source TEXT NOT NULL DEFAULT ''`,
  `ALTER TABLE screenings ADD COLUMN query TEXT NOT NULL DEFAULT '{}'`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`DROP INDEX outbox_pending`).execute(db);
  await sql.raw(`CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE delivered_at IS NULL`).execute(db);
  for (const column of ['failed_at']) await sql.raw(`ALTER TABLE outbox DROP COLUMN ${column}`).execute(db);
  for (const column of ['source', 'query']) await sql.raw(`ALTER TABLE screenings DROP COLUMN ${column}`).execute(db);
}
