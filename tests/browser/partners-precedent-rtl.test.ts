import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { createProposal } from '../../app/features/vetting/vetting.server';
import { actor, campaignId, daysFromToday, decideAs, newPartner, proposalInReview } from '../integration/review-fixtures';
import { checkA11y, newPage, screenshot, signIn, startBrowserEnv, submitWith, type BrowserEnv } from './support';

// Partners in any script, precedent for a second chapter, right-to-left text and
// the narrow screen (issue 14, items 1-4 and 16), walked in Chromium by visible
// labels, with axe on every page visited.

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

async function searchPartner(page: Page, typed: string) {
  await page.goto('/proposals/new');
  await page.getByLabel('Partner group’s name').fill(typed);
  await press(page, 'Search partners');
}

async function fillEvent(page: Page, title: string) {
  await page.getByLabel('Event title').fill(title);
  await page.getByLabel('Event date').fill(daysFromToday(45));
  await page.getByLabel('Place').fill('Community hall, Chicago');
  await page.getByLabel('Description').fill('An evening talk with the partner group.');
  await page.getByLabel(/^Co-listing/).check();
  await page.getByLabel('Campaign').selectOption({ label: 'Israel and the Occupied Palestinian Territories' });
}

/** Whether the element's text runs right to left, as the browser resolved it. */
const runsRightToLeft = (page: Page, selector: string) => page.locator(selector).first().evaluate((el) => el.matches(':dir(rtl)'));

describe('partners in any script', () => {
  it('finds an Arabic and a Hebrew partner, and makes using the match the main button', async () => {
    const alHaq = newPartner('مؤسسة الحق للدراسات');
    const btselem = newPartner('בצלם מרכז המידע');
    const page = await newPage(env);
    pictureOnFailure(page, 'rtl-search');
    await signIn(page, 'lead@cosponsor.test');

    await searchPartner(page, 'مُؤَسَّسَة الحق للدراسات');
    const use = page.getByRole('link', { name: 'Use مؤسسة الحق للدراسات' });
    expect(await use.count()).toBe(1);
    expect(await use.getAttribute('href')).toContain(`partnerId=${alHaq}`);
    // A close match: "Use" is the primary button, creating a new partner the secondary one.
    expect(await use.getAttribute('class')).toBe('button');
    const createNew = page.getByRole('link', { name: 'None of these: create a new partner' });
    expect(await createNew.getAttribute('class')).toContain('button--secondary');
    expect(await runsRightToLeft(page, '.candidate .card__title')).toBe(true);
    expect(await page.getByLabel('Partner group’s name').getAttribute('dir')).toBe('auto');
    await checkA11y(page, 'arabic partner search');

    await searchPartner(page, 'בְּצֶלֶם מרכז המידע');
    expect(await page.getByRole('link', { name: 'Use בצלם מרכז המידע' }).getAttribute('href')).toContain(`partnerId=${btselem}`);
    await page.context().close();
  });

  it('offers the known Arabic-named partner when a lead creates it again, and staff see both proposals', async () => {
    const name = 'رابطة الطلاب من أجل فلسطين';
    const partnerId = newPartner(name);
    const bayArea = proposalInReview({ lead: 'lead2@cosponsor.test', partnerId, title: 'Bay Area film night' });
    const page = await newPage(env);
    pictureOnFailure(page, 'rtl-duplicate');
    await signIn(page, 'lead@cosponsor.test');

    // The lead skips past the search and types the group's name again, with its vowel marks.
    await page.goto(`/proposals/new?q=${encodeURIComponent('رابطة الطلاب')}&new=1`);
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('رابطةُ الطلابِ من أجلِ فلسطين');
    expect(await page.getByRole('textbox', { name: 'Name', exact: true }).getAttribute('dir')).toBe('auto');
    await page.getByLabel('About the group').fill('طلاب جامعيون ينظمون ندوات.');
    await fillEvent(page, 'Chicago poetry evening');
    await press(page, 'Create the draft proposal');
    await expect.poll(() => page.getByRole('heading', { name: 'Known partners with a very similar name' }).count()).toBe(1);
    expect(await page.getByText('A partner with a very similar name is already known').count()).toBeGreaterThan(0);
    const use = page.getByRole('link', { name: `Use ${name}` });
    expect(await use.getAttribute('class')).toBe('button');
    await checkA11y(page, 'duplicate warning');
    await use.click();
    await page.waitForURL(new RegExp(`partnerId=${partnerId}`));
    await fillEvent(page, 'Chicago poetry evening');
    await press(page, 'Create the draft proposal');
    await page.waitForURL(/\/proposals\/\d+$/);
    const chicagoId = Number(new URL(page.url()).pathname.split('/').pop());
    // The proposal's header names the partner, right to left.
    expect(await runsRightToLeft(page, '.proposal-head strong[dir="auto"]')).toBe(true);
    await page.context().close();

    const staff = await newPage(env);
    pictureOnFailure(staff, 'rtl-duplicate-staff');
    await signIn(staff, 'staff@cosponsor.test');
    await staff.goto(`/review/${bayArea}`);
    const precedent = staff.getByTestId('partner-precedent');
    expect(await precedent.getByText('No other proposal with this partner').count()).toBe(0);
    expect(await precedent.getByRole('link', { name: /Chicago poetry evening/ }).getAttribute('href')).toBe(`/review/${chicagoId}`);
    await checkA11y(staff, 'dossier precedent');
    await staff.context().close();
  });
});

