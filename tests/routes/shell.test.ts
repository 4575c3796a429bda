import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../support/app-server';

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());

describe('the app shell', () => {
  it('sends anonymous visitors to sign in, with a way back', async () => {
    const response = await app.fetch('/?chapter=2');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/login?redirectTo=%2F%3Fchapter%3D2');
  });

  it('sets the security headers on every response', async () => {
    const response = await app.fetch('/login');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  });

  it('refuses a POST from another origin', async () => {
    const response = await app.fetch('/login', {
      method: 'POST',
      headers: { Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'email=lead%40cosponsor.test&password=cosponsor-demo',
    });
    expect(response.status).toBe(403);
  });

  it('lists the proposals from the database once signed in', async () => {
    const cookie = await app.login('reviewer@cosponsor.test');
    const response = await app.fetch('/proposals', { cookie });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Homes Under Threat');
    expect(html).toContain('Chicago Local Group');
    expect(html).toContain('Approved');
  });

  it('explains vetting to anyone signed in, linked from every signed-in page, and only to them', async () => {
    expect((await app.fetch('/help')).status).toBe(302);
    const cookie = await app.login('lead@cosponsor.test');
    const proposals = await (await app.fetch('/proposals', { cookie })).text();
    expect(proposals).toContain('href="/help"');
    const response = await app.fetch('/help', { cookie });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('How vetting works');
    expect(html).toContain('Perception review');
    expect(await (await app.fetch('/login')).text()).not.toContain('href="/help"');
  });

  it('says how long the server took on each page', async () => {
    const cookie = await app.login('staff@cosponsor.test');
    const response = await app.fetch('/review', { cookie });
    expect(response.headers.get('server-timing')).toMatch(/^app;dur=\d+(\.\d)?$/);
  });

  it('refuses a wrong password without saying whether the account exists', async () => {
    const known = await app.post('/login', { email: 'lead@cosponsor.test', password: 'wrong-password-123' });
    const unknown = await app.post('/login', { email: 'nobody@cosponsor.test', password: 'wrong-password-123' });
    const [a, b] = [await known.text(), await unknown.text()];
    expect(known.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(a).toContain('do not match an active account');
    expect(b).toContain('do not match an active account');
  });
});
