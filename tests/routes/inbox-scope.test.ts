import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { all, qb, run } from '../../db/connection';
import { chapterByName, userByEmail } from '../../db/users';
import { startApp, type TestApp } from '../support/app-server';

// The inbox shows what the person may view now: moved to another chapter, a
// lead no longer reads the old chapter's rationales there.

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());

const decode = (html: string) => html.replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

describe('the inbox of a lead moved to another chapter', () => {
  it('no longer lists the old chapter’s messages, nor counts them', async () => {
    const lead = userByEmail('lead@cosponsor.test')!;
    const rows = all(
      qb().selectFrom('inbox as i').innerJoin('proposals as p', 'p.id', 'i.proposal_id').select(['i.message', 'p.reference']).where('i.user_id', '=', lead.id),
    );
    expect(rows.length).toBeGreaterThan(0);
    const cookie = await app.login('lead@cosponsor.test');
    const before = decode(await (await app.fetch('/inbox', { cookie })).text());
    expect(before).toContain(rows[0]!.reference);

    run(qb().updateTable('users').set({ chapter_id: chapterByName('Bay Area Chapter')!.id }).where('id', '=', lead.id));
    const after = decode(await (await app.fetch('/inbox', { cookie })).text());
    for (const row of rows) {
      expect(after).not.toContain(row.reference);
      expect(after).not.toContain(row.message.slice(0, 80));
    }
    const data = (await (await app.fetch('/inbox?_data=routes%2Finbox', { cookie })).json()) as { unread: number; items: { reference: string }[] };
    expect(data.items.map((i) => i.reference)).not.toContain(rows[0]!.reference);
    expect(data.unread).toBe(0);
  });
});
