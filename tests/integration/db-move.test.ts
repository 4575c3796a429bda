import { spawnSync } from 'node:child_process';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointLog } from '../../db/checkpoint-log';
import { getDb } from '../../db/connection';
import { recordHash, type HashedRecord } from '../../db/record-hash';
import { compareWithSource, moveToPostgres, MoveRefused, verifyPostgresLog, type MoveResult } from '../../db/move';
import { closePostgres, describePostgresUrl, openPostgres, type Postgres } from '../../db/postgres';
import { freshPostgresDatabase } from '../support/postgres';

// npm run db:move on the seeded demo database (a copy per test file, see tests/support/setup.ts)
// into databases of a real PostgreSQL server.

let target: Postgres;
let moved: MoveResult;
let recordCount: number;

beforeAll(async () => {
  // A signed checkpoint over the whole log: the target must match it too.
  expect(checkpointLog()).toMatchObject({ ok: true, created: true });
  recordCount = (getDb().sqlite.prepare('SELECT count(*) AS n FROM decision_records').get() as { n: number }).n;
  // Rows in the tables of migrations 0160 and 0180 the demo seed leaves empty, so the move copies some.
  getDb().sqlite.exec(`
    INSERT INTO partner_links (proposal_id, token_hash, contact_name, questions, created_by, created_at, expires_at)
      SELECT min(id), 'moved-link', 'Ana', '[]', (SELECT min(id) FROM users), '2026-11-28T10:00:00.000Z', '2026-12-28T10:00:00.000Z' FROM proposals;
    INSERT INTO partner_link_failures (link_id, ip, at) SELECT max(id), '192.0.2.1', '2026-11-28T10:05:00.000Z' FROM partner_links;
    INSERT INTO screenings (proposal_id, partner_id, stage, checked_at, status) SELECT id, partner_id, 'rescan', '2026-11-28T11:00:00.000Z', 'hits' FROM proposals ORDER BY id LIMIT 1;
    INSERT INTO screening_alerts (proposal_id, partner_id, entity_id, caption, screening_id, raised_at)
      SELECT proposal_id, partner_id, 'Q-moved', 'Listed entity', id, checked_at FROM screenings ORDER BY id DESC LIMIT 1;
  `);
  target = openPostgres(await freshPostgresDatabase());
  moved = await moveToPostgres(getDb().sqlite, target, { batchRows: 500 });
});

afterAll(async () => {
  await closePostgres(target);
});

const INSERT_COLUMNS = `seq, proposal_id, partner_id, chapter_id, campaign_id, step, outcome, actor_id, actor_name, actor_role, at,
  rationale, inputs, config_versions, from_state, to_state, prev_hash, proposal_prev_hash, hash`;

