import { http, HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  lookupOrganization,
  normalizeEin,
  prefillPartner,
  registryLookup,
  searchRegistry,
} from '../../app/features/outside/registry.server';
import { all, qb } from '../../db/connection';
import { freshDatabase } from '../support/db';
import { mockServer } from '../support/setup';
import { REGISTRY_BASE, organizationAnswer, registryFaults, registryOrganizations } from '../mocks/registry';

const ENV = ['REGISTRY_LOOKUP', 'REGISTRY_BASE_URL', 'REGISTRY_CACHE_TTL_HOURS', 'OUTSIDE_TIMEOUT_MS', 'MOCKS'] as const;

function turnOn() {
  process.env.REGISTRY_LOOKUP = 'on';
  process.env.REGISTRY_BASE_URL = REGISTRY_BASE;
}

/** Counts the requests that reach the registry host. */
function countRequests() {
  const seen: string[] = [];
  const listener = ({ request }: { request: Request }) => {
    if (request.url.startsWith(REGISTRY_BASE)) seen.push(request.url);
  };
  mockServer.events.on('request:start', listener);
  return { seen, stop: () => mockServer.events.removeListener('request:start', listener) };
}

beforeEach(() => {
  freshDatabase('empty');
  for (const key of ENV) delete process.env[key];
});
afterEach(() => {
  for (const key of ENV) delete process.env[key];
});

describe('registry lookup: configuration', () => {
  it('is off by default and says so without calling anything', async () => {
    const counter = countRequests();
    const result = await searchRegistry({ query: 'library' });
    counter.stop();
    expect(result).toMatchObject({ ok: false, kind: 'off' });
    expect(counter.seen).toEqual([]);
  });

  it('MOCKS=true turns it on against the mock host', async () => {
    process.env.MOCKS = 'true';
    const result = await searchRegistry({ query: 'vaccine alliance' });
    expect(result.ok).toBe(true);
  });
});

describe('registry lookup: answers', () => {
  beforeEach(turnOn);

  it('searches by name, 25 per zero-based page, and filters by state', async () => {
    const first = await searchRegistry({ query: 'public library' });
    if (!first.ok) throw new Error(first.message);
    expect(first).toMatchObject({ totalResults: 27, numPages: 2, page: 0, cached: false, stale: false });
    expect(first.organizations).toHaveLength(25);
    const second = await searchRegistry({ query: 'public library', page: 1 });
    if (!second.ok) throw new Error(second.message);
    expect(second.page).toBe(1);
    expect(second.organizations).toHaveLength(2);

    const california = await searchRegistry({ query: 'public library', state: 'ca' });
    if (!california.ok) throw new Error(california.message);
    expect(california.organizations.length).toBeGreaterThan(0);
    expect(california.organizations.every((o) => o.state === 'CA')).toBe(true);
  });

  it('restores the leading zeros the registry drops from EINs', async () => {
    expect(normalizeEin(42871634)).toBe('042871634');
    expect(normalizeEin('04-2871634')).toBe('042871634');
    expect(normalizeEin('12-34567890')).toBeNull();
    const result = await searchRegistry({ query: 'peoples vaccine' });
    if (!result.ok) throw new Error(result.message);
    expect(result.organizations[0]).toEqual({
      ein: '042871634',
      einFormatted: '04-2871634',
      name: 'BAY AREA PEOPLES VACCINE ALLIANCE',
      city: 'San Francisco',
      state: 'CA',
      nteeCode: 'E70',
      subsectionCode: 3,
    });
  });

  it('looks up an EIN and prefills a partner with the latest filed revenue', async () => {
    const found = await lookupOrganization('04-2871634');
    if (!found.ok) throw new Error(found.message);
    expect(found.organization.latestRevenue).toEqual({
      amount: 412_880,
      taxPeriod: '2024-06',
      expenses: 398_215,
      pdfUrl: expect.stringContaining('202406'),
    });
    expect(found.organization.sourceUrl).toBe('https://registry.mock/nonprofits/organizations/42871634');

    const prefill = await prefillPartner('042871634');
    if (!prefill.ok) throw new Error(prefill.message);
    expect(prefill.prefill).toMatchObject({
      name: 'BAY AREA PEOPLES VACCINE ALLIANCE',
      city: 'San Francisco',
      state: 'CA',
      country: 'US',
      ein: '04-2871634',
      nteeCode: 'E70',
      latestRevenue: 412_880,
      latestRevenuePeriod: '2024-06',
      registry: { source: 'ProPublica Nonprofit Explorer', subsectionCode: 3, rulingDate: '2021-09-01' },
    });
  });

  it('an organization without filings has no latest revenue', async () => {
    const found = await lookupOrganization('82-1593047');
    if (!found.ok) throw new Error(found.message);
    expect(found.organization.name).toBe('NORTHSIDE FILM COLLECTIVE');
    expect(found.organization.latestRevenue).toBeNull();
  });

  it('an EIN typed in the search box finds that one organization', async () => {
    const result = await registryLookup('36-4417285');
    if (!result.ok) throw new Error(result.message);
    expect(result.totalResults).toBe(1);
    expect(result.organizations[0]!.name).toBe('CHICAGO BELARUSIAN COMMUNITY ASSOCIATION');
  });

  it('a search without matches is an empty list; an unknown EIN is not found', async () => {
    const none = await searchRegistry({ query: 'no such group anywhere' });
    expect(none).toMatchObject({ ok: true, totalResults: 0, organizations: [] });
    const unknown = await lookupOrganization('99-0000001');
    expect(unknown).toMatchObject({ ok: false, kind: 'not_found', message: 'No nonprofit with EIN 99-0000001 is in the registry.' });
    const unknownTyped = await registryLookup('99-0000001');
    expect(unknownTyped).toMatchObject({ ok: true, totalResults: 0 });
  });

  it('treats an "error" key beside the data as a warning, not a failure', async () => {
    const org = registryOrganizations[0]!;
    mockServer.use(
      http.get(`${REGISTRY_BASE}/organizations/:ein`, () =>
        HttpResponse.json({ ...organizationAnswer(org), error: 'Filing data for the latest year is incomplete.' }),
      ),
    );
    const found = await lookupOrganization(String(org.ein));
    if (!found.ok) throw new Error(found.message);
    expect(found.organization.name).toBe(org.name);
    expect(found.warning).toContain('Filing data for the latest year is incomplete.');
  });
});

