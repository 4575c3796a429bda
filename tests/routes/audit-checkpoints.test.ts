import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointLog } from '../../db/checkpoint-log';
import { checkpointFiles, logConfig } from '../../db/checkpoints';
import { all, getDb, qb } from '../../db/connection';
import { disableAppendOnlyGuards, sqlGet, sqlRun } from '../support/sql';
import { onPostgres } from '../support/test-database';
import { parseVerifierKey } from '../../db/signed-note';
import { startApp, type TestApp } from '../support/app-server';

// /audit and the log's signed checkpoints over HTTP: the public key is served
// and shown, the newest checkpoint is shown, and a log shortened after a
// verification is flagged on the next one. Keys and checkpoints live in this
// file's temporary folder (tests/support/db.ts), never in ./data.

let app: TestApp;
let reviewer: string;
beforeAll(async () => {
  app = await startApp();
  reviewer = await app.login('reviewer@cosponsor.test');
});
afterAll(() => app.close());

describe('/audit/public-key', () => {
  it('serves the verifier key as text, to anyone, from the key outside the repository', async () => {
    const response = await app.fetch('/audit/public-key');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const key = parseVerifierKey((await response.text()).trim());
    expect(key.name).toBe(logConfig().origin);
    expect(logConfig().signingKeyFile.startsWith(path.resolve('data'))).toBe(false);
    expect(fs.existsSync(logConfig().signingKeyFile)).toBe(true);
  });
});

describe('/audit with checkpoints', () => {
  it('shows the newest signed checkpoint and the public key', async () => {
    const signed = checkpointLog();
    expect(signed.ok).toBe(true);
    if (!signed.ok) return;
    const html = await (await app.fetch('/audit', { cookie: reviewer })).text();
    expect(html).toContain('data-testid="audit-checkpoint"');
    expect(html).toContain(signed.root);
    expect(html).toContain('signature valid');
    const key = (await (await app.fetch('/audit/public-key')).text()).trim();
    expect(html).toContain(key.replace(/\+/g, '+'));
  });

  it('stores the verified head, and flags a log shortened since, even with the checkpoints gone', async () => {
    expect((await app.post('/audit', {}, reviewer)).status).toBe(302);
    const first = all(qb().selectFrom('audit_runs').selectAll().orderBy('id'));
    expect(first.at(-1)).toMatchObject({ ok: 1, tree_size: expect.any(Number), root_hash: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/) });

    const config = logConfig();
    for (const f of checkpointFiles(config)) fs.rmSync(path.join(config.checkpointDir, f));
    disableAppendOnlyGuards();
    // Foreign keys off, as the insider would: PostgreSQL's are triggers, off for a superuser's session.
    if (onPostgres) sqlRun('SET session_replication_role = replica');
    else getDb().sqlite.pragma('foreign_keys = OFF');
    const last = sqlGet<{ seq: number; proposal_id: number; from_state: string }>(
      'SELECT seq, proposal_id, from_state FROM decision_records ORDER BY seq DESC LIMIT 1',
    )!;
    sqlRun('DELETE FROM decision_records WHERE seq = ?', last.seq);
    sqlRun('UPDATE proposals SET state = ? WHERE id = ?', last.from_state, last.proposal_id);

    expect((await app.post('/audit', {}, reviewer)).status).toBe(302);
    const run = all(qb().selectFrom('audit_runs').selectAll().orderBy('id')).at(-1)!;
    expect(run.ok).toBe(0);
    expect(run.message).toBe(`BROKEN at record ${last.seq}: the log holds ${last.seq - 1} records but ${last.seq} were verified before: records were removed`);
  }, 60_000);
});
