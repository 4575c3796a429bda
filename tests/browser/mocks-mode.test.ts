import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/db';
import { checkA11y, launchBrowser } from './support';

// `MOCKS=true npm start`, the documented way to try every feature offline: the real server.ts in a
// child process (outside services answered by tests/mocks), on a copy of the demo database, walked
// in Chromium with JavaScript on. Once, a proposal created here answered "Something went wrong",
// redirects after a POST went to ".../null" and a refused Approve showed "Application Error".

let server: ChildProcess;
let baseURL = '';
let browser: Browser;
let output = '';

beforeAll(async () => {
  const base = process.env.COSPONSOR_TEST_DEMO_DB;
  if (!base) throw new Error('The test databases were not prepared: run tests through vitest.');
  const database = path.join(tempDir('cosponsor-mocks-'), 'mocks.db');
  fs.copyFileSync(base, database);
  // What `npm start` runs after its build (the build is made before the browser tests).
  // Not production (no SESSION_SECRET needed), as `npm start` runs it on a laptop.
  const env = { ...process.env, MOCKS: 'true', PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: database };
  server = spawn(process.execPath, [path.resolve('build/server/server.js')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  baseURL = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`build/server/server.js did not start:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Cosponsor on (http:\/\/[^\s]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    server.stdout!.on('data', read);
    server.stderr!.on('data', read);
    server.on('exit', (code) => reject(new Error(`server.ts exited (${code}):\n${output}`)));
  });
  expect(output).toContain('MOCKS=true');
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
});

async function signedIn(email: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, javaScriptEnabled: true, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill('cosponsor-demo');
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login')), page.getByRole('button', { name: 'Sign in' }).click()]);
  return page;
}

/** What the page shows when the app failed rather than answered. */
async function expectNoCrash(page: Page) {
  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(/Something went wrong|Application Error/);
  expect(new URL(page.url()).pathname).not.toMatch(/\/null$/);
}

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

describe('MOCKS=true npm start, with JavaScript on', () => {
  it('a lead proposes a partnership from the home page and lands on the new draft', async () => {
    const page = await signedIn('lead@cosponsor.test');
    await page.getByRole('link', { name: /Propose a partnership|New proposal/ }).first().click();
    await page.waitForURL(/\/proposals\/new/);
    await expectNoCrash(page);
    await page.getByLabel('Partner group’s name').fill('Offline Mode Solidarity Circle');
    await page.getByRole('button', { name: 'Search partners' }).click();
    await page.getByRole('link', { name: /create a new partner/i }).click();
    await page.waitForURL(/new=1/);
    await expectNoCrash(page);
    await page.getByLabel('Website').fill('https://offline-circle.example.org');
    await page.getByLabel('About the group').fill('A neighbourhood circle that runs film nights.');
    await page.getByLabel('Event title').fill('Film night: offline mode');
    await page.getByLabel('Event date').fill(inDays(45));
    await page.getByLabel('Place').fill('Chicago Public Library, Room 3');
    await page.getByLabel('Description').fill('A screening and a discussion with a chapter speaker.');
    await page.getByLabel(/^Co-hosting/).check();
    await page.getByLabel('Campaign').selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Create the draft proposal' }).click();
    await page.waitForURL(/\/proposals\/\d+$/);
    await expect.poll(() => page.locator('.flash').textContent(), { timeout: 5000 }).toContain('created as a draft');
    await expectNoCrash(page);
    await checkA11y(page, 'mocks: new draft');

    // The redirect after the next POST goes to the values step, not to ".../null".
    await page.getByRole('button', { name: 'Submit for vetting' }).click();
    await page.waitForURL(/\/steps\/values$/);
    await expectNoCrash(page);
    await page.context().close();
  });

  it('staff see a refused Approve as a message next to the field, not an application error', async () => {
    const page = await signedIn('staff@cosponsor.test');
    await page.goto('/review');
    const first = page.locator('table a[href^="/review/"]').first();
    await first.click();
    await page.waitForURL(/\/review\/\d+$/);
    const approve = page.getByTestId('approve-form');
    // An end date past the 12-month limit, which the browser would otherwise stop before sending.
    await approve.getByLabel('Approved until').evaluate((input: HTMLInputElement) => {
      input.removeAttribute('max');
      input.value = '2099-01-01';
    });
    await approve.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => approve.locator('#approve-end-error').count(), { timeout: 5000 }).toBe(1);
    await expectNoCrash(page);
    expect(await approve.getByLabel('Approved until').getAttribute('aria-invalid')).toBe('true');
    await checkA11y(page, 'mocks: refused approve');
    await page.context().close();
  });
});
