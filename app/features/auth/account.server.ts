// A person's own account page: who they are, and changing their password
// (docs/decisions/0380-password-change-and-reset.md). The current password is checked under the
// sign-in throttle (0007), so a session left open cannot be used to guess it.
import { appendAdminLog } from '../../../db/admin-log';
import { nowIso, transaction } from '../../../db/connection';
import { supersedePasswordResetLinks } from '../../../db/password-reset-links';
import { revokeOtherSessionsOf } from '../../../db/sessions';
import { passwordStateOf, replacePassword } from '../../../db/users';
import { can, mustChoosePasswordFirst, type AccountSubject, type ActingUser } from '../../../workflows/policy';
import { hashPassword, verifyPassword } from './password.server';
import { localLoginAllowed, signOnProvider } from './sign-on.server';
import { noteSignInAttempt, sleep, throttleVerdict } from './throttle.server';

/** A password hash verifyPassword knows: accounts single sign-on made, and spent temporary passwords, have none. */
const isLocalPasswordHash = (hash: string) => hash.startsWith('scrypt$');

/** The account as the password rules in workflows/policy.ts need to know it, or undefined. */
export function accountSubjectOf(userId: number): AccountSubject | undefined {
  const state = passwordStateOf(userId);
  if (!state) return undefined;
  return {
    accountId: userId,
    hasLocalPassword: isLocalPasswordHash(state.password_hash),
    mustChoosePassword: state.password_change_required === 1,
    active: state.active === 1,
    localLogin: localLoginAllowed(),
  };
}

type Person = ActingUser & { email: string; chapterName: string | null };

export function accountPageData(user: Person) {
  const account = accountSubjectOf(user.id);
  const permission = account ? can(user, 'account.change_password', account) : { ok: false as const, reason: 'There is no such account.' };
  return {
    name: user.name,
    email: user.email,
    roles: user.roles,
    chapterName: user.chapterName,
    provider: signOnProvider()?.name ?? null,
    /** After a reset: the page asks for a new password only, and nothing else opens first. */
    forced: account ? mustChoosePasswordFirst({ passwordChangeRequired: account.mustChoosePassword }, account.localLogin) : false,
    /** Why this person has no password to change here (single sign-on), or null. */
    cannotChange: permission.ok ? null : permission.reason,
  };
}

export type PasswordChangeResult =
  | { ok: true; message: string; sessionsEnded: number }
  | { ok: false; kind: 'invalid' | 'forbidden' | 'not_found' | 'stale' | 'throttled'; formError?: string; fieldErrors?: Record<string, string[]> };

/**
 * Changes the signed-in person's password. Unless they must choose one after a reset, the
 * current password is checked first, under the sign-in throttle for their e-mail and address.
 * Every other session of theirs ends; the one they are using (sessionIdHash) stays signed in.
 */
export async function changeOwnPassword(
  user: ActingUser & { email: string; sessionIdHash: string },
  input: { currentPassword?: string; newPassword: string },
  ip: string,
): Promise<PasswordChangeResult> {
  const state = passwordStateOf(user.id);
  const account = accountSubjectOf(user.id);
  if (!state || !account) return { ok: false, kind: 'not_found', formError: 'There is no such account.' };
  const permission = can(user, 'account.change_password', account);
  if (!permission.ok) return { ok: false, kind: 'forbidden', formError: permission.reason };

  const forced = mustChoosePasswordFirst({ passwordChangeRequired: account.mustChoosePassword }, account.localLogin);
  if (!forced) {
    // The same limits as the sign-in form: the same pair of e-mail and address, the same counts.
    const verdict = throttleVerdict(user.email, ip);
    if (verdict.blocked) {
      return {
        ok: false,
        kind: 'throttled',
        formError: `Too many wrong passwords for this account from your network. Password checks are paused; try again in ${verdict.retryInMinutes} minute${verdict.retryInMinutes === 1 ? '' : 's'}. Your password was not changed.`,
      };
    }
    if (verdict.delayMs > 0) await sleep(verdict.delayMs);
    const right = await verifyPassword(input.currentPassword ?? '', state.password_hash);
    noteSignInAttempt(user.email, ip, right);
    if (!right) return { ok: false, kind: 'invalid', fieldErrors: { currentPassword: ['That is not your current password.'] } };
  }

  // Hashed before the transaction: scrypt is slow and must not hold the write lock.
  const hash = await hashPassword(input.newPassword);
  return transaction((): PasswordChangeResult => {
    const at = nowIso();
    // Only over the password that was checked: a reset or a change in another tab meanwhile wins, and this one says so.
    if (!replacePassword(user.id, state.password_hash, { hash, changeRequired: false, temporaryUntil: null }, at)) {
      return {
        ok: false,
        kind: 'stale',
        formError: 'Your password was changed meanwhile (in another tab, or by an administrator). Nothing was changed now: reload this page and try again.',
      };
    }
    // A "Forgot your password?" link sent before must not replace this one.
    supersedePasswordResetLinks(user.id, at);
    const sessionsEnded = revokeOtherSessionsOf(user.id, user.sessionIdHash, at);
    appendAdminLog({ actorId: user.id, action: 'user.password_change', targetUserId: user.id, details: { sessionsEnded, afterReset: forced }, at });
    const others = sessionsEnded === 0 ? '' : ` ${sessionsEnded} other session${sessionsEnded === 1 ? ' was' : 's were'} signed out.`;
    return {
      ok: true,
      sessionsEnded,
      message: forced ? `Your new password is set.${others}` : `Your password was changed.${others}`,
    };
  });
}
