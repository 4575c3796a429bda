import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestRecordOfProposal } from '../../db/decision-log';
import { listProposals } from '../../db/proposals';
import { startApp, type TestApp } from '../support/app-server';

// The partner search on /proposals/new shows a lead another chapter's decided
// precedent (outcome, date, reason) and never its drafts or work in progress.

let app: TestApp;
let chicago: string;
let bayArea: string;
beforeAll(async () => {
  app = await startApp();
  chicago = await app.login('lead@cosponsor.test');
  bayArea = await app.login('lead2@cosponsor.test');
});
afterAll(() => app.close());

const bay = () => listProposals().filter((p) => p.chapter_name === 'Bay Area Chapter');
const decoded = (html: string) => html.replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

describe('partner search as a Chicago lead', () => {
  it('never shows Bay Area work in progress or drafts, in the page or its data', async () => {
    const hidden = bay().filter((p) => !['approved', 'rejected', 'expired'].includes(p.state));
    expect(hidden.length).toBeGreaterThan(0);
    for (const q of ['Alliance', 'Westside', 'Surveillance', 'Al-Bayyina']) {
      const page = decoded(await (await app.fetch(`/proposals/new?q=${encodeURIComponent(q)}`, { cookie: chicago })).text());
      const data = await (await app.fetch(`/proposals/new?q=${encodeURIComponent(q)}&_data=routes%2Fproposals.new`, { cookie: chicago })).text();
      for (const p of hidden) {
        for (const text of [page, data]) {
          expect(text, `${p.reference} for q=${q}`).not.toContain(p.reference);
          expect(text, `${p.event_title} for q=${q}`).not.toContain(p.event_title);
        }
      }
    }
  });

  it('shows Bay Area decided precedent: the outcome, the date and the reason', async () => {
    const approved = bay().find((p) => p.state === 'approved')!;
    const reason = latestRecordOfProposal(approved.id)!.rationale;
    const page = decoded(await (await app.fetch('/proposals/new?q=Golden%20Gate', { cookie: chicago })).text());
    expect(page).toContain('Approved');
    expect(page).toContain(reason.slice(0, 60));
  });

  it('still shows the lead’s own chapter everything, drafts included', async () => {
    const draft = bay().find((p) => p.state === 'draft')!;
    const page = await (await app.fetch('/proposals/new?q=Westside', { cookie: bayArea })).text();
    expect(page).toContain(draft.reference);
  });
});
