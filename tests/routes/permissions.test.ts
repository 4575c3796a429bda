import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { all, first, qb } from '../../db/connection';
import { currentAgendaItems, proposalRow } from '../../db/proposals';
import { chapterByName, createUser, userByEmail } from '../../db/users';
import { demoPartners, demoProposals } from '../../db/seed-data/demo';
import { hashPassword } from '../../app/features/auth/password.server';
import type { ActingUser } from '../../workflows/policy';
import { DEMO_PASSWORD, runDemoProposal } from '../../scripts/seed/demo';
import { decide } from '../../app/features/vetting/vetting.server';
import { startApp, type TestApp } from '../support/app-server';
import { createHash } from 'node:crypto';
import { saveStepDraft } from '../../db/proposals';
import { storeUpload } from '../../app/features/attachments/attachments.server';
import { bytesOf } from '../../db/attachment-store';
import { samplePdf } from '../support/sample-files';

// The permission matrix: ONE table of routes and actions, each tried as every
// kind of person against the real app and a real database. To cover a new
// route, add a row to ROUTES.

const WHO = ['anonymous', 'leadOwn', 'leadOther', 'staff', 'staffProposer', 'reviewer', 'admin'] as const;
type Who = (typeof WHO)[number];
const SIGNED_IN: readonly Who[] = WHO.filter((w) => w !== 'anonymous');

/** The people behind each column. staffProposer is a Chicago chapter lead who is also staff. */
const EMAIL: Record<Exclude<Who, 'anonymous'>, string> = {
  leadOwn: 'lead@cosponsor.test', // Chicago: the chapter of the proposals below
  leadOther: 'lead2@cosponsor.test', // Bay Area
  staff: 'staff@cosponsor.test',
  staffProposer: 'dual@cosponsor.test',
  reviewer: 'reviewer@cosponsor.test',
  admin: 'admin@cosponsor.test',
};

type Outcome = { status: number; location?: string };
type Row = {
  method: 'GET' | 'POST';
  /**
   * :proposal = staffProposer's proposal waiting for staff (Chicago); :approved = leadOwn's approved
   * Chicago proposal with an MOU; :draft = a Chicago draft by leadOwn; :user = a spare account.
   */
  path: string;
  allow: readonly Who[];
  /** What an allowed request gets; GET defaults to 200. */
  ok?: Outcome;
  /** Exact outcomes for some people, overriding allow/deny. */
  only?: Partial<Record<Who, Outcome>>;
  form?: (ctx: Ctx) => Record<string, string | string[]>;
  /** Allowed requests append to admin_log; refused ones must write nothing. */
  logs?: boolean;
  /** The request ends the session, so it gets one of its own. */
  freshSession?: boolean;
  /** A resource route (a download): a refusal is JSON with the reason for a client, a page for a browser (below). */
  resource?: boolean;
};

let seq = 0;
/** An evidence file only the :draft proposal's values draft cites (stored in beforeAll). */
const EVIDENCE = samplePdf('Permission matrix');
const EVIDENCE_SHA = createHash('sha256').update(EVIDENCE).digest('hex');
const STAFF: readonly Who[] = ['staff', 'staffProposer'];
const VIEWERS: readonly Who[] = ['leadOwn', 'staff', 'staffProposer', 'reviewer', 'admin'];
const CHICAGO_LEADS: readonly Who[] = ['leadOwn', 'staffProposer'];

