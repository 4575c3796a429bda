import { z } from 'zod';
import { nowIso } from '../../../db/connection';
import { insertScreening, latestScreeningRow, screeningRowsOfProposal, type ScreeningRow } from '../../../db/outside';
import { partnerById } from '../../../db/partners';
import { screeningJudgmentsOfPartner } from '../../../db/screening-memory';
import { MOCK_URLS, failure, mocksEnabled, outsideFetch, type OutsideFailure } from './http.server';
import { env } from '../../utils/env.server';

// Designation and sanctions screening against an OpenSanctions-compatible
// /match API (the hosted service or a self-hosted yente). Off unless
// SCREENING_URL is set (or MOCKS=true). A hit is information for staff to
// weigh, never a verdict: nothing here changes a proposal's state.

const SERVICE = 'The screening service';

/** When it ran: at creation, before a decision, or on the scheduled rescan of open and approved partnerships. */
export type ScreeningStage = 'creation' | 'decision' | 'rescan';
type ScreeningStatus = 'clear' | 'hits' | 'error' | 'off';

export type ScreeningConfig = { enabled: boolean; baseUrl: string; apiKey: string | null; dataset: string };

export function screeningConfig(): ScreeningConfig {
  const mocks = mocksEnabled();
  const config = env();
  const baseUrl = (config.SCREENING_URL ?? (mocks ? MOCK_URLS.screening : '')).trim().replace(/\/+$/, '');
  return {
    enabled: baseUrl !== '',
    baseUrl,
    apiKey: config.SCREENING_API_KEY ?? null,
    dataset: config.SCREENING_DATASET ?? 'default',
  };
}

/** One entity the service returned, reduced to what staff need to weigh it. */
export type ScreeningResult = {
  entityId: string;
  caption: string;
  schema: string;
  /** The service's similarity score, 0..1. */
  score: number;
  /** True when the score is at or above the service's match threshold. */
  match: boolean;
  datasets: string[];
  /** Human names of the lists, where known. */
  lists: string[];
  /** Who listed the entity: the property `authority`, else the list's publisher. */
  authority: string | null;
  program: string | null;
  topics: string[];
  /** When it was listed (YYYY-MM-DD), from the listing itself or, failing that, first_seen. */
  listedOn: string | null;
  firstSeen: string | null;
  lastSeen: string | null;
  countries: string[];
  sourceUrl: string | null;
  /** Why the service thinks it matches, one line per feature. */
  explanations: string[];
};

export type Screening = {
  id: number;
  proposalId: number | null;
  partnerId: number;
  stage: string;
  checkedAt: string;
  status: ScreeningStatus;
  results: ScreeningResult[];
  /** Only the results at or above the threshold. */
  hits: ScreeningResult[];
  error: string | null;
  /** The service URL and dataset, or 'demo fixture'. */
  source: string;
  query: Record<string, unknown>;
};

export type ScreeningOutcome = Screening & { failure: OutsideFailure | null };

// Publishers of lists that often come up, for the "authority" column when an
// entity carries none; any other dataset is shown by its name.
const KNOWN_LISTS: Record<string, { title: string; authority: string }> = {
  il_mod_terrorists: {
    title: 'Israel Terrorist Organization Designations (NBCTF)',
    authority: 'Ministry of Defense of Israel (National Bureau for Counter Terror Financing)',
  },
  us_ofac_sdn: { title: 'OFAC Specially Designated Nationals (SDN) List', authority: 'US Treasury, Office of Foreign Assets Control' },
  us_state_terrorist_orgs: { title: 'US Foreign Terrorist Organizations', authority: 'US Department of State' },
  eu_fsf: { title: 'EU Financial Sanctions Files (FSF)', authority: 'European Union' },
  gb_hmt_sanctions: { title: 'UK HM Treasury Financial Sanctions', authority: 'HM Treasury, Office of Financial Sanctions Implementation' },
  un_sc_sanctions: { title: 'UN Security Council Consolidated Sanctions List', authority: 'United Nations Security Council' },
  ca_dfatd_sema_sanctions: { title: 'Canadian Autonomous Sanctions', authority: 'Global Affairs Canada' },
};

// ---- Parsing the service's answer ----

const stringList = z
  .array(z.unknown())
  .optional()
  .transform((values) => (values ?? []).filter((v): v is string => typeof v === 'string'));

const resultSchema = z.object({
  id: z.string(),
  caption: z.string(),
  schema: z.string(),
  properties: z.record(z.string(), z.array(z.unknown())).default({}),
  datasets: z.array(z.string()).default([]),
  score: z.number(),
  match: z.boolean().default(false),
  first_seen: z.string().nullish(),
  last_seen: z.string().nullish(),
  explanations: z
    .record(z.string(), z.object({ score: z.number().optional(), detail: z.string().nullish() }).passthrough())
    .optional(),
});

