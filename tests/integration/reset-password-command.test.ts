import { spawnSync } from 'node:child_process';
import { beforeEach, describe, expect, it } from 'vitest';
import { setAccountActive, userPageData } from '../../app/features/admin/admin.server';
import { accountSubjectOf } from '../../app/features/auth/account.server';
import { signIn } from '../../app/features/auth/sign-in.server';
import { all, first, qb } from '../../db/connection';
import { userByEmail } from '../../db/users';
import { freshDatabase } from '../support/db';
import { openSession as openSessionFrom, revokedAt } from '../support/sessions';

// npm run account:reset-password -- <email> (docs/decisions/0380-password-change-and-reset.md), run
// as an operator runs it (node scripts/run.mjs, the compiled script) against this file's database:
// the same reset as an admin's, for an installation whose only admin forgot their password.

const DEMO = 'cosponsor-demo';
const HOME = '203.0.113.20';
const TEMPORARY = /^Temporary password \(shown only now\): ([a-hjkmnp-z2-9]{4}(?:-[a-hjkmnp-z2-9]{4}){3})$/m;

beforeEach(() => {
  freshDatabase('demo');
});

/** The command, on this test's database (DATABASE_PATH, or DATABASE_URL on PostgreSQL). */
const command = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['scripts/run.mjs', 'account-reset-password', ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });

const openSession = (userId: number) => openSessionFrom(userId, HOME);
const adminLogSize = () => all(qb().selectFrom('admin_log').select('id')).length;

describe('npm run account:reset-password', () => {
  it('gives the only admin a one-time temporary password, ends every session, and logs it as done from the command line', async () => {
    const admin = userByEmail('admin@cosponsor.test')!;
    const [laptop, phone] = [openSession(admin.id), openSession(admin.id)];
    const someoneElse = openSession(userByEmail('staff@cosponsor.test')!.id);

    // Upper case and spaces as an operator may type them: addresses are kept in lower case.
    const result = command(['  ADMIN@cosponsor.test ']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^The password of .+ \(admin@cosponsor\.test\) was reset; 2 open sessions were ended\. The temporary password below works for one sign-in, until \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    const temporary = TEMPORARY.exec(result.stdout)![1]!;

    // Every old session is gone; nobody else's.
    expect(revokedAt(laptop)).not.toBeNull();
    expect(revokedAt(phone)).not.toBeNull();
    expect(revokedAt(someoneElse)).toBeNull();

    // The same state as an admin's reset: must choose first, 72 hours.
    const row = userByEmail(admin.email)!;
    expect(accountSubjectOf(admin.id)).toMatchObject({ mustChoosePassword: true });
    expect(Date.parse(row.temporary_password_expires_at!) - Date.now()).toBeGreaterThan(71 * 3600_000);
    expect(Date.parse(row.temporary_password_expires_at!) - Date.now()).toBeLessThanOrEqual(72 * 3600_000);

    // On the record, never the password or its hash.
    const entry = first(qb().selectFrom('admin_log').selectAll().where('target_user_id', '=', admin.id).orderBy('id', 'desc'))!;
    expect(entry).toMatchObject({ actor_id: admin.id, action: 'user.password_reset' });
    expect(JSON.parse(entry.details)).toMatchObject({ generated: true, via: 'command_line', sessionsEnded: 2, expiresAt: row.temporary_password_expires_at });
    expect(entry.details).not.toContain(temporary);
    expect(entry.details).not.toContain(row.password_hash);
    const [shown] = userPageData(admin.id)!.changes;
    expect(shown).toMatchObject({ actor: 'The server’s command line', text: expect.stringMatching(/^reset .+’s password \(a generated temporary password; 2 open sessions ended; npm run account:reset-password/) });

    // The old password no longer works; the temporary one works once.
    expect(await signIn(admin.email, DEMO, HOME)).toEqual({ ok: false, kind: 'bad_credentials' });
    expect(await signIn(admin.email, temporary, HOME)).toEqual({ ok: true, userId: admin.id });
    expect(await signIn(admin.email, temporary, HOME)).toEqual({ ok: false, kind: 'bad_credentials' });
  }, 90_000);

  it('refuses an unknown address with a clear message, a non-zero exit, and changes nothing', () => {
    const before = adminLogSize();
    const result = command(['nobody@cosponsor.test']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim()).toBe('Refused: There is no account with the e-mail address nobody@cosponsor.test. Nothing was changed.');
    expect(adminLogSize()).toBe(before);
  }, 60_000);

  it('refuses a deactivated account and leaves its password as it was', async () => {
    const admin = userByEmail('admin@cosponsor.test')!;
    const reviewer = userByEmail('reviewer@cosponsor.test')!;
    expect(setAccountActive({ id: admin.id, name: admin.name, roles: admin.roles, chapterId: null }, reviewer.id, false).ok).toBe(true);
    const before = adminLogSize();
    const result = command([reviewer.email]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^Refused: This account is deactivated: an admin must reactivate it first/);
    expect(userByEmail(reviewer.email)!.password_hash).toBe(reviewer.password_hash);
    expect(accountSubjectOf(reviewer.id)).toMatchObject({ mustChoosePassword: false });
    expect(adminLogSize()).toBe(before);
  }, 60_000);

  it('refuses while password sign-in is off, and explains its usage', () => {
    const lead = userByEmail('lead@cosponsor.test')!;
    const session = openSession(lead.id);
    const off = command([lead.email], { LOCAL_LOGIN: 'off', OIDC_ISSUER: 'https://sso.example.org', OIDC_CLIENT_ID: 'cosponsor', OIDC_CLIENT_SECRET: 'not-used' });
    expect(off.status).toBe(1);
    expect(off.stderr).toMatch(/^Refused: Password sign-in is turned off here/);
    expect(revokedAt(session)).toBeNull();

    const usage = command([]);
    expect(usage.status).toBe(2);
    expect(usage.stderr.trim()).toBe('Usage: npm run account:reset-password -- <e-mail address of the account>');
    expect(command(['a@example.org', 'b@example.org']).status).toBe(2);
  }, 60_000);
});
