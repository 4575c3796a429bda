import { sql, type Kysely } from 'kysely';
import { isPostgres, postgresDdl, postgresTrigger } from './dialect';

// Frozen in time: this file must never import application code.
// Screening that remembers (docs/outside-services.md):
// 1. The scheduled rescan finds a partner's latest screening, whatever proposal it was for.
// 2. A hit the rescan finds on an approved partnership raises one alert per proposal and listed
//    entity: the unique key is what makes a second rescan with the same hit raise nothing.
//    The judgment that a hit is "not a true match" is a decision record, not a row here.
// Insights at scale (issue 17, item 5), kept by triggers like migration 0125's counts:
// 3. How often each step ended with each outcome, per chapter and campaign (all time), per month
//    and per month, chapter and campaign, so the page sums a few thousand rows instead of counting a hundred thousand
//    records. The WHEN clause is the one of the partial index decision_records_step_outcomes
//    (migration 0140). Records are only ever appended, so an insert trigger keeps both.
// 4. The checklist items each proposal's latest perception review made a condition, extracted
//    from the review's JSON once, when it is written, instead of on every page view.
// 5. Decided proposals by chapter and by campaign, then by the days from submission to decision
//    (the expression and WHERE of proposals_decision_days, migration 0140): each group's median
//    and 90th percentile are then read at their rank, without reading every duration.

