import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withClock } from '../../db/connection';
import { createChapter, createUser, userByEmail } from '../../db/users';
import { startApp, type TestApp } from '../support/app-server';
import { find, parseHtml, visibleText } from '../support/html';
import { decideAs, newPartner, proposalInReview } from '../integration/review-fixtures';

// /insights and /insights.csv over HTTP against the built app: who may see
// them, the filters in the URL, the charts' text alternatives, and the CSV
// (words, exact figures, formula-looking text neutralized).

const LEAD = 'insights-route-lead@cosponsor.test';
// A chapter name a spreadsheet would run as a formula.
const CHAPTER = '=HYPERLINK("https://evil.test","click")';
let chapterId = 0;
const at = <T>(iso: string, fn: () => T): T => withClock(() => Date.parse(iso), fn);

let app: TestApp;
const cookie: Record<'lead' | 'staff' | 'reviewer' | 'admin', string> = { lead: '', staff: '', reviewer: '', admin: '' };

beforeAll(async () => {
  chapterId = createChapter(CHAPTER, 'Midwest');
  createUser({ email: LEAD, name: 'Route Lead', passwordHash: userByEmail('staff@cosponsor.test')!.password_hash, chapterId, roles: ['chapter_lead'] });
  const partner = newPartner('Insights Route Partner');
  // Two decisions: 1 day and 3 days after submission to staff; a third proposal still in review.
  const a = at('2031-04-01T00:00:00.000Z', () => proposalInReview({ lead: LEAD, partnerId: partner }));
  const decided = (result: { ok: boolean }) => expect(result.ok).toBe(true);
  decided(at('2031-04-02T00:00:00.000Z', () => decideAs('staff@cosponsor.test', a, { type: 'APPROVE', conditions: [], endDate: '2031-09-30', rationale: '' })));
  const b = at('2031-05-01T00:00:00.000Z', () => proposalInReview({ lead: LEAD, partnerId: partner }));
  decided(at('2031-05-04T00:00:00.000Z', () => decideAs('staff@cosponsor.test', b, { type: 'REJECT', rationale: 'The partner declined the conditions.' })));
  at('2031-05-10T00:00:00.000Z', () => proposalInReview({ lead: LEAD, partnerId: partner }));
  app = await startApp();
  cookie.lead = await app.login('lead@cosponsor.test');
  cookie.staff = await app.login('staff@cosponsor.test');
  cookie.reviewer = await app.login('reviewer@cosponsor.test');
  cookie.admin = await app.login('admin@cosponsor.test');
});
afterAll(() => app.close());

async function page(path: string, who: keyof typeof cookie = 'reviewer') {
  const response = await app.fetch(path, { cookie: cookie[who] });
  return { status: response.status, location: response.headers.get('location'), html: await response.text() };
}

describe('who may see the insights', () => {
  it.each(['staff', 'reviewer', 'admin'] as const)('%s gets the page and every CSV', async (who) => {
    const shown = await page('/insights', who);
    expect(shown.status).toBe(200);
    expect(find(shown.html, 'h1')?.text).toBe('Insights');
    expect(find(shown.html, 'nav[aria-label="Main"] a[href="/insights"]')).not.toBeNull();
    const csv = await app.fetch('/insights.csv?table=outcomes', { cookie: cookie[who] });
    expect(csv.status).toBe(200);
  });

  it('a chapter lead gets a 403 page that says why, no CSV, and no link', async () => {
    const refused = await page('/insights', 'lead');
    expect(refused.status).toBe(403);
    expect(visibleText(refused.html)).toContain('Insights are for staff, reviewers and admins');
    const csv = await app.fetch('/insights.csv?table=outcomes', { cookie: cookie.lead });
    expect(csv.status).toBe(403);
    expect(await csv.text()).not.toContain('Month');
    const elsewhere = await page('/decisions', 'lead');
    expect(find(elsewhere.html, 'a[href="/insights"]')).toBeNull();
  });

  it('someone signed out is sent to sign in', async () => {
    const response = await app.fetch('/insights?chapter=1');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/login?redirectTo=%2Finsights%3Fchapter%3D1');
  });
});

