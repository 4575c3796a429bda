import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBundle, checkProposalRecords, verifyBundle } from '../../db/bundle';
import { checkpointLog } from '../../db/checkpoint-log';
import { closeDatabase, database, first, getDb, qb, useDatabase } from '../../db/connection';
import { moveToPostgres } from '../../db/move';
import { closePostgres, openPostgres, type Postgres } from '../../db/postgres';
import { formatVerifyResult, verifyLogWithCheckpoints } from '../../db/verify';
import { lastAuditRun, runAudit } from '../../app/features/register/register.server';
import { currentDatabasePath } from '../support/db';
import { freshPostgresDatabase } from '../support/postgres';

// audit:verify, audit:checkpoint, audit:bundle and the /audit page's run on PostgreSQL: the
// seeded log moved there (with the checkpoint signed on SQLite), then read and tampered with.

let sqlitePath: string;
let url: string;
let recordCount: number;

type Outcome = { status: number; stdout: string; stderr: string };

/** An npm script's TypeScript entry as `npm run` starts it, on the PostgreSQL database only. */
function script(name: string, args: string[] = []): Promise<Outcome> {
  const { DATABASE_PATH: _path, ...env } = process.env;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.resolve(`scripts/${name}.ts`), ...args],
      { env: { ...env, DATABASE_URL: url }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** What a database superuser can do: switch every trigger (append-only included) off and rewrite rows. */
async function tamper(statement: string, parameters: unknown[] = []): Promise<void> {
  const target: Postgres = openPostgres(url);
  const client = await target.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query(statement, parameters);
    await client.query('COMMIT');
  } finally {
    client.release();
    await closePostgres(target);
  }
}

beforeAll(async () => {
  sqlitePath = currentDatabasePath();
  expect(checkpointLog()).toMatchObject({ ok: true, created: true });
  recordCount = (getDb().sqlite.prepare('SELECT count(*) AS n FROM decision_records').get() as { n: number }).n;
  url = await freshPostgresDatabase();
  const target = openPostgres(url);
  try {
    expect((await moveToPostgres(getDb().sqlite, target, { batchRows: 500 })).ok).toBe(true);
  } finally {
    await closePostgres(target);
  }
  useDatabase(url);
}, 120_000);

afterAll(() => {
  closeDatabase();
  useDatabase(sqlitePath);
});

describe('the audit on PostgreSQL', () => {
  it('verifies the whole log, every shown row and the signed checkpoint', () => {
    expect(database().kind).toBe('postgres');
    const result = verifyLogWithCheckpoints();
    expect(formatVerifyResult(result)).toBe(`OK ${recordCount} records, consistent with 1 signed checkpoint`);
    expect(result.head?.size).toBe(recordCount);
    // From the newest checkpoint's stored tree state: nothing after it to read, and still OK.
    expect(verifyLogWithCheckpoints({ incremental: true })).toMatchObject({ ok: true, incrementalFrom: recordCount });
  });

  it('says OK through npm run audit:verify, signs no second checkpoint of the same head, and exports a bundle that verifies', async () => {
    const verified = await script('audit-verify');
    expect(verified.stdout.trim(), verified.stderr).toBe(`OK ${recordCount} records, consistent with 1 signed checkpoint`);
    expect(verified.status).toBe(0);
    expect(checkpointLog()).toMatchObject({ ok: true, created: false, size: recordCount });

    const proposal = first(qb().selectFrom('proposals').select(['id', 'reference']).orderBy('id').limit(1))!;
    expect(checkProposalRecords(proposal.id)).toMatchObject({ ok: true });
    const bundle = exportBundle(proposal.id);
    expect(bundle && 'records' in bundle).toBe(true);
    expect(verifyBundle(bundle)).toMatchObject({ ok: true });
    const out = path.join(path.dirname(process.env.CHECKPOINT_DIR!), 'bundle.json');
    const exported = await script('audit-bundle', [proposal.reference, '--out', out]);
    expect(exported.status, exported.stderr).toBe(0);
    const offline = await script('audit-verify', ['--bundle', out]);
    expect(offline.stdout).toMatch(new RegExp(`^OK \\d+ records of ${proposal.reference}`));
  });

  it('runs the /audit page check on the same PostgreSQL database', async () => {
    const run = await runAudit(null);
    expect(run).toMatchObject({ ok: 1, record_count: recordCount, first_bad_seq: null });
    expect(lastAuditRun()?.id).toBe(run.id);
  });

  it('reaches PostgreSQL from a process started as an ES module with node -e', async () => {
    // The connection's worker thread must not inherit --input-type=module: its source is CommonJS.
    const code = `const { first, raw } = await import(${JSON.stringify(path.resolve('db/connection.ts'))});
      const { sql } = await import('kysely');
      console.log(JSON.stringify(first(raw(sql\`SELECT count(*) AS n FROM decision_records\`))));
      process.exit(0);`;
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { env: { ...process.env, DATABASE_URL: url }, timeout: 60_000 }, (error, out, err) =>
        error ? reject(new Error(`${error.message}: ${err}`)) : resolve(out),
      );
    });
    expect(JSON.parse(stdout.trim())).toEqual({ n: recordCount });
  });

  it('names a shown row edited in the database', async () => {
    const submission = first(qb().selectFrom('step_submissions').select(['id', 'decision_seq', 'proposal_id']).where('step', '=', 'values').orderBy('id').limit(1))!;
    const before = first(qb().selectFrom('step_submissions').select('outcome').where('id', '=', submission.id))!;
    await tamper(`UPDATE step_submissions SET outcome = 'tampered' WHERE id = $1`, [submission.id]);
    const result = verifyLogWithCheckpoints();
    expect(result.ok).toBe(false);
    expect(formatVerifyResult(result)).toContain(`BROKEN at record ${submission.decision_seq} (proposal ${submission.proposal_id}): the values step shown`);
    await tamper(`UPDATE step_submissions SET outcome = $2 WHERE id = $1`, [submission.id, before.outcome]);
    expect(verifyLogWithCheckpoints().ok).toBe(true);
  });

  it('names a record rewritten past the append-only trigger, in npm run audit:verify and the /audit run', async () => {
    const seq = Math.floor(recordCount / 2);
    await tamper(`UPDATE decision_records SET rationale = rationale || ' (edited)' WHERE seq = $1`, [seq]);
    const verified = await script('audit-verify');
    expect(verified.status).toBe(1);
    expect(verified.stdout).toMatch(new RegExp(`^BROKEN at record ${seq} \\(proposal \\d+\\): `));
    const run = await runAudit(null);
    expect(run).toMatchObject({ ok: 0, first_bad_seq: seq });
  });
});
