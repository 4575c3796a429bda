import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proposalRow } from '../../db/proposals';
import { demoProposalId } from '../integration/review-fixtures';
import { proposalAt } from '../integration/step-fixtures';
import { checkA11y, newPage, screenshot, signIn, startBrowserEnv, type BrowserEnv } from './support';

// Layout as people see it, measured in Chromium: the header at desktop, small-laptop and phone
// widths, for each role's set of links and its name, role and chapter.

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
});
afterAll(async () => {
  await env?.close();
});

type Box = { x: number; y: number; width: number; height: number };
const roles = ['lead@cosponsor.test', 'staff@cosponsor.test', 'reviewer@cosponsor.test', 'admin@cosponsor.test'];

async function boxes(page: Page, selector: string): Promise<Box[]> {
  const all = await page.locator(selector).all();
  return Promise.all(all.map(async (l) => (await l.boundingBox())!));
}

/** The header's parts, each a box people must see whole: brand, every link, name, role, buttons. */
async function headerParts(page: Page) {
  return {
    brand: (await boxes(page, '.site-header .brand'))[0]!,
    links: await boxes(page, '.main-nav a'),
    whoami: await boxes(page, '.whoami__name, .whoami__role, .whoami a, .whoami button'),
  };
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;
const sameRow = (a: Box, b: Box) => a.y < b.y + b.height && b.y < a.y + a.height;

async function expectTidy(page: Page, width: number, who: string) {
  const { brand, links, whoami } = await headerParts(page);
  const parts = [brand, ...links, ...whoami];
  for (const part of parts) {
    expect(part.x, `${who} at ${width}px: a header part starts off-screen`).toBeGreaterThanOrEqual(0);
    expect(part.x + part.width, `${who} at ${width}px: a header part ends off-screen`).toBeLessThanOrEqual(width);
  }
  for (let i = 0; i < parts.length; i++) {
    for (let j = i + 1; j < parts.length; j++) {
      expect(overlaps(parts[i]!, parts[j]!), `${who} at ${width}px: header parts ${i} and ${j} overlap`).toBe(false);
    }
  }
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(scroll, `${who} at ${width}px: the page scrolls sideways`).toBeLessThanOrEqual(0);
  return { brand, links, whoami };
}

describe('site header', () => {
  it('keeps every role on one line at 1280 px: all links, then name, role and chapter', async () => {
    for (const email of roles) {
      const page = await newPage(env);
      await signIn(page, email);
      const { brand, links, whoami } = await expectTidy(page, 1280, email);
      const tops = links.map((l) => Math.round(l.y));
      expect(new Set(tops).size, `${email}: navigation links on more than one line (tops ${tops.join(', ')})`).toBe(1);
      for (const part of [brand, ...whoami]) expect(sameRow(part, links[0]!), `${email}: the header takes more than one line`).toBe(true);
      await screenshot(page, `layout-header-1280-${email.split('@')[0]}`);
      await page.context().close();
    }
  });

  it('wraps whole parts, never the links among themselves, at 1024 px', async () => {
    for (const email of roles) {
      const page = await newPage(env);
      await page.setViewportSize({ width: 1024, height: 800 });
      await signIn(page, email);
      const { links } = await expectTidy(page, 1024, email);
      const tops = links.map((l) => Math.round(l.y));
      expect(new Set(tops).size, `${email}: navigation links on more than one line (tops ${tops.join(', ')})`).toBe(1);
      await screenshot(page, `layout-header-1024-${email.split('@')[0]}`);
      await page.context().close();
    }
  });

  it('fits a 390 px phone without JavaScript, every link and button reachable by keyboard', async () => {
    for (const email of roles) {
      const page = await newPage(env, { javaScriptEnabled: false });
      await page.setViewportSize({ width: 390, height: 844 });
      await signIn(page, email);
      await expectTidy(page, 390, email);
      // Tab from the top: every header link and button takes focus, in reading order.
      const expected = await page.locator('.site-header a, .site-header button').evaluateAll((els) => els.map((e) => e.textContent?.trim()));
      const reached: (string | undefined)[] = [];
      for (let i = 0; i < expected.length + 1; i++) {
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => (document.activeElement?.closest('.site-header') ? document.activeElement.textContent?.trim() : null));
        if (focused !== null) reached.push(focused);
      }
      expect(reached, `${email}: keyboard order through the header`).toEqual(expected);
      await screenshot(page, `layout-header-390-${email.split('@')[0]}`);
      await page.context().close();
    }
  });
});

