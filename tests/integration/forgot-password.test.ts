import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resetPassword } from '../../app/features/admin/admin.server';
import { completePasswordReset, requestPasswordReset, resetLinkState, RESET_LINKS_PER_ACCOUNT_PER_HOUR } from '../../app/features/auth/forgot-password.server';
import { signIn } from '../../app/features/auth/sign-in.server';
import { THROTTLE } from '../../app/features/auth/throttle.server';
import { deliverDueNotifications } from '../../app/jobs/outbox.server';
import { all, first, qb, run } from '../../db/connection';
import { createSignOnUser } from '../../db/identities';
import { userByEmail } from '../../db/users';
import { freshDatabase } from '../support/db';
import { openSession as openSessionFrom, revokedAt } from '../support/sessions';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp';

// "Forgot your password?" (docs/decisions/0410-forgotten-password-by-e-mail.md) through the
// services on a real database (SQLite and PostgreSQL): the neutral answer, the e-mail through the
// outbox to a real SMTP server on loopback, the single-use link, expiry, superseded links, limits.

const APP_URL = 'https://cosponsor.example.org';
const HOME = '203.0.113.20';
const NEW = 'harbour lantern violet seventy';
const DEMO = 'cosponsor-demo';
const ENV = ['SMTP_URL', 'MAIL_FROM', 'APP_URL'] as const;
const saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));

let smtp: TestSmtpServer;

beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp.close();
});
beforeEach(() => {
  freshDatabase('demo');
  process.env.SMTP_URL = smtp.url();
  process.env.MAIL_FROM = 'Cosponsor <cosponsor@example.org>';
  process.env.APP_URL = APP_URL;
  smtp.received.length = 0;
});
afterEach(() => {
  for (const name of ENV) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

const queued = () => all(qb().selectFrom('outbox').select(['recipient', 'payload', 'event']).where('event', '=', 'account.password_reset_link').orderBy('id'));
const linkRows = () => all(qb().selectFrom('password_reset_links').selectAll().orderBy('id'));
/** The token in the newest link e-mail, as the person receives it: the outbox delivers what is due to the loopback SMTP server. */
async function tokenOf(): Promise<string> {
  await deliverDueNotifications();
  const match = /\/reset-password\/([A-Za-z0-9_-]+)/.exec(smtp.received.at(-1)!.parsed.text ?? '');
  return match![1]!;
}
const openSession = (userId: number) => openSessionFrom(userId, HOME);

describe('asking for a link', () => {
  it('answers the same for an unknown address, a single sign-on account and a deactivated one, and e-mails nobody', async () => {
    createSignOnUser({ email: 'sso@cosponsor.test', name: 'Sam Sign-On', roles: ['staff'], at: new Date().toISOString() });
    run(qb().updateTable('users').set({ active: 0 }).where('email', '=', 'reviewer@cosponsor.test'));
    for (const email of ['nobody@cosponsor.test', 'sso@cosponsor.test', 'reviewer@cosponsor.test']) {
      expect(await requestPasswordReset(email, HOME)).toEqual({ ok: true });
    }
    expect(queued()).toEqual([]);
    expect(linkRows()).toEqual([]);
    // Each request counts like a failed sign-in.
    expect(all(qb().selectFrom('login_attempts').select('email').where('success', '=', 0))).toHaveLength(3);
  });

  it('queues one e-mail with a link for an active account, stores only the token’s hash, and the outbox delivers it', async () => {
    expect(await requestPasswordReset('Lead@Cosponsor.test', HOME)).toEqual({ ok: true });
    const [row] = queued();
    expect(row).toMatchObject({ recipient: 'lead@cosponsor.test', event: 'account.password_reset_link' });
    expect(await deliverDueNotifications()).toMatchObject({ delivered: 1 });
    const [mail] = smtp.received;
    const token = /\/reset-password\/([A-Za-z0-9_-]+)/.exec(mail!.parsed.text ?? '')![1]!;
    expect(token.length).toBeGreaterThanOrEqual(43);
    // Nowhere in the database: the link's row has its hash, the queued e-mail has it sealed.
    const [link] = linkRows();
    expect(link).toMatchObject({ user_id: userByEmail('lead@cosponsor.test')!.id, requested_ip: HOME, used_at: null, superseded_at: null });
    expect(JSON.stringify(link)).not.toContain(token);
    expect(JSON.stringify(queued())).not.toContain(token);
    expect(Date.parse(link!.expires_at) - Date.parse(link!.created_at)).toBe(3600_000);

    expect(mail!.to).toEqual(['lead@cosponsor.test']);
    expect(mail!.parsed.subject).toBe('Choose a new Cosponsor password');
    expect(mail!.parsed.text).toContain(`${APP_URL}/reset-password/${token}`);
    expect(mail!.parsed.text).not.toContain('Notification settings');
  });

  it('cannot send a queued link once SESSION_SECRET changed, and says why in the delivery log', async () => {
    await requestPasswordReset('lead@cosponsor.test', HOME);
    process.env.SESSION_SECRET = 'another secret altogether, set after the e-mail was queued';
    try {
      expect(await deliverDueNotifications()).toMatchObject({ delivered: 0 });
    } finally {
      delete process.env.SESSION_SECRET;
    }
    expect(smtp.received).toEqual([]);
    const [attempt] = all(qb().selectFrom('outbox_attempts').selectAll());
    expect(JSON.stringify(attempt)).toContain('SESSION_SECRET changed');
  });

  it('sends nothing while e-mail or APP_URL is not set up', async () => {
    delete process.env.APP_URL;
    expect(await requestPasswordReset('lead@cosponsor.test', HOME)).toEqual({ ok: true });
    process.env.APP_URL = APP_URL;
    delete process.env.SMTP_URL;
    expect(await requestPasswordReset('lead@cosponsor.test', HOME)).toEqual({ ok: true });
    expect(queued()).toEqual([]);
  });

  it(`sends at most ${RESET_LINKS_PER_ACCOUNT_PER_HOUR} links an hour to one account, whichever addresses ask`, async () => {
    // From new addresses every time: only the account's own count could slow these (and does, from the fourth).
    for (let i = 0; i < RESET_LINKS_PER_ACCOUNT_PER_HOUR + 2; i++) expect(await requestPasswordReset('staff@cosponsor.test', `198.51.100.${i + 1}`)).toEqual({ ok: true });
    expect(queued()).toHaveLength(RESET_LINKS_PER_ACCOUNT_PER_HOUR);
  });

  it('is throttled like sign-in: after 8 requests for one address from one client, the next is refused', async () => {
    const step = THROTTLE.delayStepMs;
    THROTTLE.delayStepMs = 0;
    try {
      for (let i = 0; i < 8; i++) expect((await requestPasswordReset('nobody@cosponsor.test', HOME)).ok).toBe(true);
      expect(await requestPasswordReset('nobody@cosponsor.test', HOME)).toMatchObject({ ok: false, kind: 'throttled' });
      // And the sign-in form for the same pair shares the limit.
      expect(await signIn('nobody@cosponsor.test', DEMO, HOME)).toMatchObject({ ok: false, kind: 'throttled' });
    } finally {
      THROTTLE.delayStepMs = step;
    }
  });
});

describe('using the link', () => {
  it('sets the new password, ends every session, spends the link, and a second use is refused', async () => {
    const lead = userByEmail('lead@cosponsor.test')!;
    const [laptop, phone] = [openSession(lead.id), openSession(lead.id)];
    await requestPasswordReset(lead.email, HOME);
    const token = await tokenOf();
    expect(resetLinkState(token)).toMatchObject({ ok: true, person: { id: lead.id, email: lead.email } });

    expect(await completePasswordReset(token, NEW, HOME)).toEqual({ ok: true, sessionsEnded: 2, message: 'Your new password is set. 2 open sessions were signed out. Sign in with it.' });
    expect(revokedAt(laptop)).not.toBeNull();
    expect(revokedAt(phone)).not.toBeNull();
    expect(await signIn(lead.email, DEMO, HOME)).toEqual({ ok: false, kind: 'bad_credentials' });
    expect(await signIn(lead.email, NEW, HOME)).toEqual({ ok: true, userId: lead.id });
    const entry = first(qb().selectFrom('admin_log').selectAll().where('target_user_id', '=', lead.id).orderBy('id', 'desc'))!;
    expect(entry).toMatchObject({ actor_id: lead.id, action: 'user.password_change' });
    expect(JSON.parse(entry.details)).toEqual({ sessionsEnded: 2, via: 'email_link' });
    expect(entry.details).not.toContain(token);

    const before = userByEmail(lead.email)!.password_hash;
    expect(await completePasswordReset(token, 'another quiet meadow seven', HOME)).toEqual({ ok: false, kind: expect.any(String), message: expect.stringMatching(/^This link was already used/) });
    expect(userByEmail(lead.email)!.password_hash).toBe(before);
  });

  it('refuses an expired link and changes nothing', async () => {
    const lead = userByEmail('lead@cosponsor.test')!;
    await requestPasswordReset(lead.email, HOME);
    const token = await tokenOf();
    run(qb().updateTable('password_reset_links').set({ expires_at: new Date(Date.now() - 1000).toISOString() }));
    expect(resetLinkState(token)).toEqual({ ok: false, kind: expect.any(String), message: expect.stringMatching(/^This link has expired: links work for one hour\./) });
    expect(await completePasswordReset(token, NEW, HOME)).toMatchObject({ ok: false, message: expect.stringMatching(/^This link has expired/) });
    expect(userByEmail(lead.email)!.password_hash).toBe(lead.password_hash);
    expect(linkRows()[0]!.used_at).toBeNull();
  });

  it('refuses a link superseded by a newer one or by an administrator’s reset, and a made-up one', async () => {
    const staff = userByEmail('staff@cosponsor.test')!;
    await requestPasswordReset(staff.email, HOME);
    const first_ = await tokenOf();
    await requestPasswordReset(staff.email, HOME);
    const second = await tokenOf();
    expect(resetLinkState(first_)).toEqual({ ok: false, kind: expect.any(String), message: expect.stringMatching(/^A newer link was sent since/) });
    expect(resetLinkState(second)).toMatchObject({ ok: true });

    const admin = userByEmail('admin@cosponsor.test')!;
    expect((await resetPassword({ id: admin.id, name: admin.name, roles: admin.roles, chapterId: null }, staff.id, { mode: 'generate' })).ok).toBe(true);
    expect(await completePasswordReset(second, NEW, HOME)).toEqual({ ok: false, kind: expect.any(String), message: expect.stringMatching(/^A newer link was sent since, or the password was changed/) });

    expect(resetLinkState('made-up-token')).toEqual({ ok: false, kind: expect.any(String), message: expect.stringMatching(/^This link is not valid/) });
  });
});
