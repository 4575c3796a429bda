import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { all, first, qb, run } from '../../db/connection';
import { createSignOnUser } from '../../db/identities';
import { userByEmail } from '../../db/users';
import { startApp, type TestApp } from '../support/app-server';
import { find, parseHtml, visibleText } from '../support/html';

// The account page and an administrator's password reset, through the real pages over HTTP
// (docs/decisions/0380-password-change-and-reset.md).

process.env.THROTTLE_DELAY_STEP_MS = '0';

let app: TestApp;
let admin: string;
beforeAll(async () => {
  app = await startApp();
  admin = await app.login('admin@cosponsor.test');
});
afterAll(() => app.close());

const NEW = 'harbour lantern violet seventy';
/** The messages shown beside fields and in alerts, as a person reads them. */
const alerts = (html: string) =>
  parseHtml(html)
    .querySelectorAll('[role="alert"]')
    .map((alert) => visibleText(alert).trim());
const flashOf = async (location: string, cookie: string, setCookie: string) => {
  const flash = /cosponsor_flash=[^;]+/.exec(setCookie)?.[0] ?? '';
  return visibleText(find(await (await app.fetch(location, { cookie: `${cookie}; ${flash}` })).text(), '.flash') ?? '').trim();
};
const signedIn = async (cookie: string) => (await app.fetch('/inbox', { cookie })).status === 200;

