import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { first, qb } from '../../db/connection';
import { checkA11y, newPage, signIn, startBrowserEnv, type BrowserEnv } from './support';

// Issue 15, item 7: the proposal pages' header and the dossier's read-only sections arrive as
// HTML from their loaders (components/server-markup.tsx). In Chromium: they hydrate without a
// mismatch, their links navigate inside the app (no reload) with JavaScript, and as plain links
// without it.

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
});
afterAll(() => env?.close());

const anyProposal = () => first(qb().selectFrom('proposals').select('id').orderBy('id'))!.id;
const inReview = () => first(qb().selectFrom('proposals').select('id').where('state', '=', 'review').orderBy('id'))!.id;

describe('parts rendered on the server', () => {
  it('follows a link of the proposal header inside the app, and hydrates the page cleanly', async () => {
    const page = await newPage(env);
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await signIn(page, 'staff@cosponsor.test');
    await page.goto(`/proposals/${anyProposal()}`);
    await page.locator('main[aria-busy="false"]').waitFor({ state: 'attached' });
    const breadcrumb = page.getByRole('navigation', { name: 'Breadcrumb' });
    await expect(breadcrumb.isVisible()).resolves.toBe(true);
    await checkA11y(page, 'proposal page with its server-rendered header');
    // A full reload would lose this mark.
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    await breadcrumb.getByRole('link', { name: 'Proposals' }).click();
    await page.waitForURL((url) => url.pathname === '/proposals');
    await page.locator('main[aria-busy="false"]').waitFor({ state: 'attached' });
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(problems).toEqual([]);
  });

  it('hydrates the dossier from the sections already in the page, and shows them again after a client navigation', async () => {
    const page = await newPage(env);
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await signIn(page, 'staff@cosponsor.test');
    const id = inReview();
    await page.goto(`/review/${id}`);
    await page.locator('main[aria-busy="false"]').waitFor({ state: 'attached' });
    // Taken from the page when it hydrated (the data it hydrated from holds only the parts' keys).
    await expect(page.getByRole('heading', { name: '1. Values compatibility' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('heading', { name: 'Designation and sanctions screening' }).isVisible()).resolves.toBe(true);
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    await page.getByRole('link', { name: '← Review queue' }).click();
    await page.waitForURL((url) => url.pathname === '/review');
    await page.goBack();
    await page.waitForURL((url) => url.pathname === `/review/${id}`);
    // Back through the router: the sections came with the navigation's data. The URL changes
    // before that data arrives, and the queue's main is still idle then, so wait for the sections
    // themselves (a timeout if they never come).
    await page.getByRole('heading', { name: '1. Values compatibility' }).waitFor({ state: 'visible' });
    await page.getByRole('heading', { name: 'Designation and sanctions screening' }).waitFor({ state: 'visible' });
    await page.locator('main[aria-busy="false"]').waitFor({ state: 'attached' });
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(problems).toEqual([]);
  });

  it('follows a link of the register table inside the app', async () => {
    const page = await newPage(env);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await signIn(page, 'staff@cosponsor.test');
    await page.goto('/decisions');
    await page.locator('main[aria-busy="false"]').waitFor({ state: 'attached' });
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    const reference = page.getByTestId('register-rows').locator('tbody tr').first().locator('a.register-when');
    const href = await reference.getAttribute('href');
    await reference.click();
    await page.waitForURL((url) => url.pathname === href);
    await page.locator('main[aria-busy="false"]').waitFor({ state: 'attached' });
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    // Back in the register through the router: its rows came with the navigation's data.
    await page.goBack();
    await page.waitForURL((url) => url.pathname === '/decisions');
    await page.getByTestId('register-rows').locator('tbody tr').first().waitFor({ state: 'visible' });
    expect(problems).toEqual([]);
  });

  it('shows the dossier sections, and its header links work without JavaScript', async () => {
    const page = await newPage(env, { javaScriptEnabled: false });
    await signIn(page, 'staff@cosponsor.test');
    await page.goto(`/review/${inReview()}`);
    await expect(page.getByRole('heading', { name: '1. Values compatibility' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('heading', { name: 'Designation and sanctions screening' }).isVisible()).resolves.toBe(true);
    await page.goto(`/proposals/${anyProposal()}`);
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Proposals' }).click();
    await page.waitForURL((url) => url.pathname === '/proposals');
  });
});
