import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServerBuild } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../support/app-server';
import { postRoutes, runFuzzCampaign, stillServing } from '../support/fuzz';

// A bounded fuzz campaign over every POST route of the built app (from its own
// route manifest): malformed posts never give a 500, never stop the server, and
// a refused post writes no row. Fixed seed: a failure reproduces exactly.
// bench/fuzz.ts runs the same campaign at 10,000 posts.

process.env.THROTTLE_DELAY_STEP_MS = '0';
// The outside services are off here: a post that gets through never waits on one.
delete process.env.SCREENING_URL;

let app: TestApp;
let build: ServerBuild;
beforeAll(async () => {
  app = await startApp();
  build = (await import(pathToFileURL(path.resolve('build/index.js')).href)) as ServerBuild;
});
afterAll(() => app.close());

describe('fuzzed posts', () => {
  it('covers every route with an action', () => {
    const routes = postRoutes(build).map((r) => r.pattern);
    expect(routes).toContain('/login');
    expect(routes).toContain('/proposals/:id/steps/agenda');
    expect(routes).toContain('/proposals/:id?index');
    expect(routes.length).toBeGreaterThanOrEqual(15);
  });

  it('400 malformed posts: no 500, no crash, no row written by a refused post', async () => {
    const report = await runFuzzCampaign(app, build, { posts: 400, seed: 20261128 });
    expect(report.serverErrors).toEqual([]);
    expect(report.writesOnRefusal).toEqual([]);
    expect(await stillServing(app)).toBe(true);
    // The campaign did reach past the HTTP layer, not only its refusals.
    const statuses = Object.keys(report.statuses).map(Number);
    expect(statuses).toContain(415);
    expect(statuses).toContain(400);
    expect(statuses.some((s) => s === 401 || s === 403 || s === 404 || s === 405 || s === 409)).toBe(true);
  }, 120_000);
});
