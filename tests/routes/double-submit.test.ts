import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { all, qb } from '../../db/connection';
import { findPartnerCandidates } from '../../db/partners';
import { listProposals } from '../../db/proposals';
import { startApp, type TestApp } from '../support/app-server';

// A double submit of the new-proposal form (a second click, a resent post)
// creates one proposal: the form carries a one-time token kept with the proposal.

let app: TestApp;
let lead: string;
beforeAll(async () => {
  app = await startApp();
  lead = await app.login('lead@cosponsor.test');
});
afterAll(() => app.close());

const createdRecords = () => all(qb().selectFrom('decision_records').select('seq').where('outcome', '=', 'created')).length;

describe('the new-proposal form', () => {
  it('answers a repeated post with the first proposal, and writes one "created" record', async () => {
    const known = findPartnerCandidates('Lakeshore University Students for Palestinian Rights')[0]!;
    const page = await (await app.fetch(`/proposals/new?partnerId=${known.id}`, { cookie: lead })).text();
    const token = /name="creationToken" value="([^"]+)"/.exec(page)?.[1];
    expect(token).toBeTruthy();
    const form = {
      creationToken: token!,
      partnerId: String(known.id),
      eventTitle: 'Teach-in on the right of return',
      eventDate: '2027-03-01',
      eventPlace: 'Lakeshore University, Chicago',
      eventDescription: 'A teach-in and a discussion with the student group.',
      kind: 'co_listing',
      campaignId: '1',
    };
    const proposals = listProposals().length;
    const records = createdRecords();
    const [first, second] = await Promise.all([
      app.post(`/proposals/new?partnerId=${known.id}`, form, lead),
      app.post(`/proposals/new?partnerId=${known.id}`, form, lead),
    ]);
    const third = await app.post(`/proposals/new?partnerId=${known.id}`, form, lead);
    for (const r of [first, second, third]) expect(r.status).toBe(302);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(third.headers.get('location')).toBe(first.headers.get('location'));
    expect(listProposals().length).toBe(proposals + 1);
    expect(createdRecords()).toBe(records + 1);
  });

  it('gives each page load its own token', async () => {
    const token = async () => /name="creationToken" value="([^"]+)"/.exec(await (await app.fetch('/proposals/new?new=1&q=x', { cookie: lead })).text())?.[1];
    const [a, b] = [await token(), await token()];
    expect(a).toBeTruthy();
    expect(a).not.toBe(b);
  });
});
