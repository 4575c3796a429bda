import { sql, type Kysely } from 'kysely';
import { isPostgres, postgresTrigger } from './dialect';

// Frozen in time: this file must never import application code.
// Counts every page shows, kept as they change instead of counted on each request:
// 1. inbox_unread: a person's unread messages per chapter of the proposal (the header's badge
//    on every page; a lead counts their chapter's only). Counting the rows took a scan of the
//    person's whole inbox on every page: tens of thousands of rows for staff.
// 2. proposal_counts: proposals per chapter, campaign, state and whether staff sent them back
//    (the group counts of /proposals and the size of the review queue), which took a scan of
//    every proposal.
// Both are kept by triggers, so every write path (service, seed, script) updates them in its
// own transaction, and they start from the rows already there.
// 3. decision_partner_counts: decision records per partner and chapter (the partner page's
//    "N decisions"), which took a count over every record about the partner. The log is
//    append-only, so an insert trigger is all it takes.
// 4. The proposal lists read each state's newest rows straight from an index, per chapter or
//    across chapters, instead of sorting a whole group; a partner's proposals per state are
//    counted from an index alone.

const statements = [
  `CREATE TABLE inbox_unread (
    user_id INTEGER NOT NULL,
    chapter_id INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (user_id, chapter_id)
  ) WITHOUT ROWID`,
  `INSERT INTO inbox_unread (user_id, chapter_id, n)
     SELECT i.user_id, p.chapter_id, count(*) FROM inbox i JOIN proposals p ON p.id = i.proposal_id
      WHERE i.read_at IS NULL GROUP BY i.user_id, p.chapter_id`,
  `CREATE TRIGGER inbox_unread_insert AFTER INSERT ON inbox WHEN new.read_at IS NULL BEGIN
    INSERT INTO inbox_unread (user_id, chapter_id, n) SELECT new.user_id, chapter_id, 1 FROM proposals WHERE id = new.proposal_id
      ON CONFLICT (user_id, chapter_id) DO UPDATE SET n = n + 1;
  END`,
  `CREATE TRIGGER inbox_unread_update AFTER UPDATE OF read_at, user_id, proposal_id ON inbox BEGIN
    UPDATE inbox_unread SET n = n - 1
     WHERE old.read_at IS NULL AND user_id = old.user_id AND chapter_id = (SELECT chapter_id FROM proposals WHERE id = old.proposal_id);
    INSERT INTO inbox_unread (user_id, chapter_id, n) SELECT new.user_id, chapter_id, 1 FROM proposals
     WHERE new.read_at IS NULL AND id = new.proposal_id
      ON CONFLICT (user_id, chapter_id) DO UPDATE SET n = n + 1;
  END`,
  `CREATE TRIGGER inbox_unread_delete AFTER DELETE ON inbox WHEN old.read_at IS NULL BEGIN
    UPDATE inbox_unread SET n = n - 1
     WHERE user_id = old.user_id AND chapter_id = (SELECT chapter_id FROM proposals WHERE id = old.proposal_id);
  END`,
  // A proposal never changes chapter today; if one ever does, its unread messages follow it.
  `CREATE TRIGGER inbox_unread_proposal_chapter AFTER UPDATE OF chapter_id ON proposals WHEN new.chapter_id <> old.chapter_id BEGIN
    UPDATE inbox_unread SET n = n - (SELECT count(*) FROM inbox i WHERE i.proposal_id = new.id AND i.user_id = inbox_unread.user_id AND i.read_at IS NULL)
     WHERE chapter_id = old.chapter_id;
    INSERT INTO inbox_unread (user_id, chapter_id, n)
      SELECT user_id, new.chapter_id, count(*) FROM inbox WHERE proposal_id = new.id AND read_at IS NULL GROUP BY user_id
      ON CONFLICT (user_id, chapter_id) DO UPDATE SET n = n + excluded.n;
  END`,

  `CREATE TABLE proposal_counts (
    chapter_id INTEGER NOT NULL,
    campaign_id INTEGER NOT NULL,
    state TEXT NOT NULL,
    returned INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (chapter_id, campaign_id, state, returned)
  ) WITHOUT ROWID`,
  `INSERT INTO proposal_counts (chapter_id, campaign_id, state, returned, n)
     SELECT chapter_id, campaign_id, state, returned_to IS NOT NULL, count(*) FROM proposals
      GROUP BY chapter_id, campaign_id, state, returned_to IS NOT NULL`,
  `CREATE TRIGGER proposal_counts_insert AFTER INSERT ON proposals BEGIN
    INSERT INTO proposal_counts (chapter_id, campaign_id, state, returned, n)
      VALUES (new.chapter_id, new.campaign_id, new.state, new.returned_to IS NOT NULL, 1)
      ON CONFLICT (chapter_id, campaign_id, state, returned) DO UPDATE SET n = n + 1;
  END`,
  `CREATE TRIGGER proposal_counts_update AFTER UPDATE OF chapter_id, campaign_id, state, returned_to ON proposals BEGIN
    UPDATE proposal_counts SET n = n - 1
     WHERE chapter_id = old.chapter_id AND campaign_id = old.campaign_id AND state = old.state AND returned = (old.returned_to IS NOT NULL);
    INSERT INTO proposal_counts (chapter_id, campaign_id, state, returned, n)
      VALUES (new.chapter_id, new.campaign_id, new.state, new.returned_to IS NOT NULL, 1)
      ON CONFLICT (chapter_id, campaign_id, state, returned) DO UPDATE SET n = n + 1;
  END`,
  `CREATE TRIGGER proposal_counts_delete AFTER DELETE ON proposals BEGIN
    UPDATE proposal_counts SET n = n - 1
     WHERE chapter_id = old.chapter_id AND campaign_id = old.campaign_id AND state = old.state AND returned = (old.returned_to IS NOT NULL);
  END`,

  `CREATE TABLE decision_partner_counts (
    partner_id INTEGER NOT NULL,
    chapter_id INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (partner_id, chapter_id)
  ) WITHOUT ROWID`,
  `INSERT INTO decision_partner_counts (partner_id, chapter_id, n)
     SELECT partner_id, chapter_id, count(*) FROM decision_records GROUP BY partner_id, chapter_id`,
  `CREATE TRIGGER decision_partner_counts_insert AFTER INSERT ON decision_records BEGIN
    INSERT INTO decision_partner_counts (partner_id, chapter_id, n) VALUES (new.partner_id, new.chapter_id, 1)
      ON CONFLICT (partner_id, chapter_id) DO UPDATE SET n = n + 1;
  END`,

  `CREATE INDEX proposals_partner_state_chapter ON proposals(partner_id, state, chapter_id)`,
  `CREATE INDEX proposals_state_updated_id ON proposals(state, updated_at, id)`,
  `CREATE INDEX proposals_chapter_state_updated_id ON proposals(chapter_id, state, updated_at, id)`,
  // The few proposals staff sent back, without walking every one at a step.
  `CREATE INDEX proposals_returned_state_updated_id ON proposals(state, updated_at, id) WHERE returned_to IS NOT NULL`,
];

