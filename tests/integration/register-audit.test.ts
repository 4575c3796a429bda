import { describe, expect, it } from 'vitest';
import { first, qb } from '../../db/connection';
import { disableAppendOnlyGuards, sqlRun } from '../support/sql';
import { userByEmail } from '../../db/users';
import { lastAuditRun, recentAuditRuns, runAudit } from '../../app/features/register/register.server';
import { freshDatabase } from '../support/db';

describe('audit runs', () => {
  it('stores each verification: who, when, result, count and duration', async () => {
    freshDatabase('demo');
    expect(lastAuditRun()).toBeUndefined();
    const reviewer = userByEmail('reviewer@cosponsor.test')!;
    const before = new Date().toISOString();
    const run = await runAudit(reviewer.id);
    const count = first(qb().selectFrom('decision_records').select((eb) => eb.fn.countAll<number>().as('n')))!.n;
    expect(run).toMatchObject({
      user_id: reviewer.id,
      user_name: 'Ruth Adeyemi',
      ok: 1,
      record_count: count,
      first_bad_seq: null,
      message: `OK ${count} records`,
    });
    expect(run.at >= before).toBe(true);
    expect(run.duration_ms).toBeGreaterThanOrEqual(0);
    expect(lastAuditRun()).toEqual(run);

    const second = await runAudit(null);
    expect(second.user_name).toBeNull();
    expect(lastAuditRun()!.id).toBe(second.id);
    expect(recentAuditRuns().map((r) => r.id)).toEqual([second.id, run.id]);
  });

  it('names the first tampered record', async () => {
    freshDatabase('demo');
    // Tampering needs the append-only trigger out of the way, as an attacker with the database would do.
    disableAppendOnlyGuards();
    sqlRun("UPDATE decision_records SET rationale = rationale || ' (edited)' WHERE seq = 7");
    const run = await runAudit(userByEmail('reviewer@cosponsor.test')!.id);
    expect(run.ok).toBe(0);
    expect(run.first_bad_seq).toBe(7);
    expect(run.record_count).toBe(7);
    expect(run.message).toMatch(/^BROKEN at record 7 /);
    expect(lastAuditRun()!.id).toBe(run.id);
  });
});
