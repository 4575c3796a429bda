import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proposalRow } from '../../db/proposals';
import { startApp, type TestApp } from '../support/app-server';
import { newPartner, proposalInReview } from '../integration/review-fixtures';
import { proposalAt } from '../integration/step-fixtures';
import { find, parseHtml, visibleText } from '../support/html';
import { demoDesignationAnswer } from '../../db/seed-data/screening-fixtures';
import { recordScreeningAnswer } from '../../app/features/outside/screening.server';

// What the pages say about a proposal, read as a person reads them: no verdict on a form
// nobody filled in, no raw placeholders, no internal codes, the risk badge and its sentence
// agreeing, past event dates called out, required fields and limits marked.

let app: TestApp;
let lead: string;
let staff: string;
beforeAll(async () => {
  app = await startApp();
  lead = await app.login('lead@cosponsor.test');
  staff = await app.login('staff@cosponsor.test');
});
afterAll(() => app.close());

async function page(path: string, cookie: string) {
  const response = await app.fetch(path, { cookie });
  const html = await response.text();
  return { status: response.status, html, text: visibleText(html) };
}

/** The live outcome panel's text. */
const outcomeOf = (html: string) => visibleText(find(html, '#outcome')!);

describe('untouched step forms give no verdict', () => {
  it('values: "Not determined yet" before any rating', async () => {
    const id = proposalAt('values', 'Untouched values evening');
    const outcome = outcomeOf((await page(`/proposals/${id}/steps/values`, lead)).html);
    expect(outcome).toContain('Not determined yet');
    expect(outcome).not.toMatch(/Compatible/);
  });

  it('agenda: "Not determined yet" with no items', async () => {
    const id = proposalAt('agenda', 'Untouched agenda evening');
    const outcome = outcomeOf((await page(`/proposals/${id}/steps/agenda`, lead)).html);
    expect(outcome).toContain('Not determined yet');
    expect(outcome).not.toMatch(/Aligned/);
  });

  it('risk: "Not determined yet" with nothing scored', async () => {
    const id = proposalAt('risk', 'Untouched risk evening');
    const outcome = outcomeOf((await page(`/proposals/${id}/steps/risk`, lead)).html);
    expect(outcome).toContain('Not determined yet');
    expect(outcome).not.toMatch(/Needs staff acceptance|0 = 0/);
  });

  it('perception: "Not determined yet" with every item unanswered', async () => {
    const id = proposalAt('perception', 'Untouched perception evening');
    const outcome = outcomeOf((await page(`/proposals/${id}/steps/perception`, lead)).html);
    expect(outcome).toContain('Not determined yet');
    expect(outcome).not.toMatch(/No perception risk/);
  });
});

describe('template placeholders', () => {
  it('no page of a proposal with perception conditions shows {{', async () => {
    const atStep = proposalAt('perception', 'Placeholder step evening');
    const stepPage = await page(`/proposals/${atStep}/steps/perception`, lead);
    expect(stepPage.status).toBe(200);
    expect(stepPage.text).toContain('If made a condition');
    expect(stepPage.text).not.toContain('{{');
    expect(stepPage.text).toContain('Placeholder step evening Group');

    const partnerId = newPartner('Placeholder Conditions Group', ['supports_bds']);
    const id = proposalInReview({ partnerId, perceptionConditions: 3, mou: 'draft', title: 'Placeholder review evening' });
    const paths: [string, string][] = [
      [`/proposals/${id}`, lead],
      [`/proposals/${id}/steps/values`, lead],
      [`/proposals/${id}/steps/agenda`, lead],
      [`/proposals/${id}/steps/risk`, lead],
      [`/proposals/${id}/steps/perception`, lead],
      [`/proposals/${id}/steps/mou`, lead],
      [`/proposals/${id}/record`, lead],
      [`/proposals/${id}/mou/versions`, lead],
      [`/proposals/${id}/mou/print`, lead],
      [`/review/${id}`, staff],
      ['/review', staff],
      [`/partners/${partnerId}`, staff],
      ['/decisions', staff],
    ];
    for (const [path, cookie] of paths) {
      const { status, html } = await page(path, cookie);
      expect(status, path).toBe(200);
      // The record's exact JSON is what the log hashes: it stays as recorded (the template text judged).
      const root = parseHtml(html);
      for (const exact of root.querySelectorAll('pre.record-json')) exact.remove();
      const text = visibleText(root);
      expect(text, path).not.toContain('{{');
      expect(text, path).not.toContain('}}');
    }
    const dossier = find((await page(`/review/${id}`, staff)).html, '[data-testid="perception-conditions"]')!;
    expect(visibleText(dossier)).toContain('Placeholder Conditions Group');
  });
});

