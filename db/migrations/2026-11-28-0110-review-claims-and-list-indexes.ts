import { sql, type Kysely } from 'kysely';
import { ddl } from './dialect';

// Frozen in time: this file must never import application code.
// 1. Who is reviewing a proposal ("I'm reviewing this"): one row per proposal at most, so two
//    staff members cannot hold it at once. A working note, not a decision: the decision log is
//    untouched, and the row goes when the person releases it. A claim belongs to one review
//    round (the proposal's submitted_at when taken): after a decision and a new submission it
//    no longer counts.
// 2. The proposal lists page by (updated_at, id), newest first, per chapter or across chapters.

export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      ddl(
        db,
        `CREATE TABLE review_claims (
        proposal_id INTEGER PRIMARY KEY REFERENCES proposals(id),
        user_id INTEGER NOT NULL REFERENCES users(id),
        round TEXT NOT NULL,
        claimed_at TEXT NOT NULL
      )`,
      ),
    )
    .execute(db);
  await sql.raw(`CREATE INDEX review_claims_user ON review_claims(user_id)`).execute(db);
  await sql.raw(`CREATE INDEX proposals_updated_id ON proposals(updated_at, id)`).execute(db);
  await sql.raw(`CREATE INDEX proposals_chapter_updated_id ON proposals(chapter_id, updated_at, id)`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`DROP INDEX proposals_chapter_updated_id`).execute(db);
  await sql.raw(`DROP INDEX proposals_updated_id`).execute(db);
  await sql.raw(`DROP TABLE review_claims`).execute(db);
}
