import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { startApp, type TestApp } from '../support/app-server';

// Debian's Chromium driven by playwright-core, against the real built app.

export const SCREENSHOT_DIR = path.resolve('tests/browser/screenshots');

export function chromiumPath(): string {
  const candidate = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(candidate)) {
    throw new Error('Chromium not found: install it with "apt-get install -y chromium" (Debian) or set CHROMIUM_PATH');
  }
  return candidate;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export type BrowserEnv = { app: TestApp; browser: Browser; close: () => Promise<void> };

/** The app (on this file's database copy) and a browser; close both at the end. */
export async function startBrowserEnv(): Promise<BrowserEnv> {
  const app = await startApp();
  const browser = await launchBrowser();
  return {
    app,
    browser,
    close: async () => {
      await browser.close();
      await app.close();
    },
  };
}

// Pages whose context runs no JavaScript: axe-core cannot be injected into them.
const scriptless = new WeakSet<Page>();
const browserOf = new WeakMap<Page, { browser: Browser; baseURL: string }>();

/** A fresh context (own cookies) whose relative URLs resolve against the app. */
export async function newPage(env: BrowserEnv, options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
  const context = await env.browser.newContext({
    baseURL: env.app.url,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: { width: 1280, height: 900 },
  });
  // Fail fast: a missing element is a failure, not a 30 s wait.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  if (options.javaScriptEnabled === false) scriptless.add(page);
  browserOf.set(page, { browser: env.browser, baseURL: env.app.url });
  return page;
}

/** Signs in through the real form; the page must come from newPage (relative URLs). */
export async function signIn(page: Page, email: string, password = 'cosponsor-demo'): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login')), page.getByRole('button', { name: 'Sign in' }).click()]);
}

export const isScriptless = (page: Page) => scriptless.has(page);

/**
 * Clicks a submit button and waits until the page has settled: with JavaScript, until the page's
 * main region is no longer aria-busy (the action, any redirect and the loaders); without, until the
 * browser has loaded the answer.
 */
export async function submitWith(page: Page, button: ReturnType<Page['getByRole']>): Promise<void> {
  if (scriptless.has(page)) {
    await Promise.all([page.waitForEvent('load'), button.click()]);
    return;
  }
  await button.click();
  // The submission may take a moment to start (route discovery); then wait for it to end.
  await page
    .locator('main[aria-busy="true"]')
    .waitFor({ state: 'attached', timeout: 1500 })
    .catch(() => undefined);
  await page.locator('main[aria-busy="false"]').waitFor({ state: 'attached' });
}

export type A11yViolation = { id: string; impact: string | null | undefined; help: string; targets: string[] };

/** Runs axe-core on the page and fails on any serious or critical violation (named in the message). */
export async function checkA11y(page: Page, name: string): Promise<A11yViolation[]> {
  let target = page;
  if (scriptless.has(page)) {
    // Audit the exact HTML the script-less page shows, in a scratch page that runs axe (scripts stripped).
    const { browser, baseURL } = browserOf.get(page)!;
    const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '').replace('<head>', `<head><base href="${baseURL}/">`);
    const scratch = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    target = await scratch.newPage();
    await target.setContent(html, { waitUntil: 'load' });
  }
  const results = await new AxeBuilder({ page: target }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  if (target !== page) await target.context().close();
  const bad: A11yViolation[] = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  expect(bad, `accessibility violations on ${name}: ${JSON.stringify(bad, null, 2)}`).toEqual([]);
  return bad;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^a-z0-9-]+/gi, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
