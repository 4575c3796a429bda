import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { all, qb } from '../../db/connection';
import { userByEmail } from '../../db/users';
import { deliverDueNotifications } from '../../app/jobs/outbox.server';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp';
import { freshDatabase } from '../support/db';
import { startApp, type TestApp } from '../support/app-server';
import { find, parseHtml, visibleText } from '../support/html';

// "Forgot your password?" through the real pages over HTTP, as a browser without JavaScript
// posts them (docs/decisions/0410-forgotten-password-by-e-mail.md).

process.env.THROTTLE_DELAY_STEP_MS = '0';

const APP_URL = 'https://cosponsor.example.org';
const NEW = 'harbour lantern violet seventy';
let app: TestApp;
let smtp: TestSmtpServer;

beforeAll(async () => {
  freshDatabase('demo');
  // The e-mails go to a real SMTP server on loopback, delivered by the outbox when a test asks.
  smtp = await startSmtpServer();
  process.env.SMTP_URL = smtp.url();
  process.env.APP_URL = APP_URL;
  app = await startApp();
});
afterAll(async () => {
  delete process.env.SMTP_URL;
  delete process.env.APP_URL;
  await app.close();
  await smtp.close();
});

const alerts = (html: string) =>
  parseHtml(html)
    .querySelectorAll('[role="alert"], [role="status"]')
    .map((alert) => visibleText(alert).trim());
const queued = () => all(qb().selectFrom('outbox').select(['recipient', 'payload']).where('event', '=', 'account.password_reset_link').orderBy('id'));
/** The token in the newest link e-mail, as the person receives it. */
async function tokenOf(): Promise<string> {
  await deliverDueNotifications();
  return /\/reset-password\/([A-Za-z0-9_-]+)/.exec(smtp.received.at(-1)!.parsed.text ?? '')![1]!;
}
const labelOf = (html: string, name: string) => {
  const input = find(html, `input[name="${name}"]`)!;
  return visibleText(find(html, `label[for="${input.id}"]`)!).trim();
};

describe('asking for a link', () => {
  it('is linked from the sign-in page and asks for the address, labelled', async () => {
    const login = await (await app.fetch('/login')).text();
    expect(visibleText(find(login, 'a[href="/forgot-password"]')!).trim()).toBe('Forgot your password?');
    const page = await app.fetch('/forgot-password');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(labelOf(html, 'email')).toBe('E-mail');
    expect(find(html, 'input[name="email"]')!.getAttribute('type')).toBe('email');
  });

  it('puts a bad address’s message beside the field and keeps what was typed', async () => {
    const response = await app.post('/forgot-password', { email: 'lead at cosponsor' });
    expect(response.status).toBe(400);
    const html = await response.text();
    const input = find(html, 'input[name="email"]')!;
    expect(input.getAttribute('value')).toBe('lead at cosponsor');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(visibleText(find(html, `#${input.id}-error`)!).trim()).toBe('Enter a valid e-mail address, like name@example.org.');
    expect(queued()).toHaveLength(0);
  });

  it('answers an unknown address exactly as a known one, and e-mails only the known one', async () => {
    const unknown = await app.post('/forgot-password', { email: 'nobody@cosponsor.test' });
    const known = await app.post('/forgot-password', { email: 'lead2@cosponsor.test' });
    expect(unknown.status).toBe(200);
    expect(known.status).toBe(200);
    const [a, b] = [alerts(await unknown.text()), alerts(await known.text())];
    expect(a).toHaveLength(1);
    expect(a[0]!.replace('nobody@cosponsor.test', 'X')).toBe(b[0]!.replace('lead2@cosponsor.test', 'X'));
    expect(a[0]).toMatch(/^If nobody@cosponsor\.test belongs to an active account that signs in with a password, we have sent it a link/);
    expect(queued().map((row) => row.recipient)).toEqual(['lead2@cosponsor.test']);
  });

  it('pauses requests for one address from one client like sign-ins (429 with the minutes)', async () => {
    let last: Response | undefined;
    for (let i = 0; i < 9; i++) last = await app.post('/forgot-password', { email: 'someone@cosponsor.test' });
    expect(last!.status).toBe(429);
    const html = await last!.text();
    expect(alerts(html)).toEqual([expect.stringMatching(/^Too many requests for this address or from your network\. Try again in \d+ minutes?\.$/)]);
    expect(find(html, 'input[name="email"]')!.getAttribute('value')).toBe('someone@cosponsor.test');
  });

  it('says so when e-mail is not set up, and refuses a post', async () => {
    delete process.env.SMTP_URL;
    try {
      const html = await (await app.fetch('/forgot-password')).text();
      expect(visibleText(find(html, 'main') ?? html)).toContain('Links by e-mail are not set up on this server. Ask an administrator');
      expect(find(html, 'input[name="email"]')).toBeNull();
      expect((await app.post('/forgot-password', { email: 'lead@cosponsor.test' })).status).toBe(403);
    } finally {
      process.env.SMTP_URL = smtp.url();
    }
  });
});

