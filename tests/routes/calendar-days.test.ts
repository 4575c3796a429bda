import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listProposals, proposalRow } from '../../db/proposals';
import { findPartnerCandidates } from '../../db/partners';
import { startApp, type TestApp } from '../support/app-server';
import { fieldValue, visibleText } from '../support/html';
import { decideAs, newPartner, proposalInReview } from '../integration/review-fixtures';

// A day that is not on the calendar (31 February) read by JavaScript as another one (3 March):
// stored as typed, it was shown, reminded and recorded as a different day.

let app: TestApp;
let lead: string;
beforeAll(async () => {
  app = await startApp();
  lead = await app.login('lead@cosponsor.test');
});
afterAll(() => app.close());

const nextYear = Number(new Date().toISOString().slice(0, 4)) + 1;

describe('days that do not exist', () => {
  it('the new-proposal form refuses one beside the date, keeping what was typed, creating nothing', async () => {
    const known = findPartnerCandidates('Lakeshore University Students for Palestinian Rights')[0]!;
    const eventDate = `${nextYear}-02-31`;
    const before = listProposals().length;
    const response = await app.post(
      `/proposals/new?partnerId=${known.id}`,
      {
        partnerId: String(known.id),
        eventTitle: 'Teach-in on housing rights',
        eventDate,
        eventPlace: 'Lakeshore University, Chicago',
        eventDescription: 'A teach-in and a discussion with the student group.',
        kind: 'co_listing',
        campaignId: '1',
      },
      lead,
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(visibleText(html)).toContain('This date does not exist.');
    expect(fieldValue(html, 'eventDate')).toBe(eventDate);
    expect(fieldValue(html, 'eventTitle')).toBe('Teach-in on housing rights');
    expect(listProposals().length).toBe(before);
  });

  it('the decision service refuses an approval ending on one, writing nothing', () => {
    const id = proposalInReview({ partnerId: newPartner('Calendar Day Group') });
    const before = proposalRow(id)!;
    const result = decideAs('staff@cosponsor.test', id, { type: 'APPROVE', conditions: [], endDate: `${nextYear}-02-30`, rationale: 'Fine.' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe('invalid');
    expect(result.error.fieldErrors.endDate).toEqual(['This date does not exist.']);
    expect(proposalRow(id)).toEqual(before);
  });
});
