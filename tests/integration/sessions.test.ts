import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { all, first, qb, run } from '../../db/connection';
import { setUserActive, userByEmail } from '../../db/users';
import { startApp, type TestApp } from '../support/app-server';

// Sessions live in the database: they expire, are revoked at sign-out, and stop
// at once for a deactivated user. Checked over HTTP against the real app.

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());

/** The random token inside the signed cookie value (base64 JSON, then ".signature"). */
function tokenOf(cookie: string): string {
  const value = decodeURIComponent(cookie.replace(/^cosponsor_session=/, ''));
  const payload = value.slice(0, value.lastIndexOf('.'));
  return JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as string;
}
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const sessionRow = (cookie: string) => first(qb().selectFrom('sessions').selectAll().where('id', '=', sha256(tokenOf(cookie))));

async function isSignedIn(cookie: string): Promise<boolean> {
  // Signed in, the start page sends a person on to their work; signed out, to the sign-in page.
  const response = await app.fetch('/', { cookie });
  expect(response.status).toBe(302);
  return response.headers.get('location') !== '/login';
}

describe('sessions', () => {
  it('keep only a hash of the random token in the database, in an HttpOnly SameSite=Lax cookie', async () => {
    const response = await app.post('/login', { email: 'reviewer@cosponsor.test', password: 'cosponsor-demo' });
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Secure/i); // plain http on loopback
    const cookie = /cosponsor_session=[^;]+/.exec(setCookie)![0];
    const token = tokenOf(cookie);
    expect(token.length).toBeGreaterThanOrEqual(40);
    const row = sessionRow(cookie)!;
    expect(row.user_id).toBe(userByEmail('reviewer@cosponsor.test')!.id);
    expect(all(qb().selectFrom('sessions').select('id').where('id', '=', token))).toHaveLength(0);
    expect(await isSignedIn(cookie)).toBe(true);
  });

  it('refuse a cookie whose signature does not match', async () => {
    const cookie = await app.login('reviewer@cosponsor.test');
    const tampered = cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect(await isSignedIn(tampered)).toBe(false);
    expect(await isSignedIn(cookie)).toBe(true);
  });

  it('get a new id at every sign-in, even when the browser still holds an old one', async () => {
    const first = await app.login('lead@cosponsor.test');
    const response = await app.fetch('/login', {
      method: 'POST',
      cookie: first,
      body: new URLSearchParams({ email: 'lead@cosponsor.test', password: 'cosponsor-demo' }),
    });
    expect(response.status).toBe(302);
    const second = /cosponsor_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')![0];
    expect(tokenOf(second)).not.toBe(tokenOf(first));
    expect(sessionRow(second)!.id).not.toBe(sessionRow(first)!.id);
  });

  it('expire: once expires_at has passed the next request is anonymous', async () => {
    const cookie = await app.login('staff@cosponsor.test');
    expect(await isSignedIn(cookie)).toBe(true);
    run(qb().updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', sessionRow(cookie)!.id));
    expect(await isSignedIn(cookie)).toBe(false);
  });

  it('are revoked on the server at sign-out: replaying the old cookie is anonymous', async () => {
    const cookie = await app.login('staff2@cosponsor.test');
    expect(await isSignedIn(cookie)).toBe(true);
    const response = await app.fetch('/logout', { method: 'POST', cookie });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/login');
    expect(response.headers.get('set-cookie')).toMatch(/cosponsor_session=;.*Max-Age=0/i);
    expect(sessionRow(cookie)!.revoked_at).not.toBeNull();
    expect(await isSignedIn(cookie)).toBe(false);
  });

  it('stop working on the next request once the user is deactivated', async () => {
    const cookie = await app.login('lead2@cosponsor.test');
    expect(await isSignedIn(cookie)).toBe(true);
    const lead2 = userByEmail('lead2@cosponsor.test')!;
    // Only the account flag: the session row itself is still open.
    setUserActive(lead2.id, false, new Date().toISOString());
    expect(sessionRow(cookie)!.revoked_at).toBeNull();
    expect(await isSignedIn(cookie)).toBe(false);
    setUserActive(lead2.id, true, new Date().toISOString());
    expect(await isSignedIn(cookie)).toBe(true);
  });

  it('refuse a POST without a live session with 401, and say nothing was saved', async () => {
    const response = await app.post('/admin/chapters', { intent: 'create', name: 'Ghost Chapter', region: '' });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('Your session has ended. Sign in again; what you typed was not saved.');
  });
});

describe('sessions behind a TLS proxy', () => {
  let proxied: TestApp;
  beforeAll(async () => {
    process.env.TRUST_PROXY = 'true';
    proxied = await startApp();
  });
  afterAll(async () => {
    delete process.env.TRUST_PROXY;
    await proxied.close();
  });

  it('mark the cookie Secure when the page was served over https', async () => {
    const origin = proxied.url.replace('http:', 'https:');
    const response = await proxied.fetch('/login', {
      method: 'POST',
      headers: { Origin: origin, 'X-Forwarded-Proto': 'https', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'reviewer@cosponsor.test', password: 'cosponsor-demo' }).toString(),
    });
    expect(response.status).toBe(302);
    expect(response.headers.get('set-cookie')).toMatch(/cosponsor_session=[^;]+;.*Secure/i);
  });
});
