import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeConfig } from '../../db/config';
import { proposalRow, stepDraft } from '../../db/proposals';
import { recordsOfProposal } from '../../db/decision-log';
import { decide, createProposal } from '../../app/features/vetting/vetting.server';
import { actor, ALIGNED_ITEM, campaignId, CRITERIA, daysFromToday, newPartner } from '../integration/review-fixtures';
import { startApp, type TestApp } from '../support/app-server';
import { find, parseHtml, visibleText } from '../support/html';
import { formatDateTime } from '../../app/utils/labels';

// The step forms from the browser's post to the record: one shape all the way.

process.env.THROTTLE_DELAY_STEP_MS = '0';

let app: TestApp;
let lead: string;
beforeAll(async () => {
  app = await startApp();
  lead = await app.login('lead@cosponsor.test');
});
afterAll(() => app.close());

function proposalAtRisk(): number {
  const who = actor('lead@cosponsor.test');
  const { id } = createProposal(who, {
    partnerId: newPartner(`Step forms ${Math.random()}`),
    campaignId: campaignId('israel_opt'),
    eventTitle: 'Step forms teach-in',
    eventDate: daysFromToday(40),
    eventPlace: 'Community hall',
    eventDescription: 'An evening teach-in with the partner group.',
    kind: 'co_listing',
  });
  const send = (command: unknown) => {
    const r = decide({ proposalId: id, expectedVersion: proposalRow(id)!.version, actor: who, command });
    if (!r.ok) throw new Error(r.error.message);
  };
  send({ type: 'SUBMIT_PROPOSAL' });
  const ratings: Record<string, { rating: string; evidence: string; links: string[] }> = {};
  for (const key of CRITERIA) ratings[key] = { rating: 'meets', evidence: 'Checked the public record.', links: [] };
  send({ type: 'SUBMIT_VALUES', input: { ratings } });
  send({ type: 'SUBMIT_AGENDA', input: { items: [ALIGNED_ITEM] } });
  return id;
}

const post = (pathname: string, fields: Record<string, string>) =>
  app.fetch(pathname, {
    method: 'POST',
    body: new URLSearchParams(fields).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    cookie: lead,
  });

const riskFields = (id: number): Record<string, string> => ({
  version: String(proposalRow(id)!.version),
  'items[0].kind': 'risk',
  'items[0].category': 'reputation',
  'items[0].description': '  Press may misread the event.  ',
  'items[0].likelihood': '3',
  'items[0].impact': '4',
  'items[0].mitigation': 'A joint statement on the day.',
  'items[0].residualLikelihood': '2',
  'items[0].residualImpact': '2',
  'items[1].kind': 'benefit',
  'items[1].category': 'mission_impact',
  'items[1].description': 'Reaches new students.',
  'items[1].likelihood': '4',
  'items[1].impact': '4',
});

