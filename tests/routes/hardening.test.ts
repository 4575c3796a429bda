import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { all, qb } from '../../db/connection';
import { proposalRow, stepDraft } from '../../db/proposals';
import { decide, createProposal } from '../../app/features/vetting/vetting.server';
import { actor, ALIGNED_ITEM, campaignId, CRITERIA, daysFromToday, newPartner } from '../integration/review-fixtures';
import { startApp, type TestApp } from '../support/app-server';

// What a visitor can send: every malformed, oversized or sparse post is refused
// with a 4xx and a message, before Remix reads it, and writes nothing.

process.env.THROTTLE_DELAY_STEP_MS = '0';

let app: TestApp;
let lead: string;
beforeAll(async () => {
  app = await startApp();
  lead = await app.login('lead@cosponsor.test');
});
afterAll(() => app.close());

/** A Chicago proposal carried to the agenda (or risk) step through the real decision service. */
function proposalAt(step: 'agenda' | 'risk'): number {
  const who = actor('lead@cosponsor.test');
  const { id } = createProposal(who, {
    partnerId: newPartner(`Hardening ${step} ${Math.random()}`),
    campaignId: campaignId('israel_opt'),
    eventTitle: 'Hardening teach-in',
    eventDate: daysFromToday(40),
    eventPlace: 'Community hall',
    eventDescription: 'An evening teach-in with the partner group.',
    kind: 'co_listing',
  });
  const send = (command: unknown) => {
    const r = decide({ proposalId: id, expectedVersion: proposalRow(id)!.version, actor: who, command });
    if (!r.ok) throw new Error(r.error.message);
  };
  send({ type: 'SUBMIT_PROPOSAL' });
  const ratings: Record<string, { rating: string; evidence: string; links: string[] }> = {};
  for (const key of CRITERIA) ratings[key] = { rating: 'meets', evidence: 'Checked the public record.', links: [] };
  send({ type: 'SUBMIT_VALUES', input: { ratings } });
  if (step === 'risk') send({ type: 'SUBMIT_AGENDA', input: { items: [ALIGNED_ITEM] } });
  expect(proposalRow(id)!.state).toBe(step);
  return id;
}

const raw = (pathname: string, body: string, headers: Record<string, string> = {}) =>
  app.fetch(pathname, { method: 'POST', body, headers, signal: AbortSignal.timeout(10_000) });
const form = 'application/x-www-form-urlencoded';
const draftCount = () => all(qb().selectFrom('step_drafts').select('proposal_id')).length;

describe('sparse and huge list indices (item 2)', () => {
  it('refuses email[100000000] on /login at once with a 400 and a message', async () => {
    const started = Date.now();
    const response = await raw('/login', 'email[100000000]=x&password=p', { 'Content-Type': form });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/list/i);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses items[2147483648] on the risk step, and a gap on the agenda step, writing nothing', async () => {
    const risk = proposalAt('risk');
    const before = draftCount();
    const huge = await raw(`/proposals/${risk}/steps/risk`, 'intent=save-draft&items[2147483648].residualImpact=x', { 'Content-Type': form, Cookie: lead });
    expect(huge.status).toBe(400);
    const agenda = proposalAt('agenda');
    const gap = await raw(`/proposals/${agenda}/steps/agenda`, 'intent=add-item&items[0].text=first&items[61].text=x', { 'Content-Type': form, Cookie: lead });
    expect(gap.status).toBe(400);
    expect(await gap.text()).toMatch(/gap|missing/i);
    expect(draftCount()).toBe(before);
  });

  it('never stores an agenda draft at items[99999], so the step page stays quick', async () => {
    const id = proposalAt('agenda');
    const response = await raw(`/proposals/${id}/steps/agenda`, 'intent=save-draft&items[99999].text=x', { 'Content-Type': form, Cookie: lead });
    expect(response.status).toBe(400);
    expect(stepDraft(id, 'agenda')).toBeUndefined();
  });

  it('refuses a draft with more items than the form allows (agenda: 50)', async () => {
    const id = proposalAt('agenda');
    const body = new URLSearchParams({ intent: 'save-draft' });
    for (let i = 0; i < 51; i++) body.append(`items[${i}].text`, `Item ${i}`);
    const response = await raw(`/proposals/${id}/steps/agenda`, body.toString(), { 'Content-Type': form, Cookie: lead });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('At most 50 agenda items');
    expect(stepDraft(id, 'agenda')).toBeUndefined();
  });
});

describe('body size and passwords (item 3)', () => {
  it('answers 413 with a message to a body above the limit, before reading it', async () => {
    const response = await raw('/login', `email=a%40b.c&password=${'x'.repeat(3 * 1024 * 1024)}`, { 'Content-Type': form });
    expect(response.status).toBe(413);
    expect(await response.text()).toMatch(/too large/i);
  });

  it('refuses a password over 1,024 bytes without hashing it', async () => {
    const response = await app.post('/login', { email: 'lead@cosponsor.test', password: 'x'.repeat(20_000) });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('1,024');
  });

  it('checks the session before reading the body of a signed-in route', async () => {
    const id = proposalAt('agenda');
    // The agenda action reads its form before asking for the user: without a session, a
    // malformed body must not even be parsed.
    const truncated = '--B\r\nContent-Disposition: form-data; name="intent"\r\n\r\nsave-dr';
    const response = await raw(`/proposals/${id}/steps/agenda`, truncated, { 'Content-Type': 'multipart/form-data; boundary=B' });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('session has ended');
  });
});