const ROUTES: Row[] = [
  // The start page lands each person on their work.
  {
    method: 'GET',
    path: '/',
    allow: SIGNED_IN,
    only: {
      leadOwn: { status: 302, location: '/proposals' },
      leadOther: { status: 302, location: '/proposals' },
      staff: { status: 302, location: '/review' },
      staffProposer: { status: 302, location: '/review' },
      reviewer: { status: 302, location: '/decisions' },
      admin: { status: 302, location: '/admin/users' },
    },
  },
  {
    method: 'GET',
    path: '/login',
    allow: WHO,
    only: Object.fromEntries(WHO.map((w) => [w, w === 'anonymous' ? { status: 200 } : { status: 302, location: '/' }])),
  },
  { method: 'POST', path: '/logout', allow: WHO, ok: { status: 302, location: '/login' }, freshSession: true },
  // "Forgot your password?" (docs/decisions/0410): for whoever is not signed in; a signed-in person goes to their account page.
  {
    method: 'GET',
    path: '/forgot-password',
    allow: WHO,
    only: Object.fromEntries(WHO.map((w) => [w, w === 'anonymous' ? { status: 200 } : { status: 302, location: '/account' }])),
  },
  // Without e-mail set up (as here) nobody is sent a link: 403 with the reason.
  {
    method: 'POST',
    path: '/forgot-password',
    allow: [],
    only: Object.fromEntries(WHO.map((w) => [w, w === 'anonymous' ? { status: 403 } : { status: 302, location: '/account' }])),
    form: () => ({ email: 'lead@cosponsor.test' }),
  },
  // A link that does not exist opens nothing, for anyone.
  { method: 'GET', path: '/reset-password/not-a-link', allow: [], only: Object.fromEntries(WHO.map((w) => [w, { status: 404 }])) },
  { method: 'POST', path: '/reset-password/not-a-link', allow: [], only: Object.fromEntries(WHO.map((w) => [w, { status: 404 }])), form: () => ({ newPassword: 'x', confirmPassword: 'x' }) },
  { method: 'GET', path: '/proposals', allow: SIGNED_IN },
  { method: 'GET', path: '/proposals/new', allow: ['leadOwn', 'leadOther', 'staffProposer'] },
  { method: 'GET', path: '/proposals/:proposal', allow: VIEWERS },
  ...(['values', 'agenda', 'risk', 'perception', 'mou'] as const).map(
    (step): Row => ({ method: 'GET', path: `/proposals/:proposal/steps/${step}`, allow: VIEWERS }),
  ),
  // The partner's own answers: everyone who may see the proposal reads them; its chapter's leads ask for them.
  { method: 'GET', path: '/proposals/:proposal/partner', allow: VIEWERS },
  {
    method: 'POST',
    path: '/proposals/:proposal/partner',
    allow: CHICAGO_LEADS,
    form: () => ({ intent: 'create', contactName: 'Matrix Contact' }),
  },
  // The page a partner lands on after answering: anyone, no sign-in (it shows nothing of the organization).
  { method: 'GET', path: '/q/thanks', allow: WHO },
  { method: 'GET', path: '/proposals/:approved/mou/versions', allow: VIEWERS },
  // Staff mark the MOU version they read; anyone else is refused, not sent back with a flash.
  {
    method: 'POST',
    path: '/proposals/:approved/mou/versions',
    allow: STAFF,
    ok: { status: 302, location: '/proposals/:approved/mou/versions' },
    form: () => ({ version: '1' }),
  },
  { method: 'GET', path: '/proposals/:approved/mou/print', allow: VIEWERS },
  { method: 'GET', path: '/proposals/:approved/mou.docx', allow: VIEWERS, resource: true },
  // An evidence file cited only in a step draft: those who may edit the draft. Others who may
  // view the proposal get the 404 of a file it does not cite (a submitted file is theirs to read).
  {
    method: 'GET',
    path: `/proposals/:draft/attachments/${EVIDENCE_SHA}`,
    allow: CHICAGO_LEADS,
    only: { staff: { status: 404 }, reviewer: { status: 404 }, admin: { status: 404 } },
    resource: true,
  },
  { method: 'GET', path: '/proposals/:draft/edit', allow: CHICAGO_LEADS },
  { method: 'GET', path: '/proposals/:draft/withdraw', allow: CHICAGO_LEADS },
  { method: 'GET', path: '/review', allow: STAFF },
  { method: 'GET', path: '/review/revetting', allow: STAFF },
  { method: 'GET', path: '/review/:proposal', allow: STAFF },
  // A proposal's screening memory; judging a hit is staff's, never the proposer's (this proposal has no hit: staff get a 400).
  { method: 'GET', path: '/review/:proposal/screening', allow: STAFF },
  {
    method: 'POST',
    path: '/review/:proposal/screening',
    allow: ['staff'],
    ok: { status: 400 },
    form: () => ({ entityId: 'no-such-entity', reason: 'Not this partner: another country and founding date.' }),
  },
  { method: 'GET', path: '/inbox', allow: SIGNED_IN },
  // Each person's own e-mail choices: everyone signed in, for themselves only (no id in the path).
  { method: 'GET', path: '/settings/notifications', allow: SIGNED_IN },
  {
    method: 'POST',
    path: '/settings/notifications',
    allow: SIGNED_IN,
    ok: { status: 302, location: '/settings/notifications' },
    form: () => ({ decided: 'on' }),
  },
  // Each person's own account page and password: everyone signed in, for themselves only (no id in
  // the path). Two new passwords that differ are refused before any password is checked.
  { method: 'GET', path: '/account', allow: SIGNED_IN },
  {
    method: 'POST',
    path: '/account',
    allow: SIGNED_IN,
    ok: { status: 400 },
    form: () => ({ currentPassword: 'not-checked-here', newPassword: 'harbour lantern violet', confirmPassword: 'harbour lantern violent' }),
  },
  { method: 'GET', path: '/admin', allow: ['admin'], ok: { status: 302, location: '/admin/users' } },
  { method: 'GET', path: '/admin/users', allow: ['admin'] },
  {
    method: 'POST',
    path: '/admin/users',
    allow: ['admin'],
    ok: { status: 302, location: '/admin/users' },
    logs: true,
    form: () => ({ intent: 'create', name: 'Matrix Person', email: `matrix${++seq}@cosponsor.test`, password: 'lantern-orchard-1', roles: ['reviewer'] }),
  },
  { method: 'GET', path: '/admin/users/:user', allow: ['admin'] },
  {
    method: 'POST',
    path: '/admin/users/:user',
    allow: ['admin'],
    ok: { status: 302, location: '/admin/users/:user' },
    logs: true,
    form: () => ({ intent: 'update', roles: ['reviewer', 'staff'] }),
  },
  {
    method: 'POST',
    path: '/admin/users/:user',
    allow: ['admin'],
    ok: { status: 302, location: '/admin/users/:user' },
    logs: true,
    form: () => ({ intent: 'deactivate' }),
  },
  // A password reset: admins only; the temporary password is shown on the answer itself (200).
  {
    method: 'POST',
    path: '/admin/users/:user',
    allow: ['admin'],
    ok: { status: 200 },
    logs: true,
    form: () => ({ intent: 'reset-password', mode: 'generate' }),
  },
  { method: 'GET', path: '/admin/chapters', allow: ['admin'] },
  { method: 'GET', path: '/admin/config/mou', allow: ['admin'] },
  { method: 'GET', path: '/admin/config/positions', allow: ['admin'] },
  { method: 'GET', path: '/admin/config/values', allow: ['admin'] },
  { method: 'GET', path: '/admin/config/risk', allow: ['admin'] },
  { method: 'GET', path: '/admin/config/perception', allow: ['admin'] },
  { method: 'GET', path: '/admin/deliveries', allow: ['admin'] },
  {
    method: 'POST',
    path: '/admin/chapters',
    allow: ['admin'],
    ok: { status: 302, location: '/admin/chapters' },
    logs: true,
    form: () => ({ intent: 'create', name: `Matrix Chapter ${++seq}`, region: 'Test' }),
  },
  // The decision register: everyone signed in (chapter leads scoped to their chapter by the service).
  { method: 'GET', path: '/decisions', allow: SIGNED_IN },
  { method: 'GET', path: '/decisions.csv', allow: SIGNED_IN, resource: true },
  { method: 'GET', path: '/insights', allow: ['staff', 'staffProposer', 'reviewer', 'admin'] },
  { method: 'GET', path: '/insights.csv?table=step-outcomes', allow: ['staff', 'staffProposer', 'reviewer', 'admin'], resource: true },
  { method: 'GET', path: '/partners/1', allow: SIGNED_IN },
  { method: 'GET', path: '/proposals/:proposal/record', allow: VIEWERS },
  { method: 'GET', path: '/proposals/:proposal/record.json', allow: VIEWERS, resource: true },
  { method: 'GET', path: '/audit', allow: ['staff', 'staffProposer', 'reviewer', 'admin'] },
  { method: 'POST', path: '/audit', allow: ['staff', 'staffProposer', 'reviewer', 'admin'], ok: { status: 302, location: '/audit' }, form: () => ({}) },
  // "I'm reviewing this": staff who may decide it; the proposer, though staff, may not (four-eyes).
  {
    method: 'POST',
    path: '/review?index',
    allow: ['staff'],
    ok: { status: 302, location: '/review' },
    form: (ctx) => ({ intent: 'claim', proposal: String(ctx.proposal) }),
  },
  // Last: it approves :proposal. The proposer is staff too, and is still refused (four-eyes).
  {
    method: 'POST',
    path: '/review/:proposal',
    allow: ['staff'],
    ok: { status: 302, location: '/review' },
    form: (ctx) => ({ intent: 'approve', version: String(proposalRow(ctx.proposal)!.version), conditions: '', endDate: '', rationale: 'Matrix approval.' }),
  },
];

