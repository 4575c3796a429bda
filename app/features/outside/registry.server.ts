import { z } from 'zod';
import { cachedRegistryAnswer, storeRegistryAnswer } from '../../../db/outside';
import { MOCK_URLS, failure, mocksEnabled, outsideFetch, type OutsideFailure } from './http.server';
import { env } from '../../utils/env.server';

// Registry lookup of US nonprofits (ProPublica Nonprofit Explorer API v2, no
// key) to prefill a partner. Off unless REGISTRY_LOOKUP=on (or MOCKS=true).
// Answers are cached in SQLite; when the service is down, an expired cache
// entry is still served, marked stale.

const DEFAULT_REGISTRY_BASE_URL = 'https://projects.propublica.org/nonprofits/api/v2';
const SERVICE = 'The nonprofit registry (ProPublica)';

export type RegistryConfig = { enabled: boolean; baseUrl: string; ttlMs: number };

export function registryConfig(): RegistryConfig {
  const config = env();
  const flag = (config.REGISTRY_LOOKUP ?? '').toLowerCase();
  const mocks = mocksEnabled();
  const enabled = flag === 'on' || flag === 'true' || (mocks && flag !== 'off' && flag !== 'false');
  const baseUrl = (config.REGISTRY_BASE_URL ?? (mocks ? MOCK_URLS.registry : DEFAULT_REGISTRY_BASE_URL)).replace(/\/+$/, '');
  const ttlMs = config.REGISTRY_CACHE_TTL_HOURS * 3_600_000;
  return { enabled, baseUrl, ttlMs };
}

type RegistryOrganization = {
  /** Nine digits, leading zeros restored. */
  ein: string;
  /** "XX-XXXXXXX". */
  einFormatted: string;
  name: string;
  city: string | null;
  state: string | null;
  nteeCode: string | null;
  /** IRS 501(c) subsection, e.g. 3 for 501(c)(3). */
  subsectionCode: number | null;
};

type RegistryRevenue = {
  amount: number;
  /** "YYYY-MM", the end of the tax period. */
  taxPeriod: string | null;
  expenses: number | null;
  pdfUrl: string | null;
};

type RegistryProfile = RegistryOrganization & {
  address: string | null;
  zipcode: string | null;
  rulingDate: string | null;
  latestRevenue: RegistryRevenue | null;
  /** The organization's page on the registry's public site. */
  sourceUrl: string;
};

type Freshness = { cached: boolean; stale: boolean; fetchedAt: string; warning: string | null };

export type RegistrySearchResult =
  | ({ ok: true; totalResults: number; numPages: number; page: number; organizations: RegistryOrganization[] } & Freshness)
  | OutsideFailure;

export type RegistryLookupResult = ({ ok: true; organization: RegistryProfile } & Freshness) | OutsideFailure;

/** What the new-partner form takes from a registry profile. */
export type PartnerPrefill = {
  name: string;
  city: string | null;
  state: string | null;
  country: 'US';
  ein: string;
  nteeCode: string | null;
  latestRevenue: number | null;
  latestRevenuePeriod: string | null;
  registry: {
    source: 'ProPublica Nonprofit Explorer';
    ein: string;
    subsectionCode: number | null;
    rulingDate: string | null;
    url: string;
    fetchedAt: string;
  };
};

// ---- EINs ----

/** Nine digits from "12-3456789", "123456789" or the registry's integer (leading zeros lost). */
export function normalizeEin(value: string | number): string | null {
  const digits = String(value).replace(/[\s-]/g, '');
  if (!/^\d{1,9}$/.test(digits)) return null;
  return digits.padStart(9, '0');
}

export function formatEin(ein9: string): string {
  return `${ein9.slice(0, 2)}-${ein9.slice(2)}`;
}

export function looksLikeEin(query: string): boolean {
  return /^\s*\d{2}-?\d{7}\s*$/.test(query);
}

// ---- Shapes of the answers ----

const einValue = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,9}$/)]);
const optionalText = z.string().nullish().transform((v) => (v && v.trim() ? v.trim() : null));
const optionalNumber = z
  .union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)])
  .nullish()
  .transform((v) => (v === null || v === undefined ? null : Number(v)));

const searchSchema = z.object({
  total_results: z.number().int().nonnegative(),
  num_pages: z.number().int().nonnegative(),
  cur_page: z.number().int().nonnegative(),
  organizations: z.array(
    z.object({
      ein: einValue,
      strein: z.string().nullish(),
      name: z.string(),
      city: optionalText,
      state: optionalText,
      ntee_code: optionalText,
      subseccd: optionalNumber,
    }),
  ),
  error: z.unknown().optional(),
});

