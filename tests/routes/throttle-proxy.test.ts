import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { first, qb } from '../../db/connection';
import { recordLoginAttempt } from '../../db/login-attempts';
import { trustProxySetting } from '../../app/http/trust-proxy';
import { startApp, type TestApp } from '../support/app-server';

// Sign-in throttling cannot be sidestepped: by signing in to one's own account
// between guesses, or by writing X-Forwarded-For.

process.env.THROTTLE_DELAY_STEP_MS = '0';
process.env.TRUST_PROXY = '1';

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());

const forwarded = (chain: string) => ({ 'X-Forwarded-For': chain, Origin: '' });
const signIn = (email: string, password: string, chain: string) =>
  app.fetch('/login', {
    method: 'POST',
    body: new URLSearchParams({ email, password }),
    headers: { ...forwarded(chain), Origin: app.url },
  });

describe('the per-address counter', () => {
  it('is not reset by a successful sign-in from that address', async () => {
    const address = '203.0.113.7';
    // 29 failures against other accounts from one address, as the sign-in page records them.
    for (let i = 0; i < 29; i++) recordLoginAttempt(`victim${i}@cosponsor.test`, address, false, new Date().toISOString());
    // The attacker signs in to an account of their own from the same address...
    expect((await signIn('lead@cosponsor.test', 'cosponsor-demo', address)).status).toBe(302);
    // ...then guesses again: the 30th failure blocks the address.
    expect((await signIn('victim99@cosponsor.test', 'guess-1', address)).status).toBe(400);
    const blocked = await signIn('victim100@cosponsor.test', 'guess-2', address);
    expect(blocked.status).toBe(429);
  });

  it('lets the account in from another address after a success, whatever the failures elsewhere', async () => {
    const address = '203.0.113.8';
    for (let i = 0; i < 7; i++) recordLoginAttempt('lead2@cosponsor.test', '198.51.100.1', false, new Date().toISOString());
    expect((await signIn('lead2@cosponsor.test', 'cosponsor-demo', address)).status).toBe(302);
    // Failures from another address only slow the account down (decision 0007), never block it.
    for (let i = 0; i < 7; i++) recordLoginAttempt('lead2@cosponsor.test', '198.51.100.1', false, new Date().toISOString());
    expect((await signIn('lead2@cosponsor.test', 'cosponsor-demo', address)).status).toBe(302);
  });
});

describe('the per-account limit', () => {
  it('blocks a stranger guessing from their address, but not the owner signing in from another', async () => {
    const stranger = '198.51.100.66';
    // One guess through the page, seven more as the page records them (each real one costs a scrypt run).
    expect((await signIn('staff2@cosponsor.test', 'guess-0', stranger)).status).toBe(400);
    for (let i = 0; i < 7; i++) recordLoginAttempt('staff2@cosponsor.test', stranger, false, new Date().toISOString());
    // The stranger is blocked, even if the ninth guess were right...
    const blocked = await signIn('staff2@cosponsor.test', 'cosponsor-demo', stranger);
    expect(blocked.status).toBe(429);
    expect(await blocked.text()).toContain('Too many failed sign-ins for this account or from your network.');
    // ...and the owner, from their own address, signs in.
    const owner = await signIn('staff2@cosponsor.test', 'cosponsor-demo', '203.0.113.44');
    expect(owner.status).toBe(302);
    expect(owner.headers.get('set-cookie') ?? '').toContain('cosponsor_session=');
  });
});

describe('TRUST_PROXY', () => {
  it('as a hop count takes the address the nearest proxy saw, not the leftmost one the client wrote', async () => {
    const response = await signIn('staff@cosponsor.test', 'cosponsor-demo', '1.2.3.4, 198.51.100.23');
    expect(response.status).toBe(302);
    const session = first(qb().selectFrom('sessions as s').innerJoin('users as u', 'u.id', 's.user_id').select('s.ip').where('u.email', '=', 'staff@cosponsor.test').orderBy('s.created_at', 'desc'));
    expect(session?.ip).toBe('198.51.100.23');
  });

  it('reads a hop count or the proxies’ addresses, and never trusts every hop', () => {
    expect(trustProxySetting(undefined)).toBe(false);
    expect(trustProxySetting('2')).toBe(2);
    expect(trustProxySetting('true')).toBe(1);
    expect(trustProxySetting('10.0.0.2, loopback')).toEqual(['10.0.0.2', 'loopback']);
  });
});
