import type { Server } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServerBuild } from '@remix-run/node';
import { createApp } from '../../app/http.server';
import { answerClientErrors } from '../../app/http/client-errors';

// Route tests run the real built app (npm test builds it first) over HTTP on a
// loopback port, against this test file's database copy.

let loads = 0;

export type TestApp = {
  url: string;
  close: () => Promise<void>;
  /** A fetch that sends the Origin header our POSTs must carry, and keeps no cookies. */
  fetch: (pathname: string, init?: RequestInit & { cookie?: string }) => Promise<Response>;
  login: (email: string, password?: string) => Promise<string>;
  post: (pathname: string, form: Record<string, string | string[]>, cookie?: string) => Promise<Response>;
};

export async function startApp(): Promise<TestApp> {
  if (!process.env.DATABASE_PATH && !process.env.DATABASE_URL) throw new Error('DATABASE_PATH (or DATABASE_URL) must point at the test database first.');
  // A fresh module instance per start, so the build opens the current DATABASE_PATH.
  const buildUrl = `${pathToFileURL(path.resolve('build/index.js')).href}?load=${++loads}`;
  const build = (await import(buildUrl)) as ServerBuild;
  const app = createApp({ build, mode: 'production' });
  const server: Server = await new Promise((resolve) => {
    const s = answerClientErrors(app.listen(0, '127.0.0.1', () => resolve(s)));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;

  const fetchApp: TestApp['fetch'] = (pathname, init = {}) => {
    const headers = new Headers(init.headers);
    if (init.cookie) headers.set('Cookie', init.cookie);
    if (!headers.has('Origin') && init.method && init.method !== 'GET') headers.set('Origin', url);
    return fetch(`${url}${pathname}`, { redirect: 'manual', ...init, headers });
  };

  const post: TestApp['post'] = (pathname, form, cookie) => {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(form)) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
    }
    return fetchApp(pathname, { method: 'POST', body, cookie });
  };

  const login: TestApp['login'] = async (email, password = 'cosponsor-demo') => {
    const response = await post('/login', { email, password });
    const setCookie = response.headers.get('set-cookie') ?? '';
    const match = /cosponsor_session=([^;]+)/.exec(setCookie);
    if (response.status !== 302 || !match) throw new Error(`Sign-in as ${email} failed with ${response.status}`);
    return `cosponsor_session=${match[1]}`;
  };

  return {
    url,
    fetch: fetchApp,
    post,
    login,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
