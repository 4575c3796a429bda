import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { all, first, qb } from '../../db/connection';
import { partnerById } from '../../db/partners';
import { proposalRow } from '../../db/proposals';
import { DESIGNATED_PARTNER_NAME, demoDesignationAnswer } from '../../db/seed-data/screening-fixtures';
import { deliverDueNotifications } from '../../app/jobs/outbox.server';
import { clauseOrigins } from '../../app/features/mou/mou.server';
import { originHref } from '../../app/features/mou/mou-document';
import { recordScreeningAnswer } from '../../app/features/outside/screening.server';
import { refreshScreeningBeforeDecision } from '../../app/features/review/review.server';
import { startApp, type TestApp } from '../support/app-server';
import { mockServer } from '../support/setup';
import { REGISTRY_BASE, registryFaults, registryOrganizations } from '../mocks/registry';
import { SCREENING_BASE, screeningFaults } from '../mocks/screening';
import { SLACK_URL, webhookReceiver } from '../mocks/webhooks';
import { campaignId, daysFromToday, newPartner, proposalInReview } from '../integration/review-fixtures';
import { fieldValue, find, visibleText } from '../support/html';

// The outside services as the pages use them, against the msw mocks: the app
// runs in this process, so its outgoing fetches are answered by the handlers.
// Each service reads its environment at call time, so a test switches it on
// by setting the variable.

const ENV = ['REGISTRY_LOOKUP', 'REGISTRY_BASE_URL', 'SCREENING_URL', 'SLACK_WEBHOOK_URL', 'OUTSIDE_TIMEOUT_MS', 'MOCKS'] as const;

let app: TestApp;
let lead: string;
let staff: string;
beforeAll(async () => {
  app = await startApp();
  lead = await app.login('lead@cosponsor.test');
  staff = await app.login('staff@cosponsor.test');
});
afterAll(() => app.close());
beforeEach(() => webhookReceiver.reset());
afterEach(() => {
  for (const key of ENV) delete process.env[key];
});

const registryOn = () => {
  process.env.REGISTRY_LOOKUP = 'on';
  process.env.REGISTRY_BASE_URL = REGISTRY_BASE;
};

async function page(path: string, cookie: string) {
  const response = await app.fetch(path, { cookie });
  return { status: response.status, html: await response.text() };
}

/** The visible text of a page, read through an HTML parser. */
const text = (html: string) => visibleText(html);

/** The value attribute of the input with this name. */
const inputValue = (html: string, name: string) => (find(html, `input[name="${name}"]`) ? fieldValue(html, name) : null);

const event = () => ({
  eventTitle: 'Letter-writing night for detained defenders',
  eventDate: daysFromToday(40),
  eventPlace: 'Public library, Chicago',
  eventDescription: 'Letters to human rights defenders in detention, with a short talk on the cases.',
  kind: 'co_listing',
  campaignId: String(campaignId('israel_opt')),
});

const createdId = (response: Response) => Number(response.headers.get('location')!.split('/').pop());