const answerSchema = z.object({
  responses: z.record(
    z.string(),
    z.object({
      status: z.number().int().optional(),
      results: z.array(z.unknown()),
    }),
  ),
});

type RawResult = z.infer<typeof resultSchema>;

function propertyStrings(properties: Record<string, unknown[]>, key: string): string[] {
  return stringList.parse(properties[key]);
}

/** Nested Sanction entities (when the service nests adjacent entities) carry authority, program and dates. */
function nestedSanctions(properties: Record<string, unknown[]>): Record<string, unknown[]>[] {
  return (properties.sanctions ?? []).flatMap((s) => {
    if (s && typeof s === 'object' && 'properties' in s) {
      const p = (s as { properties: unknown }).properties;
      if (p && typeof p === 'object') return [p as Record<string, unknown[]>];
    }
    return [];
  });
}

function firstOf(sources: Record<string, unknown[]>[], keys: string[]): string | null {
  for (const source of sources) {
    for (const key of keys) {
      const value = propertyStrings(source, key)[0];
      if (value) return value;
    }
  }
  return null;
}

function toScreeningResult(raw: RawResult): ScreeningResult {
  const sources = [raw.properties, ...nestedSanctions(raw.properties)];
  const known = raw.datasets.map((d) => KNOWN_LISTS[d]).filter((k): k is { title: string; authority: string } => !!k);
  const listedOn = firstOf(sources, ['listingDate', 'startDate', 'createdAt'])?.slice(0, 10) ?? raw.first_seen?.slice(0, 10) ?? null;
  return {
    entityId: raw.id,
    caption: raw.caption,
    schema: raw.schema,
    score: Math.round(raw.score * 1000) / 1000,
    match: raw.match,
    datasets: raw.datasets,
    lists: raw.datasets.map((d) => KNOWN_LISTS[d]?.title ?? d),
    authority: firstOf(sources, ['authority']) ?? known[0]?.authority ?? null,
    program: firstOf(sources, ['program', 'programId']),
    topics: [...new Set(sources.flatMap((s) => propertyStrings(s, 'topics')))],
    listedOn,
    firstSeen: raw.first_seen ?? null,
    lastSeen: raw.last_seen ?? null,
    countries: propertyStrings(raw.properties, 'country'),
    sourceUrl: firstOf(sources, ['sourceUrl']),
    explanations: Object.entries(raw.explanations ?? {}).map(
      ([feature, e]) => `${feature}${typeof e.score === 'number' ? ` ${Math.round(e.score * 100) / 100}` : ''}${e.detail ? `: ${e.detail}` : ''}`,
    ),
  };
}

/** The results of query q1 in a /match answer, or null when the answer has another shape. */
function parseMatchAnswer(json: unknown, queryName = 'q1'): { results: ScreeningResult[]; queryStatus: number } | null {
  const answer = answerSchema.safeParse(json);
  if (!answer.success) return null;
  const response = answer.data.responses[queryName];
  if (!response) return null;
  const results: ScreeningResult[] = [];
  for (const item of response.results) {
    const parsed = resultSchema.safeParse(item);
    if (!parsed.success) return null;
    results.push(toScreeningResult(parsed.data));
  }
  results.sort((a, b) => b.score - a.score);
  return { results, queryStatus: response.status ?? 200 };
}

// ---- Storing and reading ----

function fromRow(row: ScreeningRow): Screening {
  const results = JSON.parse(row.results) as ScreeningResult[];
  return {
    id: row.id,
    proposalId: row.proposal_id,
    partnerId: row.partner_id,
    stage: row.stage,
    checkedAt: row.checked_at,
    status: row.status as ScreeningStatus,
    results,
    hits: results.filter((r) => r.match),
    error: row.error,
    source: row.source,
    query: JSON.parse(row.query) as Record<string, unknown>,
  };
}

/** Stores what a /match answer said (used after a live call and by the demo seed). */
export function recordScreeningAnswer(args: {
  partnerId: number;
  proposalId: number | null;
  stage: ScreeningStage;
  answer: unknown;
  source: string;
  query?: Record<string, unknown>;
  checkedAt?: string;
}): Screening {
  const parsed = parseMatchAnswer(args.answer);
  if (!parsed) throw new Error('The screening answer does not have the shape of a /match response.');
  const status: ScreeningStatus = parsed.results.some((r) => r.match) ? 'hits' : 'clear';
  return store({ ...args, status, results: parsed.results, error: null });
}

