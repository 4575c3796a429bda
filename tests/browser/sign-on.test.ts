import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIssuer, type TestIssuer } from '../support/oidc-issuer';
import { checkA11y, newPage, startBrowserEnv, type BrowserEnv } from './support';

// Single sign-on in Chromium, against a real provider (oidc-provider) on a loopback port:
// the button, the trip to the provider and back, and the pages a person sees, axe-checked.

let env: BrowserEnv;
let issuer: TestIssuer;

beforeAll(async () => {
  env = await startBrowserEnv();
  issuer = await startIssuer({ redirectUri: `${env.app.url}/auth/oidc/callback` });
  Object.assign(process.env, {
    OIDC_ISSUER: issuer.url,
    OIDC_CLIENT_ID: issuer.clientId,
    OIDC_CLIENT_SECRET: issuer.clientSecret,
    OIDC_PROVIDER_NAME: 'Example ID',
  });
});
afterAll(async () => {
  for (const name of ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_PROVIDER_NAME', 'LOCAL_LOGIN']) delete process.env[name];
  await env?.close();
  await issuer?.close();
});

describe('single sign-on in a browser', () => {
  for (const javaScriptEnabled of [true, false]) {
    it(`signs an existing person in through the provider (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      issuer.signInAs('sub-reviewer', { email: 'reviewer@cosponsor.test', emailVerified: true, name: 'Reviewer' });
      const page = await newPage(env, { javaScriptEnabled });
      await page.goto('/login?redirectTo=%2Finbox');
      expect(await checkA11y(page, `login-sign-on-js-${javaScriptEnabled}`)).toEqual([]);
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/inbox'),
        page.getByRole('button', { name: 'Sign in with Example ID' }).click(),
      ]);
      expect(await page.locator('h1').first().textContent()).toBeTruthy();
      await page.context().close();
    });
  }

  it('a new person lands on the waiting page', async () => {
    issuer.signInAs('sub-browser-new', { email: 'browser.newcomer@example.org', emailVerified: true, name: 'Bea Newcomer' });
    const page = await newPage(env);
    await page.goto('/login');
    await Promise.all([page.waitForURL((url) => url.pathname === '/auth/waiting'), page.getByRole('button', { name: 'Sign in with Example ID' }).click()]);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Waiting for an administrator');
    expect(await checkA11y(page, 'sign-on-waiting')).toEqual([]);
    await page.context().close();
  });

  it('an unverified e-mail is refused on a page that says why', async () => {
    issuer.signInAs('sub-browser-unverified', { email: 'staff@cosponsor.test', emailVerified: false, name: 'Someone' });
    const page = await newPage(env);
    await page.goto('/login');
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/auth/oidc/callback'),
      page.getByRole('button', { name: 'Sign in with Example ID' }).click(),
    ]);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Example ID has not verified the e-mail address staff@cosponsor.test');
    expect(await checkA11y(page, 'sign-on-refused')).toEqual([]);
    await page.context().close();
  });

  it('with LOCAL_LOGIN=off the page offers only the provider', async () => {
    process.env.LOCAL_LOGIN = 'off';
    try {
      const page = await newPage(env);
      await page.goto('/login');
      expect(await page.getByLabel('Password').count()).toBe(0);
      await expect.poll(() => page.getByRole('button', { name: 'Sign in with Example ID' }).count()).toBe(1);
      expect(await checkA11y(page, 'login-sign-on-only')).toEqual([]);
      await page.context().close();
    } finally {
      delete process.env.LOCAL_LOGIN;
    }
  });
});