describe('registry lookup on the new-partner form', () => {
  // A fictional organization of the mock registry no demo partner resembles.
  const ithaca = registryOrganizations.find((o) => o.name === 'FRIENDS OF THE ITHACA PUBLIC LIBRARY')!;
  const ein9 = String(ithaca.ein).padStart(9, '0');
  const einFormatted = `${ein9.slice(0, 2)}-${ein9.slice(2)}`;
  const revenue = `$${ithaca.filings[0]![1].toLocaleString('en-US')}`;

  it('lists registry results and prefills the partner from the one chosen, then keeps its registry data', async () => {
    registryOn();
    const base = '/proposals/new?q=Ithaca+friends&new=1';
    const results = await page(`${base}&rq=Ithaca+library&rstate=NY`, lead);
    expect(results.status).toBe(200);
    const t = text(results.html);
    expect(t).toContain('Look up a US nonprofit');
    // The state field is a styled text field wide enough for its label, not a bare three-character box.
    const stateField = find(results.html, '#registry-state');
    expect(stateField?.getAttribute('type')).toBe('text');
    expect(stateField?.getAttribute('size')).toBeUndefined();
    expect(stateField?.parentNode?.classList.contains('field--state')).toBe(true);
    expect(t).toContain('FRIENDS OF THE ITHACA PUBLIC LIBRARY Ithaca NY');
    expect(t).toContain(`${einFormatted} ${ithaca.ntee}`);
    // "Use this" is a plain link carrying the whole query.
    expect(results.html).toContain(`ein=${ein9}`);
    expect(results.html).toMatch(/href="\/proposals\/new\?q=Ithaca\+friends&amp;new=1&amp;rq=Ithaca\+library&amp;rstate=NY&amp;ein=\d{9}/);

    // An EIN finds one organization, with its latest revenue.
    const byEin = text((await page(`${base}&rq=${einFormatted}`, lead)).html);
    expect(byEin).toContain(`FRIENDS OF THE ITHACA PUBLIC LIBRARY Ithaca NY ${einFormatted} ${ithaca.ntee} ${revenue} (2023-12)`);

    const chosen = await page(`${base}&rq=Ithaca+library&rstate=NY&ein=${ein9}`, lead);
    expect(text(chosen.html)).toContain('Filled in below from the registry');
    expect(inputValue(chosen.html, 'partnerName')).toBe('FRIENDS OF THE ITHACA PUBLIC LIBRARY');
    expect(inputValue(chosen.html, 'partnerCountry')).toBe('US');
    expect(inputValue(chosen.html, 'partnerEin')).toBe(einFormatted);
    expect(inputValue(chosen.html, 'registryEin')).toBe(einFormatted);
    const description = find(chosen.html, 'textarea[name="partnerDescription"]')?.text ?? '';
    expect(description).toContain('US nonprofit in Ithaca, NY');
    expect(description).toContain(`NTEE ${ithaca.ntee}`);
    expect(description).toContain(`latest revenue ${revenue} (2023-12)`);

    const created = await app.post(
      `${base}&ein=${ein9}`,
      {
        ...event(),
        partnerName: 'Friends of the Ithaca Public Library',
        partnerCountry: 'US',
        partnerEin: einFormatted,
        registryEin: einFormatted,
        partnerDescription: `${description}Volunteers who run the library's human rights reading group.`,
      },
      lead,
    );
    expect(created.status).toBe(302);
    const partner = partnerById(proposalRow(createdId(created))!.partner_id)!;
    expect(partner).toMatchObject({ name: 'Friends of the Ithaca Public Library', ein: einFormatted, country: 'US' });
    expect(JSON.parse(partner.registry!)).toMatchObject({
      source: 'ProPublica Nonprofit Explorer',
      ein: einFormatted,
      city: 'Ithaca',
      state: 'NY',
      nteeCode: ithaca.ntee,
      latestRevenue: ithaca.filings[0]![1],
      latestRevenuePeriod: '2023-12',
    });
    const profile = text((await page(`/partners/${partner.id}`, lead)).html);
    expect(profile).toContain(`NTEE code ${ithaca.ntee}`);
    expect(profile).toContain(`Latest revenue ${revenue}`);
  });

  it('keeps no registry data when the EIN was changed after choosing', async () => {
    registryOn();
    const created = await app.post(
      '/proposals/new?q=x&new=1',
      {
        ...event(),
        partnerName: 'Ithaca Readers for Rights',
        partnerCountry: 'US',
        partnerEin: '98-7654321',
        registryEin: einFormatted,
        partnerDescription: 'A reading group that writes letters for prisoners of conscience.',
      },
      lead,
    );
    expect(created.status).toBe(302);
    expect(partnerById(proposalRow(createdId(created))!.partner_id)).toMatchObject({ ein: '98-7654321', registry: null });
  });

  it('says clearly when the registry is down, and the form still works', async () => {
    registryOn();
    mockServer.use(registryFaults.status(503, { error: 'Service Unavailable' }));
    const down = await page('/proposals/new?q=Evanston&new=1&rq=Evanston+library&ein=200000000', lead);
    expect(down.status).toBe(200);
    const t = text(down.html);
    expect(t).toContain('The nonprofit registry (ProPublica) answered with an error (503: Service Unavailable). You can still enter the partner by hand below.');
    expect(t).toContain('Enter the partner by hand below.');
    expect(down.html).toContain('name="partnerName"');
    expect(inputValue(down.html, 'registryEin')).toBeNull();

    const created = await app.post(
      '/proposals/new?q=Evanston&new=1',
      { ...event(), partnerName: 'Evanston Letter Writers', partnerCountry: 'US', partnerDescription: 'Neighbors who write letters for prisoners of conscience.' },
      lead,
    );
    expect(created.status).toBe(302);
  });

  it('shows nothing of the registry when it is off', async () => {
    const { html } = await page('/proposals/new?q=Ithaca&new=1&rq=Ithaca', lead);
    expect(html).not.toContain('Look up a US nonprofit');
    expect(html).toContain('name="partnerName"');
  });
});

describe('screening at creation', () => {
  const screeningsOf = (proposalId: number) =>
    all(qb().selectFrom('screenings').selectAll().where('proposal_id', '=', proposalId).orderBy('id'));
  const bayyina = () => first(qb().selectFrom('partners').select('id').where('name', '=', DESIGNATED_PARTNER_NAME))!.id;

  it('screens the partner of a new proposal and stores the hit', async () => {
    process.env.SCREENING_URL = SCREENING_BASE;
    const partnerId = bayyina();
    const created = await app.post(`/proposals/new?partnerId=${partnerId}`, { ...event(), partnerId: String(partnerId) }, lead);
    expect(created.status).toBe(302);
    const [screening, ...more] = screeningsOf(createdId(created));
    expect(more).toEqual([]);
    expect(screening).toMatchObject({ stage: 'creation', status: 'hits', partner_id: partnerId, source: `${SCREENING_BASE} (dataset default)` });
    expect(JSON.parse(screening!.results)[0]).toMatchObject({ entityId: 'il-mod-terror-7f3a1c9e0b24d6e5', match: true });
  });

  it('stores "clear" for a partner on no list', async () => {
    process.env.SCREENING_URL = SCREENING_BASE;
    const created = await app.post(
      '/proposals/new?q=x&new=1',
      { ...event(), partnerName: 'Oak Park Vigil Circle', partnerCountry: 'US', partnerDescription: 'Neighbors who hold monthly vigils for peace.' },
      lead,
    );
    expect(created.status).toBe(302);
    expect(screeningsOf(createdId(created)).map((s) => s.status)).toEqual(['clear']);
  });

  it('never fails the creation: a screening error is stored and the redirect happens', async () => {
    process.env.SCREENING_URL = SCREENING_BASE;
    mockServer.use(screeningFaults.status(500, { detail: 'Internal Server Error' }));
    const partnerId = bayyina();
    const created = await app.post(`/proposals/new?partnerId=${partnerId}`, { ...event(), partnerId: String(partnerId) }, lead);
    expect(created.status).toBe(302);
    expect(screeningsOf(createdId(created))).toMatchObject([{ status: 'error', error: expect.stringContaining('Internal Server Error') }]);
  });

  it('does not wait for a slow service longer than the page allows', async () => {
    process.env.SCREENING_URL = SCREENING_BASE;
    process.env.OUTSIDE_TIMEOUT_MS = '8000';
    mockServer.use(screeningFaults.timeout());
    const partnerId = bayyina();
    const started = Date.now();
    const created = await app.post(`/proposals/new?partnerId=${partnerId}`, { ...event(), partnerId: String(partnerId) }, lead);
    expect(created.status).toBe(302);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('does not screen when screening is off', async () => {
    const partnerId = bayyina();
    const created = await app.post(`/proposals/new?partnerId=${partnerId}`, { ...event(), partnerId: String(partnerId) }, lead);
    expect(created.status).toBe(302);
    expect(screeningsOf(createdId(created))).toEqual([]);
  });
});

describe('screening in the staff dossier', () => {
  const case5 = () =>
    first(
      qb()
        .selectFrom('proposals as p')
        .innerJoin('partners as pa', 'pa.id', 'p.partner_id')
        .select(['p.id', 'p.version'])
        .where('pa.name', '=', DESIGNATED_PARTNER_NAME)
        .where('p.state', '=', 'review'),
    )!;

  it('shows case 5’s hit with its list, authority, date, score, entity id and the organization’s own context', async () => {
    const { status, html } = await page(`/review/${case5().id}`, staff);
    expect(status).toBe(200);
    const t = text(html);
    expect(t).toContain('Listed entities found');
    expect(t).toContain('against demo fixture');
    expect(t).toContain('List: Israel Terrorist Organization Designations (NBCTF)');
    expect(t).toContain('Authority: Minister of Defense of Israel');
    expect(t).toContain('Listed: Oct 22, 2021');
    expect(t).toContain('Match score 0.87');
    expect(t).toContain('Entity id: il-mod-terror-7f3a1c9e0b24d6e5');
    expect(t).toContain('A hit is information, not a verdict.');
    expect(t).toContain('The organization condemned those designations');
    expect(html).toContain('name="screeningAcknowledgement"');
  });

  it('screens again on schedule when the last check is a day old, and the dossier says so when the service fails', async () => {
    process.env.SCREENING_URL = SCREENING_BASE;
    const id = proposalInReview({ partnerId: newPartner('Dossier Rescreen Group'), title: 'Dossier rescreen evening' });
    const stale = new Date(Date.now() - 25 * 3_600_000).toISOString();
    recordScreeningAnswer({ partnerId: proposalRow(id)!.partner_id, proposalId: id, stage: 'creation', answer: demoDesignationAnswer, source: 'demo fixture', checkedAt: stale });
    const stages = () => all(qb().selectFrom('screenings').select(['stage', 'status']).where('proposal_id', '=', id).orderBy('id'));

    // Opening the dossier calls nothing and writes nothing.
    await page(`/review/${id}`, staff);
    expect(stages()).toEqual([{ stage: 'creation', status: 'hits' }]);

    mockServer.use(screeningFaults.status(500, { detail: 'Internal Server Error' }));
    // The scheduled sweep (server.ts) screens each proposal in review with this function.
    expect((await refreshScreeningBeforeDecision(proposalRow(id)!)).ran).toBe(true);
    const failed = await page(`/review/${id}`, staff);
    const t = text(failed.html);
    expect(t).toContain('Screening unavailable: The screening service answered with an error (500: Internal Server Error).');
    // The last answer the service gave is still what staff weigh, and deciding is open.
    expect(t).toContain('Listed entities found');
    expect(failed.html).toContain('name="screeningAcknowledgement"');
    expect(failed.html).not.toContain('data-testid="decision-refusal"');

    // A failed check is not repeated on every run...
    mockServer.resetHandlers();
    expect((await refreshScreeningBeforeDecision(proposalRow(id)!)).ran).toBe(false);
    expect(stages()).toEqual([
      { stage: 'creation', status: 'hits' },
      { stage: 'decision', status: 'error' },
    ]);
  });

  it('screens a never-screened proposal before the decision, not when the dossier is read', async () => {
    process.env.SCREENING_URL = SCREENING_BASE;
    const id = proposalInReview({ partnerId: newPartner('Dossier First Screen Group'), title: 'Dossier first screen evening' });
    const before = await page(`/review/${id}`, staff);
    expect(text(before.html)).toContain('This partner was not screened for this proposal.');
    expect(all(qb().selectFrom('screenings').select('id').where('proposal_id', '=', id))).toEqual([]);
    const decided = await app.post(`/review/${id}`, { intent: 'reject', version: String(proposalRow(id)!.version), rationale: 'The event date clashes with our own.' }, staff);
    expect(decided.status).toBe(302);
    expect(all(qb().selectFrom('screenings').select(['stage', 'status']).where('proposal_id', '=', id))).toEqual([{ stage: 'decision', status: 'clear' }]);
  });

  it('refuses a decision on case 5 with a short rationale and no acknowledgement by naming both at once, not one a round trip', async () => {
    const { id, version } = case5();
    const refused = await app.post(`/review/${id}`, { intent: 'reject', version: String(version), rationale: 'No.' }, staff);
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(text(find(html, '#reject-ack-error')?.innerHTML ?? '')).toContain('how you weighed the listing');
    expect(text(html)).toMatch(/rationale/i);
    expect(proposalRow(id)!.state).toBe('review');
  });

  it('refuses to approve case 5 without an acknowledgement, beside the field; with one it approves and records both', async () => {
    const { id, version } = case5();
    const form = { intent: 'approve', version: String(version), conditions: 'No payment to the partner.', endDate: '', rationale: 'The talk is on arbitrary detention.' };
    const refused = await app.post(`/review/${id}`, form, staff);
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(text(html)).toContain('This partner has screening hits: acknowledge them with your reasoning before deciding.');
    const beside = find(html, '#approve-ack-error')?.innerHTML ?? '';
    expect(text(beside)).toContain('how you weighed the listing (Israel Terrorist Organization Designations (NBCTF), 2021-10-22)');
    expect(html).toContain('No payment to the partner.</textarea>');
    expect(proposalRow(id)!.state).toBe('review');

    const acknowledgement = 'The only listing is the 2021 Israeli designation, of the kind the organization condemned; no evidence was made public.';
    const approved = await app.post(`/review/${id}`, { ...form, screeningAcknowledgement: acknowledgement }, staff);
    expect(approved.status).toBe(302);
    expect(proposalRow(id)!.state).toBe('approved');
    const record = first(
      qb().selectFrom('decision_records').select('inputs').where('proposal_id', '=', id).where('step', '=', 'decision').orderBy('seq', 'desc'),
    )!;
    const inputs = JSON.parse(record.inputs) as { judged: { screening: unknown; screeningAcknowledgement: string } };
    expect(inputs.judged.screeningAcknowledgement).toBe(acknowledgement);
    expect(inputs.judged.screening).toMatchObject({
      status: 'hits',
      source: 'demo fixture',
      hits: [{ entityId: 'il-mod-terror-7f3a1c9e0b24d6e5', authority: 'Minister of Defense of Israel', listedOn: '2021-10-22', score: 0.87 }],
    });
  });
});

describe('/admin/deliveries', () => {
  it('lists a delivered notification with its attempt, and which services are on', async () => {
    process.env.SLACK_WEBHOOK_URL = SLACK_URL;
    const admin = await app.login('admin@cosponsor.test');
    const id = proposalInReview({ partnerId: newPartner('Deliveries Route Group'), title: 'Deliveries route evening' });
    const approved = await app.post(
      `/review/${id}`,
      { intent: 'approve', version: String(proposalRow(id)!.version), conditions: '', endDate: '', rationale: 'Sound vetting.' },
      staff,
    );
    expect(approved.status).toBe(302);
    const before = text((await page('/admin/deliveries', admin)).html);
    expect(before).toMatch(/Slack proposal\.approved \S+ · record #\d+ cosponsor-\d+-slack .* Waiting/);

    const report = await deliverDueNotifications(new Date(Date.now() + 1000));
    expect(report.delivered).toBeGreaterThanOrEqual(1);
    expect(webhookReceiver.unique().some((d) => d.channel === 'slack' && d.body.includes('Deliveries route evening'))).toBe(true);

    const { status, html } = await page('/admin/deliveries', admin);
    expect(status).toBe(200);
    const t = text(html);
    const seq = first(qb().selectFrom('decision_records').select('seq').where('proposal_id', '=', id).where('step', '=', 'decision'))!.seq;
    const row = t.split(`record #${seq}`)[1]!.slice(0, 200);
    expect(row).toContain(`cosponsor-${seq}-slack`);
    expect(row).toContain('Delivered');
    expect(t).toMatch(new RegExp(`OK HTTP 200 \\d+ ms`));
    expect(t).toContain('Slack-compatible webhook On https://slack.mock');
    expect(t).toContain('Signed JSON webhook Off');
    expect(t).toContain('Registry lookup (US nonprofits) Off');
    // The Slack webhook's path is its secret: never shown.
    expect(html).not.toContain('B0000MOCK');
    expect(html).toContain('href="/admin/deliveries"');
  });
});

describe('anchors the MOU clause provenance links point to', () => {
  it('every origin link of the demo MOUs lands on an element with that id', async () => {
    const withMou = all(qb().selectFrom('mou_versions').select('proposal_id').distinct());
    const links = withMou.flatMap(({ proposal_id }) => Object.values(clauseOrigins(proposal_id)).map((o) => originHref(proposal_id, o)));
    const kinds = new Set(links.map((l) => (l.includes('/steps/perception') ? 'perception' : l.includes('/steps/risk') ? 'risk' : 'record')));
    expect([...kinds].sort()).toEqual(['perception', 'record', 'risk']);
    const pages = new Map<string, string>();
    for (const link of links) {
      const [path, anchor] = link.split('#') as [string, string];
      if (!pages.has(path)) pages.set(path, (await page(path, staff)).html);
      expect(pages.get(path), link).toContain(`id="${decodeURIComponent(anchor)}"`);
    }
  });
});
