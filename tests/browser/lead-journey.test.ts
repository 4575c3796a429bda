import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { proposalRow } from '../../db/proposals';
import { userByEmail } from '../../db/users';
import { decide } from '../../app/features/vetting/vetting.server';
import { newPartner, proposalInReview } from '../integration/review-fixtures';
import { checkA11y, newPage, screenshot, signIn, startBrowserEnv, submitWith, type BrowserEnv } from './support';

// Example case 1 of the brief, walked in Chromium as the Chicago chapter lead:
// a campus group that supports BDS invites the chapter to co-sponsor a teach-in
// on home demolitions. Every page visited is checked with axe-core.

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
});
afterAll(async () => {
  await env?.close();
});

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

/** On failure, keep a picture of where the page was. */
function pictureOnFailure(page: Page, name: string) {
  onTestFailed(async () => {
    await screenshot(page, `FAILED-${name}`).catch(() => undefined);
  });
}

async function visit(page: Page, name: string) {
  await checkA11y(page, name);
  await screenshot(page, name);
}

async function rate(page: Page, criterion: string, rating: string, evidence?: string) {
  await page.getByRole('radiogroup', { name: `Rating for ${criterion}` }).getByLabel(rating, { exact: true }).check();
  if (evidence) await page.getByLabel(`Evidence for ${criterion}`).fill(evidence);
}

/** Clicks a submit button and waits for the navigation (or the action's re-render) to settle. */
async function press(page: Page, name: string | RegExp) {
  await submitWith(page, page.getByRole('button', { name, exact: typeof name === 'string' }));
}

/** The flash after a redirect (polled: with JavaScript the URL can change a moment before the page). */
async function expectFlash(page: Page, text: string) {
  await expect.poll(() => page.locator('.flash').textContent(), { timeout: 5000 }).toContain(text);
}

function stepStatus(page: Page, step: string) {
  return page.locator(`.stepper li[data-step="${step}"]`).getAttribute('data-status');
}

/**
 * A proposal of its own, waiting for staff, whose partner publicly supports BDS (so the perception
 * review applies): the tests after the walk use one each, so they pass alone and in any order.
 */
function journeyInReview(name: string): number {
  return proposalInReview({ partnerId: newPartner(name, ['supports_bds']), title: `${name} teach-in`, perceptionConditions: 2 });
}

