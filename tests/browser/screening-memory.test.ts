import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordScreeningAnswer } from '../../app/features/outside/screening.server';
import { matchAnswer, designationResult } from '../../db/seed-data/screening-fixtures';
import { newPartner, proposalInReview } from '../integration/review-fixtures';
import { checkA11y, newPage, screenshot, signIn, startBrowserEnv, submitWith, type BrowserEnv } from './support';

// Issue 17, item 3 in Chromium: staff mark a screening hit "not a true match" with a reason; it
// leaves the new hits and is kept, on demand, under the hits judged so.

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
});
afterAll(async () => {
  await env?.close();
});

describe('the screening page', () => {
  it('keeps a short reason with its error without JavaScript, then moves the judged hit under "judged"', async () => {
    const partnerId = newPartner('Bayyina Students for Justice');
    const id = proposalInReview({ partnerId, title: 'Screened in the browser: a teach-in' });
    recordScreeningAnswer({ partnerId, proposalId: id, stage: 'creation', answer: matchAnswer([designationResult], null), source: 'test fixture' });
    const hitButton = `Not a true match: ${designationResult.caption}`;
    const reasonLabel = `Why is “${designationResult.caption}” not this partner? (required)`;

    // Without JavaScript: a reason too short comes back beside its field, as typed.
    const tom = await newPage(env, { javaScriptEnabled: false });
    await signIn(tom, 'staff2@cosponsor.test');
    await tom.goto(`/review/${id}`);
    await tom.getByRole('link', { name: 'Judge the hits, or see those judged' }).click();
    expect(new URL(tom.url()).pathname).toBe(`/review/${id}/screening`);
    await tom.getByLabel(reasonLabel).fill('no');
    await submitWith(tom, tom.getByRole('button', { name: hitButton }));
    expect(await tom.getByLabel(reasonLabel).inputValue()).toBe('no');
    expect(await tom.locator('[data-testid="new-hit"]').textContent()).toContain('at least 10 characters');
    await checkA11y(tom, 'screening page with a refused reason (no JavaScript)');
    await tom.context().close();

    // With JavaScript: the judgment is recorded; the hit leaves the new ones and shows under "judged" on demand.
    const priya = await newPage(env);
    await signIn(priya, 'staff@cosponsor.test');
    await priya.goto(`/review/${id}/screening`);
    await checkA11y(priya, 'screening page with a new hit');
    const reason = 'Registered in Ramallah since 2004; this partner is a campus group founded in Chicago in 2019.';
    await priya.getByLabel(reasonLabel).fill(reason);
    await submitWith(priya, priya.getByRole('button', { name: hitButton }));
    await expect.poll(() => priya.locator('.flash').textContent(), { timeout: 5000 }).toContain('is not a true match');
    expect(await priya.getByRole('heading', { name: 'New hits (0)' }).count()).toBe(1);
    expect(await priya.locator('[data-testid="new-hit"]').count()).toBe(0);
    const judged = priya.locator('[data-testid="judged-hit"]');
    expect(await judged.isVisible()).toBe(false);
    await priya.getByText('Show the judged hit').click();
    expect(await judged.isVisible()).toBe(true);
    const text = (await judged.textContent()) ?? '';
    expect(text).toContain(designationResult.caption);
    expect(text).toContain('Priya Raman');
    expect(text).toContain(reason);
    await checkA11y(priya, 'screening page with a judged hit');
    await screenshot(priya, 'screening-memory-judged');

    // The dossier shows no hit to weigh, and says one was judged.
    await priya.goto(`/review/${id}`);
    expect(await priya.locator('[data-testid="screening-hit"]').count()).toBe(0);
    expect(await priya.locator('[data-testid="screening-memory-link"]').textContent()).toContain('1 of 1 hits judged not a true match');
    await priya.context().close();
  });
});
