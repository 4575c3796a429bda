import { first, insertId, qb } from './connection';

export function recordLoginAttempt(email: string, ip: string, success: boolean, at: string): void {
  insertId(qb().insertInto('login_attempts').values({ email: email.trim().toLowerCase(), ip, at, success: success ? 1 : 0 }));
}

type Failures = { n: number; oldest: string | null };

/**
 * What the sign-in throttle weighs, for one account and one address: failures since `since`
 * for the pair (since the pair's own last success), for the account from anywhere (since its
 * last success anywhere) and for the address (all of them: one valid account of an attacker's
 * own must not wipe the address's count), each with the oldest one counted so we can say when
 * a block lifts; and whether the account has signed in from this address since `knownSince`.
 */
export function recentFailures(email: string, ip: string, since: string, knownSince: string) {
  const account = email.trim().toLowerCase();
  /** The attempts of one account, or of one account at one address. */
  const attempts = (filter: { email: string; ip?: string } | { ip: string }) => {
    let query = qb().selectFrom('login_attempts');
    if ('email' in filter) query = query.where('email', '=', filter.email);
    if (filter.ip !== undefined) query = query.where('ip', '=', filter.ip);
    return query;
  };
  const lastSuccess = (filter: { email: string; ip?: string }, from: string) =>
    first(attempts(filter).select((eb) => eb.fn.max('at').as('at')).where('success', '=', 1).where('at', '>=', from))?.at;
  const failures = (filter: { email: string; ip?: string } | { ip: string }, from: string): Failures => {
    const row = first(
      attempts(filter)
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('at').as('oldest')])
        .where('success', '=', 0)
        .where('at', '>', from),
    );
    return { n: Number(row?.n ?? 0), oldest: row?.oldest ?? null };
  };
  const lastPairSuccess = lastSuccess({ email: account, ip }, knownSince < since ? knownSince : since);
  const lastAccountSuccess = lastSuccess({ email: account }, since);
  const after = (last: string | null | undefined) => (last && last > since ? last : since);
  return {
    pair: failures({ email: account, ip }, after(lastPairSuccess)),
    account: failures({ email: account }, after(lastAccountSuccess)),
    address: failures({ ip }, since),
    knownAddress: Boolean(lastPairSuccess && lastPairSuccess >= knownSince),
  };
}
