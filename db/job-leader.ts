import { sql } from 'kysely';
import { all, database, raw } from './connection';
import { SyncPostgres } from './pg-sync';

// On PostgreSQL the process running the background jobs also holds a session advisory lock
// (docs/decisions/0120-cluster-and-job-leases.md, "Several instances on one PostgreSQL"). The
// lease row in job_leases stays the authority: it expires, so a leader that hangs (its
// connection still open, its lock still held) is replaced all the same. The lock adds what the
// lease cannot see from another machine: PostgreSQL drops it the moment the leader's
// connection ends, so a leader that died anywhere is replaced at the next check instead of when
// its lease runs out, and pg_locks/pg_stat_activity name the leader for an operator.
//
// The lock is held on a connection of its own, never on the one requests use: that one may be
// replaced after an error, which would drop the lock without anyone noticing.

/** The advisory lock naming the leader ("cosj"); WRITE_LOCK_KEY and the startup lock use others. */
export const JOBS_LEADER_KEY = 0x636f736a;

const LOCK_TIMEOUT_MS = 5000;

// A key below 2^32 is shown in pg_locks as classid 0, objid key, objsubid 1 (the one-bigint form).
const heldBy = (who: 'me' | 'others') =>
  `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = 0 AND objid::bigint = $1 AND objsubid = 1 AND granted
     AND pid ${who === 'me' ? '=' : '<>'} pg_backend_pid()`;

export class JobsLeaderLock {
  private readonly connection: SyncPostgres;

  constructor(
    url: string,
    private readonly holder: string,
  ) {
    this.connection = new SyncPostgres(url, LOCK_TIMEOUT_MS);
  }

  /** Whether this process's lock connection holds the lock now (not after it was lost and reconnected). */
  held(): boolean {
    return this.connection.query(heldBy('me'), [JOBS_LEADER_KEY]).rows.length > 0;
  }

  /** Takes the lock if nobody holds it; whether this process holds it now. Never stacks a second hold. */
  tryTake(): boolean {
    if (this.held()) return true;
    const taken = this.connection.query('SELECT pg_try_advisory_lock($1) AS ok', [JOBS_LEADER_KEY]).rows[0]?.ok === true;
    // The session's name is what an operator sees next to the lock in pg_stat_activity.
    if (taken) this.connection.query("SELECT set_config('application_name', $1, false)", [`cosponsor jobs ${this.holder}`.slice(0, 63)]);
    return taken;
  }

  /**
   * Called by the lease holder when another session holds the lock: a former leader that hung
   * (its lease ran out, its connection did not) or lost the lease. Its session is ended so the
   * lock follows the lease; the lock is taken now if the server has already let go of it, else
   * at the next check.
   */
  takeOver(): boolean {
    this.connection.query(`SELECT pg_terminate_backend(pid) FROM (${heldBy('others')}) AS holder`, [JOBS_LEADER_KEY]);
    return this.tryTake();
  }

  /** Lets the lock go (this process no longer holds the lease). */
  release(): void {
    if (this.held()) this.connection.query('SELECT pg_advisory_unlock($1)', [JOBS_LEADER_KEY]);
  }

  private closed = false;

  close(): void {
    // Once: a second close would wait for an answer from a worker that has ended.
    if (this.closed) return;
    this.closed = true;
    this.connection.close();
  }
}

/** The lock connection for this process's job leadership: on PostgreSQL only (SQLite has the lease row alone). */
export function openJobsLeaderLock(holder: string): JobsLeaderLock | null {
  const db = database();
  return db.kind === 'postgres' ? new JobsLeaderLock(db.path, holder) : null;
}

export type JobsLeader = { pid: number; applicationName: string; clientAddress: string | null; since: string };

/** Who holds the leader lock now, as PostgreSQL sees it (PostgreSQL only; undefined when nobody does). */
export function jobsLeader(): JobsLeader | undefined {
  const rows = all(
    raw(sql<{ pid: number; application_name: string; client_addr: string | null; backend_start: Date }>`
      SELECT a.pid, a.application_name, host(a.client_addr) AS client_addr, a.backend_start
        FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.classid = 0 AND l.objid::bigint = ${JOBS_LEADER_KEY} AND l.objsubid = 1 AND l.granted`),
  );
  const row = rows[0];
  return row && { pid: row.pid, applicationName: row.application_name, clientAddress: row.client_addr, since: new Date(row.backend_start).toISOString() };
}