type Ctx = { proposal: number; approved: number; draft: number; user: number };
let ctx: Ctx;
let app: TestApp;
const cookies = new Map<Who, string>();

const fill = (path: string) =>
  path
    .replace(':proposal', String(ctx.proposal))
    .replace(':approved', String(ctx.approved))
    .replace(':draft', String(ctx.draft))
    .replace(':user', String(ctx.user));

function expected(row: Row, who: Who): Outcome {
  const special = row.only?.[who];
  if (special) return special;
  if (row.allow.includes(who)) {
    const ok = row.ok ?? { status: 200 };
    return ok.location ? { ...ok, location: fill(ok.location) } : ok;
  }
  if (who !== 'anonymous') return { status: 403 };
  // Anonymous: a page sends them to sign in and back; a form post is refused, saying nothing was saved.
  if (row.method === 'POST') return { status: 401 };
  const back = fill(row.path);
  return { status: 302, location: back === '/' ? '/login' : `/login?redirectTo=${encodeURIComponent(back)}` };
}

/** Makes the Chicago lead+staff account and a proposal by them that waits for staff. */
async function staffProposerWithProposal(): Promise<{ actor: ActingUser; proposal: () => number }> {
  const chicago = chapterByName('Chicago Local Group')!;
  const id = createUser({
    email: EMAIL.staffProposer,
    name: 'Jordan Both',
    passwordHash: await hashPassword(DEMO_PASSWORD),
    chapterId: chicago.id,
    roles: ['chapter_lead', 'staff'],
  });
  const actor: ActingUser = { id, name: 'Jordan Both', roles: ['chapter_lead', 'staff'], chapterId: chicago.id };
  const partners = Object.fromEntries(
    demoPartners.map((p) => [p.key, first(qb().selectFrom('partners').select('id').where('name', '=', p.name))!.id]),
  );
  // A full vetting, taken from the demo (it ends waiting for staff), proposed by this person.
  const plan = demoProposals.find((p) => p.key === 'vaccine_equity_forum')!;
  return { actor, proposal: () => runDemoProposal({ ...plan, decision: null, withdraw: undefined }, { [plan.proposerKey]: actor }, partners) };
}

