import { first, qb, run, transaction } from './connection';

// Leases that pick one server process to run a job group (docs/decisions/0120-cluster-and-job-leases.md).
// Times are milliseconds since the epoch on this machine's clock, which every process shares.

export type Lease = { name: string; holder: string; expires_at: number };

export function leaseOf(name: string): Lease | undefined {
  return first(qb().selectFrom('job_leases').selectAll().where('name', '=', name));
}

/**
 * Takes or renews the lease for `holder` until `now + ttlMs`, if it is free, expired (at or before
 * `expiredBefore`, by default `now`), already this holder's, or held by `deadHolder` (a holder the
 * caller knows has died). One conditional
 * UPDATE inside a write transaction (BEGIN IMMEDIATE): of two processes trying at once, the
 * second sees the first's row and changes nothing.
 * Whether `holder` holds the lease now.
 */
export function tryTakeLease(
  name: string,
  holder: string,
  now: number,
  ttlMs: number,
  { deadHolder, expiredBefore = now }: { deadHolder?: string; expiredBefore?: number } = {},
): boolean {
  return transaction(() => {
    run(qb().insertInto('job_leases').values({ name, holder: '', expires_at: 0 }).onConflict((oc) => oc.doNothing()));
    const taken = run(
      qb()
        .updateTable('job_leases')
        .set({ holder, expires_at: now + ttlMs })
        .where('name', '=', name)
        .where((eb) => eb.or([eb('holder', '=', holder), eb('expires_at', '<=', expiredBefore), ...(deadHolder ? [eb('holder', '=', deadHolder)] : [])])),
    );
    return taken.changes === 1;
  });
}

/** Gives the lease up at once (graceful stop), so another process need not wait for it to expire. */
export function releaseLease(name: string, holder: string): boolean {
  return run(qb().updateTable('job_leases').set({ holder: '', expires_at: 0 }).where('name', '=', name).where('holder', '=', holder)).changes === 1;
}