const statements = [
  `CREATE INDEX screenings_partner ON screenings(partner_id, id)`,
  `CREATE TABLE screening_alerts (
    id INTEGER PRIMARY KEY,
    proposal_id INTEGER NOT NULL REFERENCES proposals(id),
    partner_id INTEGER NOT NULL REFERENCES partners(id),
    entity_id TEXT NOT NULL,
    caption TEXT NOT NULL,
    screening_id INTEGER NOT NULL REFERENCES screenings(id),
    raised_at TEXT NOT NULL,
    UNIQUE (proposal_id, entity_id)
  )`,
  `CREATE INDEX screening_alerts_partner ON screening_alerts(partner_id, entity_id)`,
  `CREATE TABLE insights_step_counts (
    chapter_id INTEGER NOT NULL,
    campaign_id INTEGER NOT NULL,
    step TEXT NOT NULL,
    outcome TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (chapter_id, campaign_id, step, outcome)
  ) WITHOUT ROWID`,
  `CREATE TABLE insights_step_month_counts (
    month TEXT NOT NULL,
    chapter_id INTEGER NOT NULL,
    campaign_id INTEGER NOT NULL,
    step TEXT NOT NULL,
    outcome TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (month, chapter_id, campaign_id, step, outcome)
  ) WITHOUT ROWID`,
  `CREATE TABLE insights_step_month_totals (
    month TEXT NOT NULL,
    step TEXT NOT NULL,
    outcome TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (month, step, outcome)
  ) WITHOUT ROWID`,
  `INSERT INTO insights_step_month_totals (month, step, outcome, n)
     SELECT substr(at, 1, 7), step, outcome, count(*) FROM decision_records
      WHERE step IN ('values', 'agenda', 'risk', 'perception', 'mou') AND outcome NOT IN ('overridden', 'classified')
      GROUP BY substr(at, 1, 7), step, outcome`,
  `INSERT INTO insights_step_counts (chapter_id, campaign_id, step, outcome, n)
     SELECT chapter_id, campaign_id, step, outcome, count(*) FROM decision_records
      WHERE step IN ('values', 'agenda', 'risk', 'perception', 'mou') AND outcome NOT IN ('overridden', 'classified')
      GROUP BY chapter_id, campaign_id, step, outcome`,
  `INSERT INTO insights_step_month_counts (month, chapter_id, campaign_id, step, outcome, n)
     SELECT substr(at, 1, 7), chapter_id, campaign_id, step, outcome, count(*) FROM decision_records
      WHERE step IN ('values', 'agenda', 'risk', 'perception', 'mou') AND outcome NOT IN ('overridden', 'classified')
      GROUP BY substr(at, 1, 7), chapter_id, campaign_id, step, outcome`,
  `CREATE TRIGGER insights_step_counts_insert AFTER INSERT ON decision_records
     WHEN new.step IN ('values', 'agenda', 'risk', 'perception', 'mou') AND new.outcome NOT IN ('overridden', 'classified') BEGIN
     INSERT INTO insights_step_counts (chapter_id, campaign_id, step, outcome, n) VALUES (new.chapter_id, new.campaign_id, new.step, new.outcome, 1)
       ON CONFLICT DO UPDATE SET n = n + 1;
     INSERT INTO insights_step_month_counts (month, chapter_id, campaign_id, step, outcome, n)
       VALUES (substr(new.at, 1, 7), new.chapter_id, new.campaign_id, new.step, new.outcome, 1)
       ON CONFLICT DO UPDATE SET n = n + 1;
     INSERT INTO insights_step_month_totals (month, step, outcome, n) VALUES (substr(new.at, 1, 7), new.step, new.outcome, 1)
       ON CONFLICT DO UPDATE SET n = n + 1;
   END`,
  `CREATE INDEX proposals_decision_days_by_chapter ON proposals(chapter_id, (julianday(decided_at) - julianday(submitted_at)), decided_at, campaign_id)
   WHERE decided_at IS NOT NULL AND submitted_at IS NOT NULL AND state IN ('approved', 'rejected', 'expired')`,
  `CREATE INDEX proposals_decision_days_by_campaign ON proposals(campaign_id, (julianday(decided_at) - julianday(submitted_at)), decided_at, chapter_id)
   WHERE decided_at IS NOT NULL AND submitted_at IS NOT NULL AND state IN ('approved', 'rejected', 'expired')`,
  `CREATE TABLE insights_perception_conditions (
    proposal_id INTEGER NOT NULL,
    item TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    PRIMARY KEY (proposal_id, item)
  ) WITHOUT ROWID`,
  `CREATE INDEX insights_perception_conditions_item ON insights_perception_conditions(item, submitted_at, proposal_id)`,
  `INSERT INTO insights_perception_conditions (proposal_id, item, submitted_at)
     SELECT s.proposal_id, j.key, s.submitted_at FROM step_submissions AS s, json_each(s.data, '$.answers') AS j
      WHERE s.step = 'perception' AND j.value ->> 'answer' = 'condition'
        AND s.id = (SELECT MAX(t.id) FROM step_submissions AS t WHERE t.proposal_id = s.proposal_id AND t.step = 'perception')`,
  ...(['INSERT', 'DELETE', 'UPDATE'] as const).map(
    (event) => `CREATE TRIGGER insights_perception_conditions_${event.toLowerCase()} AFTER ${event} ON step_submissions
     WHEN ${event === 'INSERT' ? 'new' : 'old'}.step = 'perception'${event === 'UPDATE' ? " OR new.step = 'perception'" : ''} BEGIN
     ${['new', 'old']
       .filter((row) => (row === 'new' ? event !== 'DELETE' : event !== 'INSERT'))
       .map(
         (row) => `DELETE FROM insights_perception_conditions WHERE proposal_id = ${row}.proposal_id;
     INSERT INTO insights_perception_conditions (proposal_id, item, submitted_at)
       SELECT s.proposal_id, j.key, s.submitted_at FROM step_submissions AS s, json_each(s.data, '$.answers') AS j
        WHERE s.id = (SELECT MAX(t.id) FROM step_submissions AS t WHERE t.proposal_id = ${row}.proposal_id AND t.step = 'perception')
          AND j.value ->> 'answer' = 'condition';`,
       )
       .join('\n     ')}
   END`,
  ),
];

// The same on PostgreSQL: ddl types (identity ids, BIGINT, no WITHOUT ROWID), each trigger body a
// PL/pgSQL function, an upsert naming its key and the row it adds to, and the review's JSON read
// with jsonb functions. json_each over '$.answers' yields an object's members; jsonb_each refuses
// anything but an object, so the CASE turns any other answers (never written: the perception
// form's schema makes them an object) into no conditions instead of failing the write.
const perceptionConditionsFrom = (data: string) =>
  `jsonb_each(CASE WHEN jsonb_typeof(${data}::jsonb -> 'answers') = 'object' THEN ${data}::jsonb -> 'answers' END)`;

const STEP_COUNTS_WHEN = "new.step IN ('values', 'agenda', 'risk', 'perception', 'mou') AND new.outcome NOT IN ('overridden', 'classified')";

const PERCEPTION_TRIGGERS = [
  { event: 'INSERT', rows: ['new'], when: "new.step = 'perception'" },
  { event: 'DELETE', rows: ['old'], when: "old.step = 'perception'" },
  { event: 'UPDATE', rows: ['new', 'old'], when: "old.step = 'perception' OR new.step = 'perception'" },
] as const;