/** What a database superuser can do: switch every trigger (append-only, foreign keys) off and rewrite the log. */
async function tamper(db: Postgres, statements: string[], parameters: unknown[][] = []): Promise<void> {
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    for (const [i, s] of statements.entries()) await client.query(s, parameters[i] ?? []);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

describe('db:move', () => {
  it('copies every table with equal counts and verifies the decision log on PostgreSQL', async () => {
    expect(recordCount).toBeGreaterThan(10);
    expect(moved.differences).toEqual([]);
    expect(moved.ok).toBe(true);
    const byTable = Object.fromEntries(moved.tables.map((t) => [t.table, t]));
    for (const table of ['decision_records', 'proposals', 'users', 'decision_search', 'proposal_counts', 'inbox_unread', 'step_submissions']) {
      expect(byTable[table], table).toBeDefined();
    }
    expect(byTable.decision_records).toEqual({ table: 'decision_records', sqlite: recordCount, postgres: recordCount, sameContent: true });
    expect(byTable.decision_search!.postgres).toBe(byTable.decision_search!.sqlite);
    for (const t of moved.tables) expect(t, t.table).toMatchObject({ postgres: t.sqlite, sameContent: true });
    for (const table of [
      'partner_links',
      'partner_link_failures',
      'screening_alerts',
      'insights_step_counts',
      'insights_step_month_counts',
      'insights_step_month_totals',
      'insights_perception_conditions',
    ]) {
      expect(byTable[table]?.sqlite, table).toBeGreaterThan(0);
    }
    expect(moved.postgresLog).toMatchObject({ ok: true, count: recordCount, checkpointsVerified: 1 });
    expect(moved.postgresLog.head).toEqual(moved.sqliteLog.head);
  });

  it('tells a table whose rows changed on PostgreSQL from the ones copied as they were', async () => {
    const db = openPostgres(await freshPostgresDatabase());
    try {
      expect((await moveToPostgres(getDb().sqlite, db)).ok).toBe(true);
      await db.pool.query(`UPDATE partners SET website = 'https://elsewhere.example' WHERE id = 1`);
      const compared = await compareWithSource(getDb().sqlite, db);
      expect(compared.filter((t) => !t.sameContent).map((t) => t.table)).toEqual(['partners']);
      expect(compared.find((t) => t.table === 'partners')).toMatchObject({ sqlite: expect.any(Number), sameContent: false });
    } finally {
      await closePostgres(db);
    }
  });

  it('keeps ids, and new rows continue after the copied ones', async () => {
    const maxUser = (getDb().sqlite.prepare('SELECT max(id) AS id FROM users').get() as { id: number }).id;
    const { rows } = await target.pool.query<{ id: number }>(
      `INSERT INTO chapters (name, created_at) VALUES ('Added after the move', 'now') RETURNING id`,
    );
    const maxChapter = (getDb().sqlite.prepare('SELECT max(id) AS id FROM chapters').get() as { id: number }).id;
    expect(rows[0]!.id).toBe(maxChapter + 1);
    const { rows: users } = await target.pool.query<{ id: number }>('SELECT max(id) AS id FROM users');
    expect(users[0]!.id).toBe(maxUser);
  });

  it('copies the kept insights counts as they are, and the PostgreSQL triggers keep them after the move', async () => {
    const STEP_WHERE = `step IN ('values', 'agenda', 'risk', 'perception', 'mou') AND outcome NOT IN ('overridden', 'classified')`;
    const compare = async () => {
      const q = async (text: string) => (await target.pool.query(text)).rows;
      expect(await q('SELECT chapter_id, campaign_id, step, outcome, n FROM insights_step_counts WHERE n > 0 ORDER BY 1, 2, 3, 4')).toEqual(
        await q(`SELECT chapter_id, campaign_id, step, outcome, count(*) AS n FROM decision_records WHERE ${STEP_WHERE} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`),
      );
      expect(await q('SELECT month, step, outcome, n FROM insights_step_month_totals WHERE n > 0 ORDER BY 1, 2, 3')).toEqual(
        await q(`SELECT substr(at, 1, 7) AS month, step, outcome, count(*) AS n FROM decision_records WHERE ${STEP_WHERE} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`),
      );
      const conditions = await q('SELECT proposal_id, item FROM insights_perception_conditions ORDER BY 1, 2');
      expect(conditions.length).toBeGreaterThan(0);
      expect(conditions).toEqual(
        await q(`SELECT s.proposal_id, j.key AS item FROM step_submissions s, jsonb_each(s.data::jsonb -> 'answers') j
                  WHERE s.step = 'perception' AND j.value ->> 'answer' = 'condition'
                    AND s.id = (SELECT max(t.id) FROM step_submissions t WHERE t.proposal_id = s.proposal_id AND t.step = 'perception')
                  ORDER BY 1, 2`),
      );
    };
    await compare();
    // A later perception review on PostgreSQL replaces that proposal's conditions.
    const { rows } = await target.pool.query<{ proposal_id: number; decision_seq: number }>(
      `SELECT proposal_id, decision_seq FROM step_submissions WHERE step = 'perception' ORDER BY id DESC LIMIT 1`,
    );
    await target.pool.query(
      `INSERT INTO step_submissions (proposal_id, step, data, result, outcome, config_versions, submitted_by, submitted_at, decision_seq)
       VALUES ($1, 'perception', $2, '{}', 'conditions', '{}', (SELECT min(id) FROM users), '2026-11-28T12:00:00.000Z', $3)`,
      [rows[0]!.proposal_id, JSON.stringify({ answers: { moved_item: { answer: 'condition', note: '' } } }), rows[0]!.decision_seq],
    );
    await compare();
    const { rows: link } = await target.pool.query<{ id: number }>(
      `INSERT INTO partner_links (proposal_id, token_hash, contact_name, questions, created_by, created_at, expires_at)
       VALUES ($1, 'after-move', 'Ben', '[]', (SELECT min(id) FROM users), 'now', 'later') RETURNING id`,
      [rows[0]!.proposal_id],
    );
    expect(link[0]!.id).toBe((getDb().sqlite.prepare('SELECT max(id) AS id FROM partner_links').get() as { id: number }).id + 1);
  });

  it('refuses a target that is not empty, and writes nothing to it', async () => {
    const other = openPostgres(await freshPostgresDatabase());
    try {
      await other.pool.query('CREATE TABLE notes (id int)');
      await expect(moveToPostgres(getDb().sqlite, other)).rejects.toThrow(MoveRefused);
      await expect(moveToPostgres(getDb().sqlite, other)).rejects.toThrow(/not empty \(it has public\.notes\)/);
      const { rows } = await other.pool.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
      expect(rows).toEqual([{ table_name: 'notes' }]);
    } finally {
      await closePostgres(other);
    }
  });

  it('refuses a SQLite database that is not at the latest migration', async () => {
    const unmigrated = new SQLite(':memory:');
    try {
      await expect(moveToPostgres(unmigrated, target)).rejects.toThrow(/not migrated to the latest schema .*run npm run db:migrate first/);
    } finally {
      unmigrated.close();
    }
  });

  it('refuses a database whose LC_CTYPE would break the search, before writing anything', async () => {
    const other = openPostgres(await freshPostgresDatabase({ locale: 'C' }));
    try {
      await expect(moveToPostgres(getDb().sqlite, other)).rejects.toThrow(/encoding UTF8 and LC_CTYPE C; Cosponsor needs UTF8 and a UTF-8 LC_CTYPE/);
      const { rows } = await other.pool.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'");
      expect(rows).toEqual([{ n: 0 }]);
    } finally {
      await closePostgres(other);
    }
  });

  it('finds a record changed on PostgreSQL after the move', async () => {
    const db = openPostgres(await freshPostgresDatabase());
    try {
      expect((await moveToPostgres(getDb().sqlite, db)).ok).toBe(true);
      await tamper(db, [`UPDATE decision_records SET rationale = rationale || ' (edited)' WHERE seq = 3`]);
      const result = await verifyPostgresLog(db);
      expect(result.ok).toBe(false);
      expect(result.problem).toMatchObject({ seq: 3, problem: expect.stringMatching(/does not match its hash/) });
    } finally {
      await closePostgres(db);
    }
  });

  it('finds a rewritten last record whose hash was recomputed, and removed records, by the signed checkpoint', async () => {
    const db = openPostgres(await freshPostgresDatabase());
    try {
      expect((await moveToPostgres(getDb().sqlite, db)).ok).toBe(true);
      const { rows } = await db.pool.query<HashedRecord & { hash: string }>(`SELECT ${INSERT_COLUMNS} FROM decision_records WHERE seq = $1`, [recordCount]);
      const rewritten = { ...rows[0]!, rationale: 'A different reason' };
      // The chain alone cannot tell: the last record links correctly and hashes to its (new) hash.
      await tamper(db, [`UPDATE decision_records SET rationale = $1, hash = $2 WHERE seq = $3`], [[rewritten.rationale, recordHash(rewritten), recordCount]]);
      const result = await verifyPostgresLog(db);
      expect(result.ok).toBe(false);
      expect(result.problem?.problem).toMatch(/not the ones checkpoint .* signed/);

      await tamper(db, [`DELETE FROM decision_records WHERE seq = $1`], [[recordCount]]);
      const shortened = await verifyPostgresLog(db);
      expect(shortened.problem?.problem).toMatch(/the log holds \d+ records but checkpoint .* signed \d+: records were removed/);
    } finally {
      await closePostgres(db);
    }
  });

  it('runs as npm run db:move: prints both counts and the verification, and exits non-zero on a non-empty target', async () => {
    const url = await freshPostgresDatabase();
    const run = () => spawnSync(process.execPath, ['scripts/run.mjs', 'db-move', '--to', url], { env: process.env, encoding: 'utf8', timeout: 120_000 });
    const first = run();
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`decision_records\\s+${recordCount}\\s+${recordCount}\\n`));
    expect(first.stdout).toMatch(new RegExp(`Decision log on PostgreSQL: OK ${recordCount} records, chain intact, .*consistent with 1 signed checkpoint`));
    expect(first.stdout).toContain('The move is complete and verified.');
    expect(first.stdout).toMatch(/^Moving .+ into cosponsor@\/.+\/test_\d+_\d+\n/);
    const again = run();
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/^Refused: The PostgreSQL database is not empty/);
  });

  it('names the target without its password', () => {
    expect(describePostgresUrl('postgres://mover:s3cret@db.example:5433/cosponsor')).toBe('mover@db.example:5433/cosponsor');
    expect(describePostgresUrl('postgres://mover@/cosponsor?host=%2Fvar%2Frun%2Fpostgresql&port=5432')).toBe('mover@/var/run/postgresql:5432/cosponsor');
  });

  it('refuses wrong usage', () => {
    const usage = spawnSync(process.execPath, ['scripts/run.mjs', 'db-move', '--to', 'mysql://x'], { env: process.env, encoding: 'utf8', timeout: 60_000 });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('Usage: npm run db:move -- --to postgres://');
  });
});