// The same tables and triggers on PostgreSQL: each trigger body becomes a PL/pgSQL function,
// and "has staff returned it" is stored as 0/1 (PostgreSQL does not turn a boolean into an integer).
const postgresStatements = [
  `CREATE TABLE inbox_unread (
    user_id BIGINT NOT NULL,
    chapter_id BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (user_id, chapter_id)
  )`,
  `INSERT INTO inbox_unread (user_id, chapter_id, n)
     SELECT i.user_id, p.chapter_id, count(*) FROM inbox i JOIN proposals p ON p.id = i.proposal_id
      WHERE i.read_at IS NULL GROUP BY i.user_id, p.chapter_id`,
  ...postgresTrigger(
    'inbox_unread_insert',
    'AFTER INSERT',
    'inbox',
    `INSERT INTO inbox_unread (user_id, chapter_id, n) SELECT new.user_id, chapter_id, 1 FROM proposals WHERE id = new.proposal_id
  ON CONFLICT (user_id, chapter_id) DO UPDATE SET n = inbox_unread.n + 1;`,
    'new.read_at IS NULL',
  ),
  ...postgresTrigger(
    'inbox_unread_update',
    'AFTER UPDATE OF read_at, user_id, proposal_id',
    'inbox',
    `UPDATE inbox_unread SET n = n - 1
 WHERE old.read_at IS NULL AND user_id = old.user_id AND chapter_id = (SELECT chapter_id FROM proposals WHERE id = old.proposal_id);
INSERT INTO inbox_unread (user_id, chapter_id, n) SELECT new.user_id, chapter_id, 1 FROM proposals
 WHERE new.read_at IS NULL AND id = new.proposal_id
  ON CONFLICT (user_id, chapter_id) DO UPDATE SET n = inbox_unread.n + 1;`,
  ),
  ...postgresTrigger(
    'inbox_unread_delete',
    'AFTER DELETE',
    'inbox',
    `UPDATE inbox_unread SET n = n - 1
 WHERE user_id = old.user_id AND chapter_id = (SELECT chapter_id FROM proposals WHERE id = old.proposal_id);`,
    'old.read_at IS NULL',
  ),
  ...postgresTrigger(
    'inbox_unread_proposal_chapter',
    'AFTER UPDATE OF chapter_id',
    'proposals',
    `UPDATE inbox_unread SET n = n - (SELECT count(*) FROM inbox i WHERE i.proposal_id = new.id AND i.user_id = inbox_unread.user_id AND i.read_at IS NULL)
 WHERE chapter_id = old.chapter_id;
INSERT INTO inbox_unread (user_id, chapter_id, n)
  SELECT user_id, new.chapter_id, count(*) FROM inbox WHERE proposal_id = new.id AND read_at IS NULL GROUP BY user_id
  ON CONFLICT (user_id, chapter_id) DO UPDATE SET n = inbox_unread.n + excluded.n;`,
    'new.chapter_id <> old.chapter_id',
  ),

  `CREATE TABLE proposal_counts (
    chapter_id BIGINT NOT NULL,
    campaign_id BIGINT NOT NULL,
    state TEXT NOT NULL,
    returned BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (chapter_id, campaign_id, state, returned)
  )`,
  `INSERT INTO proposal_counts (chapter_id, campaign_id, state, returned, n)
     SELECT chapter_id, campaign_id, state, (returned_to IS NOT NULL)::int, count(*) FROM proposals
      GROUP BY chapter_id, campaign_id, state, (returned_to IS NOT NULL)::int`,
  ...postgresTrigger(
    'proposal_counts_insert',
    'AFTER INSERT',
    'proposals',
    `INSERT INTO proposal_counts (chapter_id, campaign_id, state, returned, n)
  VALUES (new.chapter_id, new.campaign_id, new.state, (new.returned_to IS NOT NULL)::int, 1)
  ON CONFLICT (chapter_id, campaign_id, state, returned) DO UPDATE SET n = proposal_counts.n + 1;`,
  ),
  ...postgresTrigger(
    'proposal_counts_update',
    'AFTER UPDATE OF chapter_id, campaign_id, state, returned_to',
    'proposals',
    `UPDATE proposal_counts SET n = n - 1
 WHERE chapter_id = old.chapter_id AND campaign_id = old.campaign_id AND state = old.state AND returned = (old.returned_to IS NOT NULL)::int;
INSERT INTO proposal_counts (chapter_id, campaign_id, state, returned, n)
  VALUES (new.chapter_id, new.campaign_id, new.state, (new.returned_to IS NOT NULL)::int, 1)
  ON CONFLICT (chapter_id, campaign_id, state, returned) DO UPDATE SET n = proposal_counts.n + 1;`,
  ),
  ...postgresTrigger(
    'proposal_counts_delete',
    'AFTER DELETE',
    'proposals',
    `UPDATE proposal_counts SET n = n - 1
 WHERE chapter_id = old.chapter_id AND campaign_id = old.campaign_id AND state = old.state AND returned = (old.returned_to IS NOT NULL)::int;`,
  ),

  `CREATE TABLE decision_partner_counts (
    partner_id BIGINT NOT NULL,
    chapter_id BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (partner_id, chapter_id)
  )`,
  `INSERT INTO decision_partner_counts (partner_id, chapter_id, n)
     SELECT partner_id, chapter_id, count(*) FROM decision_records GROUP BY partner_id, chapter_id`,
  ...postgresTrigger(
    'decision_partner_counts_insert',
    'AFTER INSERT',
    'decision_records',
    `INSERT INTO decision_partner_counts (partner_id, chapter_id, n) VALUES (new.partner_id, new.chapter_id, 1)
  ON CONFLICT (partner_id, chapter_id) DO UPDATE SET n = decision_partner_counts.n + 1;`,
  ),
  ...statements.filter((s) => s.startsWith('CREATE INDEX')),
];

