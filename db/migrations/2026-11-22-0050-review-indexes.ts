import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// Staff review: the scheduler's sweep and the re-vetting list range over
// (state, approved_until); the queue reads each step's standing outcome
// from the index alone, never touching the large JSON columns of the rows.

const statements = [
  `CREATE INDEX proposals_state_approved_until ON proposals(state, approved_until)`,
  `CREATE INDEX step_submissions_standing ON step_submissions(proposal_id, step, id, outcome, decision_seq)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`DROP INDEX step_submissions_standing`).execute(db);
  await sql.raw(`DROP INDEX proposals_state_approved_until`).execute(db);
}
