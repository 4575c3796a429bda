import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../../db/connection';
import { migrations } from '../../db/migrations';
import { closePostgres, migratePostgres, openPostgres, type Postgres } from '../../db/postgres';
import { freshPostgresDatabase } from '../support/postgres';

// Every migration on a real PostgreSQL server, and the parts of the schema that differ by
// dialect doing there what they do on SQLite.

let db: Postgres;

beforeAll(async () => {
  db = openPostgres(await freshPostgresDatabase());
  await migratePostgres(db);
});

afterAll(async () => {
  await closePostgres(db);
});

const rows = async <R>(query: string, parameters: unknown[] = []) => (await db.pool.query(query, parameters)).rows as R[];

/** The SQLite tables of the schema, without FTS5's own storage and the migrator's. */
function sqliteTables(): string[] {
  return (
    getDb()
      .sqlite.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'decision_search_%' ORDER BY name",
      )
      .all() as { name: string }[]
  ).map((r) => r.name);
}

async function seedMinimal(): Promise<void> {
  const at = '2026-11-20T10:00:00.000Z';
  await db.pool.query(`INSERT INTO chapters (name, created_at) VALUES ('Lisbon', $1)`, [at]);
  await db.pool.query(`INSERT INTO users (email, name, password_hash, chapter_id, created_at, updated_at) VALUES ('Lead@Example.org', 'Lead', 'x', 1, $1, $1)`, [at]);
  await db.pool.query(`INSERT INTO campaigns (key, name, created_at) VALUES ('c1', 'Campaign', $1)`, [at]);
  await db.pool.query(`INSERT INTO partners (name, normalized_name, created_at, updated_at) VALUES ('Comité Solidarité', 'comite solidarite', $1, $1)`, [at]);
  await db.pool.query(
    `INSERT INTO proposals (reference, partner_id, chapter_id, proposer_id, campaign_id, event_title, event_date, event_place, event_description, kind, state, workflow, created_at, updated_at)
     VALUES ('P-1', 1, 1, 1, 1, 'Film night', '2026-12-01', 'Lisbon', 'A film', 'co_hosting', 'draft', '{}', $1, $1)`,
    [at],
  );
}

const record = (seq: number, prevHash: string, hash: string) => [seq, 1, 1, 1, 1, 'proposal', 'created', 1, 'Lead', 'chapter_lead', '2026-11-20T10:00:00.000Z', '', '{}', '{}', null, 'draft', prevHash, null, hash];
const INSERT_RECORD = `INSERT INTO decision_records (seq, proposal_id, partner_id, chapter_id, campaign_id, step, outcome, actor_id, actor_name, actor_role, at,
  rationale, inputs, config_versions, from_state, to_state, prev_hash, proposal_prev_hash, hash)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`;

