import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect';

// Frozen in time: this file must never import application code.
//
// The full-text index is derived from the log, so it no longer has to be
// written inside each decision's transaction: the trigger goes, and the index
// catches up from the highest indexed seq before every search
// (docs/decisions/0012-search-index-after-commit.md). A decision's commit then
// writes about a third fewer pages.
// Indexes that no query needs any more, each a page written per decision:
// (step, outcome, seq) is covered by (step, seq), (outcome, seq) and the search
// index; date filters become seq ranges through decision_days, so `at` needs
// none; step_submissions(proposal_id, step, id) is a prefix of the covering
// step_submissions_standing index.

export async function up(db: Kysely<any>): Promise<void> {
  // PostgreSQL never had the trigger (its index is filled after commit from the start).
  if (!isPostgres(db)) await sql.raw('DROP TRIGGER IF EXISTS decision_records_search').execute(db);
  await sql.raw('DROP INDEX IF EXISTS decision_records_step_outcome').execute(db);
  await sql.raw('DROP INDEX IF EXISTS decision_records_at').execute(db);
  await sql.raw('DROP INDEX IF EXISTS step_submissions_proposal').execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('CREATE INDEX decision_records_step_outcome ON decision_records(step, outcome, seq)').execute(db);
  await sql.raw('CREATE INDEX decision_records_at ON decision_records(at)').execute(db);
  await sql.raw('CREATE INDEX step_submissions_proposal ON step_submissions(proposal_id, step, id)').execute(db);
}
