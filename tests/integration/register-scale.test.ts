import { describe, expect, it } from 'vitest';
import { all, getDb, qb } from '../../db/connection';
import { verifyLog } from '../../db/decision-log';
import { seedScale } from '../../scripts/seed/scale';
import { freshDatabase } from '../support/db';

describe('the scale generator', () => {
  it('builds proposals through the service, spread over past weeks, with a valid log', async () => {
    freshDatabase('empty');
    const schema = () =>
      getDb().sqlite.prepare("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name").all();
    const migrated = schema();
    const realNow = Date.now();
    const report = await seedScale(80);
    // The indexes set aside during the load are all back, each exactly as the migrations made it.
    expect(schema()).toEqual(migrated);
    expect(getDb().sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    // The demo proposals follow, so the demo accounts work on a scale database too.
    const demo = all(
      qb()
        .selectFrom('proposals as p')
        .innerJoin('users as u', 'u.id', 'p.proposer_id')
        .select('p.id')
        .where('u.email', 'in', ['lead@cosponsor.test', 'lead2@cosponsor.test']),
    ).length;
    expect(demo).toBeGreaterThan(0);
    expect(report.proposals).toBe(80 + demo);
    expect(report.chapters).toBeGreaterThanOrEqual(20);

    const check = verifyLog();
    expect(check).toMatchObject({ ok: true, count: report.records });
    expect(getDb().sqlite.pragma('synchronous', { simple: true })).toBe(2); // FULL again after the bulk load

    const records = all(qb().selectFrom('decision_records').select(['seq', 'at', 'step', 'outcome']).orderBy('seq'));
    // Time moves forward with the log, from weeks ago up to now.
    for (let i = 1; i < records.length; i++) expect(records[i]!.at >= records[i - 1]!.at).toBe(true);
    expect(Date.parse(records[0]!.at)).toBeLessThan(realNow - 30 * 86_400_000);
    expect(Date.parse(records[records.length - 1]!.at)).toBeGreaterThanOrEqual(realNow - 60_000);

    // Varied outcomes, steps skipped by rules, names with accents.
    const states = new Set(all(qb().selectFrom('proposals').select('state')).map((p) => p.state));
    for (const state of ['approved', 'rejected', 'draft']) expect(states).toContain(state);
    const outcomes = new Set(records.map((r) => `${r.step}:${r.outcome}`));
    for (const o of ['values:compatible', 'values:compatible_with_concerns', 'perception:not_applicable', 'decision:approved']) {
      expect(outcomes).toContain(o);
    }
    const names = all(qb().selectFrom('partners').select('name')).map((p) => p.name);
    expect(names.some((n) => /[^\p{ASCII}]/u.test(n))).toBe(true);
    expect(new Set(names).size).toBe(names.length);
  });

  it('refuses a database that already holds proposals', async () => {
    freshDatabase('demo');
    await expect(seedScale(10)).rejects.toThrow(/already holds proposals/);
    await expect(seedScale(0)).rejects.toThrow(/positive whole number/);
  });
});