describe('the risk form', () => {
  it('records exactly the inputs shape records have always had', async () => {
    const id = proposalAtRisk();
    const response = await post(`/proposals/${id}/steps/risk`, { ...riskFields(id), intent: 'submit' });
    expect(response.status).toBe(302);
    const record = recordsOfProposal(id).find((r) => r.step === 'risk')!;
    expect((JSON.parse(record.inputs) as { command: { input: unknown } }).command.input).toEqual({
      items: [
        {
          kind: 'risk',
          category: 'reputation',
          description: 'Press may misread the event.',
          likelihood: 3,
          impact: 4,
          mitigation: 'A joint statement on the day.',
          residualLikelihood: 2,
          residualImpact: 2,
        },
        {
          kind: 'benefit',
          category: 'mission_impact',
          description: 'Reaches new students.',
          likelihood: 4,
          impact: 4,
          mitigation: null,
          residualLikelihood: null,
          residualImpact: null,
        },
      ],
    });
  });

  it('refuses a residual score above the inherent one beside the field, writing nothing', async () => {
    const id = proposalAtRisk();
    const before = recordsOfProposal(id).length;
    const response = await post(`/proposals/${id}/steps/risk`, { ...riskFields(id), 'items[0].residualImpact': '5', 'items[0].residualLikelihood': '5', intent: 'submit' });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(visibleText(find(html, '#f-items-0-residualImpact-error') ?? '')).toContain('cannot be above the inherent score (12)');
    expect(recordsOfProposal(id).length).toBe(before);
  });

  it('takes only the plain digits the scale selects send, refusing 0x3, 3e0, +3 and " 3" beside the field', async () => {
    const id = proposalAtRisk();
    const before = recordsOfProposal(id).length;
    const fields = ['likelihood', 'impact', 'residualLikelihood', 'residualImpact'] as const;
    for (const typed of ['0x3', '3e0', '+3', ' 3', '3.0', '03']) {
      for (const field of fields) {
        const response = await post(`/proposals/${id}/steps/risk`, { ...riskFields(id), [`items[0].${field}`]: typed, intent: 'submit' });
        expect(response.status, `${field}=${JSON.stringify(typed)}`).toBe(400);
        const html = await response.text();
        expect(visibleText(find(html, `#f-items-0-${field}-error`) ?? ''), `${field}=${JSON.stringify(typed)}`).toContain('Choose a value from 1 to 5.');
        // What was typed stays with the form: the select shows no choice rather than a 3.
        expect(parseHtml(html).querySelector(`select[name="items[0].${field}"] option[selected]`)).toBeNull();
      }
    }
    expect(recordsOfProposal(id).length).toBe(before);
    // Checking the outcome keeps the text exactly as it arrived in the draft, and the
    // preview scores it as the select shows it: nothing chosen, so no score.
    const check = await post(`/proposals/${id}/steps/risk`, { ...riskFields(id), 'items[0].likelihood': '0x3', intent: 'check' });
    expect(check.status).toBe(200);
    const scores = parseHtml(await check.text()).querySelectorAll('.score-line').map((p) => visibleText(p.toString()));
    expect(scores[0]).toContain('Choose a likelihood and an impact to see the score.');
    expect(scores[1]).toContain('Score 4 × 4 = 16');
    expect(JSON.stringify(stepDraft(id, 'risk')!.data)).toContain('"likelihood":"0x3"');
  });

  it('“Update the outcome” keeps the work as a draft, and the page says when it was saved', async () => {
    const id = proposalAtRisk();
    const response = await post(`/proposals/${id}/steps/risk`, { ...riskFields(id), intent: 'check' });
    expect(response.status).toBe(200);
    const draft = stepDraft(id, 'risk');
    expect(draft).toBeDefined();
    expect(JSON.stringify(draft!.data)).toContain('A joint statement on the day.');
    const page = await app.fetch(`/proposals/${id}/steps/risk`, { cookie: lead });
    const note = visibleText(find(await page.text(), '.source-note') ?? '');
    expect(note).toContain(`Continuing your draft saved ${formatDateTime(draft!.saved_at)}`);
  });
});

describe('the MOU template’s section buttons', () => {
  it('add and remove sections with plain submit buttons, keeping what was typed and saving nothing', async () => {
    const admin = await app.login('admin@cosponsor.test');
    const { docs, versions } = activeConfig();
    const html = await (await app.fetch('/admin/config/mou', { cookie: admin })).text();
    const doc = parseHtml(html);
    const add = doc.querySelectorAll('button').find((b) => visibleText(b.toString()).includes('Add a section'))!;
    expect(add.getAttribute('type')).toBe('submit');

    const fields: Record<string, string> = { baseVersion: String(versions.mou_template), note: 'Typed but not saved.' };
    docs.mou_template.sections.forEach((s, i) => {
      fields[`sections[${i}].key`] = s.key;
      fields[`sections[${i}].title`] = s.title;
      fields[`sections[${i}].body`] = i === 0 ? 'An edited first section.' : s.body;
    });
    const added = await app.post('/admin/config/mou', { ...fields, [add.getAttribute('name')!]: add.getAttribute('value')! }, admin);
    expect(added.status).toBe(200);
    const afterAdd = parseHtml(await added.text());
    const count = docs.mou_template.sections.length;
    expect(afterAdd.querySelectorAll('fieldset[data-section]').length).toBe(count + 1);
    expect(afterAdd.querySelector('textarea[name="sections[0].body"]')!.textContent).toBe('An edited first section.');
    const fresh = afterAdd.querySelectorAll('fieldset[data-section]').find((f) => f.getAttribute('data-section')!.startsWith('section_'))!;
    expect(fresh).toBeDefined();

    const remove = fresh.querySelectorAll('button').find((b) => visibleText(b.toString()).includes('Remove section'))!;
    const sent: Record<string, string> = { baseVersion: String(versions.mou_template), note: 'Typed but not saved.' };
    afterAdd.querySelectorAll('input[name^="sections["], textarea[name^="sections["]').forEach((el) => {
      sent[el.getAttribute('name')!] = el.tagName === 'TEXTAREA' ? el.textContent : (el.getAttribute('value') ?? '');
    });
    const removed = await app.post('/admin/config/mou', { ...sent, [remove.getAttribute('name')!]: remove.getAttribute('value')! }, admin);
    const afterRemove = parseHtml(await removed.text());
    expect(afterRemove.querySelectorAll('fieldset[data-section]').length).toBe(count);
    expect(afterRemove.querySelector('textarea[name="sections[0].body"]')!.textContent).toBe('An edited first section.');
    expect(activeConfig().versions.mou_template).toBe(versions.mou_template);
  });
});
