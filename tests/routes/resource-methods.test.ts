import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../support/app-server';
import { newPartner, proposalInReview } from '../integration/review-fixtures';

// The routes that answer with a file (CSV, JSON, Word, a key, an evidence file) take no posts.
// A post to one is refused as any other wrong method: 405, the methods it takes, and words a
// person can read, never "Unexpected Server Error".

let app: TestApp;
let staff: string;
let id: number;
beforeAll(async () => {
  app = await startApp();
  staff = await app.login('staff@cosponsor.test');
  id = proposalInReview({ partnerId: newPartner('Resource Methods Collective'), title: 'Resource route methods evening' });
});
afterAll(() => app.close());

describe('a post to a route that only serves a file', () => {
  const paths = () => [
    '/decisions.csv',
    '/insights.csv',
    '/audit/public-key',
    `/proposals/${id}/record.json`,
    `/proposals/${id}/mou.docx`,
    `/proposals/${id}/attachments/${'a'.repeat(64)}`,
  ];
  it('is refused with 405, an Allow header and a message', async () => {
    for (const path of paths()) {
      const response = await app.post(path, { anything: 'x' }, staff);
      const body = await response.text();
      expect(response.status, path).toBe(405);
      expect(response.headers.get('allow'), path).toMatch(/GET/);
      expect(body, path).not.toMatch(/Unexpected Server Error/i);
      expect(body, path).toMatch(/only be read|cannot be sent|does not take/i);
    }
  });
});

describe('every route that only serves a file', () => {
  it('refuses posts itself (exports an action), so a new one cannot answer "Unexpected Server Error"', async () => {
    const build = (await import(`${new URL('../../build/index.js', import.meta.url).href}?methods`)) as {
      routes: Record<string, { module: Record<string, unknown> }>;
    };
    const fileRoutes = Object.entries(build.routes).filter(([id, r]) => id !== 'root' && !('default' in r.module));
    expect(fileRoutes.length).toBeGreaterThanOrEqual(6);
    expect(fileRoutes.filter(([, r]) => typeof r.module.action !== 'function').map(([id]) => id)).toEqual([]);
  });
});
