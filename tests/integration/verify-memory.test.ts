// The verifier reads the whole log; its memory must be bounded by the batch it works on,
// not by the size of the log. A register of a few thousand proposals built by the real
// generator is verified in a child process whose heap is far below what holding every
// record, submission and snapshot at once takes (the verifier once died at 4 GB on a
// register of 200,000 proposals).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../../db/connection';
import { countRecords, formatVerifyResult, verifyLog } from '../../db/decision-log';
import { PROPOSALS_PER_BATCH } from '../../db/shown-rows';
import { seedScale } from '../../scripts/seed/scale';
import { copyOfCurrentDatabase, databaseEnv, freshDatabase, onDatabase } from '../support/db';
import { disableAppendOnlyGuards, sqlGet, sqlRun } from '../support/sql';

const REPO = path.resolve(__dirname, '../..');
const TSX = path.join(REPO, 'node_modules/.bin/tsx');

// 3,000 proposals: about 26,000 records and 12,000 step submissions. Holding them all took
// more than 128 MB of heap; verifying batch by batch needs less than 48 MB.
const PROPOSALS = 3_000;
const HEAP_MB = 96;

beforeAll(async () => {
  freshDatabase('empty');
  await seedScale(PROPOSALS);
}, 120_000);

describe('npm run audit:verify at scale', () => {
  it(`verifies a register of ${PROPOSALS} proposals within ${HEAP_MB} MB of heap`, { timeout: 90_000 }, () => {
    const records = countRecords();
    const copy = copyOfCurrentDatabase();
    const out = spawnSync(TSX, ['scripts/audit-verify.ts'], {
      cwd: REPO,
      env: { ...process.env, ...databaseEnv(copy), NODE_OPTIONS: `--max-old-space-size=${HEAP_MB}` },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(out.stderr).not.toMatch(/heap out of memory/);
    expect(out.stdout.trim()).toBe(`OK ${records} records`);
    expect(out.status).toBe(0);
  });
});

describe('the shown rows, checked batch by batch', () => {
  /** The verifier's verdict on a copy of the register that `tamper` edited. */
  function verdictAfter(tamper: () => void): string {
    const copy = copyOfCurrentDatabase();
    return onDatabase(copy, () => {
      tamper();
      return formatVerifyResult(verifyLog());
    });
  }

  it('finds a tampered row past the first batch, at a batch boundary and in the last batch', { timeout: 90_000 }, () => {
    expect(PROPOSALS).toBeGreaterThan(PROPOSALS_PER_BATCH); // the register spans more than one batch
    // The first proposal of the second batch.
    const boundary = sqlGet<{ id: number }>('SELECT id FROM proposals ORDER BY id LIMIT 1 OFFSET ?', PROPOSALS_PER_BATCH)!.id;
    const submission = sqlGet<{ id: number; proposal_id: number; decision_seq: number }>(
      'SELECT id, proposal_id, decision_seq FROM step_submissions WHERE proposal_id >= ? ORDER BY proposal_id, id LIMIT 1',
      boundary,
    )!;
    expect(
      verdictAfter(() => sqlRun('UPDATE step_submissions SET submitted_at = ? WHERE id = ?', '2020-01-01T00:00:00.000Z', submission.id)),
    ).toMatch(
      new RegExp(
        `^BROKEN at record ${submission.decision_seq} \\(proposal ${submission.proposal_id}\\): the \\w+ step shown on the proposal \\(submission ${submission.id}\\) differs from what record ${submission.decision_seq} holds \\(when\\)$`,
      ),
    );

    // The last risk item of the last proposal that has one: the batch whose upper end is open.
    const risk = sqlGet<{ id: number; proposal_id: number; likelihood: number }>('SELECT id, proposal_id, likelihood FROM risk_items ORDER BY proposal_id DESC, id DESC LIMIT 1')!;
    expect(verdictAfter(() => sqlRun('UPDATE risk_items SET likelihood = ? WHERE id = ?', risk.likelihood === 1 ? 2 : 1, risk.id))).toMatch(
      new RegExp(`\\(proposal ${risk.proposal_id}\\): the risk register shown on the proposal has item ${risk.id} .* differing from record \\d+ \\(likelihood\\)$`),
    );

    // An agenda item moved to a proposal id beyond every proposal still falls in a batch.
    const agenda = sqlGet<{ id: number }>('SELECT id FROM agenda_items ORDER BY id LIMIT 1')!;
    const nowhere = sqlGet<{ id: number }>('SELECT max(id) + 1000 AS id FROM proposals')!.id;
    expect(
      verdictAfter(() => {
        disableAppendOnlyGuards();
        getDb().sqlite.pragma('foreign_keys = OFF');
        sqlRun('UPDATE agenda_items SET proposal_id = ? WHERE id = ?', nowhere, agenda.id);
      }),
    ).toBe(`BROKEN at record 0 (proposal ${nowhere}): agenda item ${agenda.id} belongs to no submitted agenda of this proposal`);
  });
});
