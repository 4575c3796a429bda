import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proposalRow } from '../../db/proposals';
import { createProposal, decide } from '../../app/features/vetting/vetting.server';
import { actor, campaignId, daysFromToday, decideAs, newPartner, proposalInReview } from '../integration/review-fixtures';
import { find, parseHtml, visibleText } from '../support/html';
import { startApp, type TestApp } from '../support/app-server';

// A second chapter's lead proposing a partner another chapter already had decided
// sees that precedent (outcome, date, reason) on the new proposal's home, on its
// values step and on the partner page; never the other chapter's drafts or work
// in progress.

let app: TestApp;
let chicago: string;
let partnerId: number;
let chicagoProposal: number;
const REASON = 'The partner’s speakers called for the exclusion of Jewish students at its last rally.';
const BAY_DRAFT = 'Bay Area unsent draft about the harbour';
const BAY_IN_PROGRESS = 'Bay Area teach-in still being vetted';

function draftBy(email: string, title: string): number {
  return createProposal(actor(email), {
    partnerId,
    campaignId: campaignId('israel_opt'),
    eventTitle: title,
    eventDate: daysFromToday(30),
    eventPlace: 'Community hall',
    eventDescription: 'An evening with the partner group.',
    kind: 'co_listing',
  }).id;
}

beforeAll(async () => {
  partnerId = newPartner('رابطة الطلاب من أجل العدالة');
  const rejected = proposalInReview({ lead: 'lead2@cosponsor.test', partnerId, title: 'Bay Area rally co-listing' });
  const decided = decideAs('staff@cosponsor.test', rejected, { type: 'REJECT', rationale: REASON });
  if (!decided.ok) throw new Error(decided.error.message);
  draftBy('lead2@cosponsor.test', BAY_DRAFT);
  const inProgress = draftBy('lead2@cosponsor.test', BAY_IN_PROGRESS);
  decide({ proposalId: inProgress, expectedVersion: proposalRow(inProgress)!.version, actor: actor('lead2@cosponsor.test'), command: { type: 'SUBMIT_PROPOSAL' } });
  chicagoProposal = draftBy('lead@cosponsor.test', 'Chicago film screening');
  const submitted = decide({ proposalId: chicagoProposal, expectedVersion: proposalRow(chicagoProposal)!.version, actor: actor('lead@cosponsor.test'), command: { type: 'SUBMIT_PROPOSAL' } });
  if (!submitted.ok) throw new Error(submitted.error.message);
  app = await startApp();
  chicago = await app.login('lead@cosponsor.test');
});
afterAll(() => app?.close());

async function page(path: string) {
  const response = await app.fetch(path, { cookie: chicago });
  expect(response.status, path).toBe(200);
  return response.text();
}

describe('decided precedent for another chapter’s lead', () => {
  for (const [where, path] of [
    ['the proposal’s home', () => `/proposals/${chicagoProposal}`],
    ['the values step', () => `/proposals/${chicagoProposal}/steps/values`],
  ] as const) {
    it(`shows the outcome, the date and the reason on ${where}`, async () => {
      const html = await page(path());
      const panel = find(html, '[data-testid="partner-precedent"]');
      expect(panel, 'precedent panel').not.toBeNull();
      const text = visibleText(panel!);
      expect(text).toContain('Rejected');
      expect(text).toContain('Bay Area Chapter');
      expect(text).toMatch(/decided \w+/);
      expect(text).toContain(REASON);
      const all = visibleText(html);
      expect(all).not.toContain(BAY_DRAFT);
      expect(all).not.toContain(BAY_IN_PROGRESS);
      expect(all).not.toContain('Bay Area rally co-listing');
    });
  }

  it('shows it on the partner page too, without the other chapter’s records', async () => {
    const html = await page(`/partners/${partnerId}`);
    const panel = find(html, '[data-testid="partner-precedent"]');
    expect(panel, 'precedent panel').not.toBeNull();
    expect(visibleText(panel!)).toContain(REASON);
    expect(visibleText(panel!)).toContain('Rejected');
    const all = visibleText(html);
    expect(all).not.toContain(BAY_DRAFT);
    expect(all).not.toContain(BAY_IN_PROGRESS);
  });

  it('keeps the data of those pages free of the other chapter’s work in progress', async () => {
    for (const path of [`/proposals/${chicagoProposal}?_data=routes%2Fproposals.%24id`, `/partners/${partnerId}?_data=routes%2Fpartners.%24id`]) {
      const data = await page(path);
      expect(data, path).toContain('Rejected'.toLowerCase());
      expect(data, path).not.toContain(BAY_DRAFT);
      expect(data, path).not.toContain(BAY_IN_PROGRESS);
    }
  });

  it('lets the partner’s name and the precedent read right to left', async () => {
    const html = await page(`/proposals/${chicagoProposal}`);
    const root = parseHtml(html);
    const name = root.querySelectorAll('[dir="auto"]').map((e) => e.text);
    expect(name.some((t) => t.includes('رابطة الطلاب'))).toBe(true);
    expect(name.some((t) => t.includes(REASON))).toBe(true);
  });
});

describe('a new partner close to a known one', () => {
  it('is not created when a word of the known name was dropped: the known partner is offered first', async () => {
    const form = await page('/proposals/new?q=Lakeshore&new=1');
    const token = parseHtml(form).querySelector('input[name="creationToken"]')?.getAttribute('value');
    expect(token).toBeTruthy();
    const response = await app.post(
      '/proposals/new?q=Lakeshore&new=1',
      {
        creationToken: token!,
        partnerName: 'Lakeshore Students for Palestinian Rights',
        partnerCountry: 'US',
        partnerDescription: 'Student group.',
        eventTitle: 'A dropped-word teach-in',
        eventDate: daysFromToday(40),
        eventPlace: 'Lakeshore University, Chicago',
        eventDescription: 'A teach-in with the student group.',
        kind: 'co_listing',
        campaignId: String(campaignId('israel_opt')),
      },
      chicago,
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    const warning = find(html, '[aria-labelledby="dup-title"]');
    expect(warning, 'similar-name warning').not.toBeNull();
    const use = warning!.querySelectorAll('a').find((a) => a.text.includes('Use Lakeshore University Students for Palestinian Rights'));
    expect(use?.getAttribute('class')).toBe('button');
    expect(visibleText(html)).toContain('A partner with a very similar name is already known');
  });
});