describe('malformed posts (item 6)', () => {
  for (const [label, type, body] of [
    ['text/plain', 'text/plain', 'email=a&password=b'],
    ['JSON', 'application/json', '{"email":"a","password":"b"}'],
    ['no content type', '', 'email=a&password=b'],
  ] as const) {
    it(`answers 415 with a message to a ${label} post, on /login and on a signed-in route`, async () => {
      for (const [path, cookie] of [
        ['/login', ''],
        ['/proposals/new', lead],
      ]) {
        const headers: Record<string, string> = type ? { 'Content-Type': type } : {};
        if (cookie) headers.Cookie = cookie;
        const response = await app.fetch(path, { method: 'POST', body: type ? body : new Blob([body]), headers });
        expect(response.status, `${label} on ${path}`).toBe(415);
        expect(await response.text()).toMatch(/form/i);
      }
    });
  }

  it('answers 400 to a truncated multipart body and to a part with an empty name', async () => {
    const boundary = 'XyZ';
    const truncated = `--${boundary}\r\nContent-Disposition: form-data; name="email"\r\n\r\nlead@cosponsor.test\r\n--${boundary}\r\nContent-Disposition: form-da`;
    const a = await raw('/login', truncated, { 'Content-Type': `multipart/form-data; boundary=${boundary}` });
    expect(a.status).toBe(400);
    const emptyName = `--${boundary}\r\nContent-Disposition: form-data; name=""\r\n\r\nx\r\n--${boundary}--\r\n`;
    const b = await raw('/login', emptyName, { 'Content-Type': `multipart/form-data; boundary=${boundary}` });
    expect(b.status).toBe(400);
  });

  it('signs in with a redirectTo outside Latin-1 without a 500', async () => {
    const response = await app.post('/login', { email: 'lead@cosponsor.test', password: 'cosponsor-demo', redirectTo: '/proposals?q=\u3000\u2215x' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/proposals?q=%E3%80%80%E2%88%95x');
  });
});

describe('early answers on a large POST (item 8)', () => {
  it('keeps the keep-alive connection usable after a 404 and a 405 to a 214 KB post', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const request = (method: string, path: string, body?: string, signedIn = true) =>
      new Promise<{ status: number; ms: number }>((resolve, reject) => {
        const started = Date.now();
        const req = http.request(
          `${app.url}${path}`,
          {
            agent,
            method,
            headers: {
              ...(body ? { 'Content-Type': form, 'Content-Length': Buffer.byteLength(body), Origin: app.url } : {}),
              ...(signedIn ? { Cookie: lead } : {}),
            },
            timeout: 4_000,
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: Date.now() - started }));
          },
        );
        req.on('timeout', () => req.destroy(new Error('timed out')));
        req.on('error', reject);
        req.end(body);
      });
    const big = `note=${'x'.repeat(214 * 1024)}`;
    try {
      expect((await request('POST', '/no-such-page', big)).status).toBe(404);
      const after404 = await request('GET', '/proposals');
      expect(after404.status).toBe(200);
      expect((await request('POST', '/proposals', big)).status).toBe(405);
      const after405 = await request('GET', '/proposals');
      expect(after405.status).toBe(200);
      // Without a session the body is never read: the connection is closed, not left half-read.
      expect((await request('POST', '/proposals/new', big, false)).status).toBe(401);
      const afterUnread = await request('GET', '/proposals');
      expect(afterUnread.status).toBe(200);
      expect(afterUnread.ms).toBeLessThan(3_000);
    } finally {
      agent.destroy();
    }
  });
});

describe('caching and cookies (item 12)', () => {
  it('marks authenticated pages and _data answers private, no-store', async () => {
    const page = await app.fetch('/proposals', { cookie: lead });
    expect(page.headers.get('cache-control')).toBe('private, no-store');
    const data = await app.fetch('/proposals?_data=routes%2Fproposals._index', { cookie: lead });
    expect(data.status).toBe(200);
    expect(data.headers.get('cache-control')).toBe('private, no-store');
  });

  it('sets the session cookie Secure in production even behind plain HTTP', async () => {
    const previous = process.env.NODE_ENV;
    const previousSecret = process.env.SESSION_SECRET;
    process.env.NODE_ENV = 'production';
    // A valid production environment: the sign-in page reads its settings (LOCAL_LOGIN) per request.
    process.env.SESSION_SECRET = 'a-production-secret-for-this-test-only';
    try {
      const response = await app.post('/login', { email: 'lead@cosponsor.test', password: 'cosponsor-demo' });
      expect(response.status).toBe(302);
      expect(response.headers.get('set-cookie')).toMatch(/cosponsor_session=[^;]+;[^,]*Secure/i);
    } finally {
      process.env.NODE_ENV = previous;
      if (previousSecret === undefined) delete process.env.SESSION_SECRET;
      else process.env.SESSION_SECRET = previousSecret;
    }
  });
});