const organizationSchema = z.object({
  organization: z.object({
    ein: einValue,
    name: z.string(),
    address: optionalText,
    city: optionalText,
    state: optionalText,
    zipcode: optionalText,
    subsection_code: optionalNumber,
    ruling_date: optionalText,
    ntee_code: optionalText,
    revenue_amount: optionalNumber,
    tax_period: optionalText,
  }),
  filings_with_data: z
    .array(
      z.object({
        tax_prd: z.union([z.number().int(), z.string().regex(/^\d{6}$/)]),
        totrevenue: optionalNumber,
        totfuncexpns: optionalNumber,
        pdf_url: optionalText,
      }),
    )
    .nullish()
    .transform((v) => v ?? []),
  error: z.unknown().optional(),
});

function warningOf(error: unknown): string | null {
  if (error === undefined || error === null || error === '') return null;
  return `${SERVICE} added a note: ${typeof error === 'string' ? error : JSON.stringify(error)}`.slice(0, 300);
}

function toOrganization(o: {
  ein: string | number;
  name: string;
  city: string | null;
  state: string | null;
  ntee_code: string | null;
  subsection: number | null;
}): RegistryOrganization {
  const ein = normalizeEin(o.ein)!;
  return {
    ein,
    einFormatted: formatEin(ein),
    name: o.name.trim(),
    city: o.city,
    state: o.state,
    nteeCode: o.ntee_code,
    subsectionCode: o.subsection,
  };
}