describe('the account page', () => {
  it('is linked from the header and offers the change form, labelled, to a person with a password', async () => {
    const cookie = await app.login('reviewer@cosponsor.test');
    const inbox = await (await app.fetch('/inbox', { cookie })).text();
    // The person's name in the header, beside "Sign out", leads there.
    expect(visibleText(find(inbox, '.whoami a[href="/account"]')!).trim()).toBe('Ruth Adeyemi (your account)');
    const response = await app.fetch('/account', { cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toMatch(/no-store/);
    const html = await response.text();
    for (const [name, label] of [
      ['currentPassword', 'Current password'],
      ['newPassword', 'New password'],
      ['confirmPassword', 'New password, again'],
    ]) {
      const input = find(html, `input[name="${name}"]`)!;
      expect(input.getAttribute('type')).toBe('password');
      expect(visibleText(find(html, `label[for="${input.id}"]`)!).trim()).toBe(label);
    }
  });

  it('shows every error beside its field at once, and never sends a password back', async () => {
    const cookie = await app.login('reviewer@cosponsor.test');
    const typed = { currentPassword: 'typed-current-secret', newPassword: 'reviewer-pw', confirmPassword: 'something-else-typed' };
    const response = await app.post('/account', typed, cookie);
    expect(response.status).toBe(400);
    const html = await response.text();
    const newField = find(html, 'input[name="newPassword"]')!;
    expect(newField.getAttribute('aria-invalid')).toBe('true');
    expect(visibleText(find(html, `#${newField.id}-error`)!).trim()).toMatch(/^The password is too short: use at least 12 characters \(this one has 11\)/);
    const confirm = find(html, 'input[name="confirmPassword"]')!;
    expect(visibleText(find(html, `#${confirm.id}-error`)!).trim()).toBe('The two new passwords are not the same. Type the new password in both fields again.');
    for (const value of Object.values(typed)) expect(html).not.toContain(value);
  });

  it('refuses a wrong current password beside its field', async () => {
    const cookie = await app.login('reviewer@cosponsor.test');
    const before = userByEmail('reviewer@cosponsor.test')!.password_hash;
    const response = await app.post('/account', { currentPassword: 'not-the-password', newPassword: NEW, confirmPassword: NEW }, cookie);
    expect(response.status).toBe(400);
    const html = await response.text();
    const current = find(html, 'input[name="currentPassword"]')!;
    expect(visibleText(find(html, `#${current.id}-error`)!).trim()).toBe('That is not your current password.');
    expect(html).not.toContain(NEW);
    expect(userByEmail('reviewer@cosponsor.test')!.password_hash).toBe(before);
  });

  it('changes the password, keeps this session, signs out the others, and says so', async () => {
    const here = await app.login('staff2@cosponsor.test');
    const elsewhere = await app.login('staff2@cosponsor.test');
    const response = await app.post('/account', { currentPassword: 'cosponsor-demo', newPassword: NEW, confirmPassword: NEW }, here);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/account');
    expect(await flashOf('/account', here, response.headers.get('set-cookie') ?? '')).toBe(
      'Your password was changed. 1 other session was signed out.',
    );
    expect(await signedIn(here)).toBe(true);
    expect(await signedIn(elsewhere)).toBe(false);
    await expect(app.login('staff2@cosponsor.test', NEW)).resolves.toMatch(/^cosponsor_session=/);
    await expect(app.login('staff2@cosponsor.test')).rejects.toThrow(/failed with 400/);
  });

  it('answers 429 once the current password has been guessed wrong 8 times from one address', async () => {
    const cookie = await app.login('lead2@cosponsor.test');
    for (let i = 0; i < 8; i++) {
      const guess = await app.post('/account', { currentPassword: `guess-number-${i}`, newPassword: NEW, confirmPassword: NEW }, cookie);
      expect(guess.status).toBe(400);
    }
    const blocked = await app.post('/account', { currentPassword: 'cosponsor-demo', newPassword: NEW, confirmPassword: NEW }, cookie);
    expect(blocked.status).toBe(429);
    expect(alerts(await blocked.text()).join(' ')).toMatch(/Too many wrong passwords for this account from your network\. Password checks are paused/);
    // The sign-in form from the same address is paused by the same guesses.
    expect((await app.post('/login', { email: 'lead2@cosponsor.test', password: 'cosponsor-demo' })).status).toBe(429);
  });

  it('tells a person who signs in through single sign-on only that there is no password to change', async () => {
    // Signed in, then made what single sign-on makes: an account whose hash no password matches
    // (the sign-on flow itself is tested against a real provider in sign-on.test.ts).
    const cookie = await app.login('reviewer@cosponsor.test');
    const reviewer = userByEmail('reviewer@cosponsor.test')!;
    const ssoHash = first(qb().selectFrom('users').select('password_hash').where('id', '=', createSignOnUser({ email: 'sso-only@cosponsor.test', name: 'Sol Sign-On', roles: ['reviewer'], at: new Date().toISOString() })))!.password_hash;
    run(qb().updateTable('users').set({ password_hash: ssoHash }).where('id', '=', reviewer.id));
    onTestFinished(() => {
      run(qb().updateTable('users').set({ password_hash: reviewer.password_hash }).where('id', '=', reviewer.id));
    });
    const html = await (await app.fetch('/account', { cookie })).text();
    expect(visibleText(find(html, '[data-testid="no-local-password"]')!).trim()).toBe(
      'You sign in through single sign-on, so you have no Cosponsor password to change. Change your password with your sign-on provider.',
    );
    expect(find(html, 'input[name="newPassword"]')).toBeNull();
    const response = await app.post('/account', { currentPassword: 'whatever-typed', newPassword: NEW, confirmPassword: NEW }, cookie);
    expect(response.status).toBe(403);
  });
});

describe('an administrator’s password reset', () => {
  it('shows a generated temporary password once, ends the person’s sessions, and records it without the password', async () => {
    const lead = userByEmail('lead@cosponsor.test')!;
    const leadCookie = await app.login('lead@cosponsor.test');
    const response = await app.post(`/admin/users/${lead.id}`, { intent: 'reset-password', mode: 'generate' }, admin);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toMatch(/no-store/);
    const html = await response.text();
    const temporary = find(html, '[data-testid="temporary-password"]')!.text.trim();
    expect(temporary).toMatch(/^[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){3}$/);
    // Never in a cookie (a flash cookie is signed, not encrypted).
    const cookies = decodeURIComponent(response.headers.get('set-cookie') ?? '');
    const payloads = [...cookies.matchAll(/=([\w+/=-]+)\./g)].map((m) => Buffer.from(m[1]!, 'base64').toString('utf8'));
    expect(payloads.join(' ')).not.toContain(temporary);
    expect(await signedIn(leadCookie)).toBe(false);

    const entry = first(qb().selectFrom('admin_log').selectAll().orderBy('id', 'desc').limit(1))!;
    expect(entry).toMatchObject({ action: 'user.password_reset', target_user_id: lead.id, actor_id: userByEmail('admin@cosponsor.test')!.id });
    expect(entry.details).not.toContain(temporary);
    // Shown once: the page read again has it nowhere.
    const again = await (await app.fetch(`/admin/users/${lead.id}`, { cookie: admin })).text();
    expect(again).not.toContain(temporary);
    expect(visibleText(again)).toContain('reset Dana');

    // The person signs in with it, and every page but the account page sends them there first.
    const cookie = await app.login('lead@cosponsor.test', temporary);
    for (const path of ['/', '/proposals', '/inbox', '/decisions', '/settings/notifications', '/help']) {
      const page = await app.fetch(path, { cookie });
      expect(page.status, path).toBe(302);
      expect(page.headers.get('location'), path).toBe('/account');
    }
    const post = await app.post('/settings/notifications', { decided: 'on' }, cookie);
    expect(post.status).toBe(403);
    expect(await post.text()).toContain('Choose a new password first');
    const page = await (await app.fetch('/account', { cookie })).text();
    expect(find(page, 'h1')!.text.trim()).toBe('Choose a new password');
    expect(find(page, 'input[name="currentPassword"]')).toBeNull();
    // No links to other pages in the header meanwhile.
    expect(find(page, 'nav[aria-label="Main"]')).toBeNull();
    // Spent: it does not sign in a second time.
    await expect(app.login('lead@cosponsor.test', temporary)).rejects.toThrow(/failed with 400/);

    const chosen = await app.post('/account', { newPassword: NEW, confirmPassword: NEW }, cookie);
    expect(chosen.status).toBe(302);
    expect(chosen.headers.get('location')).toBe('/proposals');
    expect((await app.fetch('/proposals', { cookie })).status).toBe(200);
    await expect(app.login('lead@cosponsor.test', NEW)).resolves.toMatch(/^cosponsor_session=/);
  });

  it('takes a temporary password the admin types, refusing a weak one beside its field without sending it back', async () => {
    const reviewer = userByEmail('reviewer@cosponsor.test')!;
    const weak = await app.post(`/admin/users/${reviewer.id}`, { intent: 'reset-password', mode: 'set', temporaryPassword: 'short-one' }, admin);
    expect(weak.status).toBe(400);
    const html = await weak.text();
    const field = find(html, 'input[name="temporaryPassword"]')!;
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(visibleText(find(html, `#${field.id}-error`)!).trim()).toMatch(/^The password is too short/);
    expect(html).not.toContain('short-one');
    const set = await app.post(`/admin/users/${reviewer.id}`, { intent: 'reset-password', mode: 'set', temporaryPassword: 'purple kettle orchard' }, admin);
    expect(set.status).toBe(302);
    expect(set.headers.get('location')).toBe(`/admin/users/${reviewer.id}`);
    await expect(app.login('reviewer@cosponsor.test', 'purple kettle orchard')).resolves.toMatch(/^cosponsor_session=/);
  });

  it('holds nobody at the account page while password sign-in is off: they came through single sign-on', async () => {
    const cookie = await app.login('staff@cosponsor.test');
    const staff = userByEmail('staff@cosponsor.test')!;
    run(qb().updateTable('users').set({ password_change_required: 1 }).where('id', '=', staff.id));
    const sso = { OIDC_ISSUER: 'http://127.0.0.1:9/', OIDC_CLIENT_ID: 'cosponsor', OIDC_CLIENT_SECRET: 'not-used-here', LOCAL_LOGIN: 'off' };
    Object.assign(process.env, sso);
    onTestFinished(() => {
      for (const name of Object.keys(sso)) delete process.env[name];
    });
    expect((await app.fetch('/inbox', { cookie })).status).toBe(200);
    const page = await (await app.fetch('/account', { cookie })).text();
    expect(visibleText(find(page, '[data-testid="no-local-password"]')!).trim()).toBe(
      'Password sign-in is turned off here: everyone signs in through single sign-on, so there are no passwords to change.',
    );
    const reset = await app.post(`/admin/users/${staff.id}`, { intent: 'reset-password', mode: 'generate' }, admin);
    expect(reset.status).toBe(403);
  });

  it('is refused for the admin’s own account, pointing to the change form', async () => {
    const self = userByEmail('admin@cosponsor.test')!;
    const before = all(qb().selectFrom('admin_log').select('id')).length;
    const page = await (await app.fetch(`/admin/users/${self.id}`, { cookie: admin })).text();
    expect(find(page, 'input[value="reset-password"]')).toBeNull();
    expect(find(page, 'section[aria-labelledby="password-title"] a[href="/account"]')).not.toBeNull();
    const response = await app.post(`/admin/users/${self.id}`, { intent: 'reset-password', mode: 'generate' }, admin);
    expect(response.status).toBe(403);
    expect(alerts(await response.text()).join(' ')).toContain('You cannot reset your own password here');
    expect(all(qb().selectFrom('admin_log').select('id')).length).toBe(before);
  });
});
