import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect';

// Frozen in time: this file must never import application code.
// The insights page aggregates over the log and the proposals; these indexes hold every
// column its statements read, so each is one pass over a small index, never over the rows
// (whose JSON columns are large). The partial indexes' WHERE clauses and the index
// expressions are repeated word for word by the statements in db/insights.ts, which is
// what lets SQLite use them.
// 1. Records that settle where a proposal stands (decided, withdrawn, expired, sent to review),
//    by month and milestone, so the monthly counts are read in order without sorting.
// 2. Records of the five vetting steps' outcomes (not staff corrections), by step and outcome.
// 3. Decided proposals (approved, rejected, since expired), by the days from submission to
//    decision, so the durations come sorted.
// 4. The current risk items, by kind and category, by the submission and by the proposal they belong to.
// 5. Step submissions by step and time (risk assessments and perception reviews in a date range).

const statements = [
  `CREATE INDEX decision_records_milestones ON decision_records(
     substr(at, 1, 7),
     (CASE WHEN step IN ('decision', 'proposal') AND outcome IN ('approved', 'rejected', 'withdrawn', 'expired') THEN outcome ELSE 'review' END),
     proposal_id, at, chapter_id, campaign_id, step, outcome, to_state, from_state)
   WHERE ((step = 'decision' AND outcome IN ('approved', 'rejected')) OR (step = 'proposal' AND outcome IN ('withdrawn', 'expired')) OR (to_state = 'review' AND from_state IS NOT 'review'))`,
  `CREATE INDEX decision_records_step_outcomes ON decision_records(step, outcome, at, chapter_id, campaign_id)
   WHERE step IN ('values', 'agenda', 'risk', 'perception', 'mou') AND outcome NOT IN ('overridden', 'classified')`,
  `CREATE INDEX proposals_decision_days ON proposals((julianday(decided_at) - julianday(submitted_at)), decided_at, chapter_id, campaign_id, submitted_at, state)
   WHERE decided_at IS NOT NULL AND submitted_at IS NOT NULL AND state IN ('approved', 'rejected', 'expired')`,
  `CREATE INDEX risk_items_current_category ON risk_items(kind, category, proposal_id) WHERE current = 1`,
  `CREATE INDEX risk_items_current_submission ON risk_items(submission_id, kind, category, proposal_id) WHERE current = 1`,
  `CREATE INDEX risk_items_current_proposal ON risk_items(proposal_id, kind, category) WHERE current = 1`,
  `CREATE INDEX step_submissions_step_time ON step_submissions(step, submitted_at, proposal_id)`,
];

// PostgreSQL: SQLite's julianday() of an ISO time (UTC, as every stored time is), as an
// immutable function so that an index may hold it and the statements read the same on both;
// and "IS NOT 'review'" is spelled IS DISTINCT FROM.
const postgresStatements = [
  `CREATE FUNCTION julianday(text) RETURNS double precision LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
     AS $$ SELECT extract(epoch FROM $1::timestamp)::double precision / 86400 + 2440587.5 $$`,
  ...statements.map((s) => s.replace("from_state IS NOT 'review'", "from_state IS DISTINCT FROM 'review'")),
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of isPostgres(db) ? postgresStatements : statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of [
    'step_submissions_step_time',
    'risk_items_current_proposal',
    'risk_items_current_submission',
    'risk_items_current_category',
    'proposals_decision_days',
    'decision_records_step_outcomes',
    'decision_records_milestones',
  ]) {
    await sql.raw(`DROP INDEX ${name}`).execute(db);
  }
  if (isPostgres(db)) await sql.raw('DROP FUNCTION julianday(text)').execute(db);
}
