import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rescanPartner } from '../../app/features/review/screening-memory.server';
import { decide } from '../../app/features/vetting/vetting.server';
import { all, first, qb } from '../../db/connection';
import { countRecords, verifyLog } from '../../db/decision-log';
import { proposalRow } from '../../db/proposals';
import { DESIGNATED_PARTNER_NAME, designationResult } from '../../db/seed-data/screening-fixtures';
import { actor } from '../integration/review-fixtures';
import { mockServer } from '../support/setup';
import { startApp, type TestApp } from '../support/app-server';
import { fieldValue, find, parseHtml, visibleText } from '../support/html';
import { SCREENING_BASE, otherDesignationResult, screeningAnswering } from '../mocks/screening';

// The screening page over HTTP against the real build: who may judge a hit, what a refusal
// says and keeps, and where a judged hit goes; the queue and inbox after a new hit on an approval.

let app: TestApp;
let staff: string;
let id: number;
const REASON = 'Registered in Ramallah in 2004; this partner is a US student group founded in 2019.';

beforeAll(async () => {
  app = await startApp();
  staff = await app.login('staff@cosponsor.test');
  id = first(
    qb().selectFrom('proposals as p').innerJoin('partners as pa', 'pa.id', 'p.partner_id').select('p.id').where('pa.name', '=', DESIGNATED_PARTNER_NAME),
  )!.id;
});
afterAll(() => app.close());

const page = async (cookie: string, query = '') => {
  const response = await app.fetch(`/review/${id}/screening${query}`, { cookie });
  return { status: response.status, html: await response.text() };
};

describe('the screening page', () => {
  it('shows staff the new hit with a labelled form, and refuses a reviewer and a lead', async () => {
    const { status, html } = await page(staff);
    expect(status).toBe(200);
    const hits = parseHtml(html).querySelectorAll('[data-testid="new-hit"]');
    expect(hits).toHaveLength(1);
    expect(visibleText(hits[0]!)).toContain(designationResult.caption);
    const textarea = find(html, 'textarea[name="reason"]')!;
    expect(find(html, `label[for="${textarea.id}"]`)).not.toBeNull();
    for (const email of ['reviewer@cosponsor.test', 'lead@cosponsor.test']) {
      const refused = await page(await app.login(email));
      expect(refused.status).toBe(403);
    }
  });

  it('refuses a short reason with 400, the error next to the field and the text kept, writing nothing', async () => {
    const records = countRecords();
    const response = await app.post(`/review/${id}/screening`, { entityId: designationResult.id, reason: 'not them' }, staff);
    expect(response.status).toBe(400);
    const html = await response.text();
    const textarea = find(html, 'textarea[name="reason"]')!;
    expect(fieldValue(html, 'reason')).toBe('not them');
    expect(textarea.getAttribute('aria-invalid')).toBe('true');
    const described = textarea.getAttribute('aria-describedby')!;
    expect(visibleText(find(html, `[id="${described}"]`)!)).toContain('at least 10 characters');
    expect(countRecords()).toBe(records);
  });

  it('refuses a hit that is not shown (400) and a reviewer or lead posting anyway (403)', async () => {
    const records = countRecords();
    expect((await app.post(`/review/${id}/screening`, { entityId: 'made-up', reason: REASON }, staff)).status).toBe(400);
    for (const email of ['reviewer@cosponsor.test', 'lead@cosponsor.test']) {
      const response = await app.post(`/review/${id}/screening`, { entityId: designationResult.id, reason: REASON }, await app.login(email));
      expect(response.status).toBe(403);
    }
    expect((await app.post('/review/999999/screening', { entityId: designationResult.id, reason: REASON }, staff)).status).toBe(404);
    expect(countRecords()).toBe(records);
  });

  it('records the judgment, then shows the hit under "judged" with who, when and why, and refuses it twice (409)', async () => {
    const response = await app.post(`/review/${id}/screening`, { entityId: designationResult.id, reason: REASON }, staff);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`/review/${id}/screening`);
    const { html } = await page(staff, '?show=judged');
    expect(parseHtml(html).querySelectorAll('[data-testid="new-hit"]')).toHaveLength(0);
    const judged = visibleText(find(html, '[data-testid="judged-hit"]')!);
    expect(judged).toContain(designationResult.caption);
    expect(judged).toContain('Priya Raman');
    expect(judged).toContain(REASON);
    expect(find(html, 'details#judged')!.hasAttribute('open')).toBe(true);
    // The dossier no longer lists it as a hit to weigh.
    const dossier = await (await app.fetch(`/review/${id}`, { cookie: staff })).text();
    expect(parseHtml(dossier).querySelectorAll('[data-testid="screening-hit"]')).toHaveLength(0);
    expect(visibleText(find(dossier, '[data-testid="screening-memory-link"]')!)).toContain('1 of 1 hits judged not a true match');

    const again = await app.post(`/review/${id}/screening`, { entityId: designationResult.id, reason: REASON }, await app.login('staff2@cosponsor.test'));
    expect(again.status).toBe(409);
    expect(verifyLog().ok).toBe(true);
  });
});

describe('a new hit on an approved partnership', () => {
  it('is flagged in the queue and in staff inboxes, linking to the screening page; the approval stands', async () => {
    process.env.SCREENING_URL = SCREENING_BASE;
    try {
      const p = proposalRow(id)!;
      const approved = decide({
        proposalId: id,
        expectedVersion: p.version,
        actor: actor('staff2@cosponsor.test'),
        // Every hit shown was judged not a true match: no acknowledgement is asked for.
        command: { type: 'APPROVE', conditions: [], endDate: null, rationale: 'Approved after vetting.' },
      });
      if (!approved.ok) throw new Error(approved.error.message);
      mockServer.use(screeningAnswering([designationResult, otherDesignationResult]));
      expect((await rescanPartner(p.partner_id)).alerts).toBe(1);
    } finally {
      delete process.env.SCREENING_URL;
    }
    const queue = await (await app.fetch('/review', { cookie: staff })).text();
    const panel = find(queue, '[data-testid="screening-alerts"]')!;
    expect(visibleText(panel)).toContain(otherDesignationResult.caption);
    expect(panel.querySelector(`a[href="/review/${id}/screening"]`)).not.toBeNull();

    const inbox = await (await app.fetch('/inbox', { cookie: staff })).text();
    expect(visibleText(inbox)).toContain('New screening hit');
    expect(find(inbox, `a[href="/review/${id}/screening"]`)).not.toBeNull();
    expect(all(qb().selectFrom('inbox').select('id').where('kind', '=', 'screening_alert'))).toHaveLength(2);
    expect(proposalRow(id)!.state).toBe('approved');

    const { html } = await page(staff);
    const hit = find(html, '[data-testid="new-hit"]')!;
    expect(visibleText(hit)).toContain('New since the approval');
  });
});