const TRIGGERS: [name: string, table: string][] = [
  ['decision_partner_counts_insert', 'decision_records'],
  ['proposal_counts_delete', 'proposals'],
  ['proposal_counts_update', 'proposals'],
  ['proposal_counts_insert', 'proposals'],
  ['inbox_unread_proposal_chapter', 'proposals'],
  ['inbox_unread_delete', 'inbox'],
  ['inbox_unread_update', 'inbox'],
  ['inbox_unread_insert', 'inbox'],
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of isPostgres(db) ? postgresStatements : statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    for (const [name, table] of TRIGGERS) {
      await sql.raw(`DROP TRIGGER ${name} ON ${table}`).execute(db);
      await sql.raw(`DROP FUNCTION ${name}()`).execute(db);
    }
    for (const statement of postgresStatements.filter((s) => s.startsWith('CREATE INDEX'))) {
      await sql.raw(`DROP INDEX ${/^CREATE INDEX (\w+)/.exec(statement)![1]}`).execute(db);
    }
    for (const table of ['decision_partner_counts', 'proposal_counts', 'inbox_unread']) await sql.raw(`DROP TABLE ${table}`).execute(db);
    return;
  }
  for (const name of ['proposals_returned_state_updated_id', 'proposals_chapter_state_updated_id', 'proposals_state_updated_id', 'proposals_partner_state_chapter']) await sql.raw(`DROP INDEX ${name}`).execute(db);
  for (const name of [
    'decision_partner_counts_insert',
    'proposal_counts_delete',
    'proposal_counts_update',
    'proposal_counts_insert',
    'inbox_unread_proposal_chapter',
    'inbox_unread_delete',
    'inbox_unread_update',
    'inbox_unread_insert',
  ]) {
    await sql.raw(`DROP TRIGGER ${name}`).execute(db);
  }
  await sql.raw(`DROP TABLE decision_partner_counts`).execute(db);
  await sql.raw(`DROP TABLE proposal_counts`).execute(db);
  await sql.raw(`DROP TABLE inbox_unread`).execute(db);
}
