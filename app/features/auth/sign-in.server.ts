// Signing in: throttling, the password check, and the attempt noted for the throttle.
import { nowIso } from '../../../db/connection';
import { spendTemporaryPassword, userByEmail } from '../../../db/users';
import { dummyPasswordHash, verifyPassword } from './password.server';
import { noteSignInAttempt, sleep, throttleVerdict } from './throttle.server';

export type SignInResult =
  | { ok: true; userId: number }
  | { ok: false; kind: 'throttled'; retryInMinutes: number }
  | { ok: false; kind: 'bad_credentials' }
  | { ok: false; kind: 'temporary_expired' };

export async function signIn(email: string, password: string, ip: string): Promise<SignInResult> {
  const verdict = throttleVerdict(email, ip);
  if (verdict.blocked) return { ok: false, kind: 'throttled', retryInMinutes: verdict.retryInMinutes };
  if (verdict.delayMs > 0) await sleep(verdict.delayMs);

  const user = userByEmail(email);
  // Always verify against some hash, so the response time does not reveal whether the account exists.
  // An account single sign-on created has no password hash: it is checked against the dummy
  // too, so its answer takes as long as any other.
  const hash = user?.password_hash.startsWith('scrypt$') ? user.password_hash : await dummyPasswordHash();
  const valid = await verifyPassword(password, hash);
  if (!user || !valid || !user.active) {
    noteSignInAttempt(email, ip, false);
    return { ok: false, kind: 'bad_credentials' };
  }
  // A temporary password from an administrator (docs/decisions/0380-password-change-and-reset.md)
  // signs in once, within its time. Only whoever typed it learns that it expired.
  if (user.temporary_password_expires_at !== null) {
    if (user.temporary_password_expires_at <= nowIso()) {
      noteSignInAttempt(email, ip, false);
      return { ok: false, kind: 'temporary_expired' };
    }
    // Two sign-ins with it at once: the one that spends it first gets in.
    if (!spendTemporaryPassword(user.id, user.password_hash, nowIso())) {
      noteSignInAttempt(email, ip, false);
      return { ok: false, kind: 'bad_credentials' };
    }
  }
  noteSignInAttempt(email, ip, true);
  return { ok: true, userId: user.id };
}
