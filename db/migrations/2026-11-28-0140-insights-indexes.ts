import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// The insights page aggregates over the log and the proposals; these indexes hold every
// column its statements read, so each is one pass over a small index, never over the rows
// (whose JSON columns are large). The partial indexes' WHERE clauses are repeated word for
// word by the statements in db/insights.ts, which is what lets SQLite use them.
// 1. Records that settle where a proposal stands: decided, withdrawn, expired, or sent to review.
// 2. Records of the five vetting steps, by step and outcome.
// 3. Decided proposals, by decision time, with their submission time.
// 4. The current risk items, by kind and category.
// 5. Perception reviews, each proposal's newest found from the index.

const statements = [
  `CREATE INDEX decision_records_milestones ON decision_records(at, step, outcome, chapter_id, campaign_id, proposal_id, to_state, from_state)
     WHERE ((step = 'decision' AND outcome IN ('approved', 'rejected')) OR (step = 'proposal' AND outcome IN ('withdrawn', 'expired')) OR (to_state = 'review' AND from_state IS NOT 'review'))`,
  `CREATE INDEX decision_records_step_outcomes ON decision_records(step, outcome, at, chapter_id, campaign_id)
     WHERE step IN ('values', 'agenda', 'risk', 'perception', 'mou')`,
  `CREATE INDEX proposals_decided ON proposals(decided_at, submitted_at, state, chapter_id, campaign_id) WHERE decided_at IS NOT NULL`,
  `CREATE INDEX risk_items_current_category ON risk_items(kind, category, proposal_id, submission_id) WHERE current = 1`,
  `CREATE INDEX step_submissions_perception ON step_submissions(proposal_id, id, submitted_at) WHERE step = 'perception'`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of [
    'step_submissions_perception',
    'risk_items_current_category',
    'proposals_decided',
    'decision_records_step_outcomes',
    'decision_records_milestones',
  ]) {
    await sql.raw(`DROP INDEX ${name}`).execute(db);
  }
}