/** What sticks out past the edges of a phone's page: the page itself, or a cell of the given table or anything in one. */
async function offScreen(page: Page, table: string | null) {
  return page.evaluate((table) => {
    const width = document.documentElement.clientWidth;
    const cells = [...(table ? document.querySelectorAll(`${table} :is(td, th), ${table} :is(td, th) *`) : [])]
      .map((cell) => ({ cell, box: cell.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && (box.right > width + 0.5 || box.left < -0.5))
      .map(({ cell, box }) => `${cell.textContent?.trim().slice(0, 40)} (${Math.round(box.left)}-${Math.round(box.right)})`);
    return { sideways: document.documentElement.scrollWidth - width, cells };
  }, table);
}

describe('pages on a 390 px phone', () => {
  it('never scroll sideways, pass axe, and the wide tables turn into one card per row with every cell on screen', async () => {
    const defenders = demoProposalId('Defending the Defenders');
    const banTheScan = demoProposalId('Ban the Scan');
    const homes = demoProposalId('Homes Under Threat');
    const visits: [string, string, string | null][] = [
      // [who, page, a stacked table the page must show]
      ['staff@cosponsor.test', '/review', '[data-testid="review-queue"]'],
      ['staff@cosponsor.test', '/review/revetting', '[data-testid="revetting"]'],
      ['staff@cosponsor.test', `/proposals/${homes}/mou/versions`, 'section[aria-labelledby="versions-title"] table'],
      ['staff@cosponsor.test', `/review/${defenders}`, '#step-values table'],
      ['staff@cosponsor.test', `/review/${defenders}`, '#step-risk table.data'],
      ['staff@cosponsor.test', '/decisions?q=detention', '[data-testid="register-rows"]'],
      ['staff@cosponsor.test', `/partners/${proposalRow(defenders)!.partner_id}`, '[data-testid="partner-proposals"]'],
      ['lead2@cosponsor.test', `/proposals/${banTheScan}`, null],
      ['lead@cosponsor.test', `/proposals/${homes}/record`, null],
      ['reviewer@cosponsor.test', '/audit', null],
      ['admin@cosponsor.test', '/admin/deliveries', null],
      ['admin@cosponsor.test', '/admin/config/risk', 'section[aria-labelledby="history-title"] table'],
    ];
    let signedIn = '';
    let page: Page | undefined;
    for (const [email, path, table] of visits) {
      if (email !== signedIn) {
        await page?.context().close();
        page = await newPage(env);
        await page.setViewportSize({ width: 390, height: 844 });
        await signIn(page, email);
        signedIn = email;
      }
      await page!.goto(path);
      if (table) {
        const rows = page!.locator(`${table} tbody tr`);
        expect(await rows.count(), `${path}: ${table} has rows`).toBeGreaterThan(0);
      }
      const { sideways, cells } = await offScreen(page!, table);
      expect(sideways, `${path} scrolls sideways by ${sideways}px`).toBeLessThanOrEqual(0);
      expect(cells, `${path}: table cells or their content off-screen`).toEqual([]);
      // Axe at phone width too: a table left scrolling with nothing focusable in it fails here.
      await checkA11y(page!, `${path} at 390 px`);
      await screenshot(page!, `layout-390-${path}`);
    }
    await page?.context().close();
  });
});

describe('risk heat map on a 390 px phone', () => {
  it('keeps every word of the axis labels whole, each legend key on one line, and starts no legend line with a comma or full stop', async () => {
    // The staff's dossier, and the lead's risk step where the map sits in the narrower outcome panel.
    const visits: [string, string, string][] = [
      ['staff@cosponsor.test', `/review/${demoProposalId('Defending the Defenders')}`, '#step-risk .heatmap-figure'],
      ['lead@cosponsor.test', `/proposals/${proposalAt('risk', 'Phone heat map evening')}/steps/risk`, '.heatmap-figure'],
    ];
    for (const [email, path, selector] of visits) {
      const page = await newPage(env);
      await page.setViewportSize({ width: 390, height: 844 });
      await signIn(page, email);
      await page.goto(path);
      const found = await figureLayout(page.locator(selector));
      expect(found.offScreen, `${path}: heat map parts past the right edge`).toEqual([]);
      expect(found.splitKeys, `${path}: legend keys whose symbol and words are on different lines`).toEqual([]);
      expect(found.brokenWords, `${path}: axis label words broken across lines`).toEqual([]);
      expect(found.lineStarts, `${path}: legend lines starting with punctuation`).toEqual([]);
      await screenshot(page, `layout-390-heatmap-${path}`);
      await page.context().close();
    }
  });
});

/** How a heat map figure is laid out: words broken, punctuation starting lines, keys split, parts off-screen. */
function figureLayout(figure: Locator) {
  return figure.evaluate((fig) => {
    const range = document.createRange();
    // A word drawn on more than one line box was broken inside it.
    const brokenWords: string[] = [];
    for (const th of fig.querySelectorAll('th.axis')) {
      for (const node of [...th.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE)) {
        const text = node.textContent ?? '';
        for (const match of text.matchAll(/\S+/g)) {
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          if (lines.size > 1) brokenWords.push(match[0]);
        }
      }
    }
    // Punctuation drawn at the left edge of the paragraph begins a line.
    const lineStarts: string[] = [];
    for (const p of fig.querySelectorAll('p')) {
      const left = p.getBoundingClientRect().left;
      const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (const match of text.matchAll(/[,.]/g)) {
          range.setStart(node, match.index);
          range.setEnd(node, match.index + 1);
          const rect = range.getBoundingClientRect();
          if (rect.width > 0 && rect.left - left < 2) lineStarts.push(`${match[0]}${text.slice(match.index + 1, match.index + 20)}`);
        }
      }
    }
    // Each key's symbol and its words start on the same line.
    const splitKeys: string[] = [];
    for (const dot of fig.querySelectorAll('.heatmap-legend .dot')) {
      const words = dot.nextSibling;
      if (!words?.textContent?.trim()) continue;
      range.selectNodeContents(words);
      const first = [...range.getClientRects()].find((r) => r.width > 0);
      const mark = dot.getBoundingClientRect();
      if (first && (first.top > mark.bottom || first.bottom < mark.top)) splitKeys.push(words.textContent.trim());
    }
    const offScreen = [...fig.querySelectorAll('*')]
      .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .map((el) => el.textContent?.trim().slice(0, 30));
    return { brokenWords, lineStarts, splitKeys, offScreen };
  });
}

describe('insights charts on a 390 px phone', () => {
  it('draw their words at a readable size, the chart scrolling sideways inside a focusable region', async () => {
    const page = await newPage(env);
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, 'staff@cosponsor.test');
    await page.goto('/insights');
    const charts = page.locator('svg.chart');
    expect(await charts.count()).toBeGreaterThan(0);
    // The size each label is drawn at: its font size times the chart's scale on screen.
    const smallest = await charts.evaluateAll((svgs) =>
      Math.min(
        ...svgs.flatMap((svg) =>
          [...svg.querySelectorAll('text')].map((t) => Number(t.getAttribute('font-size') ?? 16) * ((svg as SVGSVGElement).getScreenCTM()?.a ?? 1)),
        ),
      ),
    );
    expect(smallest, 'smallest chart text in CSS pixels').toBeGreaterThanOrEqual(9);
    const { sideways } = await offScreen(page, null);
    expect(sideways, 'the page scrolls sideways').toBeLessThanOrEqual(0);
    // The wider chart scrolls in its own region, which the keyboard can reach and scroll.
    const region = page.getByRole('region', { name: /chart/ }).first();
    await region.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => region.evaluate((r) => r.scrollLeft)).toBeGreaterThan(0);
    await screenshot(page, 'layout-390-insights');
    await page.context().close();
  });
});
