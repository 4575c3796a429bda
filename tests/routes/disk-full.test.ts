import SQLite from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../../db/connection';
import { findPartnerCandidates } from '../../db/partners';
import { listProposals, proposalRow } from '../../db/proposals';
import { startApp, type TestApp } from '../support/app-server';

// A full disk: the page says the server could not save, and gives back what
// the person typed, instead of a generic error page. The fault is injected into
// better-sqlite3 (the app's and this test's copy are the same module): writes to
// the chosen tables fail with SQLITE_FULL, as SQLite reports a full disk.

let app: TestApp;
let lead: string;
beforeAll(async () => {
  app = await startApp();
  lead = await app.login('lead@cosponsor.test');
});
afterAll(() => app.close());

type Statement = { source: string; run: (...args: unknown[]) => unknown };
const statementPrototype = Object.getPrototypeOf(getDb().sqlite.prepare('SELECT 1')) as Statement;
const originalRun = statementPrototype.run;
function diskFullFor(table: string) {
  statementPrototype.run = function (this: Statement, ...args: unknown[]) {
    if (new RegExp(`^\\s*(insert into|update) "?${table}"?`, 'i').test(this.source)) {
      const error = new (SQLite as unknown as { SqliteError: new (m: string, c: string) => Error }).SqliteError('database or disk is full', 'SQLITE_FULL');
      throw error;
    }
    return originalRun.apply(this, args);
  };
}
afterEach(() => {
  statementPrototype.run = originalRun;
});

const decode = (html: string) => html.replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

describe('disk full', () => {
  it('editing a draft: says it could not save and shows what was typed', async () => {
    const draft = listProposals({ states: ['draft'] }).find((p) => p.chapter_name === 'Chicago Local Group')!;
    const row = proposalRow(draft.id)!;
    diskFullFor('proposals');
    const rationale = 'We moved the screening after talking to the partner’s organiser on Tuesday, so the room is bigger.';
    const response = await app.post(
      `/proposals/${draft.id}/edit`,
      {
        eventTitle: row.event_title,
        eventDate: row.event_date,
        eventPlace: row.event_place,
        eventDescription: rationale,
        kind: row.kind,
        campaignId: String(row.campaign_id),
        version: String(row.version),
      },
      lead,
    );
    expect(response.status).toBe(507);
    const html = decode(await response.text());
    expect(html).toContain('could not save');
    expect(html).toContain(rationale);
    expect(html).not.toContain('Something went wrong');
  });

  it('a new proposal: the typed description comes back, and nothing is created', async () => {
    const known = findPartnerCandidates('Lakeshore University Students for Palestinian Rights')[0]!;
    const before = listProposals().length;
    diskFullFor('decision_records');
    const description = 'A screening and a long discussion of refugees’ right of return, with a speaker from the camp.';
    const response = await app.post(
      `/proposals/new?partnerId=${known.id}`,
      { partnerId: String(known.id), eventTitle: 'Film night', eventDate: '2027-02-01', eventPlace: 'Chicago', eventDescription: description, kind: 'co_listing', campaignId: '1' },
      lead,
    );
    expect(response.status).toBe(507);
    const html = decode(await response.text());
    expect(html).toContain('storage is full');
    expect(html).toContain(description);
    statementPrototype.run = originalRun;
    expect(listProposals().length).toBe(before);
  });
});
