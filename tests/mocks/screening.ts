import { http, HttpResponse } from 'msw';
import { MOCK_URLS } from '../../app/features/outside/http.server';
import {
  DESIGNATED_NAME_FRAGMENTS,
  designationResult,
  matchAnswer,
} from '../../db/seed-data/screening-fixtures';
import { faultsFor } from './faults';

// An OpenSanctions-compatible matching API (hosted or yente):
// POST {base}/match/{dataset} with {"queries": {"q1": {schema, properties}}}.
// Errors come as {"detail": ...} with 400, 401, 404 or 422, like the real one.

export const SCREENING_BASE = MOCK_URLS.screening;
/** The only key the mock accepts when a key is sent at all (a self-hosted yente needs none). */
export const MOCK_SCREENING_KEY = 'mock-screening-key';

/** Collections the mock knows; the designation is in these. */
const DATASETS_WITH_DESIGNATION = new Set(['default', 'sanctions', 'il_mod_terrorists']);
const OTHER_DATASETS = new Set(['us_ofac_sdn', 'eu_fsf', 'gb_hmt_sanctions', 'un_sc_sanctions', 'peps']);

/** Every query body the mock received, for assertions; cleared by tests. */
export const receivedScreeningQueries: { dataset: string; authorization: string | null; body: unknown }[] = [];

type Query = { schema?: unknown; properties?: Record<string, unknown> };

export const screeningHandlers = [
  http.post(`${SCREENING_BASE}/match/:dataset`, async ({ request, params }) => {
    const dataset = String(params.dataset);
    const authorization = request.headers.get('authorization');
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return HttpResponse.json({ detail: 'Invalid JSON body' }, { status: 400 });
    }
    receivedScreeningQueries.push({ dataset, authorization, body });
    if (authorization !== null && authorization !== `ApiKey ${MOCK_SCREENING_KEY}`) {
      return HttpResponse.json({ detail: 'Invalid API key. Check your credentials at opensanctions.org/account.' }, { status: 401 });
    }
    if (!DATASETS_WITH_DESIGNATION.has(dataset) && !OTHER_DATASETS.has(dataset)) {
      return HttpResponse.json({ detail: `No such dataset: ${dataset}` }, { status: 404 });
    }
    const queries = (body as { queries?: Record<string, Query> } | null)?.queries;
    if (!queries || typeof queries !== 'object' || Object.keys(queries).length === 0) {
      return HttpResponse.json(
        { detail: [{ type: 'missing', loc: ['body', 'queries'], msg: 'Field required', input: body }] },
        { status: 422 },
      );
    }
    const responses: Record<string, unknown> = {};
    for (const [name, query] of Object.entries(queries)) {
      if (query?.schema !== 'Organization' && query?.schema !== 'LegalEntity' && query?.schema !== 'Person') {
        return HttpResponse.json({ detail: `Invalid schema for query ${name}` }, { status: 400 });
      }
      const names = Array.isArray(query.properties?.name) ? (query.properties.name as unknown[]).map(String) : [];
      const designated =
        DATASETS_WITH_DESIGNATION.has(dataset) &&
        names.some((n) => DESIGNATED_NAME_FRAGMENTS.some((fragment) => n.toLowerCase().includes(fragment)));
      responses[name] = matchAnswer(designated ? [designationResult] : [], { id: null, ...query }).responses.q1;
    }
    return HttpResponse.json({ ...matchAnswer([], null), responses });
  }),
];

/** Error cases for screening; install with mockServer.use(screeningFaults.status(500)). */
export const screeningFaults = faultsFor('post', new RegExp(`^${SCREENING_BASE.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/match/`));

/** A second listed entity with a name close to the case-5 partner's: a different entity id, so a new hit. */
export const otherDesignationResult = {
  ...designationResult,
  id: 'gb-hmt-ofsi-2b9c41d07e3f',
  caption: 'Al Bayyina Legal Defence Foundation',
  properties: { ...designationResult.properties, name: ['Al Bayyina Legal Defence Foundation'], authority: ['HM Treasury'], listingDate: ['2026-11-01'] },
  datasets: ['gb_hmt_sanctions'],
  score: 0.74,
} as const;

/**
 * The service answering every query with these results (for the tests of rescans that find a
 * different set of hits); install with mockServer.use(screeningAnswering([...])).
 */
export function screeningAnswering(results: unknown[]) {
  return http.post(`${SCREENING_BASE}/match/:dataset`, async ({ request }) => {
    const body = (await request.json()) as { queries?: Record<string, unknown> } | null;
    receivedScreeningQueries.push({ dataset: 'default', authorization: request.headers.get('authorization'), body });
    return HttpResponse.json(matchAnswer(results, { id: null, ...(body?.queries?.q1 as object) }));
  });
}
