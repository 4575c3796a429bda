import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect';

// Frozen in time: this file must never import application code.
//
// The decision log gets a seal per record and /audit remembers the head it
// verified (docs/decisions/0003-decision-log-hash-chain.md):
// - decision_records.seal: HMAC-SHA256 of the record's hash under a key derived
//   from the log's signing key (kept outside the database). Not part of the
//   hash; it proves a record not yet covered by a signed checkpoint was
//   written by Cosponsor and not inserted into the file directly.
// - audit_runs.tree_size, audit_runs.root_hash: the Merkle tree head of a
//   successful verification, so a later one can tell the log was shortened or
//   rewritten since.

export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw('ALTER TABLE decision_records ADD COLUMN seal TEXT').execute(db);
  await sql.raw(`ALTER TABLE audit_runs ADD COLUMN tree_size ${isPostgres(db) ? 'BIGINT' : 'INTEGER'}`).execute(db);
  await sql.raw('ALTER TABLE audit_runs ADD COLUMN root_hash TEXT').execute(db);
}

export async function down(): Promise<void> {
  throw new Error('The seal column belongs to the decision log, which must not be dropped.');
}
