import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// The one-time token of the new-proposal form, kept with the proposal it
// created: a repeated post (a double click, a resent form) finds that proposal
// instead of creating a second one. Unique, so even two processes cannot both insert.

export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(`ALTER TABLE proposals ADD COLUMN creation_token TEXT`).execute(db);
  await sql.raw(`CREATE UNIQUE INDEX proposals_creation_token ON proposals(creation_token) WHERE creation_token IS NOT NULL`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`DROP INDEX proposals_creation_token`).execute(db);
  await sql.raw(`ALTER TABLE proposals DROP COLUMN creation_token`).execute(db);
}