describe('decided precedent for a second chapter’s lead', () => {
  it('shows the outcome, the date and the reason on the new proposal’s home and values step, and no other chapter’s draft', async () => {
    const reason = 'Rejected: the partner’s last rally excluded Jewish students from speaking.';
    const partnerId = newPartner('Harbour Lights Collective');
    const rejected = proposalInReview({ lead: 'lead2@cosponsor.test', partnerId, title: 'Harbour rally co-listing' });
    expect(decideAs('staff@cosponsor.test', rejected, { type: 'REJECT', rationale: reason }).ok).toBe(true);
    createProposal(actor('lead2@cosponsor.test'), {
      partnerId,
      campaignId: campaignId('israel_opt'),
      eventTitle: 'Harbour unsent draft',
      eventDate: daysFromToday(20),
      eventPlace: 'Pier 9',
      eventDescription: 'Still being written.',
      kind: 'co_listing',
    });

    const page = await newPage(env);
    pictureOnFailure(page, 'precedent');
    await signIn(page, 'lead@cosponsor.test');
    await searchPartner(page, 'harbour lights collective');
    await page.getByRole('link', { name: 'Use Harbour Lights Collective' }).click();
    await page.waitForURL(/partnerId=/);
    await fillEvent(page, 'Chicago harbour teach-in');
    await press(page, 'Create the draft proposal');
    await page.waitForURL(/\/proposals\/\d+$/);

    for (const where of ['home', 'values step']) {
      const precedent = page.getByTestId('partner-precedent');
      await expect.poll(() => precedent.count(), { timeout: 5000 }).toBe(1);
      const text = (await precedent.textContent()) ?? '';
      expect(text, where).toContain('Rejected');
      expect(text, where).toContain('Bay Area Chapter');
      expect(text, where).toMatch(/decided \w+/);
      expect(text, where).toContain(reason);
      expect(await page.getByText('Harbour unsent draft').count(), where).toBe(0);
      expect(await page.getByText('Harbour rally co-listing').count(), where).toBe(0);
      await checkA11y(page, `precedent on the ${where}`);
      if (where === 'home') {
        await press(page, 'Submit for vetting');
        await page.waitForURL(/steps\/values$/);
      }
    }
    // Every field of the values step takes the direction of what is typed.
    const fields = page.locator('form textarea');
    expect(await fields.count()).toBeGreaterThan(0);
    for (const dir of await fields.evaluateAll((els) => els.map((el) => el.getAttribute('dir')))) expect(dir).toBe('auto');

    // The partner page, linked from the precedent, shows it too, still without the other chapter's records.
    await page.getByTestId('partner-precedent').getByRole('link', { name: 'The partner’s page' }).click();
    await page.waitForURL(`**/partners/${partnerId}`);
    expect((await page.getByTestId('partner-precedent').textContent()) ?? '').toContain(reason);
    expect(await page.getByText('Harbour unsent draft').count()).toBe(0);
    expect(await page.getByText('Harbour rally co-listing').count()).toBe(0);
    await checkA11y(page, 'precedent on the partner page');
    await page.context().close();
  });
});

describe('a phone-sized screen and the sign-in page', () => {
  it('keeps each proposal’s state in view on a 390 px screen', async () => {
    const page = await newPage(env);
    pictureOnFailure(page, 'narrow');
    await signIn(page, 'lead@cosponsor.test');
    await page.setViewportSize({ width: 390, height: 844 });
    // A lead lands on the chapter's grouped proposals.
    await page.goto('/');
    await page.waitForURL(/\/proposals/);
    const cards = page.locator('.proposal-card');
    expect(await cards.count()).toBeGreaterThan(0);
    for (const card of (await cards.all()).slice(0, 6)) {
      const state = card.locator('.row .tag').first();
      const box = await state.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await checkA11y(page, 'proposals at 390 px');
    await screenshot(page, 'proposals-390px');
    await page.context().close();
  });

  it('shows no focus ring on the sign-in page before anyone acts, and a visible one for the keyboard', async () => {
    const page = await newPage(env);
    await page.goto('/login');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BODY');
    await page.getByLabel('E-mail').focus();
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
    await checkA11y(page, 'sign-in');
    await page.context().close();
  });
});
