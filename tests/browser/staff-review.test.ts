import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proposalRow } from '../../db/proposals';
import { demoProposalId, newPartner, proposalInReview, leadWhoIsStaff } from '../integration/review-fixtures';
import { checkA11y, newPage, screenshot, signIn, startBrowserEnv, type BrowserEnv } from './support';

// Staff review in Chromium: the queue, the dossier and each decision, the
// four-eyes rule, and two staff deciding the same proposal at once. Every
// page visited is checked with axe-core.

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
});
afterAll(async () => {
  await env?.close();
});

async function visit(page: Page, name: string) {
  await checkA11y(page, name);
  await screenshot(page, `staff-${name}`);
}

/** Clicks a submit button and waits for what it leads to (a navigation or the re-rendered form). */
async function press(page: Page, scope: ReturnType<Page['getByTestId']> | Page, name: string) {
  await Promise.all([page.waitForLoadState('load'), scope.getByRole('button', { name, exact: true }).click()]);
  await page.waitForLoadState('networkidle');
}

describe('staff review in the browser', () => {
  it('approves with conditions from the queue, and the chapter lead sees them', async () => {
    const id = demoProposalId('A Fair Shot');
    const page = await newPage(env);
    await signIn(page, 'staff@cosponsor.test');
    await page.goto('/review');
    const row = page.locator(`tr[data-proposal="${id}"]`);
    expect(await row.count()).toBe(1);
    await visit(page, 'queue');

    await row.getByRole('link', { name: /A Fair Shot/ }).click();
    await page.waitForURL(`/review/${id}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('A Fair Shot');
    for (const heading of ['Precedent: this partner before', '1. Values compatibility', '3. Risks and benefits', 'Decision record', 'Decision']) {
      expect(await page.getByRole('heading', { name: heading, exact: true }).count(), heading).toBe(1);
    }
    expect(await page.getByTestId('decision-refusal').count()).toBe(0);
    await visit(page, 'dossier');

    const form = page.getByTestId('approve-form');
    const endDate = await form.getByLabel('Approved until').inputValue();
    expect(endDate).toBe(proposalRow(id)!.event_date);
    await form
      .getByLabel('Conditions (optional)')
      .fill('The flyer uses the approved campaign description only.\nThe chapter lead sends the final flyer to staff before sharing it.');
    await press(page, form, 'Approve');
    await page.waitForURL('/review');
    expect(await page.getByRole('status').textContent()).toContain('Approved');
    expect(await page.locator(`tr[data-proposal="${id}"]`).count()).toBe(0);
    await page.context().close();

    const lead = await newPage(env);
    await signIn(lead, 'lead2@cosponsor.test');
    await lead.goto(`/proposals/${id}`);
    const body = await lead.locator('main').textContent();
    expect(body).toContain('The flyer uses the approved campaign description only.');
    expect(body).toContain('The chapter lead sends the final flyer to staff before sharing it.');
    await visit(lead, 'lead-sees-conditions');
    await lead.goto('/inbox');
    expect(await lead.getByTestId('inbox').textContent()).toContain('Approved');
    await visit(lead, 'lead-inbox');
    await lead.context().close();
  });

  it('rejects with a rationale, refusing an empty one beside the field', async () => {
    const id = proposalInReview({ partnerId: newPartner('Browser Reject Group'), title: 'Browser reject evening' });
    const page = await newPage(env);
    await signIn(page, 'staff2@cosponsor.test');
    await page.goto(`/review/${id}`);
    const form = page.getByTestId('reject-form');
    // The browser's own check would stop an empty field; a too-short one reaches the server.
    await form.getByLabel('Rationale (required)').evaluate((el) => el.removeAttribute('minlength'));
    await form.getByLabel('Rationale (required)').fill('No.');
    await press(page, form, 'Reject');
    expect(await form.getByLabel('Rationale (required)').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#reject-rationale-error').textContent()).toContain('at least 10 characters');
    await visit(page, 'reject-error');
    await form.getByLabel('Rationale (required)').fill('The partner would not accept the perception conditions in writing.');
    await press(page, form, 'Reject');
    await page.waitForURL('/review');
    expect(proposalRow(id)!.state).toBe('rejected');
    await page.context().close();
  });

  it('requests changes, the lead fixes the step and resubmits, and staff approve', async () => {
    const id = proposalInReview({ partnerId: newPartner('Browser Changes Group'), title: 'Browser changes evening' });
    const staff = await newPage(env);
    await signIn(staff, 'staff@cosponsor.test');
    await staff.goto(`/review/${id}`);
    const changes = staff.getByTestId('changes-form');
    await changes.getByLabel('Return to the step').selectOption('mou');
    await changes.getByLabel('What needs to change (required)').fill('Say why no MOU is needed for a co-listing with a public petition.');
    await press(staff, changes, 'Request changes');
    await staff.waitForURL('/review');
    expect(proposalRow(id)!.state).toBe('mou');

    const lead = await newPage(env);
    await signIn(lead, 'lead@cosponsor.test');
    await lead.goto(`/proposals/${id}`);
    expect(await lead.locator('main').textContent()).toContain('Say why no MOU is needed for a co-listing with a public petition.');
    await lead.getByRole('link', { name: /Fix MOU draft/ }).first().click();
    await lead.waitForURL(`/proposals/${id}/steps/mou`);
    await lead.getByLabel('Why is no MOU needed?').fill('A one-off co-listing: the petition runs under the partner’s name only, on its own table.');
    await Promise.all([
      lead.waitForURL((url) => url.pathname === `/proposals/${id}`),
      lead.getByRole('button', { name: 'Record “MOU not needed” and send to staff' }).click(),
    ]);
    expect(proposalRow(id)!.state).toBe('review');
    await lead.context().close();

    await staff.goto(`/review/${id}`);
    expect(await staff.getByTestId('mou-section').textContent()).toContain('the petition runs under the partner’s name only');
    await press(staff, staff.getByTestId('approve-form'), 'Approve');
    await staff.waitForURL('/review');
    expect(proposalRow(id)!.state).toBe('approved');
    await staff.context().close();
  });

  it('classifies an unknown agenda item onto a position added to the catalog; the classifier then cannot decide', async () => {
    const id = proposalInReview({
      partnerId: newPartner('Browser Classify Group'),
      title: 'Browser classify evening',
      agenda: [
        { text: 'Unimpeded humanitarian aid into Gaza', scope: 'event', classification: 'aligned', positionKey: 'unimpeded_humanitarian_aid' },
        { text: 'Stop tear gas exports to police forces abroad', scope: 'general', classification: 'unknown', positionKey: null },
      ],
    });
    const page = await newPage(env);
    await signIn(page, 'staff@cosponsor.test');
    await page.goto('/review?flag=unknown_items');
    expect(await page.locator(`tr[data-proposal="${id}"]`).count()).toBe(1);
    await page.goto(`/review/${id}`);
    expect(await page.getByTestId('agenda-unknown').textContent()).toContain('Stop tear gas exports');
    const item = page.locator('form[data-testid^="classify-"]');
    await item.getByLabel('Classification').selectOption('aligned');
    await item.getByText('Or add a new position to the catalog').click();
    await item.getByLabel('Statement of the new position').fill('Stop exports of tear gas and other riot-control agents used against peaceful protesters');
    await item.getByLabel('The organization…').selectOption('calls_for');
    await visit(page, 'classify');
    await press(page, item, 'Classify this item');
    await page.waitForURL(`/review/${id}`);
    expect(await page.getByRole('status').textContent()).toContain('Agenda item classified');
    expect(await page.getByTestId('agenda-unknown').count()).toBe(0);
    expect(await page.locator('.agenda-map').textContent()).toContain('Stop exports of tear gas and other riot-control agents');
    expect(await page.getByTestId('decision-refusal').first().textContent()).toContain('You made the last change to this proposal');
    await page.context().close();
  });

  it('shows the proposer who is also staff the decision controls disabled, with the reason', async () => {
    await leadWhoIsStaff('browser-both@cosponsor.test', 'Jordan Both');
    const id = proposalInReview({ lead: 'browser-both@cosponsor.test', partnerId: newPartner('Browser Own Group'), title: 'Own proposal evening' });
    const page = await newPage(env);
    await signIn(page, 'browser-both@cosponsor.test');
    await page.goto(`/review/${id}`);
    const refusal = page.getByTestId('decision-refusal').first();
    expect(await refusal.textContent()).toContain('You proposed this partnership: another staff member must decide it (four-eyes rule).');
    for (const name of ['Approve', 'Reject', 'Request changes']) {
      expect(await page.getByTestId('decision').getByRole('button', { name, exact: true }).isDisabled()).toBe(true);
    }
    await visit(page, 'four-eyes');
    expect(proposalRow(id)!.state).toBe('review');
    await page.context().close();
  });

  it('records one decision when two staff decide at once; the other sees what changed, with their text kept', async () => {
    const id = proposalInReview({ partnerId: newPartner('Browser Race Group'), title: 'Browser race evening' });
    const first = await newPage(env);
    const second = await newPage(env);
    await signIn(first, 'staff@cosponsor.test');
    await signIn(second, 'staff2@cosponsor.test');
    await Promise.all([first.goto(`/review/${id}`), second.goto(`/review/${id}`)]);

    await first.getByTestId('approve-form').getByLabel('Conditions (optional)').fill('Staff see the flyer first.');
    const rationale = 'The partner refused to put the disclaimer on the flyer.';
    await second.getByTestId('reject-form').getByLabel('Rationale (required)').fill(rationale);
    await Promise.all([
      press(first, first.getByTestId('approve-form'), 'Approve'),
      press(second, second.getByTestId('reject-form'), 'Reject'),
    ]);

    const states = [first.url(), second.url()];
    const winner = states[0]!.endsWith('/review') ? first : second;
    const loser = winner === first ? second : first;
    expect(new URL(winner.url()).pathname).toBe('/review');
    expect(new URL(loser.url()).pathname).toBe(`/review/${id}`);
    const failure = loser.getByTestId('decision-failure');
    expect(await failure.textContent()).toContain('This proposal changed while you were deciding');
    expect(await loser.getByTestId('changes-since').locator('li').count()).toBe(1);
    if (loser === second) {
      expect(await failure.textContent()).toMatch(/Approved\s+by Priya Raman/);
      expect(await second.getByTestId('reject-form').getByLabel('Rationale (required)').inputValue()).toBe(rationale);
    } else {
      expect(await failure.textContent()).toMatch(/Rejected\s+by Tom Kessler/);
      expect(await first.getByTestId('approve-form').getByLabel('Conditions (optional)').inputValue()).toBe('Staff see the flyer first.');
    }
    await visit(loser, 'changed-meanwhile');
    expect(['approved', 'rejected']).toContain(proposalRow(id)!.state);
    await first.context().close();
    await second.context().close();
  });

  it('lists re-vetting and the inbox without accessibility problems', async () => {
    const page = await newPage(env);
    await signIn(page, 'staff@cosponsor.test');
    await page.goto('/review/revetting');
    expect(await page.getByRole('heading', { level: 1, name: 'Re-vetting due' }).count()).toBe(1);
    await visit(page, 'revetting');
    await page.goto('/inbox');
    expect(await page.getByTestId('inbox').textContent()).toContain('New in review');
    await visit(page, 'staff-inbox');
    await press(page, page, 'Mark all read');
    expect(await page.getByRole('status').textContent()).toMatch(/Marked \d+ messages? read/);
    expect(await page.locator('.badge').count()).toBe(0);
    await page.context().close();
  });
});
