// Canned answers of an OpenSanctions-compatible /match API, in the service's
// own shape. Used by the demo seed (so the example-case-5 dossier shows its
// hit with screening off) and by the screening mock. Pure data: no I/O.
// The organization is fictional; the listing imitates a real kind of entry:
// a "terrorist organization" declaration by Israel's Minister of Defense under
// the 2016 Counter-Terrorism Law, dated 22 October 2021, like those the
// organization condemned for six Palestinian civil-society groups (seed 003).

/** The demo partner of example case 5 (see db/seed-data/demo.ts). */
export const DESIGNATED_PARTNER_NAME = 'Al-Bayyina Center for Human Rights and Legal Defense';

/** Lower-case fragments of names the screening mock answers with the designation. */
export const DESIGNATED_NAME_FRAGMENTS = ['bayyina'];

/** One result of POST /match/{dataset}, as the service returns it. */
export const designationResult = {
  id: 'il-mod-terror-7f3a1c9e0b24d6e5',
  caption: 'Al-Bayyina Center for Human Rights and Legal Defence',
  schema: 'Organization',
  properties: {
    name: ['Al-Bayyina Center for Human Rights and Legal Defence'],
    alias: ['Al-Bayyina', 'Al Bayina Center', 'مركز البيّنة لحقوق الإنسان والدفاع القانوني'],
    country: ['ps'],
    address: ['Ramallah'],
    topics: ['sanction', 'crime.terror'],
    authority: ['Minister of Defense of Israel'],
    program: ['Declaration of a terrorist organization under the Counter-Terrorism Law, 5776-2016'],
    listingDate: ['2021-10-22'],
    notes: [
      'Declared a "terrorist organization" by the Minister of Defense on 22 October 2021. Listed by the National Bureau for Counter Terror Financing of Israel (NBCTF).',
    ],
    sourceUrl: ['https://nbctf.mod.gov.il/'],
  },
  datasets: ['il_mod_terrorists'],
  referents: ['il-mod-terror-org-2021-10-22-07'],
  target: true,
  first_seen: '2021-10-24T06:12:44',
  last_seen: '2026-11-20T05:03:18',
  last_change: '2021-10-24T06:12:44',
  score: 0.87,
  features: { name_match: 0.93, country_mismatch: 0 },
  explanations: {
    name_match: {
      score: 0.93,
      detail: 'Names match after transliteration: "Legal Defense" ~ "Legal Defence"',
      query: 'Al-Bayyina Center for Human Rights and Legal Defense',
      candidate: 'Al-Bayyina Center for Human Rights and Legal Defence',
    },
  },
  match: true,
} as const;

/** The dataset's entry in the service's catalog (GET /catalog), for its title and publisher. */
export const designationDataset = {
  name: 'il_mod_terrorists',
  title: 'Israel Terrorist Organization Designations (NBCTF)',
  publisher: 'National Bureau for Counter Terror Financing, Ministry of Defense of Israel',
} as const;

/** A whole /match answer for one query named q1. */
export function matchAnswer(results: readonly unknown[], query: unknown) {
  return {
    responses: {
      q1: {
        status: 200,
        results,
        total: { value: results.length, relation: 'eq' },
        query,
      },
    },
    matcher: {
      name_match: { description: 'Two names are similar after normalization and transliteration.', coefficient: 0.9, url: '' },
      country_mismatch: { description: 'Both entities are linked to different countries.', coefficient: -0.2, url: '' },
    },
    limit: 5,
  };
}

/** What the demo seed stores for example case 5: the answer the service gave at creation. */
export const demoDesignationAnswer = matchAnswer([designationResult], {
  id: null,
  schema: 'Organization',
  properties: { name: [DESIGNATED_PARTNER_NAME], country: ['ps'] },
});