describe('the chapter lead’s journey (example case 1)', () => {
  it('finds a known partner despite case, punctuation, "The" and "Inc.", with its past decisions', async () => {
    const page = await newPage(env);
    pictureOnFailure(page, 'search');
    await signIn(page, 'lead@cosponsor.test');
    await page.goto('/proposals');
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Proposals' }).isVisible()).toBe(true);
    for (const group of ['Changes requested', 'Drafts', 'In progress', 'Waiting for staff', 'Decided']) {
      expect(await page.getByRole('heading', { level: 2, name: new RegExp(`^${group}`) }).count()).toBe(1);
    }
    // The Chicago lead sees Chicago's proposals only.
    expect(await page.getByText('Screening of "The Mauritanian"').count()).toBeGreaterThan(0);
    expect(await page.getByText('Candles for Myanmar').count()).toBe(0);
    await visit(page, '01-proposals');

    await page.getByRole('link', { name: 'New proposal' }).click();
    await page.getByLabel('Partner group’s name').fill('the lakeshore university students for palestinian rights, inc.');
    await press(page, 'Search partners');
    const card = page.locator('.candidate').filter({ hasText: 'Lakeshore University Students for Palestinian Rights' });
    expect(await card.count()).toBe(1);
    expect(await card.getByText('Past proposals with this partner').count()).toBe(1);
    expect(await card.locator('.candidate__history li').count()).toBeGreaterThan(0);
    await visit(page, '02-partner-search');
    await page.context().close();
  });

  it('walks the new proposal and the vetting steps to the MOU', async () => {
    const page = await newPage(env);
    pictureOnFailure(page, 'walk');
    await signIn(page, 'lead@cosponsor.test');

    // New proposal: a partner nobody has vetted yet, who publicly supports BDS.
    await page.goto('/proposals/new');
    await visit(page, '03-new-search');
    await page.getByLabel('Partner group’s name').fill('Ridgeview College Palestine Solidarity Network');
    await press(page, 'Search partners');
    await page.getByRole('link', { name: /create a new partner/i }).click();
    await page.waitForURL(/new=1/);
    expect(await page.getByRole('textbox', { name: 'Name', exact: true }).inputValue()).toBe('Ridgeview College Palestine Solidarity Network');
    await page.getByLabel('Website').fill('https://ridgeview-psn.example.org');
    await page.getByLabel('About the group').fill('Student group at Ridgeview College; runs teach-ins and endorses the BDS call.');
    await page.getByLabel(/Publicly supports BDS/).check();
    await page.getByLabel('Event title').fill('Teach-in: Home Demolitions in East Jerusalem');
    await page.getByLabel('Event date').fill(inDays(40));
    await page.getByLabel('Place').fill('Ridgeview College, Room 204, Chicago, IL');
    await page.getByLabel('Description').fill('A teach-in on forced evictions and home demolitions, with a researcher and a chapter speaker.');
    await page.getByLabel(/^Co-hosting/).check();
    await page.getByLabel('Campaign').selectOption({ label: 'Israel and the Occupied Palestinian Territories' });
    await visit(page, '04-new-event');
    await press(page, 'Create the draft proposal');
    await page.waitForURL(/\/proposals\/\d+$/);
    const proposalUrl = new URL(page.url()).pathname;
    await expectFlash(page, 'created as a draft');
    for (const step of ['values', 'agenda', 'risk', 'perception', 'mou']) await expect.poll(() => stepStatus(page, step)).toBe('todo');
    expect(await page.locator('.timeline li').count()).toBe(1);
    await visit(page, '05-draft-home');

    await press(page, 'Submit for vetting');
    await page.waitForURL(/steps\/values$/);
    await expect.poll(() => stepStatus(page, 'values')).toBe('current');

    // Values: a missing rating is refused beside its field, and everything typed stays.
    await rate(page, 'Independence', 'Meets', 'Student group; constitution bars party affiliation.');
    await rate(page, 'Non-discrimination', 'Meets', 'Statements condemn antisemitism and all racism.');
    await rate(page, 'Human-rights standards', 'Meets');
    await rate(page, 'Mutual respect', 'Concern', 'Their flyers have used other groups’ logos without asking.');
    await page.getByLabel('Links for Mutual respect').fill('https://ridgeview-psn.example.org/flyers');
    await press(page, 'Submit the values check');
    const transparencyError = page.locator('#f-ratings-transparency-rating-error');
    expect(await transparencyError.textContent()).toContain('Rate “Transparency”');
    expect(await page.getByRole('radiogroup', { name: 'Rating for Transparency' }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Evidence for Mutual respect').inputValue()).toBe('Their flyers have used other groups’ logos without asking.');
    expect(await page.getByLabel('Links for Mutual respect').inputValue()).toBe('https://ridgeview-psn.example.org/flyers');
    expect(await page.getByRole('radiogroup', { name: 'Rating for Mutual respect' }).getByLabel('Concern').isChecked()).toBe(true);
    await visit(page, '06-values-errors');
    await rate(page, 'Transparency', 'Meets', 'Officers listed on the college site; funded by student fees.');
    // The outcome updates as the lead rates (JavaScript on).
    expect(await page.locator('#outcome').textContent()).toContain('Compatible with concerns');
    await press(page, 'Submit the values check');
    await page.waitForURL(/steps\/agenda$/);
    await expectFlash(page, 'Values compatibility submitted: Compatible with concerns');
    await expect.poll(() => stepStatus(page, 'values')).toBe('done');

    // Agenda: an aligned item on demolitions and a no-position BDS item.
    await page.getByLabel('What the partner calls for (item 1)').fill('Stop home demolitions and forced evictions in East Jerusalem');
    await page.getByRole('radiogroup', { name: 'Scope of item 1' }).getByLabel('At this event').check();
    await page.getByRole('radiogroup', { name: 'Classification of item 1' }).getByLabel(/Aligned/).check();
    // Item 1's position comes from the catalog search: the list follows the typing (JavaScript on).
    expect(await page.getByLabel('Organization position for item 1').inputValue()).toBe('');
    expect(await page.locator('#outcome .agenda-item__position').first().textContent()).toContain('Not mapped to a position');
    await page.getByLabel('Words to look for in the positions’ statements and keywords').fill('demolition');
    const results = page.getByRole('list', { name: 'Matching positions' });
    await expect.poll(() => results.locator(':scope > li').count()).toBe(1);
    const demolitions = results.locator(':scope > li').filter({ hasText: 'cancel_evictions_demolitions' });
    expect(await demolitions.textContent()).toContain('forced evictions and home demolitions');
    await expect.poll(() => page.locator('#position-search-status').textContent()).toContain('1 position matches “demolition”');
    await checkA11y(page, '07a-agenda-position-search');
    await screenshot(page, '07a-agenda-position-search');
    await demolitions.getByRole('button', { name: 'Use for item 1' }).click();
    await expect.poll(() => page.getByLabel('Organization position for item 1').inputValue()).toBe('cancel_evictions_demolitions');
    await expect.poll(() => page.locator('#position-search-status').textContent()).toContain('Item 1 now maps to');
    // The outcome preview follows the select.
    await expect
      .poll(() => page.locator('#outcome .agenda-item__position').first().textContent())
      .toContain('Cancel all orders for forced evictions and home demolitions');
    await page.getByLabel('Words to look for in the positions’ statements and keywords').fill('');
    await expect.poll(() => results.count()).toBe(0);
    await press(page, /Add an agenda item/);
    expect(await page.getByLabel('What the partner calls for (item 1)').inputValue()).toBe('Stop home demolitions and forced evictions in East Jerusalem');
    await page.getByLabel('What the partner calls for (item 2)').fill('Endorse the BDS call against Israel');
    await page.getByRole('radiogroup', { name: 'Scope of item 2' }).getByLabel('Their general agenda').check();
    await page.getByLabel('Organization position for item 2').selectOption('bds_movement');
    await page.getByRole('radiogroup', { name: 'Classification of item 2' }).getByLabel(/No position/).check();
    const trigger = page.locator('.perception-trigger');
    await expect.poll(() => trigger.count()).toBe(1);
    expect(await trigger.textContent()).toContain('The partner publicly supports BDS');
    expect(await page.locator('#outcome .agenda-item--aligned').count()).toBe(1);
    expect(await page.locator('#outcome .agenda-item--no_position').count()).toBe(1);
    await visit(page, '07-agenda');
    await press(page, 'Submit the agenda mapping');
    await page.waitForURL(/steps\/risk$/);
    await expectFlash(page, 'Manageable divergence');

    // Risk: a residual above the inherent score is refused on that field, input kept.
    await page.getByLabel('Category of item 1').selectOption('perception');
    await page.getByRole('combobox', { name: 'Likelihood of item 1', exact: true }).selectOption('3');
    await page.getByRole('combobox', { name: 'Impact of item 1', exact: true }).selectOption('3');
    await page.getByLabel('Description of item 1').fill('The listing is read as the organization endorsing BDS.');
    await page.getByLabel('Mitigation of item 1').fill('Disclaimer on the listing; approved talking points only.');
    await page.getByLabel('Likelihood after mitigation (item 1)').selectOption('4');
    await page.getByLabel('Impact after mitigation (item 1)').selectOption('4');
    await page.getByLabel('Category of item 2').selectOption('mission_impact');
    await page.getByRole('combobox', { name: 'Likelihood of item 2', exact: true }).selectOption('4');
    await page.getByRole('combobox', { name: 'Impact of item 2', exact: true }).selectOption('4');
    await page.getByLabel('Description of item 2').fill('Students learn about demolitions and join the campaign.');
    await press(page, 'Submit the risk assessment');
    expect(await page.locator('#f-items-0-residualImpact-error').textContent()).toContain('cannot be above the inherent score');
    expect(await page.getByLabel('Impact after mitigation (item 1)').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Mitigation of item 1').inputValue()).toBe('Disclaimer on the listing; approved talking points only.');
    expect(await page.getByLabel('Description of item 2').inputValue()).toBe('Students learn about demolitions and join the campaign.');
    await visit(page, '08-risk-errors');
    await page.getByLabel('Likelihood after mitigation (item 1)').selectOption('2');
    await page.getByLabel('Impact after mitigation (item 1)').selectOption('2');
    // Live arithmetic with JavaScript: benefit 16 against residual risk 4.
    await expect.poll(() => page.getByTestId('risk-arithmetic').textContent()).toContain('16 > 4');
    expect(await page.locator('.heatmap-table .dot--risk').count()).toBe(1);
    expect(await page.locator('.heatmap-table .dot--residual').count()).toBe(1);
    expect(await page.locator('.heatmap-table .dot--benefit').count()).toBe(1);
    await visit(page, '09-risk');
    await press(page, 'Submit the risk assessment');
    await page.waitForURL(/steps\/perception$/);
    await expect.poll(() => stepStatus(page, 'perception')).toBe('current');

    // Perception: some items become conditions for the MOU.
    const answers = page.locator('fieldset.criterion');
    const n = await answers.count();
    expect(n).toBeGreaterThan(3);
    for (let i = 1; i <= n; i++) {
      const answer = i === 2 || i === 7 || i === n ? 'Will be a condition' : 'Met';
      await page.getByRole('radiogroup', { name: `Answer for item ${i}` }).getByLabel(answer, { exact: true }).check();
    }
    expect(await page.locator('#outcome .conditions li').count()).toBe(3);
    await visit(page, '10-perception');
    await press(page, 'Submit the perception review');
    await page.waitForURL(/steps\/mou$|\/proposals\/\d+$/);
    await expectFlash(page, 'Acceptable with conditions');

    await page.goto(proposalUrl);
    for (const step of ['values', 'agenda', 'risk', 'perception']) await expect.poll(() => stepStatus(page, step)).toBe('done');
    await expect.poll(() => stepStatus(page, 'mou')).toBe('current');
    expect(await page.getByRole('link', { name: /Continue: MOU draft/ }).count()).toBe(1);
    // Who, when, outcome, rationale for each step.
    const timeline = page.locator('.timeline');
    for (const text of ['Compatible with concerns', 'Manageable divergence', 'Benefits outweigh risks', 'Acceptable with conditions']) {
      expect(await timeline.getByText(text).count()).toBeGreaterThan(0);
    }
    expect(await timeline.getByText('Dana Whitfield').count()).toBeGreaterThan(3);
    await visit(page, '11-home-at-mou');
    // Readable on a phone: nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, '11-home-at-mou-phone');
    await page.setViewportSize({ width: 1280, height: 900 });

    // The MOU step (its page is the MOU feature's): save a first version, submit it to staff.
    await page.getByRole('link', { name: /Continue: MOU draft/ }).click();
    await page.waitForURL(/steps\/mou$/);
    await checkA11y(page, 'mou');
    await press(page, /Save the first version/);
    await press(page, /Submit MOU version 1 to staff/);
    await page.waitForURL(/\/proposals\/\d+$/);
    await expect.poll(() => stepStatus(page, 'mou')).toBe('done');
    expect(await page.locator('.proposal-head .tag').first().textContent()).toBe('Waiting for staff');
    await visit(page, '12-home-in-review');
    await page.context().close();
  });

  it('lets staff and reviewers read the proposal without acting on it', async () => {
    const proposalUrl = `/proposals/${journeyInReview('Read Only Solidarity Group')}`;
    const page = await newPage(env);
    pictureOnFailure(page, 'reviewer');
    await signIn(page, 'reviewer@cosponsor.test');
    await page.goto(proposalUrl);
    expect(await page.getByText('Read-only').count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Submit for vetting' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /Withdraw/ }).count()).toBe(0);
    expect(await page.locator('.timeline li').count()).toBeGreaterThan(5);
    await page.goto(`${proposalUrl}/steps/risk`);
    expect(await page.getByRole('button', { name: 'Submit the risk assessment' }).count()).toBe(0);
    expect(await page.getByLabel('Description of item 2').inputValue()).toContain('Reaches people new');
    await visit(page, '13-reviewer-read-only');
    await page.context().close();
  });
});

describe('changes requested', () => {
  it('shows the request and its rationale on the proposal and the step, and keeps input on a stale submit', async () => {
    const id = journeyInReview('Sent Back Solidarity Group');
    const staff = userByEmail('staff@cosponsor.test')!;
    const sentBack = decide({
      proposalId: id,
      expectedVersion: proposalRow(id)!.version,
      actor: { id: staff.id, name: staff.name, roles: staff.roles, chapterId: staff.chapter_id },
      command: { type: 'REQUEST_CHANGES', step: 'risk', rationale: 'Add the risk that speakers advocate BDS from the stage, with its mitigation.' },
    });
    expect(sentBack.ok).toBe(true);

    const page = await newPage(env);
    pictureOnFailure(page, 'changes');
    await signIn(page, 'lead@cosponsor.test');
    await page.goto('/proposals');
    const card = page.locator('#group-changes .proposal-card');
    expect(await card.count()).toBe(1);
    expect(await card.textContent()).toContain('Sent back to Risk scoring');
    await card.getByRole('link').click();
    await page.waitForURL(/\/proposals\/\d+$/);
    const request = page.locator('.change-request');
    expect(await request.textContent()).toContain('Add the risk that speakers advocate BDS from the stage');
    expect(await request.textContent()).toContain('Priya Raman');
    await expect.poll(() => stepStatus(page, 'risk')).toBe('returned');
    await visit(page, '14-changes-requested-home');
    await page.getByRole('link', { name: 'Fix Risk scoring and resubmit' }).click();
    await page.waitForURL(/steps\/risk$/);
    expect(await page.locator('.change-request').textContent()).toContain('speakers advocate BDS');
    // Prefilled from the last submission.
    expect(await page.getByLabel('Description of item 2').inputValue()).toBe('Reaches people new to the chapter.');
    await page.getByLabel('Description of item 1').fill('Speakers advocate BDS from the stage, read as the organization’s call.');

    // Meanwhile the same lead resubmits from another tab: this tab's submit is stale.
    const other = await page.context().newPage();
    await other.goto(`/proposals/${id}/steps/risk`);
    await press(other, 'Submit the risk assessment');
    await other.waitForURL(/steps\/perception$/);
    await other.close();
    await press(page, 'Submit the risk assessment');
    const alert = page.locator('#form-alert');
    await expect.poll(() => alert.textContent()).toContain('This proposal was changed after you opened this page, by someone else or by you in another tab.');
    expect(await page.getByLabel('Description of item 1').inputValue()).toBe('Speakers advocate BDS from the stage, read as the organization’s call.');
    await visit(page, '15-stale');
    await page.context().close();
  });
});

describe('with JavaScript turned off', () => {
  it('submits a draft, keeps input on errors, adds rows, saves drafts and withdraws', async () => {
    const page = await newPage(env, { javaScriptEnabled: false });
    pictureOnFailure(page, 'nojs');
    await signIn(page, 'lead@cosponsor.test');
    await page.goto('/proposals');
    await page.getByRole('link', { name: /Screening of "The Mauritanian"/ }).click();
    await page.waitForURL(/\/proposals\/\d+$/);
    const home = new URL(page.url()).pathname;
    await press(page, 'Submit for vetting');
    await page.waitForURL(/steps\/values$/);

    // The same values step, without JavaScript: the error keeps the input.
    await rate(page, 'Independence', 'Meets', 'Film collective; no party or government ties.');
    await rate(page, 'Non-discrimination', 'Unknown');
    await press(page, 'Check the outcome');
    // Three criteria are still unrated: no verdict yet.
    expect(await page.locator('#outcome').textContent()).toContain('Not determined yet: 3 of 5 criteria still to rate');
    expect(await page.getByLabel('Evidence for Independence').inputValue()).toBe('Film collective; no party or government ties.');
    await press(page, 'Submit the values check');
    expect(await page.locator('#f-ratings-transparency-rating-error').textContent()).toContain('Rate “Transparency”');
    expect(await page.getByLabel('Evidence for Independence').inputValue()).toBe('Film collective; no party or government ties.');
    expect(await page.getByRole('radiogroup', { name: 'Rating for Non-discrimination' }).getByLabel('Unknown').isChecked()).toBe(true);
    await visit(page, '20-nojs-values-errors');

    // Save a draft, come back later: it is prefilled.
    await press(page, 'Save draft');
    await expectFlash(page, 'Draft saved');
    await page.goto(home);
    await page.goto(`${home}/steps/values`);
    expect(await page.getByLabel('Evidence for Independence').inputValue()).toBe('Film collective; no party or government ties.');
    expect(await page.getByText('Continuing your draft').count()).toBe(1);

    for (const c of ['Non-discrimination', 'Human-rights standards', 'Mutual respect', 'Transparency']) await rate(page, c, 'Meets');
    await press(page, 'Submit the values check');
    await page.waitForURL(/steps\/agenda$/);

    // Agenda rows without JavaScript: add and remove keep what was typed.
    await page.getByLabel('What the partner calls for (item 1)').fill('Close the Guantanamo detention facility');
    await press(page, /Add an agenda item/);
    await page.getByLabel('What the partner calls for (item 2)').fill('A placeholder item to remove');
    await press(page, /Add an agenda item/);
    await page.getByLabel('What the partner calls for (item 3)').fill('Support for the men still held');
    await press(page, 'Remove item 2');
    expect(await page.locator('.item-rows > li').count()).toBe(2);
    expect(await page.getByLabel('What the partner calls for (item 1)').inputValue()).toBe('Close the Guantanamo detention facility');
    expect(await page.getByLabel('What the partner calls for (item 2)').inputValue()).toBe('Support for the men still held');
    await visit(page, '21-nojs-agenda-rows');

    // Withdraw, with a confirmation page and a reason.
    await page.goto(home);
    await page.getByRole('link', { name: /Withdraw this proposal/ }).click();
    await page.waitForURL(/withdraw$/);
    await press(page, 'Withdraw the proposal');
    expect(await page.locator('#f-reason-error').textContent()).toContain('Say why');
    await visit(page, '22-nojs-withdraw');
    await page.getByLabel('Reason').fill('The collective cancelled the screening.');
    await press(page, 'Withdraw the proposal');
    await page.waitForURL(/\/proposals\/\d+$/);
    expect(await page.locator('.proposal-head .tag').first().textContent()).toBe('Withdrawn');
    expect(await page.locator('.timeline').getByText('The collective cancelled the screening.').count()).toBe(1);
    await page.context().close();
  });
});
