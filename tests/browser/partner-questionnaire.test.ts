import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { formatVerifyResult, verifyLog } from '../../db/decision-log';
import { newPartner, proposalInReview } from '../integration/review-fixtures';
import { checkA11y, newPage, screenshot, signIn, startBrowserEnv, submitWith, type BrowserEnv } from './support';

// The partner answers for itself, end to end in Chromium: the lead makes the link, the partner
// answers without signing in (with JavaScript and without), staff read the answers in the
// dossier marked as the partner's. axe on every page visited.

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
});
afterAll(async () => {
  await env?.close();
});

function pictureOnFailure(page: Page, name: string) {
  onTestFailed(async () => {
    await screenshot(page, `FAILED-${name}`).catch(() => undefined);
  });
}

const press = (page: Page, name: string) => submitWith(page, page.getByRole('button', { name, exact: true }));

async function leadMakesLink(proposalId: number, contact: string): Promise<string> {
  const page = await newPage(env);
  pictureOnFailure(page, 'partner-link-lead');
  await signIn(page, 'lead@cosponsor.test');
  await page.goto(`/proposals/${proposalId}`);
  await page.getByRole('link', { name: /The partner’s own answers/ }).click();
  await page.waitForURL(`**/proposals/${proposalId}/partner`);
  await checkA11y(page, 'the lead’s partner-link page');
  await page.getByLabel('Contact’s name').fill(contact);
  await press(page, 'Make the link');
  const url = await page.getByLabel('Questionnaire link').inputValue();
  expect(url).toMatch(/\/q\/[A-Za-z0-9_-]{43}$/);
  await checkA11y(page, 'the link shown once');
  await page.context().close();
  return url;
}

async function partnerAnswers(url: string, javaScriptEnabled: boolean) {
  const page = await newPage(env, { javaScriptEnabled });
  pictureOnFailure(page, `partner-answers-js-${javaScriptEnabled}`);
  await page.goto(url);
  expect(await page.getByRole('heading', { name: 'Questions for a co-sponsorship' }).count()).toBe(1);
  expect(await page.locator('nav').count()).toBe(0);
  await checkA11y(page, `the partner's questionnaire (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`);

  // First a refusal: the message beside the field, what was typed kept.
  await page.getByLabel('Your name').fill('مريم خليل');
  await page.getByLabel('Your role in your organization').fill('Coordinator');
  await page.getByLabel('How is your organization funded?').fill('Member dues and two local foundations.');
  await press(page, 'Send our answers');
  expect(await page.locator('#f-leadership-error').textContent()).toMatch(/who leads your organization/);
  expect(await page.getByLabel('Your name').inputValue()).toBe('مريم خليل');
  expect(await page.getByLabel('Your name').evaluate((el) => el.matches(':dir(rtl)'))).toBe(true);
  await checkA11y(page, 'the questionnaire with errors');
  await screenshot(page, `partner-questionnaire-errors-js-${javaScriptEnabled ? 'on' : 'off'}`);

  await page.getByLabel('Who leads your organization?').fill('A board of five, elected yearly.');
  for (const radio of await page.locator('input[type=radio][value="supports"]').all()) await radio.check();
  for (const radio of await page.locator('input[type=radio][value="accept"]').all()) await radio.check();
  await press(page, 'Send our answers');
  await page.getByRole('heading', { name: 'Thank you' }).waitFor();
  await checkA11y(page, 'the thank-you page');
  // The link is used up.
  const again = await page.goto(url);
  expect(again?.status()).toBe(410);
  await page.context().close();
}

describe('the partner answers for itself', () => {
  it('lead makes the link, the partner answers without an account (JavaScript off), staff see it marked as the partner’s', async () => {
    const id = proposalInReview({ partnerId: newPartner('Browser Answers Collective'), title: 'Vigil for Myanmar' });
    const url = await leadMakesLink(id, 'Maryam Khalil');
    await partnerAnswers(url, false);

    const staff = await newPage(env);
    pictureOnFailure(staff, 'partner-answers-dossier');
    await signIn(staff, 'staff@cosponsor.test');
    await staff.goto(`/review/${id}`);
    const panel = staff.locator('#partner-answers');
    expect(await panel.getAttribute('data-provenance')).toBe('partner');
    const text = (await panel.textContent()) ?? '';
    expect(text).toContain('Provided by the partner');
    expect(text).toContain('not the chapter’s or staff’s judgment');
    expect(text).toContain('Member dues and two local foundations.');
    expect(text).toContain('مريم خليل');
    await panel.scrollIntoViewIfNeeded();
    await screenshot(staff, 'partner-answers-dossier');
    await checkA11y(staff, 'the dossier with the partner’s answers');
    await staff.context().close();

    // The lead reads them beside the steps, under the step's own form.
    const lead = await newPage(env);
    pictureOnFailure(lead, 'partner-answers-steps');
    await signIn(lead, 'lead@cosponsor.test');
    for (const [step, text] of [
      ['values', 'A board of five, elected yearly.'],
      ['agenda', 'We publicly support this'],
      ['perception', 'We accept this'],
    ] as const) {
      await lead.goto(`/proposals/${id}/steps/${step}`);
      expect(await lead.locator('#partner-answers').textContent()).toContain(text);
      await checkA11y(lead, `the ${step} step with the partner's answers`);
    }
    await lead.context().close();
    expect(formatVerifyResult(verifyLog())).toMatch(/^OK/);
  });

  it('works the same with JavaScript on', async () => {
    const id = proposalInReview({ partnerId: newPartner('Browser Answers Scripted Group') });
    const url = await leadMakesLink(id, 'Sam Partner');
    await partnerAnswers(url, true);
  });
});
