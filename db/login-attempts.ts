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
  const lastPairSuccess = first(
    qb()
      .selectFrom('login_attempts')
      .select((eb) => eb.fn.max('at').as('at'))
      .where('email', '=', account)
      .where('ip', '=', ip)
      .where('success', '=', 1)
      .where('at', '>=', knownSince < since ? knownSince : since),
  )?.at;
  const lastAccountSuccess = first(
    qb()
      .selectFrom('login_attempts')
      .select((eb) => eb.fn.max('at').as('at'))
      .where('email', '=', account)
      .where('success', '=', 1)
      .where('at', '>=', since),
  )?.at;
  const after = (lastSuccess: string | null | undefined) => (lastSuccess && lastSuccess > since ? lastSuccess : since);
  const failures = (filter: { email?: string; ip?: string }, from: string): Failures => {
    let query = qb()
      .selectFrom('login_attempts')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('at').as('oldest')])
      .where('success', '=', 0)
      .where('at', '>', from);
    if (filter.email !== undefined) query = query.where('email', '=', filter.email);
    if (filter.ip !== undefined) query = query.where('ip', '=', filter.ip);
    const row = first(query);
    return { n: Number(row?.n ?? 0), oldest: row?.oldest ?? null };
  };
  return {
    pair: failures({ email: account, ip }, after(lastPairSuccess)),
    account: failures({ email: account }, after(lastAccountSuccess)),
    address: failures({ ip }, since),
    knownAddress: Boolean(lastPairSuccess && lastPairSuccess >= knownSince),
  };
}