describe('the link’s page', () => {
  it('asks for the new password twice, errors beside the fields, never echoing a password', async () => {
    await app.post('/forgot-password', { email: 'reviewer@cosponsor.test' });
    const path = `/reset-password/${await tokenOf()}`;
    const page = await app.fetch(path);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toMatch(/no-store/);
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    const html = await page.text();
    expect(labelOf(html, 'newPassword')).toBe('New password');
    expect(labelOf(html, 'confirmPassword')).toBe('New password, again');

    const typed = { newPassword: 'reviewer-pw', confirmPassword: 'something-else-typed' };
    const response = await app.post(path, typed);
    expect(response.status).toBe(400);
    const answer = await response.text();
    const field = find(answer, 'input[name="newPassword"]')!;
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(visibleText(find(answer, `#${field.id}-error`)!).trim()).toMatch(/^The password is too short/);
    const confirm = find(answer, 'input[name="confirmPassword"]')!;
    expect(visibleText(find(answer, `#${confirm.id}-error`)!).trim()).toBe('The two new passwords are not the same. Type the new password in both fields again.');
    for (const value of Object.values(typed)) expect(answer).not.toContain(value);
  });

  it('sets the password, signs out every session, sends to sign-in with a message; the link then refuses', async () => {
    const cookie = await app.login('staff2@cosponsor.test');
    await app.post('/forgot-password', { email: 'staff2@cosponsor.test' });
    const path = `/reset-password/${await tokenOf()}`;
    const done = await app.post(path, { newPassword: NEW, confirmPassword: NEW });
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe('/login');
    const flash = /cosponsor_flash=[^;]+/.exec(done.headers.get('set-cookie') ?? '')![0];
    const login = await (await app.fetch('/login', { cookie: flash })).text();
    expect(visibleText(find(login, '.flash')!).trim()).toMatch(/^Your new password is set\. 1 open session was signed out\. Sign in with it\./);

    expect((await app.fetch('/inbox', { cookie })).status).toBe(302);
    expect(await app.login('staff2@cosponsor.test', NEW)).toMatch(/^cosponsor_session=/);

    const again = await app.fetch(path);
    expect(again.status).toBe(410);
    expect(alerts(await again.text())[0]).toMatch(/^This link was already used/);
    const before = userByEmail('staff2@cosponsor.test')!.password_hash;
    const repost = await app.post(path, { newPassword: 'another quiet meadow seven', confirmPassword: 'another quiet meadow seven' });
    expect(repost.status).toBe(410);
    expect(userByEmail('staff2@cosponsor.test')!.password_hash).toBe(before);
  });

  it('refuses a made-up link with a message, not an error page', async () => {
    const response = await app.fetch('/reset-password/not-a-real-token');
    expect(response.status).toBe(404);
    expect(alerts(await response.text())[0]).toMatch(/^This link is not valid/);
  });
});