describe('risk wording', () => {
  it('the dossier badge and its sentence agree, and benefit cells are never called critical', async () => {
    // A critical residual risk (5x5) against a benefit of 16: the badge says staff must accept.
    const id = proposalInReview({ partnerId: newPartner('Risk Wording Group'), residual: [5, 5], title: 'Risk wording evening' });
    const { html } = await page(`/review/${id}`, staff);
    const section = find(html, '#step-risk')!;
    const lead = visibleText(section.querySelector('p')!);
    expect(lead).toContain('Needs staff acceptance');
    expect(lead).not.toMatch(/outweigh/);
    expect(lead).toMatch(/close margin of [\d.]+ \(20% of the larger sum, \d+\)/);
    const rows = section.querySelectorAll('tbody tr').map((r) => visibleText(r));
    const benefit = rows.find((r) => r.includes('Benefit'))!;
    expect(benefit).toMatch(/^\s*B1 /);
    expect(benefit).not.toMatch(/critical/i);
    expect(benefit).toContain('large benefit');
    expect(rows.find((r) => r.includes('Risk'))!).toMatch(/^\s*R1 /);
  });

  it('the risk step numbers markers as its headings do', async () => {
    const id = proposalInReview({ partnerId: newPartner('Risk Markers Group'), title: 'Risk markers evening' });
    const { html } = await page(`/proposals/${id}/steps/risk`, lead);
    const legends = parseHtml(html).querySelectorAll('legend.item-row__legend').map((l) => visibleText(l).trim());
    expect(legends[0]).toMatch(/^R1 Risk 1/);
    expect(legends[1]).toMatch(/^B1 Benefit 1/);
    expect(visibleText(find(html, '#outcome')!)).toContain('% of the larger one');
  });
});

describe('past event dates', () => {
  it('warns the lead on the proposal, flags the queue and the dossier, and leaves "Approved until" empty', async () => {
    const id = proposalInReview({ partnerId: newPartner('Past Date Group'), eventInDays: -3, title: 'Past date evening' });
    expect((await page(`/proposals/${id}`, lead)).text).toContain('The event date has passed');
    const queue = (await page('/review', staff)).text;
    expect(queue.split('Past date evening')[1]!.slice(0, 400)).toContain('Date passed');
    const dossier = await page(`/review/${id}`, staff);
    expect(dossier.text).toContain('The event date has passed');
    const end = find(dossier.html, 'input[name="endDate"]')!;
    expect(end.getAttribute('value') ?? '').toBe('');
    expect(end.hasAttribute('required')).toBe(true);
  });

  it('warns on the new-proposal and edit forms when the date chosen has passed', async () => {
    const id = proposalAt('draft', 'Past edit evening', -2);
    const edit = await page(`/proposals/${id}/edit`, lead);
    expect(edit.status).toBe(200);
    expect(visibleText(find(edit.html, '[data-testid="past-date-hint"]')!)).toContain('The event date has passed');
    expect(visibleText(find((await page('/proposals/new?new=1&q=Someone', lead)).html, '[data-testid="past-date-hint"]') ?? parseHtml('<p></p>'))).not.toContain('passed');
  });
});

