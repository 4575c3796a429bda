import { http, HttpResponse } from 'msw';
import { MOCK_URLS } from '../../app/features/outside/http.server';
import { faultsFor } from './faults';

// ProPublica Nonprofit Explorer API v2, as the registry lookup uses it:
// GET /search.json?q=&page=&state[id]= and GET /organizations/{ein}.json.
// The organizations are fictional (several are the demo partners); names are
// upper case and EINs integers, as the real API sends them.

export const REGISTRY_BASE = MOCK_URLS.registry;

type MockOrg = {
  ein: number;
  name: string;
  address: string;
  city: string;
  state: string;
  zipcode: string;
  ntee: string;
  subsection: number;
  rulingDate: string;
  /** [tax period YYYYMM, total revenue, total functional expenses] newest first. */
  filings: [number, number, number][];
};

export const registryOrganizations: MockOrg[] = [
  {
    ein: 364417285,
    name: 'CHICAGO BELARUSIAN COMMUNITY ASSOCIATION',
    address: '2415 W Chicago Ave',
    city: 'Chicago',
    state: 'IL',
    zipcode: '60622-4623',
    ntee: 'A23',
    subsection: 3,
    rulingDate: '2011-06-01',
    filings: [
      [202312, 187_420, 171_905],
      [202212, 203_118, 190_772],
      [202112, 96_540, 88_310],
    ],
  },
  {
    // EIN 04-2871634: the API sends 42871634, the leading zero lost.
    ein: 42_871_634,
    name: 'BAY AREA PEOPLES VACCINE ALLIANCE',
    address: '1360 Mission St Ste 300',
    city: 'San Francisco',
    state: 'CA',
    zipcode: '94103-2643',
    ntee: 'E70',
    subsection: 3,
    rulingDate: '2021-09-01',
    filings: [
      [202406, 412_880, 398_215],
      [202306, 365_004, 371_992],
    ],
  },
  {
    ein: 821_593_047,
    name: 'NORTHSIDE FILM COLLECTIVE',
    address: '4812 N Broadway',
    city: 'Chicago',
    state: 'IL',
    zipcode: '60640-3604',
    ntee: 'A31',
    subsection: 3,
    rulingDate: '2018-03-01',
    filings: [],
  },
  {
    ein: 943_120_586,
    name: 'EAST BAY SURVEILLANCE WATCH',
    address: '1714 Franklin St',
    city: 'Oakland',
    state: 'CA',
    zipcode: '94612-3409',
    ntee: 'R60',
    subsection: 4,
    rulingDate: '2020-02-01',
    filings: [[202312, 58_213, 61_004]],
  },
  // Many similarly named groups, as a real search returns: enough for two pages.
  ...Array.from({ length: 27 }, (_, i): MockOrg => {
    const places: [string, string][] = [
      ['Springfield', 'IL'],
      ['Evanston', 'IL'],
      ['Oak Park', 'IL'],
      ['Berkeley', 'CA'],
      ['Oakland', 'CA'],
      ['Palo Alto', 'CA'],
      ['Austin', 'TX'],
      ['Cambridge', 'MA'],
      ['Ithaca', 'NY'],
    ];
    const [city, state] = places[i % places.length]!;
    return {
      ein: 200_000_101 + i * 7_919,
      name: `FRIENDS OF THE ${city.toUpperCase()} PUBLIC LIBRARY${i >= places.length ? ` ${Math.floor(i / places.length) + 1}` : ''}`,
      address: `${100 + i} Main St`,
      city,
      state,
      zipcode: '00000',
      ntee: 'B70',
      subsection: 3,
      rulingDate: '1998-01-01',
      filings: [[202312, 20_000 + i * 1_000, 18_000 + i * 900]],
    };
  }),
];

const PER_PAGE = 25;

const strein = (ein: number) => {
  const s = String(ein).padStart(9, '0');
  return `${s.slice(0, 2)}-${s.slice(2)}`;
};

function searchRow(o: MockOrg, score: number) {
  return {
    ein: o.ein,
    strein: strein(o.ein),
    name: o.name,
    sub_name: o.name,
    city: o.city,
    state: o.state,
    ntee_code: o.ntee,
    raw_ntee_code: o.ntee,
    subseccd: o.subsection,
    has_subseccd: true,
    have_filings: o.filings.length > 0 ? true : null,
    have_extracts: o.filings.length > 0 ? true : null,
    have_pdfs: o.filings.length > 0 ? true : null,
    score,
  };
}

