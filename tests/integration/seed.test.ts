import { describe, expect, it } from 'vitest';
import { all, qb } from '../../db/connection';
import { verifyLog } from '../../db/decision-log';

describe('the demo seed', () => {
  it('builds proposals in several states through the service, with a valid log', () => {
    const states = new Set(all(qb().selectFrom('proposals').select('state')).map((r) => r.state));
    expect([...states].sort()).toEqual(expect.arrayContaining(['approved', 'draft', 'rejected', 'review', 'risk', 'withdrawn']));
    const result = verifyLog();
    expect(result.ok).toBe(true);
    expect(result.count).toBeGreaterThan(20);
  });
});
