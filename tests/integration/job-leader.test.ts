import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, useDatabase, database } from '../../db/connection';
import { migrateToLatest } from '../../db/migrate';
import { JobsLeaderLock, jobsLeader } from '../../db/job-leader';
import { leaseOf, tryTakeLease } from '../../db/job-leases';
import { freshPostgresDatabase } from '../support/postgres';

// The leader lock of the background jobs on a real PostgreSQL server (db/job-leader.ts): one
// holder at a time, let go by the server when the holder's connection ends (a process that
// died, on any machine), taken over from a holder that hangs, and named in pg_stat_activity.

let url: string;
const opened: JobsLeaderLock[] = [];
const lockFor = (holder: string) => {
  const lock = new JobsLeaderLock(url, holder);
  opened.push(lock);
  return lock;
};

beforeAll(async () => {
  url = await freshPostgresDatabase();
  useDatabase(url);
  await migrateToLatest(database());
});

afterAll(() => {
  for (const lock of opened) lock.close();
  closeDatabase();
});

describe('the jobs leader lock on PostgreSQL', () => {
  it('one holder at a time, named in pg_stat_activity; a second take does not stack, so one release lets it go', () => {
    const a = lockFor('host-a:101:aaaa');
    const b = lockFor('host-b:202:bbbb');
    expect(a.tryTake()).toBe(true);
    expect(a.tryTake()).toBe(true);
    expect(b.tryTake()).toBe(false);
    expect(jobsLeader()?.applicationName).toBe('cosponsor jobs host-a:101:aaaa');
    a.release();
    expect(a.held()).toBe(false);
    expect(b.tryTake()).toBe(true);
    expect(jobsLeader()?.applicationName).toBe('cosponsor jobs host-b:202:bbbb');
    b.release();
    expect(jobsLeader()).toBeUndefined();
  });

  it('when the holder’s connection ends (the process died), the server lets the lock go and another takes it', async () => {
    const a = lockFor('host-a:303:cccc');
    const b = lockFor('host-b:404:dddd');
    expect(a.tryTake()).toBe(true);
    expect(b.tryTake()).toBe(false);
    a.close();
    // The server ends the session as soon as it sees the connection closed.
    await expect.poll(() => b.tryTake(), { timeout: 5_000 }).toBe(true);
    b.release();
  });

  it('the lease holder takes the lock over from a session that still holds it (a hung former leader)', async () => {
    const hung = lockFor('host-a:505:eeee');
    const successor = lockFor('host-b:606:ffff');
    expect(hung.tryTake()).toBe(true);
    successor.takeOver();
    await expect.poll(() => successor.tryTake(), { timeout: 5_000 }).toBe(true);
    expect(jobsLeader()?.applicationName).toBe('cosponsor jobs host-b:606:ffff');
    // Woken, the former leader finds its session ended (its first query may fail on it) and runs on a new one without the lock.
    const heldAfterWaking = () => {
      try {
        return hung.held();
      } catch {
        return hung.held();
      }
    };
    expect(heldAfterWaking()).toBe(false);
    expect(hung.tryTake()).toBe(false);
    successor.release();
  });

  it('the lease row works on PostgreSQL as on SQLite: of two takers one wins, an expired lease is taken over', () => {
    const now = Date.now();
    expect(tryTakeLease('pg-test', 'a', now, 10_000)).toBe(true);
    expect(tryTakeLease('pg-test', 'b', now, 10_000)).toBe(false);
    expect(leaseOf('pg-test')).toMatchObject({ holder: 'a', expires_at: now + 10_000 });
    expect(tryTakeLease('pg-test', 'b', now + 10_000, 10_000)).toBe(true);
    expect(leaseOf('pg-test')?.holder).toBe('b');
  });
});
