import { sql, type Kysely } from 'kysely';
import { ddl } from './dialect';

// Frozen in time: this file must never import application code.
// Which server process runs the background jobs: one row per job group, held by one process
// until its lease expires. The holder renews it; when the holder dies the lease runs out and
// another process takes it over.

export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      ddl(
        db,
        `CREATE TABLE job_leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      )`,
      ),
    )
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`DROP TABLE job_leases`).execute(db);
}