function store(args: {
  partnerId: number;
  proposalId: number | null;
  stage: ScreeningStage;
  status: ScreeningStatus;
  results: ScreeningResult[];
  error: string | null;
  source: string;
  query?: Record<string, unknown>;
  checkedAt?: string;
}): Screening {
  const row = {
    proposal_id: args.proposalId,
    partner_id: args.partnerId,
    stage: args.stage,
    checked_at: args.checkedAt ?? nowIso(),
    status: args.status,
    results: JSON.stringify(args.results),
    error: args.error,
    source: args.source,
    query: JSON.stringify(args.query ?? {}),
  };
  const id = insertScreening({
    proposalId: row.proposal_id,
    partnerId: row.partner_id,
    stage: row.stage,
    checkedAt: row.checked_at,
    status: args.status,
    results: row.results,
    error: row.error,
    source: row.source,
    query: row.query,
  });
  return fromRow({ id, ...row });
}

/**
 * The same answer stored for another proposal of the partner (the scheduled rescan asks the
 * service once per partner and each open or approved proposal keeps it in its own history).
 */
export function copyScreening(screening: Screening, proposalId: number): Screening {
  return store({
    partnerId: screening.partnerId,
    proposalId,
    stage: screening.stage as ScreeningStage,
    status: screening.status,
    results: screening.results,
    error: screening.error,
    source: screening.source,
    query: screening.query,
    checkedAt: screening.checkedAt,
  });
}

/** What we ask the service about a partner: its name, country and EIN when we have them. */
export function screeningQueryFor(partner: { name: string; country: string; ein: string | null }) {
  const properties: Record<string, string[]> = { name: [partner.name] };
  if (partner.country.trim()) properties.country = [partner.country.trim().toLowerCase()];
  if (partner.ein?.trim()) properties.registrationNumber = [partner.ein.trim()];
  return { schema: 'Organization', properties };
}

function explainFailure(f: OutsideFailure, config: ScreeningConfig): OutsideFailure {
  if (f.kind === 'http_error' && (f.status === 401 || f.status === 403)) {
    return { ...f, message: `${f.message} Check SCREENING_API_KEY.` };
  }
  if (f.kind === 'not_found') {
    return { ...f, message: `${SERVICE} does not know the dataset “${config.dataset}” (404). Check SCREENING_DATASET and SCREENING_URL.` };
  }
  return f;
}

/**
 * Screens a partner and stores the outcome, whatever it is (clear, hits, an
 * error, or off). Never throws for a service problem; call it outside any
 * decision transaction: a decision never waits for it.
 */
export async function screenPartner(args: { partnerId: number; proposalId: number | null; stage: ScreeningStage }): Promise<ScreeningOutcome> {
  const partner = partnerById(args.partnerId);
  if (!partner) throw new Error(`There is no partner ${args.partnerId}.`);
  const config = screeningConfig();
  const query = screeningQueryFor(partner);
  const base = { partnerId: args.partnerId, proposalId: args.proposalId, stage: args.stage, query };
  if (!config.enabled) {
    const off = failure('off', 'Screening is turned off: no lists were checked (an administrator can set SCREENING_URL).');
    return { ...store({ ...base, status: 'off', results: [], error: off.message, source: '' }), failure: off };
  }
  const url = `${config.baseUrl}/match/${encodeURIComponent(config.dataset)}`;
  const source = `${config.baseUrl} (dataset ${config.dataset})`;
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (config.apiKey) headers.Authorization = `ApiKey ${config.apiKey}`;
  const response = await outsideFetch({
    service: SERVICE,
    url,
    method: 'POST',
    headers,
    body: JSON.stringify({ queries: { q1: query } }),
    expectJson: true,
  });
  let problem: OutsideFailure;
  if (response.ok) {
    const parsed = parseMatchAnswer(response.json);
    if (parsed && parsed.queryStatus === 200) {
      const status: ScreeningStatus = parsed.results.some((r) => r.match) ? 'hits' : 'clear';
      return { ...store({ ...base, status, results: parsed.results, error: null, source }), failure: null };
    }
    problem = parsed
      ? failure('http_error', `${SERVICE} could not run the query (status ${parsed.queryStatus}).`, parsed.queryStatus)
      : failure('malformed', `${SERVICE} sent an answer in an unexpected shape.`, response.status);
  } else {
    problem = explainFailure(response, config);
  }
  return { ...store({ ...base, status: 'error', results: [], error: problem.message, source }), failure: problem };
}

export function latestScreening(proposalId: number): Screening | null {
  const row = latestScreeningRow(proposalId);
  return row ? fromRow(row) : null;
}

