import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { all, qb } from '../../db/connection';
import { rowCounts, sqlRun } from '../support/sql';
import { proposalRow } from '../../db/proposals';
import { catchUpSearchIndex } from '../../db/search-index';
import { userByEmail } from '../../db/users';
import { createProposal, decide } from '../../app/features/vetting/vetting.server';
import { startApp, type TestApp } from '../support/app-server';
import { SCREENING_BASE } from '../mocks/screening';
import { approvedCase1 } from '../integration/mou-fixtures';
import { actor, campaignId, daysFromToday, decideAs, newPartner, proposalInReview } from '../integration/review-fixtures';

// Reading a page never writes: no expiry, no "seen" mark, no screening from a loader. Every page is
// opened by every kind of person while each of those writes would be due, and no table may change.

let app: TestApp;
const cookies: Record<string, string> = {};
const PEOPLE = ['lead@cosponsor.test', 'staff@cosponsor.test', 'staff2@cosponsor.test', 'reviewer@cosponsor.test', 'admin@cosponsor.test'];
let ids: { review: number; approved: number; lapsed: number; draft: number; partner: number; user: number };

beforeAll(async () => {
  app = await startApp();
  for (const email of PEOPLE) cookies[email] = await app.login(email);
  // An approval whose end date has passed: a GET that expired it would append a record.
  const lapsed = proposalInReview({ partnerId: newPartner('Lapsed Approval Group'), eventInDays: 10 });
  expect(decideAs('staff@cosponsor.test', lapsed, { type: 'APPROVE', conditions: [], endDate: daysFromToday(10), rationale: '' }).ok).toBe(true);
  sqlRun('UPDATE proposals SET approved_until = ? WHERE id = ?', daysFromToday(-3), lapsed);
  // An approved proposal with an MOU staff have not read, and one in review never screened.
  const approved = approvedCase1();
  const review = proposalInReview({ partnerId: newPartner('Never Screened Group'), mou: 'draft' });
  const lead = actor('lead@cosponsor.test');
  const draft = createProposal(lead, {
    partnerId: newPartner('Draft Only Group'),
    campaignId: campaignId('israel_opt'),
    eventTitle: 'A draft evening',
    eventDate: daysFromToday(60),
    eventPlace: 'Library',
    eventDescription: 'A draft that is only read.',
    kind: 'co_listing',
  }).id;
  ids = { review, approved, lapsed, draft, partner: proposalRow(review)!.partner_id, user: userByEmail('reviewer@cosponsor.test')!.id };
  process.env.SCREENING_URL = SCREENING_BASE;
  // The register's full-text index is derived data that a search brings up to date with the log
  // (docs/decisions/0012); bring it up to date now so that only real writes would show.
  catchUpSearchIndex();
});
afterAll(async () => {
  delete process.env.SCREENING_URL;
  await app.close();
});

function pages(): string[] {
  const proposalPages = (id: number) => [
    `/proposals/${id}`,
    ...['values', 'agenda', 'risk', 'perception', 'mou'].map((s) => `/proposals/${id}/steps/${s}`),
    `/proposals/${id}/record`,
    `/proposals/${id}/record.json`,
    `/proposals/${id}/mou/versions`,
    `/proposals/${id}/mou/print`,
    `/proposals/${id}/mou.docx`,
    `/review/${id}`,
  ];
  return [
    '/',
    '/proposals',
    '/proposals/new',
    ...proposalPages(ids.review),
    ...proposalPages(ids.approved),
    ...proposalPages(ids.lapsed),
    `/proposals/${ids.draft}/edit`,
    `/proposals/${ids.draft}/withdraw`,
    `/partners/${ids.partner}`,
    '/review',
    '/review/revetting',
    '/inbox',
    '/decisions',
    '/decisions.csv',
    '/insights',
    '/insights.csv?table=revetting',
    '/audit',
    '/admin',
    '/admin/users',
    `/admin/users/${ids.user}`,
    '/admin/chapters',
    '/admin/config/mou',
    '/admin/deliveries',
    '/settings/notifications',
    '/account',
  ];
}

describe('GET requests write nothing', () => {
  it('opening every page as every kind of person changes no table', async () => {
    const before = rowCounts();
    const states = () => all(qb().selectFrom('proposals').select(['id', 'state', 'version']).orderBy('id'));
    const statesBefore = states();
    const seen = () => all(qb().selectFrom('mou_views').selectAll().orderBy('user_id').orderBy('proposal_id'));
    const seenBefore = seen();
    const statuses: string[] = [];
    for (const email of PEOPLE) {
      for (const path of pages()) {
        const response = await app.fetch(path, { cookie: cookies[email] });
        await response.arrayBuffer();
        if (response.status >= 500) statuses.push(`${path} as ${email}: ${response.status}`);
      }
    }
    expect(statuses).toEqual([]);
    expect(rowCounts()).toEqual(before);
    expect(states()).toEqual(statesBefore);
    expect(proposalRow(ids.lapsed)!.state).toBe('approved');
    expect(seen()).toEqual(seenBefore);
  });

  it('the lapsed approval reads as expired, and only the sweep records it', async () => {
    const html = await (await app.fetch(`/proposals/${ids.lapsed}`, { cookie: cookies['lead@cosponsor.test'] })).text();
    expect(html).toContain('expired as of');
    const sweep = decide({
      proposalId: ids.lapsed,
      expectedVersion: proposalRow(ids.lapsed)!.version,
      actor: { id: 0, name: 'Cosponsor scheduler', roles: [], chapterId: null },
      command: { type: 'EXPIRE' },
    });
    expect(sweep.ok).toBe(true);
    expect(proposalRow(ids.lapsed)!.state).toBe('expired');
  });
});