export function organizationAnswer(o: MockOrg) {
  const latest = o.filings[0];
  return {
    organization: {
      id: o.ein,
      ein: o.ein,
      name: o.name,
      careofname: null,
      address: o.address,
      city: o.city,
      state: o.state,
      zipcode: o.zipcode,
      exemption_number: 0,
      subsection_code: o.subsection,
      affiliation_code: 3,
      classification_codes: '1000',
      ruling_date: o.rulingDate,
      deductibility_code: o.subsection === 3 ? 1 : 2,
      foundation_code: 15,
      activity_codes: '0',
      organization_code: 1,
      exempt_organization_status_code: 1,
      tax_period: latest ? `${String(latest[0]).slice(0, 4)}-${String(latest[0]).slice(4)}-01` : null,
      asset_code: 3,
      income_code: 3,
      filing_requirement_code: 1,
      pf_filing_requirement_code: 0,
      accounting_period: 12,
      asset_amount: latest ? Math.round(latest[1] * 0.6) : 0,
      income_amount: latest ? latest[1] : 0,
      revenue_amount: latest ? latest[1] : null,
      ntee_code: o.ntee,
      sort_name: null,
      created_at: '2024-05-02T18:35:11.000Z',
      updated_at: '2025-10-14T09:12:40.000Z',
      data_source: null,
      have_extracts: null,
      have_pdfs: null,
      latest_object_id: latest ? `2024${String(o.ein).slice(-6)}01` : null,
    },
    data_source: 'IRS Exempt Organizations Business Master File Extract (EO BMF): Updated 2025-11-10',
    api_version: 2,
    filings_with_data: o.filings.map(([taxPrd, revenue, expenses]) => ({
      tax_prd: taxPrd,
      tax_prd_yr: Math.floor(taxPrd / 100),
      formtype: 0,
      pdf_url: `https://projects.propublica.org/nonprofits/download-filing?path=${taxPrd}_${o.ein}.pdf`,
      updated: '2025-06-03T12:00:00.000Z',
      totrevenue: revenue,
      totfuncexpns: expenses,
      totassetsend: Math.round(revenue * 0.6),
      totliabend: Math.round(revenue * 0.1),
      pct_compnsatncurrofcr: 0,
    })),
    filings_without_data: [],
  };
}

function matches(o: MockOrg, q: string): boolean {
  const words = q.toUpperCase().split(/\s+/).filter(Boolean);
  return words.every((w) => o.name.includes(w) || String(o.ein) === w.replace(/-/g, '').replace(/^0+/, ''));
}

export const registryHandlers = [
  http.get(`${REGISTRY_BASE}/search.json`, ({ request }) => {
    const url = new URL(request.url);
    const q = url.searchParams.get('q') ?? '';
    const page = Number(url.searchParams.get('page') ?? '0');
    const state = url.searchParams.get('state[id]');
    const found = registryOrganizations.filter((o) => matches(o, q) && (!state || o.state === state));
    if (found.length === 0) {
      // The real service answers a search without matches with 404.
      return HttpResponse.json({ message: 'Not Found' }, { status: 404 });
    }
    const numPages = Math.ceil(found.length / PER_PAGE);
    const slice = found.slice(page * PER_PAGE, (page + 1) * PER_PAGE);
    return HttpResponse.json({
      total_results: found.length,
      organizations: slice.map((o, i) => searchRow(o, Math.round((40 - i) * 13.37 * 1000) / 1000)),
      num_pages: numPages,
      cur_page: page,
      page_offset: page * PER_PAGE,
      per_page: PER_PAGE,
      search_query: q,
      selected_state: state,
      selected_ntee: null,
      selected_code: null,
      data_source: 'IRS Exempt Organizations Business Master File Extract (EO BMF): Updated 2025-11-10',
      api_version: 2,
    });
  }),
  http.get(`${REGISTRY_BASE}/organizations/:ein`, ({ params }) => {
    const raw = String(params.ein).replace(/\.json$/, '');
    const o = registryOrganizations.find((org) => org.ein === Number(raw));
    if (!o) return HttpResponse.json({ message: 'Not Found' }, { status: 404 });
    return HttpResponse.json(organizationAnswer(o));
  }),
];

/** Error cases for the registry; install with mockServer.use(registryFaults.timeout()). */
export const registryFaults = faultsFor('get', new RegExp(`^${REGISTRY_BASE.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/`));