const postgresStatements = [
  ...statements.filter((s) => s.startsWith('CREATE TABLE') || s.startsWith('CREATE INDEX')).map(postgresDdl),
  ...statements.filter((s) => s.startsWith('INSERT INTO insights_step_')),
  `INSERT INTO insights_perception_conditions (proposal_id, item, submitted_at)
     SELECT s.proposal_id, j.key, s.submitted_at FROM step_submissions AS s, ${perceptionConditionsFrom('s.data')} AS j
      WHERE s.step = 'perception' AND j.value ->> 'answer' = 'condition'
        AND s.id = (SELECT MAX(t.id) FROM step_submissions AS t WHERE t.proposal_id = s.proposal_id AND t.step = 'perception')`,
  ...postgresTrigger(
    'insights_step_counts_insert',
    'AFTER INSERT',
    'decision_records',
    `INSERT INTO insights_step_counts (chapter_id, campaign_id, step, outcome, n) VALUES (new.chapter_id, new.campaign_id, new.step, new.outcome, 1)
  ON CONFLICT (chapter_id, campaign_id, step, outcome) DO UPDATE SET n = insights_step_counts.n + 1;
INSERT INTO insights_step_month_counts (month, chapter_id, campaign_id, step, outcome, n)
  VALUES (substr(new.at, 1, 7), new.chapter_id, new.campaign_id, new.step, new.outcome, 1)
  ON CONFLICT (month, chapter_id, campaign_id, step, outcome) DO UPDATE SET n = insights_step_month_counts.n + 1;
INSERT INTO insights_step_month_totals (month, step, outcome, n) VALUES (substr(new.at, 1, 7), new.step, new.outcome, 1)
  ON CONFLICT (month, step, outcome) DO UPDATE SET n = insights_step_month_totals.n + 1;`,
    STEP_COUNTS_WHEN,
  ),
  ...PERCEPTION_TRIGGERS.flatMap(({ event, rows, when }) =>
    postgresTrigger(
      `insights_perception_conditions_${event.toLowerCase()}`,
      `AFTER ${event}`,
      'step_submissions',
      rows
        .map(
          (row) => `DELETE FROM insights_perception_conditions WHERE proposal_id = ${row}.proposal_id;
INSERT INTO insights_perception_conditions (proposal_id, item, submitted_at)
  SELECT s.proposal_id, j.key, s.submitted_at FROM step_submissions AS s, ${perceptionConditionsFrom('s.data')} AS j
   WHERE s.id = (SELECT MAX(t.id) FROM step_submissions AS t WHERE t.proposal_id = ${row}.proposal_id AND t.step = 'perception')
     AND j.value ->> 'answer' = 'condition';`,
        )
        .join('\n'),
      when,
    ),
  ),
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of isPostgres(db) ? postgresStatements : statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    for (const [name, table] of [
      ['insights_perception_conditions_insert', 'step_submissions'],
      ['insights_perception_conditions_delete', 'step_submissions'],
      ['insights_perception_conditions_update', 'step_submissions'],
      ['insights_step_counts_insert', 'decision_records'],
    ]) {
      await sql.raw(`DROP TRIGGER ${name} ON ${table}`).execute(db);
      await sql.raw(`DROP FUNCTION ${name}()`).execute(db);
    }
    for (const table of ['insights_perception_conditions', 'insights_step_month_totals', 'insights_step_month_counts', 'insights_step_counts', 'screening_alerts']) {
      await sql.raw(`DROP TABLE ${table}`).execute(db);
    }
    for (const index of ['proposals_decision_days_by_chapter', 'proposals_decision_days_by_campaign', 'screenings_partner']) await sql.raw(`DROP INDEX ${index}`).execute(db);
    return;
  }
  for (const event of ['insert', 'delete', 'update']) await sql.raw(`DROP TRIGGER insights_perception_conditions_${event}`).execute(db);
  await sql.raw(`DROP TABLE insights_perception_conditions`).execute(db);
  for (const by of ['chapter', 'campaign']) await sql.raw(`DROP INDEX proposals_decision_days_by_${by}`).execute(db);
  await sql.raw(`DROP TRIGGER insights_step_counts_insert`).execute(db);
  await sql.raw(`DROP TABLE insights_step_month_totals`).execute(db);
  await sql.raw(`DROP TABLE insights_step_month_counts`).execute(db);
  await sql.raw(`DROP TABLE insights_step_counts`).execute(db);
  await sql.raw(`DROP TABLE screening_alerts`).execute(db);
  await sql.raw(`DROP INDEX screenings_partner`).execute(db);
}
