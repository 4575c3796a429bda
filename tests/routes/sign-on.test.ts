import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { all, first, qb } from '../../db/connection';
import { recordLoginAttempt } from '../../db/login-attempts';
import { userByEmail } from '../../db/users';
import { startApp, type TestApp } from '../support/app-server';
import { parseHtml, visibleText } from '../support/html';
import { startIssuer, visitProvider, type TestIssuer } from '../support/oidc-issuer';

// Single sign-on against a real OpenID Connect provider (oidc-provider) on a loopback
// port, through the built app over HTTP: the browser's part is played by plain fetches.

process.env.THROTTLE_DELAY_STEP_MS = '0';
let app: TestApp;
let issuer: TestIssuer;

function useIssuer(url = issuer.url) {
  process.env.OIDC_ISSUER = url;
  process.env.OIDC_CLIENT_ID = issuer.clientId;
  process.env.OIDC_CLIENT_SECRET = issuer.clientSecret;
  process.env.OIDC_PROVIDER_NAME = 'Example ID';
  process.env.OIDC_ROLE_CLAIM = 'groups';
}

beforeAll(async () => {
  app = await startApp();
  issuer = await startIssuer({ redirectUri: `${app.url}/auth/oidc/callback` });
});
beforeEach(() => {
  useIssuer();
  delete process.env.LOCAL_LOGIN;
});
afterAll(async () => {
  for (const name of ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_PROVIDER_NAME', 'OIDC_ROLE_CLAIM', 'LOCAL_LOGIN', 'OUTSIDE_TIMEOUT_MS']) {
    delete process.env[name];
  }
  await app.close();
  await issuer.close();
});

const alerts = (html: string) =>
  parseHtml(html)
    .querySelectorAll('[role="alert"]')
    .map((a) => visibleText(a).trim());
const sessionCookieOf = (response: Response) => /cosponsor_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
const flowCookieOf = (response: Response) => /cosponsor_sign_on=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];

/** Presses "Sign in with Example ID": the app's redirect to the provider and the flow's cookie. */
async function pressSignOn(redirectTo = '') {
  const response = await app.post('/login', { intent: 'sign-on', redirectTo });
  expect(response.status).toBe(302);
  const authorizationUrl = response.headers.get('location')!;
  const flow = flowCookieOf(response);
  expect(flow).toBeTruthy();
  return { authorizationUrl, flowCookie: `cosponsor_sign_on=${flow}` };
}

/** The whole round trip; `change` may alter the request to the provider or its answer, as an attacker would. */
async function signOn(options: { redirectTo?: string; toProvider?: (url: URL) => void; answer?: (url: URL) => void; cookie?: string | null } = {}) {
  const { authorizationUrl, flowCookie } = await pressSignOn(options.redirectTo);
  const toProvider = new URL(authorizationUrl);
  options.toProvider?.(toProvider);
  const callback = await visitProvider(toProvider.href, app.url);
  options.answer?.(callback);
  const cookie = options.cookie === undefined ? flowCookie : (options.cookie ?? undefined);
  return app.fetch(`${callback.pathname}${callback.search}`, { cookie });
}

describe('the sign-in page', () => {
  it('offers "Sign in with Example ID" beside the password form', async () => {
    const html = await (await app.fetch('/login')).text();
    const page = parseHtml(html);
    const button = page.querySelectorAll('button').find((b) => visibleText(b).trim() === 'Sign in with Example ID');
    expect(button?.getAttribute('name')).toBe('intent');
    expect(button?.getAttribute('value')).toBe('sign-on');
    expect(page.querySelector('input[type="password"]')).not.toBeNull();
  });

  it('lets the form answer redirect to the provider (CSP form-action), and nowhere else', async () => {
    const csp = (await app.fetch('/login')).headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`form-action 'self' ${issuer.url};`);
  });

  it('sends the browser to the provider with PKCE (S256), a state and a nonce', async () => {
    const { authorizationUrl } = await pressSignOn();
    const url = new URL(authorizationUrl);
    expect(url.origin).toBe(issuer.url);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(url.searchParams.get('nonce')).toMatch(/^[\w-]{20,}$/);
    expect(url.searchParams.get('redirect_uri')).toBe(`${app.url}/auth/oidc/callback`);
  });
});

