// Files in public/ are served as before, and a page's request no longer looks at the disk for
// one first (a stat per request was about 3% of a web worker's time under the page mix).
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApp, type TestApp } from '../support/app-server';

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());

describe('public files', () => {
  it('serves the favicon and the build files', async () => {
    const icon = await app.fetch('/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toContain('image/svg+xml');
    const login = await (await app.fetch('/login')).text();
    const script = /src="(\/build\/entry\.client-[^"]+\.js)"/.exec(login)?.[1] ?? /href="(\/build\/entry\.client-[^"]+\.js)"/.exec(login)?.[1];
    expect(script).toBeTruthy();
    const js = await app.fetch(script!);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toContain('immutable');
  });

  it('answers a page without a look for a file of that name', async () => {
    const stat = vi.spyOn(fs, 'stat');
    try {
      const response = await app.fetch('/login');
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      const looked = stat.mock.calls.map(([file]) => String(file)).filter((file) => file.includes('public'));
      expect(looked).toEqual([]);
    } finally {
      stat.mockRestore();
    }
  });
});
