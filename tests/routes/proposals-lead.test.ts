import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listProposals, proposalRow, stepDraft } from '../../db/proposals';
import { activeConfig } from '../../db/config';
import { findPartnerCandidates, partnerById, publicPositionsOf } from '../../db/partners';
import { computeSteps } from '../../app/features/vetting/proposal-view.server';
import { formKey } from '../../app/features/vetting/step-forms';
import { mapFieldErrors } from '../../app/features/vetting/proposals.server';
import { startApp, type TestApp } from '../support/app-server';
import { find, parseHtml, visibleText } from '../support/html';

// The chapter lead's pages over HTTP, without a browser: what the server answers
// to plain form posts (the same posts a browser makes with JavaScript off).

let app: TestApp;
let lead: string;
beforeAll(async () => {
  app = await startApp();
  lead = await app.login('lead@cosponsor.test');
});
afterAll(() => app.close());

const chicagoDraft = () => listProposals({ states: ['draft'] }).find((p) => p.chapter_name === 'Chicago Local Group')!;

describe('/proposals', () => {
  it('groups the chapter’s proposals by what needs the lead, and shows no other chapter’s', async () => {
    const html = await (await app.fetch('/proposals', { cookie: lead })).text();
    for (const group of ['Changes requested', 'Drafts', 'In progress', 'Waiting for staff', 'Decided']) expect(html).toContain(group);
    expect(html).toContain(chicagoDraft().event_title.replace(/"/g, '&quot;'));
    const bay = listProposals().find((p) => p.chapter_name === 'Bay Area Chapter')!;
    expect(html).not.toContain(bay.reference);
  });

  it('refuses another chapter’s lead the proposal page', async () => {
    const lead2 = await app.login('lead2@cosponsor.test');
    const response = await app.fetch(`/proposals/${chicagoDraft().id}`, { cookie: lead2 });
    expect(response.status).toBe(403);
  });
});

describe('/proposals/new', () => {
  it('offers the known partner (with its history) before creating a near-duplicate', async () => {
    const known = findPartnerCandidates('Lakeshore University Students for Palestinian Rights')[0]!;
    const event = {
      eventTitle: 'Film night on the Nakba',
      eventDate: '2027-02-01',
      eventPlace: 'Lakeshore University, Chicago',
      eventDescription: 'A screening and a discussion of refugees’ right of return.',
      kind: 'co_listing',
      campaignId: '1',
    };
    const refused = await app.post(
      '/proposals/new?q=x&new=1',
      { ...event, partnerName: 'The Lakeshore University Students for Palestinian Rights, Inc.', partnerCountry: 'US', partnerDescription: 'A student group on campus.' },
      lead,
    );
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain('very similar name is already known');
    expect(html).toContain(known.name);
    expect(html).toContain('Past proposals with this partner');
    const before = listProposals().length;

    const chosen = await app.post(`/proposals/new?partnerId=${known.id}`, { ...event, partnerId: String(known.id) }, lead);
    expect(chosen.status).toBe(302);
    expect(chosen.headers.get('location')).toMatch(/^\/proposals\/\d+$/);
    const created = proposalRow(Number(chosen.headers.get('location')!.split('/').pop()))!;
    expect(created.partner_id).toBe(known.id);
    expect(created.state).toBe('draft');
    expect(listProposals().length).toBe(before + 1);
  });

  it('records a new partner as publicly supporting BDS from the box the form offers, keeps it ticked when refused, and says so after', async () => {
    const name = 'Eastside Boycott Collective';
    const form = await (await app.fetch(`/proposals/new?q=${encodeURIComponent(name)}&new=1`, { cookie: lead })).text();
    const label = parseHtml(form)
      .querySelectorAll('label.checkbox')
      .find((l) => visibleText(l).includes('Publicly supports BDS (boycott, divestment, sanctions)'));
    const box = label?.querySelector('input[type="checkbox"]');
    expect(box).toBeTruthy();
    const tick = { [box!.getAttribute('name')!]: box!.getAttribute('value') ?? 'on' };

    const refused = await app.post('/proposals/new?q=x&new=1', { partnerName: name, ...tick }, lead);
    expect(refused.status).toBe(400);
    expect(parseHtml(await refused.text()).querySelector(`input[type="checkbox"][name="${box!.getAttribute('name')}"]`)?.hasAttribute('checked')).toBe(true);

    const event = { eventTitle: 'Teach-in', eventDate: '2027-03-01', eventPlace: 'Eastside Library, Chicago', eventDescription: 'A teach-in on home demolitions.', kind: 'co_listing', campaignId: '1' };
    const created = await app.post('/proposals/new?q=x&new=1', { ...event, partnerName: name, partnerCountry: 'US', partnerDescription: 'A neighbourhood group.', ...tick }, lead);
    expect(created.status).toBe(302);
    const partner = partnerById(proposalRow(Number(created.headers.get('location')!.split('/').pop()))!.partner_id)!;
    // The tag the agenda rule looks for.
    expect(publicPositionsOf(partner)).toEqual(['supports_bds']);

    const chosen = visibleText(await (await app.fetch(`/proposals/new?partnerId=${partner.id}`, { cookie: lead })).text());
    expect(chosen).toContain(`${name} · US · publicly supports BDS`);
    const found = parseHtml(await (await app.fetch(`/proposals/new?q=${encodeURIComponent(name)}`, { cookie: lead })).text())
      .querySelectorAll('.candidate')
      .find((c) => visibleText(c).includes(name));
    expect(visibleText(found!)).toContain('Supports BDS');
    // Unticked, nothing is recorded.
    const plain = await app.post('/proposals/new?q=x&new=1', { ...event, partnerName: 'Westside Reading Circle', partnerCountry: 'US', partnerDescription: 'A book club.' }, lead);
    expect(publicPositionsOf(partnerById(proposalRow(Number(plain.headers.get('location')!.split('/').pop()))!.partner_id)!)).toEqual([]);
  });

  it('keeps what was typed and names each missing field', async () => {
    const response = await app.post('/proposals/new?q=x&new=1', { partnerName: 'Riverside Friends', eventTitle: 'Vigil' }, lead);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('value="Riverside Friends"');
    expect(html).toContain('Give the country the group works in.');
    expect(html).toContain('Choose the event date.');
    expect(html).toMatch(/id="f-eventDate"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="f-eventDate"/);
  });
});

describe('editing a draft', () => {
  it('saves the details with the version seen, and calls an older version stale', async () => {
    const draft = chicagoDraft();
    const form = {
      version: String(draft.version),
      eventTitle: 'Screening and discussion: Close Guantanamo now',
      eventDate: draft.event_date,
      eventPlace: draft.event_place,
      eventDescription: draft.event_description,
      kind: 'co_hosting',
      campaignId: String(draft.campaign_id),
    };
    const saved = await app.post(`/proposals/${draft.id}/edit`, form, lead);
    expect(saved.status).toBe(302);
    expect(proposalRow(draft.id)!.event_title).toBe('Screening and discussion: Close Guantanamo now');
    expect(proposalRow(draft.id)!.kind).toBe('co_hosting');

    const stale = await app.post(`/proposals/${draft.id}/edit`, { ...form, eventTitle: 'Another title' }, lead);
    expect(stale.status).toBe(409);
    const html = await stale.text();
    expect(html).toContain('This proposal was changed after you opened this page, by someone else or by you in another tab.');
    expect(html).toContain('value="Another title"');
    expect(proposalRow(draft.id)!.event_title).toBe('Screening and discussion: Close Guantanamo now');
  });
});

describe('step forms', () => {
  it('refuses a values submit with a missing rating beside the field, keeps the input, and saves drafts', async () => {
    const draft = chicagoDraft();
    const submitted = await app.post(`/proposals/${draft.id}?index`, { intent: 'submit', version: String(proposalRow(draft.id)!.version) }, lead);
    expect(submitted.status).toBe(302);
    expect(submitted.headers.get('location')).toBe(`/proposals/${draft.id}/steps/values`);
    const version = String(proposalRow(draft.id)!.version);

    const missing = await app.post(
      `/proposals/${draft.id}/steps/values`,
      { version, intent: 'submit', 'ratings.independence.rating': 'meets', 'ratings.independence.evidence': 'No party ties at all.' },
      lead,
    );
    expect(missing.status).toBe(400);
    const html = await missing.text();
    expect(html).toContain('id="f-ratings-transparency-rating-error"');
    expect(html).toContain('Rate “Transparency”');
    expect(html).toContain('No party ties at all.');
    expect(proposalRow(draft.id)!.state).toBe('values');

    const saved = await app.post(
      `/proposals/${draft.id}/steps/values`,
      { version, intent: 'save-draft', 'ratings.independence.rating': 'concern', 'ratings.independence.evidence': 'Kept for later.' },
      lead,
    );
    expect(saved.status).toBe(302);
    expect(stepDraft(draft.id, 'values')!.data).toMatchObject({ ratings: { independence: { rating: 'concern', evidence: 'Kept for later.' } } });
    const page = await (await app.fetch(`/proposals/${draft.id}/steps/values`, { cookie: lead })).text();
    expect(page).toContain('Kept for later.');
    expect(page).toContain('Continuing your draft');
  });

  it('searches the positions catalog on the agenda step without JavaScript, keeping what was typed', async () => {
    const chicago = listProposals().filter((p) => p.chapter_name === 'Chicago Local Group');
    let draft = chicago.find((p) => p.state === 'agenda');
    if (!draft) {
      // Submit the values step of a Chicago proposal at that step, to reach the agenda step.
      draft = chicago.find((p) => p.state === 'values')!;
      const ratings = Object.fromEntries(
        activeConfig().docs.values_criteria.criteria.flatMap((c) => [
          [`ratings.${c.key}.rating`, 'meets'],
          [`ratings.${c.key}.evidence`, 'Checked on the group’s public pages.'],
        ]),
      );
      const values = await app.post(`/proposals/${draft.id}/steps/values`, { ...ratings, intent: 'submit', version: String(proposalRow(draft.id)!.version) }, lead);
      expect(values.status).toBe(302);
    }
    expect(proposalRow(draft.id)!.state).toBe('agenda');
    const section = (page: string) => find(page, 'section.position-search')?.outerHTML ?? '';
    const url = `/proposals/${draft.id}/steps/agenda`;
    const version = String(proposalRow(draft.id)!.version);
    const typed = {
      version,
      'items[0].text': 'Stop the demolition of homes in Masafer Yatta',
      'items[0].scope': 'event',
      'items[0].classification': 'aligned',
      'items[0].positionKey': '',
    };
    const found = await app.post(url, { ...typed, intent: 'search-positions', positionSearch: 'Démolition' }, lead);
    expect(found.status).toBe(200);
    const html = await found.text();
    expect(html).toContain('Stop the demolition of homes in Masafer Yatta');
    expect(html).toContain('value="Démolition"');
    const results = section(html);
    expect(results).toContain('Cancel all orders for forced evictions and home demolitions against Palestinians');
    expect(results).toContain('cancel_evictions_demolitions');
    expect(results).toContain('Calls for');
    expect(results).not.toContain('takes no position on the Boycott, Divestment and Sanctions (BDS) movement');
    expect(results).not.toContain('bds_movement');
    expect(results).toMatch(/\d+ positions? match(es)? “Démolition”/);
    expect(stepDraft(draft.id, 'agenda')!.data).toMatchObject({ items: [{ text: 'Stop the demolition of homes in Masafer Yatta' }] });

    const none = await app.post(url, { ...typed, intent: 'search-positions', positionSearch: 'demolition zzzunknownword' }, lead);
    expect(none.status).toBe(200);
    const noneHtml = await none.text();
    expect(noneHtml).toContain('No positions match “demolition zzzunknownword”.');
    expect(noneHtml).toContain('Stop the demolition of homes in Masafer Yatta');
    expect(section(noneHtml)).not.toContain('Cancel all orders for forced evictions and home demolitions against Palestinians');
  });

  it('says the perception review is not applicable, and why, when nothing calls for it', async () => {
    const target = listProposals().find((p) => p.perception_required === 0 && ['review', 'approved', 'rejected'].includes(p.state))!;
    const cookie = await app.login('reviewer@cosponsor.test');
    const html = await (await app.fetch(`/proposals/${target.id}/steps/perception`, { cookie })).text();
    expect(html).toContain('Not applicable');
    expect(html).toContain('no perception-sensitive agenda item');
  });
});

describe('helpers', () => {
  it('maps the service’s field paths onto form field names', () => {
    expect(formKey('input.items.2.residualImpact')).toBe('items[2].residualImpact');
    expect(formKey('ratings.independence.rating')).toBe('ratings.independence.rating');
    expect(mapFieldErrors({ 'items.0.positionKey': ['x'], 'input.items.0.positionKey': ['y'] })).toEqual({ 'items[0].positionKey': ['x', 'y'] });
  });

  it('computes the stepper from the records: done, skipped with the rule, current, returned, to come', () => {
    const ctx = {
      proposerId: 1,
      lastChangedById: 1,
      perceptionRequired: false,
      perceptionReasons: [],
      recommendReject: [],
      returnedTo: null,
      mouNotNeededReason: null,
      mouRequired: false,
      transitions: [],
    };
    const records = [
      { step: 'values', outcome: 'compatible', rationale: '' },
      { step: 'agenda', outcome: 'aligned', rationale: '' },
      { step: 'risk', outcome: 'benefits_outweigh', rationale: '' },
      { step: 'perception', outcome: 'not_applicable', rationale: 'Perception review not required' },
    ];
    const atMou = computeSteps(7, 'mou', ctx, records, true);
    expect(atMou.map((s) => s.status)).toEqual(['done', 'done', 'done', 'skipped', 'current']);
    expect(atMou[3]!.reason).toBe('Perception review not required');
    expect(atMou[0]!.href).toBe('/proposals/7/steps/values');
    const sentBack = computeSteps(7, 'agenda', { ...ctx, returnedTo: 'agenda' }, records, true);
    expect(sentBack.map((s) => s.status)).toEqual(['done', 'returned', 'todo', 'todo', 'todo']);
    expect(sentBack[2]!.reason).toBe('To be submitted again.');
  });
});