export function screeningsOfProposal(proposalId: number): Screening[] {
  return screeningRowsOfProposal(proposalId).map(fromRow);
}

/**
 * The latest screening that gave an answer (hits or clear), of a proposal's rows
 * newest first. A later failed or switched-off attempt does not erase what the
 * service last said: the hits still have to be weighed.
 */
function latestAnswerOf(rows: ScreeningRow[]): Screening | null {
  const row = rows.find((r) => r.status === 'hits' || r.status === 'clear');
  return row ? fromRow(row) : null;
}

/**
 * A proposal's screenings read once, for what a staff decision both checks
 * (the acknowledgement) and records (the inputs): the two used to read the
 * same rows two and three times in the decision's transaction.
 */
export function screeningStanding(proposalId: number) {
  // Newest first: the first row is the latest attempt.
  const rows = screeningRowsOfProposal(proposalId);
  let answer: Screening | null | undefined;
  const latestAnswer = () => (answer === undefined ? (answer = latestAnswerOf(rows)) : answer);
  return {
    acknowledgementProblem: (acknowledgement: string | undefined | null) => acknowledgementProblemOf(latestAnswer(), acknowledgement),
    inputs: () => inputsOf(rows[0] ? fromRow(rows[0]) : null, latestAnswer()),
  };
}

/**
 * What the decision record keeps about screening: the latest answer, compact
 * and self-contained (a snapshot, not a pointer), with the latest attempt when
 * that one failed; null when the proposal was never screened.
 */
export function screeningInputsFor(proposalId: number) {
  return screeningStanding(proposalId).inputs();
}

function inputsOf(latest: Screening | null, answer: Screening | null) {
  if (!latest) return null;
  const s = answer ?? latest;
  return {
    screeningId: s.id,
    status: s.status,
    stage: s.stage,
    checkedAt: s.checkedAt,
    source: s.source,
    error: s.error,
    latestAttempt:
      latest.id !== s.id ? { screeningId: latest.id, status: latest.status, checkedAt: latest.checkedAt, error: latest.error } : null,
    hits: s.hits.map((h) => ({
      entityId: h.entityId,
      caption: h.caption,
      lists: h.lists,
      datasets: h.datasets,
      authority: h.authority,
      program: h.program,
      listedOn: h.listedOn,
      score: h.score,
    })),
  };
}

const SCREENING_ACKNOWLEDGEMENT_MIN = 10;

/**
 * The rule: a staff decision on a proposal whose latest screening has hits
 * needs an acknowledgement with reasoning. Returns the field error, or null.
 */
export function screeningAcknowledgementProblem(proposalId: number, acknowledgement: string | undefined | null): string | null {
  return screeningStanding(proposalId).acknowledgementProblem(acknowledgement);
}

function acknowledgementProblemOf(latest: Screening | null, acknowledgement: string | undefined | null): string | null {
  if (!latest || latest.status !== 'hits') return null;
  // A hit staff judged "not a true match" (a record of its own) is not weighed again.
  const judged = judgedEntityIds(latest.partnerId);
  const open = latest.hits.filter((h) => !judged.has(h.entityId));
  if (open.length === 0) return null;
  if ((acknowledgement ?? '').trim().length >= SCREENING_ACKNOWLEDGEMENT_MIN) return null;
  return `Say in at least ${SCREENING_ACKNOWLEDGEMENT_MIN} characters how you weighed the listing (${open
    .map((h) => `${h.lists.join(', ')}${h.listedOn ? `, ${h.listedOn}` : ''}`)
    .join('; ')}).`;
}

/**
 * Of screenings that found listed entities, the proposals with a hit nobody has judged "not a
 * true match" for that partner: a judged hit is remembered and no longer flags the proposal.
 */
export function proposalsWithOpenHits(screenings: { proposal_id: number; partner_id: number; results: string }[]): number[] {
  const judgedOf = new Map<number, Set<string>>();
  return screenings
    .filter((s) => {
      let judged = judgedOf.get(s.partner_id);
      if (!judged) judgedOf.set(s.partner_id, (judged = judgedEntityIds(s.partner_id)));
      const hits = (JSON.parse(s.results) as ScreeningResult[]).filter((r) => r.match);
      return hits.length === 0 || hits.some((h) => !judged.has(h.entityId));
    })
    .map((s) => s.proposal_id);
}

/** The listed entities staff judged "not a true match" for this partner. */
export function judgedEntityIds(partnerId: number): Set<string> {
  return new Set(screeningJudgmentsOfPartner(partnerId).flatMap((j) => (j.entity_id ? [j.entity_id] : [])));
}
