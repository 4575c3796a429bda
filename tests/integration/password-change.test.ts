import { beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { changeOwnPassword } from '../../app/features/auth/account.server';
import { resetPassword } from '../../app/features/admin/admin.server';
import { hashPassword, verifyPassword } from '../../app/features/auth/password.server';
import { signIn } from '../../app/features/auth/sign-in.server';
import { THROTTLE } from '../../app/features/auth/throttle.server';
import { all, first, qb, run } from '../../db/connection';
import { createSignOnUser } from '../../db/identities';
import { userByEmail } from '../../db/users';
import type { ActingUser } from '../../workflows/policy';
import { freshDatabase } from '../support/db';
import { openSession as openSessionFrom, revokedAt } from '../support/sessions';

// Changing one's password and an administrator's reset (docs/decisions/0380-password-change-and-reset.md),
// through the services on a real database: the current password under the sign-in throttle,
// every other session ended, the one-time temporary password, the admin log without passwords.

const DEMO = 'cosponsor-demo';
const HOME = '203.0.113.20';
const STRANGER = '198.51.100.66';
const NEW = 'harbour lantern violet seventy';

beforeEach(() => {
  freshDatabase('demo');
});

function person(email: string) {
  const u = userByEmail(email)!;
  return { id: u.id, name: u.name, roles: u.roles, chapterId: u.chapter_id, email: u.email } satisfies ActingUser & { email: string };
}

const openSession = (userId: number) => openSessionFrom(userId, HOME);
const hashOf = (email: string) => userByEmail(email)!.password_hash;
const logOf = (userId: number) => all(qb().selectFrom('admin_log').selectAll().where('target_user_id', '=', userId).orderBy('id'));

describe('changing one’s own password', () => {
  it('refuses a wrong current password beside its field, changes nothing, and counts it as a failed sign-in', async () => {
    const lead = person('lead@cosponsor.test');
    const session = openSession(lead.id);
    const before = hashOf(lead.email);
    const result = await changeOwnPassword({ ...lead, sessionIdHash: session }, { currentPassword: 'not-my-password', newPassword: NEW }, HOME);
    expect(result).toEqual({ ok: false, kind: 'invalid', fieldErrors: { currentPassword: ['That is not your current password.'] } });
    expect(hashOf(lead.email)).toBe(before);
    expect(all(qb().selectFrom('login_attempts').selectAll().where('email', '=', lead.email).where('success', '=', 0))).toHaveLength(1);
    expect(logOf(lead.id)).toHaveLength(0);
  });

  it('sets the new password, ends every other session and keeps this one, on the record without the password', async () => {
    const lead = person('lead@cosponsor.test');
    const [mine, phone, laptop] = [openSession(lead.id), openSession(lead.id), openSession(lead.id)];
    const other = openSession(person('staff@cosponsor.test').id);
    const result = await changeOwnPassword({ ...lead, sessionIdHash: mine }, { currentPassword: DEMO, newPassword: NEW }, HOME);
    expect(result).toMatchObject({ ok: true, sessionsEnded: 2, message: 'Your password was changed. 2 other sessions were signed out.' });
    expect(hashOf(lead.email)).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(await verifyPassword(NEW, hashOf(lead.email))).toBe(true);
    expect(await verifyPassword(DEMO, hashOf(lead.email))).toBe(false);
    expect(revokedAt(mine)).toBeNull();
    expect(revokedAt(phone)).not.toBeNull();
    expect(revokedAt(laptop)).not.toBeNull();
    expect(revokedAt(other)).toBeNull();
    const [entry] = logOf(lead.id);
    expect(entry).toMatchObject({ actor_id: lead.id, action: 'user.password_change' });
    expect(JSON.parse(entry!.details)).toEqual({ sessionsEnded: 2, afterReset: false });
    expect(entry!.details).not.toContain(NEW);
    expect(await signIn(lead.email, NEW, HOME)).toEqual({ ok: true, userId: lead.id });
    expect(await signIn(lead.email, DEMO, HOME)).toEqual({ ok: false, kind: 'bad_credentials' });
  });

  it('is throttled like the sign-in form: after 8 wrong guesses from one address even the right password is not checked', async () => {
    const staff = person('staff@cosponsor.test');
    const session = openSession(staff.id);
    const before = hashOf(staff.email);
    expect(THROTTLE.blockAfterPerPair).toBe(8);
    // No slow-down in this test (up to 5 s a guess): its subject is the block.
    const step = THROTTLE.delayStepMs;
    THROTTLE.delayStepMs = 0;
    onTestFinished(() => {
      THROTTLE.delayStepMs = step;
    });
    for (let i = 0; i < 8; i++) {
      const guess = await changeOwnPassword({ ...staff, sessionIdHash: session }, { currentPassword: `guess-${i}`, newPassword: NEW }, STRANGER);
      expect(guess.ok).toBe(false);
    }
    const blocked = await changeOwnPassword({ ...staff, sessionIdHash: session }, { currentPassword: DEMO, newPassword: NEW }, STRANGER);
    expect(blocked).toMatchObject({ ok: false, kind: 'throttled' });
    expect(!blocked.ok && blocked.formError).toMatch(/^Too many wrong passwords for this account from your network\. Password checks are paused; try again in 1[45] minutes\./);
    expect(hashOf(staff.email)).toBe(before);
    // The sign-in form at that address is blocked by the same guesses.
    expect(await signIn(staff.email, DEMO, STRANGER)).toMatchObject({ ok: false, kind: 'throttled' });
    // The owner at home is not.
    expect(await changeOwnPassword({ ...staff, sessionIdHash: session }, { currentPassword: DEMO, newPassword: NEW }, HOME)).toMatchObject({ ok: true });
  });

  it('tells someone who signs in through single sign-on only that they have no password here', async () => {
    const id = createSignOnUser({ email: 'sso@cosponsor.test', name: 'Sam Sign-On', roles: ['staff'], at: new Date().toISOString() });
    const sso = person('sso@cosponsor.test');
    const before = hashOf(sso.email);
    const result = await changeOwnPassword({ ...sso, sessionIdHash: openSession(id) }, { currentPassword: 'anything-at-all', newPassword: NEW }, HOME);
    expect(result).toEqual({
      ok: false,
      kind: 'forbidden',
      formError: 'You sign in through single sign-on, so you have no Cosponsor password to change. Change your password with your sign-on provider.',
    });
    expect(hashOf(sso.email)).toBe(before);
  });

  it('does not overwrite a reset made while the new password was being hashed', async () => {
    const lead = person('lead2@cosponsor.test');
    const session = openSession(lead.id);
    const resetHash = await hashPassword('someone-else-set-this-1');
    // An administrator's reset lands between the check and the write: the service has read the
    // account when its first await (the scrypt check) begins, and the hash changes under it.
    const pending = changeOwnPassword({ ...lead, sessionIdHash: session }, { currentPassword: DEMO, newPassword: NEW }, HOME);
    run(qb().updateTable('users').set({ password_hash: resetHash }).where('id', '=', lead.id));
    expect(await pending).toMatchObject({ ok: false, kind: 'stale' });
    expect(hashOf(lead.email)).toBe(resetHash);
  });
});

describe('an administrator’s reset', () => {
  const admin = () => person('admin@cosponsor.test');

  it('gives a one-time temporary password, ends every session, and makes the person choose their own', async () => {
    const lead = person('lead@cosponsor.test');
    const sessions = [openSession(lead.id), openSession(lead.id)];
    const result = await resetPassword(admin(), lead.id, { mode: 'generate' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const temporary = result.temporaryPassword!;
    expect(temporary).toMatch(/^[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){3}$/);
    for (const s of sessions) expect(revokedAt(s)).not.toBeNull();
    const row = first(qb().selectFrom('users').selectAll().where('id', '=', lead.id))!;
    expect(row.password_change_required).toBe(1);
    expect(Date.parse(row.temporary_password_expires_at!) - Date.now()).toBeGreaterThan(71 * 3600_000);

    const [entry] = logOf(lead.id);
    expect(entry).toMatchObject({ actor_id: admin().id, action: 'user.password_reset' });
    expect(JSON.parse(entry!.details)).toMatchObject({ generated: true, sessionsEnded: 2 });
    expect(entry!.details).not.toContain(temporary);

    // The old password no longer works; the temporary one works once.
    expect(await signIn(lead.email, DEMO, HOME)).toEqual({ ok: false, kind: 'bad_credentials' });
    expect(await signIn(lead.email, temporary, HOME)).toEqual({ ok: true, userId: lead.id });
    expect(await signIn(lead.email, temporary, HOME)).toEqual({ ok: false, kind: 'bad_credentials' });

    // Signed in with it, the person chooses a password without the spent temporary one.
    const session = openSession(lead.id);
    const chosen = await changeOwnPassword({ ...lead, sessionIdHash: session }, { newPassword: NEW }, HOME);
    expect(chosen).toMatchObject({ ok: true, message: 'Your new password is set.' });
    expect(first(qb().selectFrom('users').select('password_change_required').where('id', '=', lead.id))!.password_change_required).toBe(0);
    expect(await signIn(lead.email, NEW, HOME)).toEqual({ ok: true, userId: lead.id });
    expect(JSON.parse(logOf(lead.id)[1]!.details)).toEqual({ sessionsEnded: 0, afterReset: true });
  });

  it('takes a temporary password the admin chooses, if it passes the same rules', async () => {
    const reviewer = person('reviewer@cosponsor.test');
    const weak = await resetPassword(admin(), reviewer.id, { mode: 'set', temporaryPassword: 'reviewer-1234' });
    expect(weak).toMatchObject({ ok: false, kind: 'invalid', fieldErrors: { temporaryPassword: [expect.stringContaining('e-mail address')] } });
    const set = await resetPassword(admin(), reviewer.id, { mode: 'set', temporaryPassword: 'purple kettle orchard' });
    expect(set).toMatchObject({ ok: true, temporaryPassword: null });
    expect(JSON.parse(logOf(reviewer.id)[0]!.details)).toMatchObject({ generated: false });
    expect(await signIn(reviewer.email, 'purple kettle orchard', HOME)).toEqual({ ok: true, userId: reviewer.id });
  });

  it('refuses a temporary password past its 72 hours, saying so only to whoever typed it', async () => {
    const staff = person('staff2@cosponsor.test');
    const result = await resetPassword(admin(), staff.id, { mode: 'generate' });
    if (!result.ok) throw new Error('reset refused');
    run(qb().updateTable('users').set({ temporary_password_expires_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', staff.id));
    expect(await signIn(staff.email, result.temporaryPassword!, HOME)).toEqual({ ok: false, kind: 'temporary_expired' });
    expect(await signIn(staff.email, 'a-wrong-password', HOME)).toEqual({ ok: false, kind: 'bad_credentials' });
  });

  it('is for admins only, never on their own account, and writes nothing when refused', async () => {
    const lead = person('lead@cosponsor.test');
    const before = hashOf(lead.email);
    const self = await resetPassword(admin(), admin().id, { mode: 'generate' });
    expect(self).toEqual({
      ok: false,
      kind: 'forbidden',
      formError: 'You cannot reset your own password here: change it on your account page, with your current password.',
    });
    const byStaff = await resetPassword(person('staff@cosponsor.test'), lead.id, { mode: 'generate' });
    expect(byStaff).toEqual({ ok: false, kind: 'forbidden', formError: 'Only admins reset another person’s password.' });
    expect(hashOf(lead.email)).toBe(before);
    expect(logOf(lead.id)).toHaveLength(0);
    expect(logOf(admin().id)).toHaveLength(0);
  });
});