describe('signing in', () => {
  it('signs an existing account in by its verified e-mail, with a real revocable session', async () => {
    const lead = userByEmail('lead@cosponsor.test')!;
    issuer.signInAs('sub-lead', { email: 'Lead@Cosponsor.test', emailVerified: true, name: 'Lead at the provider' });
    const response = await signOn({ redirectTo: '/inbox' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/inbox');
    const token = sessionCookieOf(response);
    expect(token).toBeTruthy();
    // The flow's cookie is forgotten: the answer cannot be used twice.
    expect(response.headers.get('set-cookie')).toMatch(/cosponsor_sign_on=;/);
    const cookie = `cosponsor_session=${token}`;
    const inbox = await app.fetch('/inbox', { cookie });
    expect(inbox.status).toBe(200);
    expect(first(qb().selectFrom('user_identities').select(['user_id', 'email']).where('subject', '=', 'sub-lead'))).toEqual({
      user_id: lead.id,
      email: 'lead@cosponsor.test',
    });
    expect(all(qb().selectFrom('admin_log').select('action').where('target_user_id', '=', lead.id)).map((r) => r.action)).toContain('user.sign_on_link');
    // The app reached the real provider (msw passes loopback through): discovery, authorization, token and userinfo.
    expect(issuer.requests).toEqual(expect.arrayContaining(['/.well-known/openid-configuration', '/auth', '/token', '/me']));

    // The same session as a password sign-in: signing out revokes it in the database.
    expect((await app.post('/logout', {}, cookie)).status).toBe(302);
    expect((await app.fetch('/inbox', { cookie })).status).toBe(302);
  });

  it('a second sign-in finds the account by its subject, even after the e-mail changed at the provider', async () => {
    const lead = userByEmail('lead@cosponsor.test')!;
    issuer.signInAs('sub-lead', { email: 'lead.renamed@cosponsor.test', emailVerified: true, name: 'Lead' });
    const response = await signOn();
    expect(response.status).toBe(302);
    expect(sessionCookieOf(response)).toBeTruthy();
    const session = first(qb().selectFrom('sessions').select('user_id').orderBy('created_at', 'desc').limit(1));
    expect(session?.user_id).toBe(lead.id);
  });

  it('creates a new person inactive, shows them a waiting page, and shows them to the admins', async () => {
    issuer.signInAs('sub-new', { email: 'new.person@example.org', emailVerified: true, name: 'Nadia Newcomer' });
    const response = await signOn();
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/auth/waiting');
    expect(sessionCookieOf(response)).toBeUndefined();
    const created = userByEmail('new.person@example.org')!;
    expect(created).toMatchObject({ name: 'Nadia Newcomer', active: 0, awaiting_admin: 1, roles: [], chapter_id: null });

    const waiting = await app.fetch('/auth/waiting');
    expect(waiting.status).toBe(200);
    const text = visibleText(parseHtml(await waiting.text()));
    expect(text).toContain('Waiting for an administrator');
    expect(text).toContain('an administrator has to give it a role');

    // Signing in again before the administrator acted: the same page, still no session.
    const again = await signOn();
    expect(again.headers.get('location')).toBe('/auth/waiting');
    expect(sessionCookieOf(again)).toBeUndefined();

    const admin = await app.login('admin@cosponsor.test');
    const list = parseHtml(await (await app.fetch('/admin/users', { cookie: admin })).text());
    const row = list.querySelectorAll('tr').find((tr) => visibleText(tr).includes('Nadia Newcomer'));
    expect(visibleText(row!)).toContain('Waiting for an administrator');
    expect(visibleText(list)).toContain('One person signed in with single sign-on and waits for an administrator');

    // The admin gives a role and activates the account; the next sign-on gets in.
    expect((await app.post(`/admin/users/${created.id}`, { intent: 'update', roles: ['reviewer'], chapterId: '' }, admin)).status).toBe(302);
    expect((await app.post(`/admin/users/${created.id}`, { intent: 'reactivate' }, admin)).status).toBe(302);
    expect(userByEmail('new.person@example.org')).toMatchObject({ active: 1, awaiting_admin: 0, roles: ['reviewer'] });
    const afterwards = await signOn();
    expect(afterwards.status).toBe(302);
    expect(afterwards.headers.get('location')).toBe('/');
    expect(sessionCookieOf(afterwards)).toBeTruthy();
  });

  it('an account single sign-on created has no password that works', async () => {
    expect(userByEmail('new.person@example.org')?.active).toBe(1);
    for (const password of ['!single-sign-on', 'single-sign-on', '']) {
      const response = await app.post('/login', { email: 'new.person@example.org', password: password || 'x' });
      expect(response.status).toBe(400);
      expect(sessionCookieOf(response)).toBeUndefined();
    }
  });

  it('gives a new account staff and reviewer from the groups claim, never admin', async () => {
    issuer.signInAs('sub-grouped', {
      email: 'grouped@example.org',
      emailVerified: true,
      name: 'Grace Grouped',
      groups: ['cosponsor-staff', 'cosponsor-admin', 'Cosponsor-Reviewer', 'everyone'],
    });
    const response = await signOn();
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/');
    expect(sessionCookieOf(response)).toBeTruthy();
    expect(userByEmail('grouped@example.org')).toMatchObject({ active: 1, awaiting_admin: 0, roles: ['reviewer', 'staff'] });
  });
});

describe('refusals, each with a message and no session', () => {
  async function expectRefused(response: Response, status: number, message: RegExp) {
    expect(response.status).toBe(status);
    expect(sessionCookieOf(response)).toBeUndefined();
    const found = alerts(await response.text());
    expect(found.join(' ')).toMatch(message);
  }

  it('refuses a forged state', async () => {
    issuer.signInAs('sub-lead', { email: 'lead@cosponsor.test', emailVerified: true, name: 'Lead' });
    const response = await signOn({ answer: (url) => url.searchParams.set('state', 'forged-state-value-0123456789') });
    await expectRefused(response, 400, /does not belong to the sign-in this browser started \(the state does not match\)/);
  });

  it('refuses an answer brought to a browser that never started the sign-in (no flow cookie)', async () => {
    issuer.signInAs('sub-lead', { email: 'lead@cosponsor.test', emailVerified: true, name: 'Lead' });
    const response = await signOn({ cookie: null });
    await expectRefused(response, 400, /was not started in this browser/);
  });

  it('refuses a flow cookie whose signature does not match', async () => {
    issuer.signInAs('sub-lead', { email: 'lead@cosponsor.test', emailVerified: true, name: 'Lead' });
    const { authorizationUrl, flowCookie } = await pressSignOn();
    const callback = await visitProvider(authorizationUrl, app.url);
    const [value] = flowCookie.slice('cosponsor_sign_on='.length).split('.');
    const response = await app.fetch(`${callback.pathname}${callback.search}`, { cookie: `cosponsor_sign_on=${value}.forgedsignature` });
    await expectRefused(response, 400, /was not started in this browser/);
  });

  it('refuses an identity token issued for another nonce', async () => {
    issuer.signInAs('sub-lead', { email: 'lead@cosponsor.test', emailVerified: true, name: 'Lead' });
    const response = await signOn({ toProvider: (url) => url.searchParams.set('nonce', 'a-nonce-this-browser-never-made') });
    await expectRefused(response, 400, /was not issued for this sign-in \(the nonce does not match\)/);
  });

  it('refuses an e-mail address the provider has not verified, and creates nothing', async () => {
    issuer.signInAs('sub-unverified', { email: 'staff@cosponsor.test', emailVerified: false, name: 'Someone' });
    const response = await signOn();
    await expectRefused(response, 400, /Example ID has not verified the e-mail address staff@cosponsor\.test/);
    expect(first(qb().selectFrom('user_identities').select('user_id').where('subject', '=', 'sub-unverified'))).toBeUndefined();
  });

  it('refuses a code used a second time', async () => {
    issuer.signInAs('sub-lead', { email: 'lead@cosponsor.test', emailVerified: true, name: 'Lead' });
    const { authorizationUrl, flowCookie } = await pressSignOn();
    const callback = await visitProvider(authorizationUrl, app.url);
    const first = await app.fetch(`${callback.pathname}${callback.search}`, { cookie: flowCookie });
    expect(first.status).toBe(302);
    // Replayed with the cookie copied before it was cleared: the provider will not redeem the code again.
    const replay = await app.fetch(`${callback.pathname}${callback.search}`, { cookie: flowCookie });
    await expectRefused(replay, 400, /Example ID did not accept this sign-in \(invalid_grant\)/);
  });
});

describe('a provider that is down', () => {
  it('says so on the sign-in page (503, never a 500) when nothing listens', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    useIssuer(`http://127.0.0.1:${port}`);
    const response = await app.post('/login', { intent: 'sign-on', redirectTo: '' });
    expect(response.status).toBe(503);
    expect(alerts(await response.text())).toContain(
      'Example ID is not answering right now, so single sign-on is not possible at the moment. Try again in a few minutes.',
    );
  });

  it('gives up at the deadline when the provider accepts but never answers', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    process.env.OUTSIDE_TIMEOUT_MS = '1000';
    useIssuer(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`);
    try {
      const started = Date.now();
      const response = await app.post('/login', { intent: 'sign-on', redirectTo: '' });
      expect(response.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(alerts(await response.text()).join(' ')).toContain('Example ID is not answering right now');
    } finally {
      delete process.env.OUTSIDE_TIMEOUT_MS;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe('LOCAL_LOGIN=off', () => {
  it('shows no password form and refuses a password post with a message; single sign-on still works', async () => {
    process.env.LOCAL_LOGIN = 'off';
    const page = parseHtml(await (await app.fetch('/login')).text());
    expect(page.querySelector('input[type="password"]')).toBeNull();
    expect(page.querySelector('input[name="email"]')).toBeNull();
    expect(visibleText(page)).toContain('Sign in with Example ID');

    const refused = await app.post('/login', { email: 'staff@cosponsor.test', password: 'cosponsor-demo' });
    expect(refused.status).toBe(403);
    expect(sessionCookieOf(refused)).toBeUndefined();
    expect(alerts(await refused.text())).toContain('Password sign-in is turned off here. Use “Sign in with Example ID”.');

    issuer.signInAs('sub-staff', { email: 'staff@cosponsor.test', emailVerified: true, name: 'Staff' });
    const response = await signOn();
    expect(response.status).toBe(302);
    expect(sessionCookieOf(response)).toBeTruthy();
  });
});

describe('throttling', () => {
  it('pauses single sign-on from a network with too many failed attempts, like password sign-in', async () => {
    // The failures above count too; add enough to pass the per-account limit for this address.
    for (let i = 0; i < 8; i++) recordLoginAttempt('sign-on:127.0.0.1', '127.0.0.1', false, new Date().toISOString());
    const response = await app.post('/login', { intent: 'sign-on', redirectTo: '' });
    expect(response.status).toBe(429);
    expect(alerts(await response.text()).join(' ')).toMatch(/^Too many failed sign-ins from your network\. Sign-in is paused; try again in \d+ minutes?\.$/);
  });
});