describe('registry lookup: cache', () => {
  beforeEach(turnOn);

  it('answers a repeated question from SQLite within the TTL', async () => {
    await searchRegistry({ query: 'belarusian' });
    const counter = countRequests();
    const again = await searchRegistry({ query: 'Belarusian ' });
    counter.stop();
    expect(again).toMatchObject({ ok: true, cached: true, stale: false, totalResults: 1 });
    expect(counter.seen).toEqual([]);
    const rows = all(qb().selectFrom('registry_cache').select(['key', 'fetched_at']));
    expect(rows.map((r) => r.key)).toEqual(['search:belarusian||0']);
  });

  it('asks again once the TTL is over', async () => {
    process.env.REGISTRY_CACHE_TTL_HOURS = '0';
    await lookupOrganization('36-4417285');
    const counter = countRequests();
    const again = await lookupOrganization('36-4417285');
    counter.stop();
    expect(again).toMatchObject({ ok: true, cached: false });
    expect(counter.seen).toHaveLength(1);
  });

  it('serves an expired answer, marked stale, when the registry is down', async () => {
    process.env.REGISTRY_CACHE_TTL_HOURS = '0';
    await lookupOrganization('36-4417285');
    mockServer.use(registryFaults.status(503, { error: 'Service Unavailable' }));
    const stale = await lookupOrganization('36-4417285');
    if (!stale.ok) throw new Error(stale.message);
    expect(stale.stale).toBe(true);
    expect(stale.warning).toMatch(/answered with an error \(503: Service Unavailable\)\. Showing the answer saved on \d{4}-\d{2}-\d{2}\./);
    expect(stale.organization.name).toBe('CHICAGO BELARUSIAN COMMUNITY ASSOCIATION');
  });
});

describe('registry lookup: failures', () => {
  beforeEach(turnOn);

  it('times out on a registry that never answers', async () => {
    process.env.OUTSIDE_TIMEOUT_MS = '150';
    mockServer.use(registryFaults.timeout());
    const started = Date.now();
    const result = await searchRegistry({ query: 'library' });
    expect(result).toEqual({ ok: false, kind: 'timeout', message: 'The nonprofit registry (ProPublica) did not answer within 150 ms.' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reports an unreachable registry', async () => {
    mockServer.use(registryFaults.unreachable());
    const result = await lookupOrganization('36-4417285');
    expect(result).toMatchObject({ ok: false, kind: 'unreachable' });
    if (!result.ok) expect(result.message).toMatch(/^The nonprofit registry \(ProPublica\) could not be reached/);
  });

  it('reports a server error with its status', async () => {
    mockServer.use(registryFaults.status(500, { error: 'Internal Server Error' }));
    const result = await searchRegistry({ query: 'library' });
    expect(result).toEqual({
      ok: false,
      kind: 'http_error',
      status: 500,
      message: 'The nonprofit registry (ProPublica) answered with an error (500: Internal Server Error).',
    });
  });

  it('reports a body that is not JSON', async () => {
    mockServer.use(registryFaults.malformed());
    const result = await searchRegistry({ query: 'library' });
    expect(result).toMatchObject({ ok: false, kind: 'malformed', message: 'The nonprofit registry (ProPublica) sent an answer that is not valid JSON.' });
  });

  it('reports JSON of the wrong shape, and caches nothing', async () => {
    mockServer.use(registryFaults.wrongShape());
    const result = await lookupOrganization('36-4417285');
    expect(result).toMatchObject({ ok: false, kind: 'malformed', message: 'The nonprofit registry (ProPublica) sent an answer in an unexpected shape.' });
    expect(all(qb().selectFrom('registry_cache').select('key'))).toEqual([]);
  });
});
