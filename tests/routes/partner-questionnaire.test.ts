import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServerBuild } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { all, qb } from '../../db/connection';
import { sqlGet, sqlRun } from '../support/sql';
import { formatVerifyResult, verifyLog } from '../../db/decision-log';
import { tokenHash } from '../../app/features/questionnaire/partner-links.server';
import { ALIGNED_ITEM, newPartner, proposalInReview } from '../integration/review-fixtures';
import { startApp, type TestApp } from '../support/app-server';
import { fieldValue, find, parseHtml, visibleText } from '../support/html';

// The partner's questionnaire over HTTP against the real build: the lead makes and revokes links,
// the partner answers without an account, and the token opens nothing else.

let app: TestApp;
let lead: string;
let otherLead: string;
let staff: string;
let proposal: number;
let otherProposal: number;

beforeAll(async () => {
  app = await startApp();
  [lead, otherLead, staff] = await Promise.all([
    app.login('lead@cosponsor.test'),
    app.login('lead2@cosponsor.test'),
    app.login('staff@cosponsor.test'),
  ]);
  proposal = proposalInReview({ partnerId: newPartner('Route Answers Collective'), title: 'Teach-in on home demolitions' });
  otherProposal = proposalInReview({ partnerId: newPartner('Unrelated Other Group'), title: 'Another chapter evening' });
});
afterAll(() => app.close());

async function makeLink(form: Record<string, string> = {}, id = proposal): Promise<{ token: string; url: string }> {
  const response = await app.post(`/proposals/${id}/partner`, { intent: 'create', contactName: 'Amal Haddad', ...form }, lead);
  const html = await response.text();
  expect(response.status, visibleText(html).slice(0, 300)).toBe(200);
  const url = find(html, '#created-link')!.getAttribute('value')!;
  return { token: url.split('/q/')[1]!, url };
}

const linkIdOf = (token: string) => {
  const row = sqlGet<{ id: number }>('SELECT id FROM partner_links WHERE token_hash = ?', tokenHash(token));
  return row?.id;
};

function validAnswers(html: string): Record<string, string> {
  const form: Record<string, string> = {
    intent: 'answer',
    'respondent.name': 'أمل حداد',
    'respondent.role': 'Coordinator',
    leadership: 'A board of five, elected yearly.',
    funding: 'Member dues and two local foundations.',
    links: 'https://example.org/about',
  };
  const root = parseHtml(html);
  for (const radio of root.querySelectorAll('input[type=radio]')) {
    const name = radio.getAttribute('name')!;
    if (name.endsWith('.stance')) form[name] = 'supports';
    else form[name] = 'accept';
  }
  return form;
}

describe('the lead makes a link', () => {
  it('shows the link once, records it, and lists it without the token', async () => {
    const { token, url } = await makeLink({ contactEmail: 'amal@example.org' });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.startsWith(`${app.url}/q/`)).toBe(true);
    const page = await (await app.fetch(`/proposals/${proposal}/partner`, { cookie: lead })).text();
    expect(page).not.toContain(token);
    expect(visibleText(page)).toContain('Amal Haddad');
    expect(visibleText(page)).toContain('Open');
    const last = all(qb().selectFrom('decision_records').select(['outcome']).where('proposal_id', '=', proposal).orderBy('seq', 'desc').limit(1))[0];
    expect(last?.outcome).toBe('partner_link_created');
  });

  it('bad input: the message beside the field, what was typed kept, nothing written', async () => {
    const before = all(qb().selectFrom('partner_links').select('id')).length;
    const response = await app.post(`/proposals/${proposal}/partner`, { intent: 'create', contactName: '', contactEmail: 'not-an-address', days: '90', passcode: '123' }, lead);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(find(html, '#link-contactName-error')?.text).toMatch(/name of the partner’s contact/);
    expect(find(html, '#link-contactEmail-error')?.text).toMatch(/e-mail address/);
    expect(find(html, '#link-days-error')?.text).toMatch(/at most 60 days/);
    expect(find(html, '#link-passcode-error')?.text).toMatch(/at least 6/);
    expect(fieldValue(html, 'contactEmail')).toBe('not-an-address');
    expect(fieldValue(html, 'days')).toBe('90');
    expect(all(qb().selectFrom('partner_links').select('id')).length).toBe(before);
  });

  it('a lead of another chapter may not make one (403), nor a reviewer', async () => {
    const response = await app.post(`/proposals/${proposal}/partner`, { intent: 'create', contactName: 'X' }, otherLead);
    expect(response.status).toBe(403);
    const reviewer = await app.login('reviewer@cosponsor.test');
    const byReviewer = await app.post(`/proposals/${proposal}/partner`, { intent: 'create', contactName: 'X' }, reviewer);
    expect(byReviewer.status).toBe(403);
  });

  it('revoking: the link answers 410 from then on; a second revoke is refused', async () => {
    const { token } = await makeLink();
    const id = linkIdOf(token)!;
    const revoked = await app.post(`/proposals/${proposal}/partner`, { intent: 'revoke', link: String(id) }, lead);
    expect(revoked.status).toBe(302);
    const gone = await app.fetch(`/q/${token}`);
    expect(gone.status).toBe(410);
    expect(visibleText(await gone.text())).toMatch(/withdrawn by the chapter/);
    const again = await app.post(`/proposals/${proposal}/partner`, { intent: 'revoke', link: String(id) }, lead);
    expect(again.status).toBe(409);
  });
});