let dual: Awaited<ReturnType<typeof staffProposerWithProposal>>;

beforeAll(async () => {
  dual = await staffProposerWithProposal();
  const byLeadOwn = (state: string) =>
    first(
      qb()
        .selectFrom('proposals as p')
        .innerJoin('mou_versions as m', 'm.proposal_id', 'p.id')
        .select('p.id')
        .where('p.state', '=', state)
        .where('p.proposer_id', '=', userByEmail(EMAIL.leadOwn)!.id),
    )!.id;
  const draft = first(
    qb().selectFrom('proposals').select('id').where('state', '=', 'draft').where('proposer_id', '=', userByEmail(EMAIL.leadOwn)!.id),
  )!;
  const spare = createUser({ email: 'spare@cosponsor.test', name: 'Spare Account', passwordHash: 'x', chapterId: null, roles: ['reviewer'] });
  ctx = { proposal: dual.proposal(), approved: byLeadOwn('approved'), draft: draft.id, user: spare };
  const stored = await storeUpload(bytesOf(EVIDENCE), 'matrix.pdf');
  if (!stored.ok) throw new Error(stored.message);
  saveStepDraft(ctx.draft, 'values', { ratings: { independence: { attachments: [{ ...stored.ref, effectiveDate: '2026-01-01' }] } } }, userByEmail(EMAIL.leadOwn)!.id);
  expect(proposalRow(ctx.proposal)).toMatchObject({ state: 'review', proposer_id: dual.actor.id });
  app = await startApp();
  for (const who of SIGNED_IN) cookies.set(who, await app.login(EMAIL[who as Exclude<Who, 'anonymous'>]));
});
afterAll(() => app.close());

const adminLogSize = () => all(qb().selectFrom('admin_log').select('id')).length;