describe('required fields and limits', () => {
  it('marks "How you weighed the screening hits" required in every decision form, and shows the 5,000-character limits', async () => {
    const id = proposalInReview({ partnerId: newPartner('Required Marks Group'), title: 'Required marks evening' });
    recordScreeningAnswer({ partnerId: proposalRow(id)!.partner_id, proposalId: id, stage: 'creation', answer: demoDesignationAnswer, source: 'demo fixture' });
    const { html } = await page(`/review/${id}`, staff);
    const hintsOf = (fieldId: string) =>
      (find(html, `#${fieldId}`)!.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((d) => visibleText(find(html, `#${d}`) ?? parseHtml('')).trim())
        .join(' ');
    for (const form of ['approve', 'reject', 'changes']) {
      const ack = find(html, `#${form}-ack`)!;
      expect(visibleText(find(html, `label[for="${form}-ack"]`)!), form).toContain('How you weighed the screening hits (required)');
      expect(ack.hasAttribute('required'), form).toBe(true);
      expect(ack.getAttribute('maxlength'), form).toBe('5000');
      expect(hintsOf(`${form}-ack`), form).toMatch(/5,000 characters/);
    }
    for (const field of ['approve-rationale', 'reject-rationale', 'changes-rationale']) {
      expect(find(html, `#${field}`)!.getAttribute('maxlength'), field).toBe('5000');
      expect(hintsOf(field), field).toMatch(/5,000 characters/);
    }
    expect(visibleText(find(html, 'label[for="reject-rationale"]')!)).toMatch(/\(required\)/);
  });

  it('shows the step forms’ text limits before submitting', async () => {
    const id = proposalAt('values', 'Limits values evening');
    const { html } = await page(`/proposals/${id}/steps/values`, lead);
    const evidence = find(html, '[name="ratings.independence.evidence"]')!;
    expect(evidence.getAttribute('maxlength')).toBe('5000');
    const limitId = (evidence.getAttribute('aria-describedby') ?? '').split(' ').find((d) => d.endsWith('-limit'))!;
    expect(visibleText(find(html, `#${limitId}`)!)).toContain('Up to 5,000 characters');
    expect(find(html, '#f-ratings-independence-rating')!.getAttribute('aria-required')).toBe('true');
    expect(visibleText(html)).toContain('Fields marked * are required.');
  });
});

describe('words, not codes', () => {
  it('shows no internal codes on the dossier, the proposal and the partner page', async () => {
    const partnerId = newPartner('Words Not Codes Group', ['supports_bds']);
    const id = proposalInReview({ partnerId, perceptionConditions: 1, title: 'Words not codes evening' });
    for (const [path, cookie] of [
      [`/review/${id}`, staff],
      [`/proposals/${id}`, lead],
      [`/partners/${partnerId}`, staff],
    ] as const) {
      const { text } = await page(path, cookie);
      expect(text, path).not.toMatch(/supports_bds|chapter_lead|benefits_outweigh|no_perception_risk/);
      expect(text, path).not.toMatch(/version \d+ of this proposal/);
    }
  });

  it('colours a done step by its outcome and calls a not-applicable step so', async () => {
    const incompatible = proposalInReview({ partnerId: newPartner('Stepper Tone Group'), values: 'incompatible', title: 'Stepper tone evening' });
    const html = (await page(`/proposals/${incompatible}`, lead)).html;
    const values = find(html, 'li[data-step="values"]')!;
    expect(visibleText(values)).toContain('Incompatible');
    expect(values.getAttribute('class')).toContain('tone-bad');

    const skipped = proposalInReview({ partnerId: newPartner('Stepper Skip Group'), title: 'Stepper skip evening' });
    const perception = find((await page(`/proposals/${skipped}`, lead)).html, 'li[data-step="perception"]')!;
    expect(visibleText(perception)).toContain('Not applicable');
    expect(visibleText(perception)).not.toContain('Skipped');
  });

  it('exports words in the CSV, and the codes only when asked', async () => {
    const rows = (await (await app.fetch('/decisions.csv', { cookie: staff })).text()).replace(/^\uFEFF/, '');
    expect(rows).not.toMatch(/,chapter_lead,|,benefits_outweigh,/);
    expect(rows).toContain(',Chapter lead,');
    const coded = (await (await app.fetch('/decisions.csv?codes=1', { cookie: staff })).text()).replace(/^\uFEFF/, '');
    const header = coded.split('\r\n')[0]!;
    expect(header).toContain('Outcome code');
    expect(coded).toContain(',benefits_outweigh,');
  });
});