describe('the page', () => {
  it('draws each chart as a titled, described image with its table and CSV link, filtered by the URL', async () => {
    const { status, html } = await page(`/insights?chapter=${chapterId}&from=2031-01-01&to=2031-12-31`);
    expect(status).toBe(200);
    const root = parseHtml(html);
    // The form shows the filter it was given.
    expect(root.querySelector('#insights-chapter option[selected]')?.getAttribute('value')).toBe(String(chapterId));
    expect(root.querySelector('#insights-from')?.getAttribute('value')).toBe('2031-01-01');
    expect(root.querySelector('label[for="insights-campaign"]')?.text).toBe('Campaign');
    const charts = root.querySelectorAll('svg[role="img"]');
    expect(charts.length).toBeGreaterThanOrEqual(5);
    for (const svg of charts) {
      const [titleId, descId] = (svg.getAttribute('aria-labelledby') ?? '').split(' ');
      expect(svg.querySelector(`title#${titleId}`)?.text.length).toBeGreaterThan(0);
      expect(svg.querySelector(`desc#${descId}`)?.text.length).toBeGreaterThan(0);
    }
    // The monthly chart's description reads its figures out.
    expect(root.querySelector('#outcomes-desc')?.text).toBe(
      '2 months from 2031-04 to 2031-05. Approved: 1 in all, most in 2031-04 (1); Rejected: 1 in all, most in 2031-05 (1); Withdrawn: none; Expired: none; Sent to staff review: 3 in all, most in 2031-05 (2).',
    );
    const times = root.querySelector('[data-testid="table-decision-times"]')!;
    expect(visibleText(times.querySelector('tbody tr')!)).toBe(' All All decided proposals 2 2 3 ');
    expect(root.querySelector('a[data-testid="csv-decision-times"]')?.getAttribute('href')).toBe(
      `/insights.csv?from=2031-01-01&to=2031-12-31&chapter=${chapterId}&table=decision-times`,
    );
    // No perception review in this chapter: that figure says so instead of drawing an empty chart.
    expect(root.querySelectorAll('details table').length).toBe(5);
    expect(root.querySelector('[data-testid="empty-perception-conditions"]')?.text).toBe('No perception review made a condition in this view.');
  });

  it('keeps what it can of a bad filter and says what it left out', async () => {
    const { status, html } = await page(`/insights?from=2031-02-30&chapter=${chapterId}&campaign=abc`);
    expect(status).toBe(200);
    const dropped = visibleText(find(html, '[data-testid="insights-dropped"]')!);
    expect(dropped).toContain('The from date “2031-02-30” was not used: This date does not exist.');
    expect(dropped).toContain('The campaign “abc” was not used');
    expect(visibleText(find(html, '[data-testid="table-decision-times"] tbody tr')!)).toContain('All decided proposals');
  });

  it('tidies the empty fields a submitted form sends', async () => {
    const { status, location } = await page(`/insights?from=&to=&chapter=${chapterId}&campaign=`);
    expect(status).toBe(302);
    expect(location).toBe(`/insights?chapter=${chapterId}`);
  });
});

describe('/insights.csv', () => {
  it('is the table in words, with the same filters, formulas neutralized', async () => {
    const response = await app.fetch(`/insights.csv?table=decision-times&chapter=${chapterId}`, { cookie: cookie.staff });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="insights-decision-times-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
    expect(text).toBe(
      '\uFEFFGrouped by,Group,Decided proposals,Median (days),90th percentile (days)\r\n' +
        'All,All decided proposals,2,2,3\r\n' +
        `Chapter,"'=HYPERLINK(""https://evil.test"",""click"")",2,2,3\r\n` +
        'Campaign,Israel and the Occupied Palestinian Territories,2,2,3\r\n',
    );
  });

  it('answers each table; an unknown table is a 400 that names them', async () => {
    for (const table of ['outcomes', 'step-outcomes', 'risk-categories', 'perception-conditions', 'revetting']) {
      const response = await app.fetch(`/insights.csv?table=${table}&chapter=${chapterId}`, { cookie: cookie.reviewer });
      expect(response.status, table).toBe(200);
      expect(response.headers.get('content-type'), table).toBe('text/csv; charset=utf-8');
    }
    const conditions = await (await app.fetch(`/insights.csv?table=perception-conditions&chapter=${chapterId}`, { cookie: cookie.reviewer })).text();
    // text() drops the byte-order mark.
    expect(conditions).toBe('Checklist item,Condition (MOU clause),Proposals\r\n');
    const revetting = await (await app.fetch(`/insights.csv?table=revetting&chapter=${chapterId}`, { cookie: cookie.reviewer })).text();
    // The approval ends 2031-09-30: more than 90 days from now, so no bucket holds it yet.
    expect(revetting).toContain('Ended in the last 90 days,0,0,0\r\n');
    const outcomes = await (await app.fetch(`/insights.csv?table=outcomes&chapter=${chapterId}`, { cookie: cookie.reviewer })).text();
    expect(outcomes).toContain('2031-04,1,0,0,0,1\r\n2031-05,0,1,0,0,2\r\n');
    const unknown = await app.fetch('/insights.csv?table=passwords', { cookie: cookie.reviewer });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { message: string }).message).toContain('outcomes, decision-times');
  });
});
