import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// The checkpoint job verifies only what was added since the last checkpoint
// (docs/decisions/0390-incremental-verification-in-slices.md). It finds the new step submissions
// by the record that decided them (decision_seq greater than the checkpoint's size), and the
// agenda and risk items of those submissions by submission; without these indexes each of those
// lookups read the whole table (the item tables' submission index holds current items only).
// Plain single-column indexes: the same text on SQLite and PostgreSQL.

const statements = [
  'CREATE INDEX step_submissions_decision_seq ON step_submissions(decision_seq)',
  'CREATE INDEX agenda_items_submission ON agenda_items(submission_id)',
  'CREATE INDEX risk_items_submission ON risk_items(submission_id)',
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['risk_items_submission', 'agenda_items_submission', 'step_submissions_decision_seq']) await sql.raw(`DROP INDEX ${name}`).execute(db);
}
