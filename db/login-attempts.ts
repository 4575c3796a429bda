import { first, insertId, qb } from './connection';

export function recordLoginAttempt(email: string, ip: string, success: boolean, at: string): void {
  insertId(qb().insertInto('login_attempts').values({ email: email.trim().toLowerCase(), ip, at, success: success ? 1 : 0 }));
}

/**
 * Failures since `since`, for the account (only those after its last success)
 * and for the address (all of them: one valid account of an attacker's own must
 * not wipe the address's count); with the oldest failure counted, so we can say
 * when a block lifts.
 */
export function recentFailures(email: string, ip: string, since: string) {
  const count = (column: 'email' | 'ip', value: string) => {
    const lastSuccess = column === 'ip' ? undefined : first(
      qb()
        .selectFrom('login_attempts')
        .select((eb) => eb.fn.max('at').as('at'))
        .where(column, '=', value)
        .where('success', '=', 1)
        .where('at', '>=', since),
    )?.at;
    const from = lastSuccess && lastSuccess > since ? lastSuccess : since;
    return (
      first(
        qb()
          .selectFrom('login_attempts')
          .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('at').as('oldest')])
          .where(column, '=', value)
          .where('success', '=', 0)
          .where('at', '>', from),
      ) ?? { n: 0, oldest: null }
    );
  };
  return { byEmail: count('email', email.trim().toLowerCase()), byIp: count('ip', ip) };
}
