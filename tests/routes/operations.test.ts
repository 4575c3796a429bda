import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeResponse } from '../support/fake-response';
import { sqlGet, sqlRun } from '../support/sql';
import { requestIdOf } from '../../app/http/operations';
import { startApp, type TestApp } from '../support/app-server';

// /healthz, /readyz and the request log, over HTTP against the built app.

process.env.LOG_FORMAT = 'json';
let app: TestApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app.close();
  delete process.env.LOG_FORMAT;
});

/** The JSON lines the app writes while `work` runs. */
async function logLinesDuring(work: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await work();
    // The line is written when the answer has been sent; give the event loop a turn.
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    spy.mockRestore();
  }
  return lines.flatMap((chunk) => chunk.split('\n')).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('probes', () => {

  it('/healthz answers 200 without a session, a cookie or the database', async () => {
    const response = await app.fetch('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('/readyz answers 200 when the database is reachable and fully migrated', async () => {
    const response = await app.fetch('/readyz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready' });
  });

  it('/readyz answers 503 with a short reason when a migration is pending', async () => {
    const last = sqlGet<{ name: string }>('SELECT name FROM kysely_migration ORDER BY name DESC LIMIT 1')!;
    sqlRun('DELETE FROM kysely_migration WHERE name = ?', last.name);
    try {
      const response = await app.fetch('/readyz');
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'not ready', reason: `migrations pending: 1 (first ${last.name})` });
    } finally {
      sqlRun('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)', last.name, new Date().toISOString());
    }
  });

  it('/readyz answers 503 when a newer release migrated the database', async () => {
    sqlRun('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)', '2099-01-01-9999-from-the-future', new Date().toISOString());
    try {
      const response = await app.fetch('/readyz');
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'not ready', reason: 'database has 1 migration(s) this version does not know' });
    } finally {
      sqlRun('DELETE FROM kysely_migration WHERE name = ?', '2099-01-01-9999-from-the-future');
    }
  });

  it('/readyz answers 503 when the database has no migrations at all', async () => {
    sqlRun('ALTER TABLE kysely_migration RENAME TO kysely_migration_aside');
    try {
      const response = await app.fetch('/readyz');
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'not ready', reason: 'database not migrated' });
    } finally {
      sqlRun('ALTER TABLE kysely_migration_aside RENAME TO kysely_migration');
    }
  });
});

describe('request ids and JSON-line logs', () => {
  it('keeps a sane incoming X-Request-Id and replaces anything else', () => {
    expect(requestIdOf('lb-2f6c1e9a-0001')).toBe('lb-2f6c1e9a-0001');
    for (const bad of [undefined, '', 'short', 'has spaces in it', 'x'.repeat(129), 'new\nline-injected-1234']) {
      const id = requestIdOf(bad);
      expect(id).not.toBe(bad);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('writes one line per request with its id, method, path without the query, status and time', async () => {
    let response: Response | undefined;
    const lines = await logLinesDuring(async () => {
      response = await app.fetch('/auth/oidc/callback?code=secret-code&state=secret-state', { headers: { 'X-Request-Id': 'proxy-req-000123' } });
      await response.arrayBuffer();
    });
    expect(response!.headers.get('x-request-id')).toBe('proxy-req-000123');
    const line = lines.find((l) => l.requestId === 'proxy-req-000123');
    expect(line).toMatchObject({ level: 'info', msg: 'request', method: 'GET', path: '/auth/oidc/callback', status: response!.status });
    expect(typeof line!.ms).toBe('number');
    expect(typeof line!.time).toBe('string');
    expect(JSON.stringify(lines)).not.toContain('secret-code');
    expect(JSON.stringify(lines)).not.toContain('secret-state');
  });

  it('logs a partner questionnaire path without its token, which opens the questionnaire to whoever reads the log', async () => {
    const token = 'TokenOfAPartnerLinkNeverToBeLogged0123456789';
    const lines = await logLinesDuring(async () => {
      await (await app.fetch(`/q/${token}`, { headers: { 'X-Request-Id': 'partner-req-0001' } })).arrayBuffer();
    });
    expect(lines.find((l) => l.requestId === 'partner-req-0001')).toMatchObject({ msg: 'request', method: 'GET', path: '/q/…' });
    expect(JSON.stringify(lines)).not.toContain(token);
  });

  it('makes an id when none is sent, and sends it back', async () => {
    const lines = await logLinesDuring(async () => {
      const response = await app.fetch('/login');
      await response.arrayBuffer();
      const id = response.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      return id;
    });
    expect(lines.some((l) => l.path === '/login' && l.status === 200 && typeof l.requestId === 'string')).toBe(true);
  });

  it('does not log passing probes (a probe every few seconds would drown the rest)', async () => {
    const lines = await logLinesDuring(async () => {
      await (await app.fetch('/healthz')).arrayBuffer();
    });
    expect(lines.filter((l) => l.path === '/healthz')).toEqual([]);
  });
});

describe('errors', () => {
  it('logs an unhandled error on one JSON line with the request id, and answers with that id', async () => {
    const { errorLog } = await import('../../app/http/operations');
    const lines: string[] = [];
    const { res, sent } = fakeResponse('req-error-0001');
    const req = { method: 'POST', path: '/review/7' };
    errorLog({ json: true, write: (line) => lines.push(line) })(new Error('disk on fire'), req as never, res as never, () => {});
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', msg: 'unhandled error', requestId: 'req-error-0001', method: 'POST', path: '/review/7', error: 'disk on fire' });
    expect(sent).toEqual({ status: 500, body: 'Something went wrong on our side. Reference: req-error-0001' });
  });
});