describe('the partner answers without an account', () => {
  it('a bare page: the event and the questions, no navigation, no scripts, no referrer to other sites, not cached', async () => {
    const { token } = await makeLink();
    const counts = () => ['partner_links', 'partner_link_failures', 'decision_records', 'sessions'].map((t) => sqlGet<{ n: number }>(`SELECT count(*) AS n FROM ${t}`)!.n);
    const before = counts();
    const response = await app.fetch(`/q/${token}`);
    expect(response.status).toBe(200);
    // Reading the page writes nothing.
    expect(counts()).toEqual(before);
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('set-cookie')).toBeNull();
    const html = await response.text();
    const root = parseHtml(html);
    expect(root.querySelectorAll('script')).toHaveLength(0);
    expect(root.querySelector('nav')).toBeNull();
    expect(root.querySelectorAll('a')).toHaveLength(0);
    const text = visibleText(html);
    expect(text).toContain('Amnesty International USA');
    expect(text).toContain('Teach-in on home demolitions');
    expect(text).toContain(ALIGNED_ITEM.text);
    expect(text).toMatch(/Use of names and logos/);
    expect(text).not.toContain('Unrelated Other Group');
    for (const control of root.querySelectorAll('input[type=text], textarea')) expect(control.getAttribute('dir')).toBe('auto');
    for (const set of root.querySelectorAll('fieldset')) expect(set.querySelector('legend')).not.toBeNull();
  });

  it('bad input: 400 with each message beside its field and the typed text kept; then the answers go in once', async () => {
    const { token } = await makeLink();
    const html = await (await app.fetch(`/q/${token}`)).text();
    const good = validAnswers(html);
    const conditionKey = Object.keys(good).find((k) => k.startsWith('conditions.'))!;
    const bad = { ...good, leadership: '', [conditionKey]: 'decline', links: 'ftp://nope' };
    const refused = await app.post(`/q/${token}`, bad);
    expect(refused.status).toBe(400);
    const page = await refused.text();
    expect(find(page, '#f-leadership-error')?.text).toMatch(/who leads your organization/);
    expect(find(page, '#f-links-error')?.text).toMatch(/https:\/\//);
    const commentName = conditionKey.replace(/\.answer$/, '.comment');
    expect(find(page, `#f-${commentName.replace(/[^a-zA-Z0-9_-]+/g, '-')}-error`)?.text).toMatch(/Say why/);
    expect(fieldValue(page, 'respondent.name')).toBe('أمل حداد');
    expect(fieldValue(page, 'funding')).toBe(good.funding);
    expect(find(page, `input[name="${conditionKey}"][value="decline"]`)?.hasAttribute('checked')).toBe(true);
    expect(linkIdOf(token)).toBeDefined();

    const sent = await app.post(`/q/${token}`, good);
    expect(sent.status).toBe(302);
    expect(sent.headers.get('location')).toBe('/q/thanks');
    expect((await app.fetch('/q/thanks')).status).toBe(200);
    expect(formatVerifyResult(verifyLog())).toMatch(/^OK/);

    // Double submit and reopening: 410, nothing more written.
    const records = all(qb().selectFrom('decision_records').select('seq')).length;
    const twice = await app.post(`/q/${token}`, good);
    expect(twice.status).toBe(410);
    expect(visibleText(await twice.text())).toMatch(/already been sent/);
    expect((await app.fetch(`/q/${token}`)).status).toBe(410);
    expect(all(qb().selectFrom('decision_records').select('seq')).length).toBe(records);

    // Staff see the answers in the dossier, marked as the partner's; the lead beside the steps.
    const dossier = await (await app.fetch(`/review/${proposal}`, { cookie: staff })).text();
    const panel = find(dossier, '#partner-answers')!;
    expect(panel.getAttribute('data-provenance')).toBe('partner');
    expect(visibleText(panel)).toContain('Provided by the partner');
    expect(visibleText(panel)).toContain('Member dues and two local foundations.');
    expect(visibleText(panel)).toContain('أمل حداد');
    for (const [step, text] of [
      ['values', 'Member dues'],
      ['agenda', 'We publicly support this'],
      ['perception', 'We accept this'],
    ]) {
      const stepPage = await (await app.fetch(`/proposals/${proposal}/steps/${step}`, { cookie: lead })).text();
      expect(visibleText(find(stepPage, '#partner-answers')!)).toContain(text);
    }
  });

  it('its data, as a script would ask for it, holds what the page shows and no internal number', async () => {
    const { token } = await makeLink();
    const response = await app.fetch(`/q/${token}?_data=${encodeURIComponent('routes/q.$token')}`);
    expect(response.status).toBe(200);
    const data = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(data).sort()).toEqual(['contactName', 'event', 'expiresAt', 'locked', 'organization', 'questions']);
  });

  it('unknown, malformed and expired links: a clear 404 or 410, never a 500', async () => {
    expect((await app.fetch(`/q/${'B'.repeat(43)}`)).status).toBe(404);
    expect((await app.fetch('/q/short')).status).toBe(404);
    expect((await app.post(`/q/${'C'.repeat(43)}`, { intent: 'answer' })).status).toBe(404);
    const { token } = await makeLink();
    sqlRun("UPDATE partner_links SET expires_at = '2020-01-01T00:00:00.000Z' WHERE id = ?", linkIdOf(token));
    const expired = await app.fetch(`/q/${token}`);
    expect(expired.status).toBe(410);
    expect(visibleText(await expired.text())).toMatch(/has expired/);
    expect((await app.post(`/q/${token}`, { intent: 'answer' })).status).toBe(410);
  });

  it('malformed answers to a live link: a 4xx with a message, never a 500, nothing written', async () => {
    const { token } = await makeLink();
    const html = await (await app.fetch(`/q/${token}`)).text();
    const good = validAnswers(html);
    const records = () => all(qb().selectFrom('decision_records').select('seq')).length;
    const before = records();
    const malformed: Record<string, string | string[]>[] = [
      {},
      { intent: 'unlock', passcode: 'x' },
      { intent: 'nonsense' },
      { ...good, intent: ['answer', 'answer'] },
      { ...good, 'positions.p0.stance': 'maybe' },
      { ...good, 'positions.p0.stance': ['supports', 'opposes'] },
      { ...good, 'positions.p99.stance': 'supports', 'positions.p0.stance': '' },
      { ...good, 'respondent.name': ' '.repeat(10) },
      { ...good, 'respondent.name': 'x'.repeat(201) },
      { ...good, leadership: 'x'.repeat(5001) },
      { ...good, links: Array.from({ length: 21 }, (_, i) => `https://example.org/${i}`).join('\n') },
      { ...good, 'useOfName.answer': 'decline', 'useOfName.comment': '' },
    ];
    for (const form of malformed) {
      const response = await app.post(`/q/${token}`, form);
      expect(response.status, `form ${malformed.indexOf(form)}`).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      await response.arrayBuffer();
    }
    expect(records()).toBe(before);
    // The link still works afterwards.
    expect((await app.post(`/q/${token}`, good)).status).toBe(302);
  });

  it('an oversized or hand-made post is refused before it is read', async () => {
    const { token } = await makeLink();
    const huge = await app.post(`/q/${token}`, { intent: 'answer', leadership: 'x'.repeat(3 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    const gap = await app.post(`/q/${token}`, { intent: 'answer', 'a[0]': 'x', 'a[61]': 'y' });
    expect(gap.status).toBe(400);
  });

  it('a passcode: the questions stay hidden until it is given; wrong ones are refused, then throttled', async () => {
    const { token } = await makeLink({ passcode: 'olive-tree-42' });
    const locked = await (await app.fetch(`/q/${token}`)).text();
    expect(find(locked, 'input[name=passcode]')).not.toBeNull();
    expect(visibleText(locked)).not.toContain('Teach-in on home demolitions');
    expect((await app.post(`/q/${token}`, { intent: 'answer', leadership: 'x' })).status).toBe(400);
    for (let i = 0; i < 5; i++) {
      const wrong = await app.post(`/q/${token}`, { intent: 'unlock', passcode: `wrong-${i}` });
      expect(wrong.status).toBe(400);
      expect(find(await wrong.text(), '#f-passcode-error')?.text).toMatch(/not right/);
    }
    const blocked = await app.post(`/q/${token}`, { intent: 'unlock', passcode: 'olive-tree-42' });
    expect(blocked.status).toBe(429);
    expect(find(await blocked.text(), '#f-passcode-error')?.text).toMatch(/Too many wrong passcodes/);

    const second = await makeLink({ passcode: 'olive-tree-42' });
    const opened = await app.post(`/q/${second.token}`, { intent: 'unlock', passcode: 'olive-tree-42' });
    expect(opened.status).toBe(302);
    const cookie = /cosponsor_partner=[^;]+/.exec(opened.headers.get('set-cookie') ?? '')![0];
    expect(opened.headers.get('set-cookie')).toMatch(new RegExp(`Path=/q/${second.token}`));
    const page = await (await app.fetch(`/q/${second.token}`, { cookie })).text();
    expect(visibleText(page)).toContain('Teach-in on home demolitions');
    // The cookie opens that link only.
    const third = await makeLink({ passcode: 'olive-tree-42' });
    expect(find(await (await app.fetch(`/q/${third.token}`, { cookie })).text(), 'input[name=passcode]')).not.toBeNull();
  });
});

// Pages anyone may read without signing in (the sign-in page, "Forgot your password?", the log's public key, the waiting note).
const PUBLIC_PAGES = new Set(['/login', '/forgot-password', '/help', '/audit/public-key', '/auth/waiting']);

describe('the token holder (permission matrix row): the token opens its questionnaire and nothing else', () => {
  it('every other route refuses a visitor holding a token and its unlock cookie', async () => {
    const { token } = await makeLink({ passcode: 'olive-tree-42' });
    const opened = await app.post(`/q/${token}`, { intent: 'unlock', passcode: 'olive-tree-42' });
    const cookie = /cosponsor_partner=[^;]+/.exec(opened.headers.get('set-cookie') ?? '')![0];
    const build = (await import(pathToFileURL(path.resolve('build/index.js')).href)) as ServerBuild;
    const full = (id: string): string => {
      const route = build.routes[id]!;
      const parent = route.parentId && route.parentId !== 'root' ? full(route.parentId) : '';
      return route.path ? `${parent}/${route.path}` : parent;
    };
    const paths = new Set<string>();
    for (const id of Object.keys(build.routes)) {
      if (id === 'root') continue;
      const p = (full(id) || '/')
        .replace(':token', token)
        .replace(':id', String(otherProposal))
        .replace('/*', '/anything');
      paths.add(p.replace('//', '/'));
    }
    expect(paths.size).toBeGreaterThan(30);
    const reached: string[] = [];
    for (const p of paths) {
      if (p.startsWith('/q/')) continue;
      for (const method of ['GET', 'POST'] as const) {
        const response = method === 'GET' ? await app.fetch(p, { cookie }) : await app.post(p, { intent: 'answer' }, cookie);
        const ok = response.status < 300 && !(method === 'GET' && PUBLIC_PAGES.has(p));
        const toLogin = response.status === 302 && (response.headers.get('location') ?? '').startsWith('/login');
        if (ok || (response.status >= 300 && response.status < 400 && !toLogin && p !== '/logout')) reached.push(`${method} ${p} ${response.status}`);
        await response.arrayBuffer();
      }
    }
    expect(reached).toEqual([]);
    // The page itself names nothing of another proposal.
    const own = visibleText(await (await app.fetch(`/q/${token}`, { cookie })).text());
    expect(own).not.toContain('Another chapter evening');
  });
});

describe('rate limits', () => {
  it('per token and per address, with Retry-After, before anything is read', async () => {
    process.env.PARTNER_LINK_REQUESTS_PER_TOKEN = '5';
    process.env.PARTNER_LINK_REQUESTS_PER_ADDRESS = '12';
    const limited = await startApp();
    try {
      const { token } = await makeLink();
      for (let i = 0; i < 5; i++) expect((await limited.fetch(`/q/${token}`)).status).toBe(200);
      const sixth = await limited.fetch(`/q/${token}`);
      expect(sixth.status).toBe(429);
      expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(visibleText(await sixth.text())).toMatch(/Too many requests/);
      expect((await limited.post(`/q/${token}`, { intent: 'answer' })).status).toBe(429);
      // Another token from the same address: allowed until the address's own limit.
      const other = await makeLink();
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await limited.fetch(`/q/${other.token}`)).status);
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses[5]).toBe(429);
      // Unknown tokens count against the address too: scanning is limited.
      expect((await limited.fetch(`/q/${'D'.repeat(43)}`)).status).toBe(429);
    } finally {
      delete process.env.PARTNER_LINK_REQUESTS_PER_TOKEN;
      delete process.env.PARTNER_LINK_REQUESTS_PER_ADDRESS;
      await limited.close();
    }
  });
});
