import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPartner, proposalInReview } from '../integration/review-fixtures';
import { checkA11y, newPage, screenshot, signIn, startBrowserEnv, submitWith, type BrowserEnv } from './support';

// Issue 14, items 14 and 15 in Chromium: staff land on their queue, see how long each proposal has
// waited and take one so a colleague does not work it too; the proposal lists are paged.

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
});
afterAll(async () => {
  await env?.close();
});

describe('the review queue', () => {
  it('lets one staff member take a proposal, shows it to another, and lets it go', async () => {
    const title = 'Claimed in the browser: teach-in';
    const id = proposalInReview({ partnerId: newPartner('Browser Claim Network'), title });

    const priya = await newPage(env);
    await signIn(priya, 'staff@cosponsor.test');
    expect(new URL(priya.url()).pathname).toBe('/review');
    const row = priya.locator(`tr[data-proposal="${id}"]`);
    expect(await row.textContent()).toContain('0 days');
    await checkA11y(priya, 'queue with claim buttons');
    await submitWith(priya, row.getByRole('button', { name: `I’m reviewing this: ${title}` }));
    await expect.poll(() => priya.locator('.flash').textContent(), { timeout: 5000 }).toContain('You are reviewing');
    await expect.poll(() => row.textContent()).toContain('You are reviewing this');
    await screenshot(priya, 'claim-01-taken');

    // A colleague, without JavaScript, sees who took it and since when, and no button to take it.
    const tom = await newPage(env, { javaScriptEnabled: false });
    await signIn(tom, 'staff2@cosponsor.test');
    const tomRow = tom.locator(`tr[data-proposal="${id}"]`);
    expect(await tomRow.textContent()).toMatch(/Being reviewed by Priya Raman since \w{3} \d{1,2}, \d{4}/);
    expect(await tomRow.getByRole('button').count()).toBe(0);
    await checkA11y(tom, 'queue with a proposal taken by someone else');
    // The dossier says so too, and links to the partner page and the record.
    await tom.goto(`/review/${id}`);
    expect(await tom.getByRole('group', { name: 'Who is reviewing this' }).textContent()).toContain('Being reviewed by Priya Raman');
    expect(await tom.getByRole('link', { name: 'Partner page' }).getAttribute('href')).toMatch(/^\/partners\/\d+$/);
    expect(await tom.getByRole('link', { name: 'Decision record' }).getAttribute('href')).toBe(`/proposals/${id}/record`);
    await checkA11y(tom, 'dossier with its claim');

    // Priya lets go from the dossier; Tom can take it.
    await priya.goto(`/review/${id}`);
    await submitWith(priya, priya.getByRole('button', { name: `Let go: ${title}` }));
    await expect.poll(() => priya.locator('.flash').textContent(), { timeout: 5000 }).toContain('You let go');
    expect(new URL(priya.url()).pathname).toBe(`/review/${id}`);
    await tom.goto('/review');
    await submitWith(tom, tomRow.getByRole('button', { name: `I’m reviewing this: ${title}` }));
    expect(await tomRow.textContent()).toContain('You are reviewing this');
    await priya.context().close();
    await tom.context().close();
  });
});

describe('the proposal lists', () => {
  it('lands a lead on the grouped proposals and filters one group without JavaScript', async () => {
    const page = await newPage(env, { javaScriptEnabled: false });
    await signIn(page, 'lead@cosponsor.test');
    expect(new URL(page.url()).pathname).toBe('/proposals');
    await checkA11y(page, 'proposals overview');
    await page.getByRole('navigation', { name: 'Groups' }).getByRole('link', { name: /^Decided/ }).click();
    await page.waitForURL(/group=decided/);
    expect(await page.getByRole('heading', { level: 2 }).filter({ hasText: 'Decided' }).count()).toBe(1);
    expect(await page.locator('#group-drafts').count()).toBe(0);
    await page.getByLabel('Event, partner or reference').fill('zzz-no-such-proposal');
    await submitWith(page, page.getByRole('button', { name: 'Filter' }));
    expect(await page.getByTestId('proposals-empty').textContent()).toContain('No proposal matches these filters.');
    expect(await page.getByRole('navigation', { name: 'Groups' }).getByRole('link', { name: /^Decided/ }).textContent()).toContain('(0)');
    await checkA11y(page, 'proposals, one group filtered');
    await page.context().close();
  });
});
