import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { all, first, qb } from '../../db/connection';
import { disableAppendOnlyGuards, sqlRun } from '../support/sql';
import { userByEmail } from '../../db/users';
import { startApp, type TestApp } from '../support/app-server';
import { visibleText } from '../support/html';

// /audit over HTTP: a reviewer runs the log verification from the browser; the
// run is stored and the page shows its result, and a tampered record is named.
// A file of its own: the last test tampers with this file's database copy.

let app: TestApp;
let reviewer: string;
beforeAll(async () => {
  app = await startApp();
  reviewer = await app.login('reviewer@cosponsor.test');
});
afterAll(() => app.close());

/** The visible text of a page, read through an HTML parser. */
const text = (html: string) => visibleText(html);

const runs = () => all(qb().selectFrom('audit_runs').selectAll().orderBy('id'));
const recordCount = () => first(qb().selectFrom('decision_records').select((eb) => eb.fn.countAll<number>().as('n')))!.n;

/** Posts the button, follows the redirect with the flash cookie, returns the page. */
async function verifyNow(cookie: string) {
  const response = await app.post('/audit', {}, cookie);
  expect(response.status).toBe(302);
  expect(response.headers.get('location')).toBe('/audit');
  const flash = /cosponsor_flash=[^;]+/.exec(response.headers.get('set-cookie') ?? '')?.[0];
  expect(flash).toBeDefined();
  const page = await app.fetch('/audit', { cookie: `${cookie}; ${flash}` });
  expect(page.status).toBe(200);
  return page.text();
}

describe('/audit', () => {
  it('says when the log was never verified, and explains offline verification', async () => {
    const response = await app.fetch('/audit', { cookie: reviewer });
    expect(response.status).toBe(200);
    const body = text(await response.text());
    expect(body).toContain('The log has not been verified from here yet.');
    expect(body).toContain('Verify the log now');
    expect(body).toContain('npm run audit:verify -- --bundle <file>');
  });

  it('runs the verification, stores the run with who ran it, and shows OK with the count', async () => {
    const html = await verifyNow(reviewer);
    const stored = runs();
    expect(stored).toHaveLength(1);
    const count = recordCount();
    expect(stored[0]).toMatchObject({ user_id: userByEmail('reviewer@cosponsor.test')!.id, ok: 1, record_count: count, first_bad_seq: null });
    const body = text(html);
    expect(body).toContain(`The log verifies: OK ${count} records`);
    expect(body).toMatch(new RegExp(`Last verification OK ${count} records verified in \\d+ ms\\.`));
    expect(body).toContain('Run by Ruth Adeyemi');
    expect(html).toContain(`data-run="${stored[0]!.id}"`);
  });

  it('is refused to chapter leads, and a refused post stores nothing', async () => {
    const lead = await app.login('lead@cosponsor.test');
    expect((await app.fetch('/audit', { cookie: lead })).status).toBe(403);
    const before = runs().length;
    expect((await app.post('/audit', {}, lead)).status).toBe(403);
    expect((await app.post('/audit', {})).status).toBe(401);
    expect(runs().length).toBe(before);
  });

  it('names the first broken record and links its proposal', async () => {
    // Tampering needs the append-only trigger out of the way, as someone editing the database would do.
    disableAppendOnlyGuards();
    sqlRun("UPDATE decision_records SET rationale = rationale || ' (edited)' WHERE seq = 12");
    const proposal = first(
      qb().selectFrom('decision_records as d').innerJoin('proposals as p', 'p.id', 'd.proposal_id').select(['p.id', 'p.reference']).where('d.seq', '=', 12),
    )!;
    const staff = await app.login('staff@cosponsor.test');
    const html = await verifyNow(staff);
    const last = runs().at(-1)!;
    expect(last).toMatchObject({ ok: 0, first_bad_seq: 12, user_id: userByEmail('staff@cosponsor.test')!.id });
    const broken = text(html.split('data-testid="audit-broken"')[1]!.split('</dl>')[0]!);
    expect(broken).toContain('The chain breaks at record #12');
    expect(broken).toContain(`First broken record #12`);
    expect(broken).toContain(proposal.reference);
    expect(broken).toMatch(/What is wrong .*hash/);
    expect(html).toContain(`href="/proposals/${proposal.id}/record#record-12"`);
    expect(text(html)).toContain('The log is broken: BROKEN at record 12');
  });
});
