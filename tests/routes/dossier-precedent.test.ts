import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProposal } from '../../app/features/vetting/vetting.server';
import { actor, campaignId, daysFromToday, decideAs, newPartner, proposalInReview } from '../integration/review-fixtures';
import { find, parseHtml, visibleText } from '../support/html';
import { startApp, type TestApp } from '../support/app-server';

// The dossier lists the newest few other proposals with the same partner; the rest come
// through a plain link (no JavaScript needed), and back.

let app: TestApp;
let staff: string;
let partnerId: number;
let inReview: number;
const others: number[] = [];
const OLDEST_REASON = 'The partner withdrew its speaker list twice without notice.';

beforeAll(async () => {
  partnerId = newPartner('Riverside Tenants for Justice');
  // The oldest one decided, with a reason that only the full list shows.
  const oldest = proposalInReview({ lead: 'lead2@cosponsor.test', partnerId, title: 'Riverside precedent 1' });
  const decided = decideAs('staff@cosponsor.test', oldest, { type: 'REJECT', rationale: OLDEST_REASON });
  if (!decided.ok) throw new Error(decided.error.message);
  others.push(oldest);
  for (let i = 2; i <= 7; i++) {
    others.push(
      createProposal(actor(i % 2 ? 'lead@cosponsor.test' : 'lead2@cosponsor.test'), {
        partnerId,
        campaignId: campaignId('israel_opt'),
        eventTitle: `Riverside precedent ${i}`,
        eventDate: daysFromToday(30),
        eventPlace: 'Community hall',
        eventDescription: 'An evening with the partner group.',
        kind: 'co_listing',
      }).id,
    );
  }
  inReview = proposalInReview({ lead: 'lead@cosponsor.test', partnerId, title: 'Riverside teach-in under review' });
  app = await startApp();
  staff = await app.login('staff@cosponsor.test');
});
afterAll(() => app?.close());

async function page(path: string) {
  const response = await app.fetch(path, { cookie: staff });
  expect(response.status, path).toBe(200);
  return response.text();
}

/** The proposals the precedent panel lists, in order. */
function listed(html: string): number[] {
  const panel = parseHtml(html).querySelector('[data-testid="partner-precedent"]')!;
  return panel
    .querySelectorAll('a.card__title')
    .map((a) => Number(/^\/review\/(\d+)$/.exec(a.getAttribute('href') ?? '')?.[1]));
}

describe('partner precedent on the dossier', () => {
  it('lists the newest five other proposals, and says how many there are', async () => {
    const html = await page(`/review/${inReview}`);
    const newestFirst = [...others].sort((a, b) => b - a);
    expect(listed(html)).toEqual(newestFirst.slice(0, 5));
    const more = find(html, '[data-testid="precedent-more"]')!;
    expect(visibleText(more)).toContain('The newest 5 of 7 other proposals with this partner.');
    expect(more.querySelector('a')?.getAttribute('href')).toBe(`/review/${inReview}?precedent=all#precedent-heading`);
    expect(visibleText(more.querySelector('a')!).trim()).toBe('Show all 7');
    expect(visibleText(find(html, '[data-testid="partner-precedent"]')!)).not.toContain(OLDEST_REASON);
  });

  it('shows every one, with its decisions, through the link, and a way back to the few', async () => {
    const html = await page(`/review/${inReview}?precedent=all`);
    expect(listed(html)).toEqual([...others].sort((a, b) => b - a));
    const panel = find(html, '[data-testid="partner-precedent"]')!;
    expect(visibleText(panel)).toContain(OLDEST_REASON);
    const more = find(html, '[data-testid="precedent-more"]')!;
    expect(visibleText(more)).toContain('All 7 other proposals with this partner.');
    expect(more.querySelector('a')?.getAttribute('href')).toBe(`/review/${inReview}#precedent-heading`);
  });
});