function periodOf(taxPrd: string | number): string {
  const s = String(taxPrd);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}`;
}

function siteUrl(baseUrl: string, ein9: string): string {
  return `${baseUrl.replace(/\/api\/v2$/, '')}/organizations/${Number(ein9)}`;
}

// ---- Cache ----

type Cached = { body: string; fetchedAt: string; fresh: boolean };

function readCache(key: string, ttlMs: number, now: number): Cached | null {
  const row = cachedRegistryAnswer(key);
  if (!row) return null;
  const age = now - Date.parse(row.fetched_at);
  return { body: row.body, fetchedAt: row.fetched_at, fresh: age >= 0 && age < ttlMs };
}

const offFailure = (): OutsideFailure =>
  failure('off', 'Registry lookup is turned off: enter the partner’s details by hand (an administrator can set REGISTRY_LOOKUP=on).');

/**
 * Fetches through the cache. A fresh entry answers without a call; otherwise
 * the service is asked, and if it fails, an expired entry is better than
 * nothing and is returned marked stale.
 */
async function cachedCall<T>(
  key: string,
  url: string,
  parse: (json: unknown) => T | null,
  onNotFound: () => T | null,
): Promise<({ ok: true; value: T } & Freshness) | OutsideFailure> {
  const config = registryConfig();
  const now = Date.now();
  const cached = readCache(key, config.ttlMs, now);
  const fromCache = (c: Cached, stale: boolean, warning: string | null) => {
    let value: T | null;
    try {
      value = parse(JSON.parse(c.body));
    } catch {
      value = null; // a damaged entry is ignored and overwritten by the next answer
    }
    return value === null ? null : { ok: true as const, value, cached: true, stale, fetchedAt: c.fetchedAt, warning };
  };
  if (cached?.fresh) {
    const hit = fromCache(cached, false, null);
    if (hit) return hit;
  }
  const response = await outsideFetch({ service: SERVICE, url, expectJson: true, headers: { Accept: 'application/json' } });
  const fetchedAt = new Date(now).toISOString();
  let result: ({ ok: true; value: T } & Freshness) | OutsideFailure;
  if (response.ok) {
    const value = parse(response.json);
    if (value === null) {
      result = failure('malformed', `${SERVICE} sent an answer in an unexpected shape.`, response.status);
    } else {
      storeRegistryAnswer(key, response.text, fetchedAt);
      const warning = warningOf((response.json as { error?: unknown }).error);
      return { ok: true, value, cached: false, stale: false, fetchedAt, warning };
    }
  } else if (response.kind === 'not_found') {
    // A 404 is the registry's answer, not an outage: no stale fallback.
    const value = onNotFound();
    if (value !== null) return { ok: true, value, cached: false, stale: false, fetchedAt, warning: null };
    return response;
  } else {
    result = response;
  }
  if (cached) {
    const stale = fromCache(cached, true, `${result.message} Showing the answer saved on ${cached.fetchedAt.slice(0, 10)}.`);
    if (stale) return stale;
  }
  return result;
}

// ---- Public API ----

/** Searches by name (and optionally a two-letter state); pages are zero-based, 25 per page. */
export async function searchRegistry(args: { query: string; state?: string | null; page?: number }): Promise<RegistrySearchResult> {
  const config = registryConfig();
  if (!config.enabled) return offFailure();
  const query = args.query.trim().replace(/\s+/g, ' ');
  const state = args.state?.trim().toUpperCase() || null;
  const page = Math.max(0, Math.floor(args.page ?? 0));
  if (!query) {
    return { ok: true, totalResults: 0, numPages: 0, page, organizations: [], cached: false, stale: false, fetchedAt: new Date().toISOString(), warning: null };
  }
  const params = new URLSearchParams({ q: query, page: String(page) });
  if (state) params.set('state[id]', state);
  const key = `search:${query.toLowerCase()}|${state ?? ''}|${page}`;
  const empty = { totalResults: 0, numPages: 0, page, organizations: [] as RegistryOrganization[] };
  const result = await cachedCall(
    key,
    `${config.baseUrl}/search.json?${params.toString()}`,
    (json) => {
      const parsed = searchSchema.safeParse(json);
      if (!parsed.success) return null;
      return {
        totalResults: parsed.data.total_results,
        numPages: parsed.data.num_pages,
        page: parsed.data.cur_page,
        organizations: parsed.data.organizations.map((o) => toOrganization({ ...o, subsection: o.subseccd })),
      };
    },
    // The registry answers a search without matches with 404.
    () => empty,
  );
  if (!result.ok) return result;
  const { value, ...freshness } = result;
  return { ...freshness, ...value };
}

/** One organization by EIN, with its latest filed revenue. */
export async function lookupOrganization(einInput: string): Promise<RegistryLookupResult> {
  const config = registryConfig();
  if (!config.enabled) return offFailure();
  const ein = normalizeEin(einInput);
  if (!ein) return failure('not_found', 'An EIN has nine digits, written like 12-3456789.');
  const result = await cachedCall(
    `org:${ein}`,
    `${config.baseUrl}/organizations/${Number(ein)}.json`,
    (json) => {
      const parsed = organizationSchema.safeParse(json);
      if (!parsed.success) return null;
      const o = parsed.data.organization;
      const filings = [...parsed.data.filings_with_data].sort((a, b) => Number(b.tax_prd) - Number(a.tax_prd));
      const latest = filings.find((f) => f.totrevenue !== null);
      const latestRevenue: RegistryRevenue | null = latest
        ? { amount: latest.totrevenue!, taxPeriod: periodOf(latest.tax_prd), expenses: latest.totfuncexpns, pdfUrl: latest.pdf_url }
        : o.revenue_amount !== null
          ? { amount: o.revenue_amount, taxPeriod: o.tax_period ? o.tax_period.slice(0, 7) : null, expenses: null, pdfUrl: null }
          : null;
      const base = toOrganization({ ...o, subsection: o.subsection_code });
      return {
        ...base,
        address: o.address,
        zipcode: o.zipcode,
        rulingDate: o.ruling_date,
        latestRevenue,
        sourceUrl: siteUrl(config.baseUrl, base.ein),
      } satisfies RegistryProfile;
    },
    () => null,
  );
  if (!result.ok) {
    return result.kind === 'not_found' ? failure('not_found', `No nonprofit with EIN ${formatEin(ein)} is in the registry.`, 404) : result;
  }
  const { value, ...freshness } = result;
  return { ...freshness, organization: value };
}

/** What someone typed in the lookup box: an EIN finds one organization, anything else searches names. */
export async function registryLookup(query: string, state?: string | null): Promise<RegistrySearchResult> {
  if (!looksLikeEin(query)) return searchRegistry({ query, state });
  const found = await lookupOrganization(query);
  if (!found.ok) {
    if (found.kind !== 'not_found') return found;
    return { ok: true, totalResults: 0, numPages: 0, page: 0, organizations: [], cached: false, stale: false, fetchedAt: new Date().toISOString(), warning: null };
  }
  const { organization, ok: _ok, ...freshness } = found;
  return {
    ok: true,
    ...freshness,
    totalResults: 1,
    numPages: 1,
    page: 0,
    organizations: [
      {
        ein: organization.ein,
        einFormatted: organization.einFormatted,
        name: organization.name,
        city: organization.city,
        state: organization.state,
        nteeCode: organization.nteeCode,
        subsectionCode: organization.subsectionCode,
      },
    ],
  };
}

/** The fields of a new partner, filled from the registry profile of this EIN. */
export async function prefillPartner(ein: string): Promise<({ ok: true; prefill: PartnerPrefill; stale: boolean; warning: string | null }) | OutsideFailure> {
  const found = await lookupOrganization(ein);
  if (!found.ok) return found;
  const o = found.organization;
  return {
    ok: true,
    stale: found.stale,
    warning: found.warning,
    prefill: {
      name: o.name,
      city: o.city,
      state: o.state,
      country: 'US',
      ein: o.einFormatted,
      nteeCode: o.nteeCode,
      latestRevenue: o.latestRevenue?.amount ?? null,
      latestRevenuePeriod: o.latestRevenue?.taxPeriod ?? null,
      registry: {
        source: 'ProPublica Nonprofit Explorer',
        ein: o.einFormatted,
        subsectionCode: o.subsectionCode,
        rulingDate: o.rulingDate,
        url: o.sourceUrl,
        fetchedAt: found.fetchedAt,
      },
    },
  };
}