describe('migrations on PostgreSQL', () => {
  it('applies every migration and creates the tables SQLite has', async () => {
    const applied = await rows<{ name: string }>('SELECT name FROM kysely_migration ORDER BY name');
    expect(applied.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
    const tables = await rows<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
    );
    expect(tables.map((t) => t.table_name).sort()).toEqual(sqliteTables().sort());
  });

  it('reads 64-bit integers and counts as numbers', async () => {
    await seedMinimal();
    const [row] = await rows<{ id: unknown; n: unknown }>('SELECT id, (SELECT count(*) FROM chapters) AS n FROM chapters');
    expect(row).toEqual({ id: 1, n: 1 });
    // One that does not fit a JavaScript number stays text, never a number with other digits.
    expect(await rows(`SELECT 9007199254740991::bigint AS fits, 9007199254740993::bigint AS too_big`)).toEqual([{ fits: 9007199254740991, too_big: '9007199254740993' }]);
    // The e-mail is unique regardless of case, as SQLite's COLLATE NOCASE makes it.
    await expect(
      db.pool.query(`INSERT INTO users (email, name, password_hash, created_at, updated_at) VALUES ('lead@example.ORG', 'Other', 'x', 'now', 'now')`),
    ).rejects.toThrow(/duplicate key/);
  });

  it('keeps the decision log append-only, one record per seq, and the counts up to date', async () => {
    await db.pool.query(INSERT_RECORD, record(1, '0'.repeat(64), 'a'.repeat(64)));
    // Two appends of the same seq (two instances racing for the head): only one survives.
    await expect(db.pool.query(INSERT_RECORD, record(1, 'a'.repeat(64), 'b'.repeat(64)))).rejects.toThrow(/decision_records_seq_unique/);
    await expect(db.pool.query(`UPDATE decision_records SET rationale = 'changed'`)).rejects.toThrow(/decision_records is append-only/);
    await expect(db.pool.query('DELETE FROM decision_records')).rejects.toThrow(/decision_records is append-only/);
    await expect(db.pool.query('TRUNCATE decision_records CASCADE')).rejects.toThrow(/is append-only/);
    expect(await rows('SELECT partner_id, chapter_id, n FROM decision_partner_counts')).toEqual([{ partner_id: 1, chapter_id: 1, n: 1 }]);
    expect(await rows('SELECT day, min_seq, max_seq FROM decision_days')).toEqual([{ day: '2026-11-20', min_seq: 1, max_seq: 1 }]);
    expect(await rows('SELECT state, returned, n FROM proposal_counts')).toEqual([{ state: 'draft', returned: 0, n: 1 }]);
    await db.pool.query(`UPDATE proposals SET state = 'values', returned_to = 'values'`);
    expect(await rows('SELECT state, returned, n FROM proposal_counts ORDER BY state')).toEqual([
      { state: 'draft', returned: 0, n: 0 },
      { state: 'values', returned: 1, n: 1 },
    ]);
    await db.pool.query(`INSERT INTO inbox (user_id, proposal_id, kind, message, created_at) VALUES (1, 1, 'k', 'm', 'now')`);
    expect(await rows('SELECT user_id, chapter_id, n FROM inbox_unread')).toEqual([{ user_id: 1, chapter_id: 1, n: 1 }]);
    await db.pool.query(`UPDATE inbox SET read_at = 'now'`);
    expect(await rows('SELECT n FROM inbox_unread')).toEqual([{ n: 0 }]);
  });

  it('finds register text without accents, with any query text, and highlights it', async () => {
    await db.pool.query(`INSERT INTO decision_search (rowid, rationale, evidence, partner, agenda, tags) VALUES (1, 'Réunion annulée', '', 'Comité Solidarité', '', 'p1 c1')`);
    const search = (q: string) =>
      rows<{ rowid: number; snippet: string }>(
        `SELECT rowid, ts_headline('cosponsor_search', partner, websearch_to_tsquery('cosponsor_search', $1), 'StartSel=[, StopSel=]') AS snippet
           FROM decision_search WHERE document @@ websearch_to_tsquery('cosponsor_search', $1)`,
        [q],
      );
    expect(await search('comite')).toEqual([{ rowid: 1, snippet: '[Comité] Solidarité' }]);
    expect(await search('REUNION annulee')).toHaveLength(1);
    // FTS syntax characters are plain text to websearch_to_tsquery: no error, no match.
    expect(await search('"unclosed* OR (NEAR -')).toEqual([]);
    // Words split where FTS5's unicode61 splits them: at every character that is not a letter or digit.
    await db.pool.query(`INSERT INTO decision_search (rowid, rationale) VALUES (2, 'The partner’s co-host list, 2026-12-05')`);
    for (const word of ['partner', 's', 'co', 'host', '12', '05']) expect(await search(word), word).toEqual([expect.objectContaining({ rowid: 2 })]);
    // Prefix search, as the register's every word is.
    expect(await rows(`SELECT rowid FROM decision_search WHERE document @@ to_tsquery('cosponsor_search', 'solid:*')`)).toEqual([{ rowid: 1 }]);
    // A renamed partner is found under its new name.
    await db.pool.query(`UPDATE partners SET name = 'Comité Paix' WHERE id = 1`);
    expect(await search('paix')).toHaveLength(1);
  });

  it('keeps the insights counts and perception conditions (migration 0180) equal to counting the rows', async () => {
    const STEP_WHERE = `step IN ('values', 'agenda', 'risk', 'perception', 'mou') AND outcome NOT IN ('overridden', 'classified')`;
    const keptSteps = async () => ({
      steps: await rows('SELECT chapter_id, campaign_id, step, outcome, n FROM insights_step_counts WHERE n > 0 ORDER BY 1, 2, 3, 4'),
      months: await rows('SELECT month, chapter_id, campaign_id, step, outcome, n FROM insights_step_month_counts WHERE n > 0 ORDER BY 1, 2, 3, 4, 5'),
      totals: await rows('SELECT month, step, outcome, n FROM insights_step_month_totals WHERE n > 0 ORDER BY 1, 2, 3'),
    });
    const countedSteps = async () => ({
      steps: await rows(`SELECT chapter_id, campaign_id, step, outcome, count(*) AS n FROM decision_records WHERE ${STEP_WHERE} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`),
      months: await rows(
        `SELECT substr(at, 1, 7) AS month, chapter_id, campaign_id, step, outcome, count(*) AS n FROM decision_records WHERE ${STEP_WHERE} GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
      ),
      totals: await rows(`SELECT substr(at, 1, 7) AS month, step, outcome, count(*) AS n FROM decision_records WHERE ${STEP_WHERE} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`),
    });
    // Counted here from the rows, not by SQL: each proposal's latest perception review, its answers that are conditions.
    const keptConditions = () => rows<{ proposal_id: number; item: string; submitted_at: string }>('SELECT proposal_id, item, submitted_at FROM insights_perception_conditions ORDER BY 1, 2');
    const countedConditions = async () => {
      const submissions = await rows<{ id: number; proposal_id: number; data: string; submitted_at: string }>(
        `SELECT id, proposal_id, data, submitted_at FROM step_submissions WHERE step = 'perception' ORDER BY id`,
      );
      const latest = new Map(submissions.map((s) => [s.proposal_id, s]));
      return [...latest.values()]
        .flatMap((s) => {
          const answers = (JSON.parse(s.data) as { answers?: Record<string, { answer: string }> }).answers ?? {};
          return Object.entries(answers)
            .filter(([, a]) => a.answer === 'condition')
            .map(([item]) => ({ proposal_id: s.proposal_id, item, submitted_at: s.submitted_at }));
        })
        .sort((a, b) => a.proposal_id - b.proposal_id || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
    };

    const stepRecord = (seq: number, step: string, outcome: string, at: string) =>
      db.pool.query(INSERT_RECORD, [seq, 1, 1, 1, 1, step, outcome, 1, 'Lead', 'chapter_lead', at, '', '{}', '{}', 'draft', 'draft', 'p'.repeat(64), null, String(seq).padStart(64, '0')]);
    await stepRecord(2, 'values', 'passed', '2026-11-20T11:00:00.000Z');
    await stepRecord(3, 'values', 'passed', '2026-12-01T09:00:00.000Z');
    await stepRecord(4, 'risk', 'overridden', '2026-12-01T10:00:00.000Z');
    await stepRecord(5, 'perception', 'conditions', '2026-12-02T10:00:00.000Z');
    await stepRecord(6, 'values', 'classified', '2026-12-02T11:00:00.000Z');
    expect((await keptSteps()).steps).toEqual([
      { chapter_id: 1, campaign_id: 1, step: 'perception', outcome: 'conditions', n: 1 },
      { chapter_id: 1, campaign_id: 1, step: 'values', outcome: 'passed', n: 2 },
    ]);
    expect((await keptSteps()).totals).toHaveLength(3);
    expect(await keptSteps()).toEqual(await countedSteps());

    const answers = (pairs: Record<string, string>) => JSON.stringify({ answers: Object.fromEntries(Object.entries(pairs).map(([k, answer]) => [k, { answer, note: '' }])) });
    const submit = async (step: string, data: string, at: string) =>
      (
        await rows<{ id: number }>(
          `INSERT INTO step_submissions (proposal_id, step, data, result, outcome, config_versions, submitted_by, submitted_at, decision_seq)
           VALUES (1, $1, $2, '{}', 'conditions', '{}', 1, $3, 5) RETURNING id`,
          [step, data, at],
        )
      )[0]!.id;
    const first = await submit('perception', answers({ no_boycott_call: 'condition', logo: 'met', speakers: 'condition' }), '2026-12-02T10:00:00.000Z');
    expect(await keptConditions()).toEqual([
      { proposal_id: 1, item: 'no_boycott_call', submitted_at: '2026-12-02T10:00:00.000Z' },
      { proposal_id: 1, item: 'speakers', submitted_at: '2026-12-02T10:00:00.000Z' },
    ]);
    // Another step's submission changes nothing; a later review replaces the earlier one's conditions.
    await submit('risk', answers({ logo: 'condition' }), '2026-12-02T12:00:00.000Z');
    expect(await keptConditions()).toHaveLength(2);
    const second = await submit('perception', answers({ logo: 'condition', speakers: 'met' }), '2026-12-03T10:00:00.000Z');
    expect(await keptConditions()).toEqual([{ proposal_id: 1, item: 'logo', submitted_at: '2026-12-03T10:00:00.000Z' }]);
    expect(await keptConditions()).toEqual(await countedConditions());
    // Edited and removed by hand: the earlier review's conditions come back.
    await db.pool.query('UPDATE step_submissions SET data = $1 WHERE id = $2', [answers({ logo: 'condition', venue: 'condition' }), second]);
    expect((await keptConditions()).map((c) => c.item)).toEqual(['logo', 'venue']);
    await db.pool.query('DELETE FROM step_submissions WHERE id = $1', [second]);
    expect(await keptConditions()).toEqual(await countedConditions());
    expect((await keptConditions()).map((c) => c.item)).toEqual(['no_boycott_call', 'speakers']);
    // A review moved to another step no longer counts; answers that are not an object give no conditions, and no error.
    await db.pool.query(`UPDATE step_submissions SET step = 'risk' WHERE id = $1`, [first]);
    expect(await keptConditions()).toEqual([]);
    await submit('perception', JSON.stringify({ answers: ['condition'] }), '2026-12-04T10:00:00.000Z');
    await submit('perception', '{}', '2026-12-05T10:00:00.000Z');
    expect(await keptConditions()).toEqual([]);
    await db.pool.query(`UPDATE step_submissions SET step = 'perception', submitted_at = '2026-12-06T10:00:00.000Z' WHERE id = $1`, [first]);
    expect(await keptConditions()).toEqual([]);
    await submit('perception', answers({ speakers: 'condition' }), '2026-12-07T10:00:00.000Z');
    expect(await keptConditions()).toEqual(await countedConditions());
    expect(await keptConditions()).toEqual([{ proposal_id: 1, item: 'speakers', submitted_at: '2026-12-07T10:00:00.000Z' }]);
    expect(await keptSteps()).toEqual(await countedSteps());
  });

  it('gives partner links, their failures and screening alerts their ids, and one alert per proposal and entity', async () => {
    const [link] = await rows<{ id: number }>(
      `INSERT INTO partner_links (proposal_id, token_hash, contact_name, questions, created_by, created_at, expires_at)
       VALUES (1, 'hash-1', 'Ana', '[]', 1, 'now', 'later') RETURNING id`,
    );
    expect(link).toEqual({ id: 1 });
    expect(await rows(`INSERT INTO partner_link_failures (link_id, ip, at) VALUES (1, '192.0.2.1', 'now') RETURNING id`)).toEqual([{ id: 1 }]);
    const [screening] = await rows<{ id: number }>(`INSERT INTO screenings (proposal_id, partner_id, stage, checked_at, status) VALUES (1, 1, 'rescan', 'now', 'hits') RETURNING id`);
    const alert = `INSERT INTO screening_alerts (proposal_id, partner_id, entity_id, caption, screening_id, raised_at) VALUES (1, 1, 'Q1', 'Listed', $1, 'now') RETURNING id`;
    expect(await rows(alert, [screening!.id])).toEqual([{ id: 1 }]);
    // A second rescan with the same hit raises nothing.
    await expect(db.pool.query(alert, [screening!.id])).rejects.toThrow(/duplicate key/);
  });

  it('has the insights indexes, with julianday() as SQLite computes it', async () => {
    const [day] = await rows<{ d: number }>(`SELECT julianday('2026-11-28T12:00:00.000Z') - julianday('2026-11-27T00:00:00.000Z') AS d`);
    const sqliteDays = getDb().sqlite.prepare(`SELECT julianday('2026-11-28T12:00:00.000Z') - julianday('2026-11-27T00:00:00.000Z') AS d`).get() as { d: number };
    expect(day!.d).toBeCloseTo(sqliteDays.d, 9);
    const indexes = await rows<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE indexname IN ('proposals_decision_days', 'decision_records_milestones')");
    expect(indexes).toHaveLength(2);
  });

  it('refuses a database whose character classes would break the search', async () => {
    const c = openPostgres(await freshPostgresDatabase({ locale: 'C' }));
    try {
      await expect(migratePostgres(c)).rejects.toThrow(/needs a database with UTF8 encoding and a UTF-8 LC_CTYPE/);
    } finally {
      await closePostgres(c);
    }
  });

  it('undoes the migrations that can be undone, and applies them again', async () => {
    const other = openPostgres(await freshPostgresDatabase());
    try {
      await migratePostgres(other);
      const migrator = new Migrator({ db: other.kysely, provider: { getMigrations: async () => migrations } });
      // The log's seal (0080) is the last one that may not be undone.
      const sealMigration = '2026-11-28-0080-log-seal-and-audit-head';
      const down = await migrator.migrateTo(sealMigration);
      expect(down.error).toBeUndefined();
      expect(down.results?.map((r) => r.direction)).toEqual(Object.keys(migrations).filter((m) => m > sealMigration).map(() => 'Down'));
      const tables = await other.pool.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_name IN ('inbox_unread', 'job_leases', 'review_claims', 'partner_links', 'partner_link_failures', 'screening_alerts', 'insights_step_counts', 'insights_perception_conditions')");
      expect(tables.rows).toEqual([{ n: 0 }]);
      expect((await migratePostgres(other)).length).toBe(down.results!.length);
    } finally {
      await closePostgres(other);
    }
  });

  it('keeps the migrator from running twice', async () => {
    expect(await migratePostgres(db)).toEqual([]);
    await expect(sql`SELECT 1 AS one`.execute(db.kysely)).resolves.toMatchObject({ rows: [{ one: 1 }] });
  });
});