describe('permission matrix', () => {
  for (const row of ROUTES) {
    for (const who of WHO) {
      const want = (): Outcome => expected(row, who);
      it(`${row.method} ${row.path} as ${who}`, async () => {
        const outcome = want();
        let cookie = cookies.get(who);
        if (row.freshSession && who !== 'anonymous') cookie = await app.login(EMAIL[who as Exclude<Who, 'anonymous'>]);
        const before = adminLogSize();
        const path = fill(row.path);
        const response =
          row.method === 'GET' ? await app.fetch(path, { cookie }) : await app.post(path, row.form?.(ctx) ?? {}, cookie);
        expect(response.status, `${row.method} ${path} as ${who}`).toBe(outcome.status);
        if (outcome.location !== undefined) expect(response.headers.get('location')).toBe(outcome.location);
        if (outcome.status === 403 && row.method === 'GET') {
          const body = await response.text();
          if (row.resource) expect(JSON.parse(body)).toHaveProperty('message');
          else expect(body).toContain('You do not have access to this');
        }
        if (row.logs) expect(adminLogSize() - before).toBe(outcome.status < 400 ? 1 : 0);
      });
    }
  }
});

describe('a refused download, followed from a browser', () => {
  const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
  for (const row of ROUTES.filter((r) => r.resource)) {
    // Only the people refused it: an allowed download is the file, whoever asks.
    for (const who of SIGNED_IN.filter((w) => !row.allow.includes(w) && !row.only?.[w])) {
      it(`${row.path} as ${who}: 403 as for a client, the reason on a page`, async () => {
        const response = await app.fetch(fill(row.path), { cookie: cookies.get(who), headers: { Accept: BROWSER_ACCEPT } });
        expect(response.status).toBe(403);
        expect(response.headers.get('content-type')).toMatch(/^text\/html/);
        const body = await response.text();
        expect(body).toContain('You do not have access to this');
        expect(body).toMatch(/<p role="alert">[^<]+<\/p>/);
      });
    }
  }
});

describe('the decision service enforces the same rules', () => {
  const staff = (email: string): ActingUser => {
    const u = userByEmail(email)!;
    return { id: u.id, name: u.name, roles: u.roles, chapterId: u.chapter_id };
  };
  const recordCount = () => all(qb().selectFrom('decision_records').select('seq')).length;
  const approve = (proposalId: number, actor: ActingUser) =>
    decide({
      proposalId,
      expectedVersion: proposalRow(proposalId)!.version,
      actor,
      command: { type: 'APPROVE', conditions: [], endDate: null, rationale: 'Looks fine.' },
    });

  it('refuses the proposer who is also staff, and writes nothing', () => {
    const id = dual.proposal();
    const [version, records] = [proposalRow(id)!.version, recordCount()];
    const result = approve(id, dual.actor);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe('forbidden');
    expect(result.error.message).toMatch(/You proposed this partnership/);
    expect(proposalRow(id)).toMatchObject({ state: 'review', version });
    expect(recordCount()).toBe(records);
  });

  it('refuses the staff member who made the last change, and lets another one decide', () => {
    const id = dual.proposal();
    const priya = staff(EMAIL.staff);
    const item = currentAgendaItems(id)[0]!;
    const classified = decide({
      proposalId: id,
      expectedVersion: proposalRow(id)!.version,
      actor: priya,
      command: { type: 'CLASSIFY_AGENDA_ITEM', itemId: item.id, classification: 'compatible', positionKey: null, rationale: 'Within mandate.' },
    });
    expect(classified.ok).toBe(true);
    expect(proposalRow(id)!.last_changed_by).toBe(priya.id);

    const records = recordCount();
    const refused = approve(id, priya);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.kind).toBe('forbidden');
      expect(refused.error.message).toMatch(/You made the last change/);
    }
    expect(recordCount()).toBe(records);

    const approved = approve(id, staff('staff2@cosponsor.test'));
    expect(approved.ok).toBe(true);
    expect(proposalRow(id)!.state).toBe('approved');
  });

  it('refuses people without the staff role', () => {
    const id = dual.proposal();
    for (const email of [EMAIL.leadOwn, EMAIL.reviewer, EMAIL.admin]) {
      const result = approve(id, staff(email));
      expect(result.ok ? 'ok' : result.error.kind).toBe('forbidden');
    }
    expect(proposalRow(id)!.state).toBe('review');
  });
});
