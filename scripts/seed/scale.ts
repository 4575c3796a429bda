import { activeConfig } from '../../db/config';
import { all, database, first, nowIso, qb, transaction, withClock } from '../../db/connection';
import { beginBulkLoad } from '../../db/bulk-load';
import { createPartner } from '../../db/partners';
import { catchUpSearchIndex } from '../../db/search-index';
import { currentAgendaItems, latestMouVersionNumber, proposalRow } from '../../db/proposals';
import { createChapter, createUser } from '../../db/users';
import type {
  AgendaItemInput,
  CosponsorshipKind,
  PerceptionInput,
  RiskItemInput,
  Role,
  Step,
  ValuesInput,
} from '../../workflows/types';
import { generatedMouFor, saveMouVersion } from '../../app/features/mou/mou.server';
import { hashPassword } from '../../app/features/auth/password.server';
import { decideRefusal, isApproved, subjectOf, SYSTEM_ACTOR, type ActingUser } from '../../workflows/policy';
import { DEMO_PASSWORD, seedConfiguration, seedDemo } from './demo';
import { createProposal, decide } from '../../app/features/vetting/vetting.server';
import { withEnvReadOnce } from '../../app/utils/env.server';

// A large, realistic register for measuring: `npm run db:seed -- --scale 20000`.
// Every proposal goes through the real service (createProposal + decide), so
// every record is genuine and the chain verifies. Names, partners and texts are
// fictional, drawn from templates by a seeded generator: the same n gives the
// same data.

export type ScaleReport = {
  proposals: number;
  records: number;
  partners: number;
  chapters: number;
  users: number;
  seconds: number;
  byState: Record<string, number>;
};

// ---- Deterministic randomness ----

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rand {
  constructor(private readonly next: () => number) {}
  float(): number {
    return this.next();
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  some<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < count && pool.length > 0) out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]!);
    return out;
  }
  /** Fills {a|b|c} alternatives and {key} slots. */
  fill(template: string, slots: Record<string, string> = {}): string {
    return template
      .replace(/\{([^{}]*\|[^{}]*)\}/g, (_m, alts: string) => this.pick(alts.split('|')))
      .replace(/\{(\w+)\}/g, (_m, key: string) => slots[key] ?? key);
  }
}

// ---- Fixed material ----

const CHAPTERS: { name: string; region: string }[] = [
  { name: 'Seattle Group', region: 'West' },
  { name: 'Portland Local Group', region: 'West' },
  { name: 'Los Angeles Chapter', region: 'West' },
  { name: 'San Diego Group', region: 'West' },
  { name: 'Denver Local Group', region: 'Mountain' },
  { name: 'Albuquerque Group', region: 'Mountain' },
  { name: 'Phoenix Group', region: 'Mountain' },
  { name: 'Minneapolis–Saint Paul Chapter', region: 'Midwest' },
  { name: 'Detroit Local Group', region: 'Midwest' },
  { name: 'Madison Student Network', region: 'Midwest' },
  { name: 'St. Louis Group', region: 'Midwest' },
  { name: 'Houston Chapter', region: 'South' },
  { name: 'San Antonio Group', region: 'South' },
  { name: 'Atlanta Local Group', region: 'South' },
  { name: 'Miami Group', region: 'South' },
  { name: 'Durham–Chapel Hill Group', region: 'South' },
  { name: 'New York City Chapter', region: 'Northeast' },
  { name: 'Philadelphia Group', region: 'Northeast' },
  { name: 'Washington DC Chapter', region: 'Mid-Atlantic' },
  { name: 'Pittsburgh Student Network', region: 'Northeast' },
];

const FIRST_NAMES = [
  'José', 'Zoë', 'Aisha', 'François', 'Søren', 'Lan', 'Mariana', 'Tomás', 'Ngozi', 'Renée', 'Yusuf', 'Hannah',
  'Björn', 'Chloé', 'Dmitri', 'Inés', 'Kwame', 'Leïla', 'Mateo', 'Noor', 'Olúwaseun', 'Priya', 'Rafael', 'Saoirse',
  'Thảo', 'Uriel', 'Valentina', 'Wiktoria', 'Ximena', 'Yael', 'Zainab', 'André', 'Beatriz', 'Caoimhe', 'Dániel',
];
const LAST_NAMES = [
  'Martínez', 'Kowalski', 'Rahman', 'Dubois', 'Olsen', 'Nguyễn', 'Álvarez', 'Okonkwo', 'Lefèvre', 'Haddad', 'Schröder',
  'Müller', 'Castañeda', 'Ivanova', 'Gómez', 'Mensah', 'Benali', 'Ferreira', 'Kaur', 'Rodríguez', 'Ní Bhriain', 'Trần',
  'Cohen', 'Nowak', 'Herrera', 'Abiodun', 'Sørensen', 'Pereira', 'Yılmaz', 'Navarro', 'Ó Briain', 'Weiß', 'Jiménez',
];

const PLACES = [
  'Eastside', 'Riverside', 'Northgate', 'Lakeview', 'Hillcrest', 'Pilsen', 'Mission', 'Little Haiti', 'Borinquen',
  'Harborview', 'Cedar–Riverside', 'Westlake', 'Fruitvale', 'Montrose', 'Southside', 'Capitol Hill', 'Old Town',
  'Greenpoint', 'Frogtown', 'Brightwood', 'Midtown', 'East End', 'Bayview', 'Highland Park', 'Ironbound',
];
const CAMPUSES = [
  'Lakeshore University', 'Riverside Community College', 'Northgate State University', 'Bayview College',
  'Summit University', 'Cedar Valley College', 'Harbor State University', 'Redwood University',
];

/** Partner name patterns per kind of group, with the campaign it usually works on. */
const PARTNER_KINDS: { pattern: string; campaigns: string[]; bds?: number; country?: string }[] = [
  { pattern: '{campus} Students for Justice in Palestine', campaigns: ['israel_opt'], bds: 0.7 },
  { pattern: '{campus} Palestine Solidarity Committee', campaigns: ['israel_opt'], bds: 0.5 },
  { pattern: 'Comité de Solidaridad con Palestina de {place}', campaigns: ['israel_opt'], bds: 0.4 },
  { pattern: '{place} Jewish Voices for Peace and Justice', campaigns: ['israel_opt'], bds: 0.3 },
  { pattern: '{place} Coalition for a Just Peace', campaigns: ['israel_opt'], bds: 0.2 },
  { pattern: 'Arab American Community Center of {place}', campaigns: ['israel_opt'], bds: 0.1 },
  { pattern: '{place} Interfaith Peace Fellowship', campaigns: ['israel_opt', 'myanmar', 'guantanamo'] },
  { pattern: 'Asociación Cultural Latinoamericana de {place}', campaigns: ['guantanamo', 'vaccines'] },
  { pattern: 'Coalición por los Derechos del Inmigrante, {place}', campaigns: ['guantanamo', 'facial_recognition'] },
  { pattern: 'Société Haïtienne d’Entraide de {place}', campaigns: ['vaccines'] },
  { pattern: '{place} Burmese Community Association', campaigns: ['myanmar'] },
  { pattern: 'Karen Baptist Fellowship of {place}', campaigns: ['myanmar'] },
  { pattern: 'Uyghur American Families of {place}', campaigns: ['xinjiang'] },
  { pattern: '{place} Belarusian Cultural Society', campaigns: ['belarus'] },
  { pattern: 'Russian-Speaking Democrats Abroad, {place} Circle', campaigns: ['navalny', 'belarus'] },
  { pattern: '{place} Surveillance Watch', campaigns: ['facial_recognition'] },
  { pattern: 'Digital Rights Collective of {place}', campaigns: ['facial_recognition'] },
  { pattern: '{place} Health Workers for Global Equity', campaigns: ['vaccines'] },
  { pattern: "{place} People's Vaccine Network", campaigns: ['vaccines'] },
  { pattern: '{place} Film Society', campaigns: ['guantanamo', 'navalny', 'myanmar'] },
  { pattern: 'Muslim Students Association at {campus}', campaigns: ['xinjiang', 'israel_opt', 'guantanamo'], bds: 0.2 },
  { pattern: '{place} Tenants Union', campaigns: ['israel_opt', 'facial_recognition'], bds: 0.2 },
  { pattern: '{place} Democratic Party Ward Office', campaigns: ['israel_opt', 'guantanamo'] },
  { pattern: 'Friends of {place} Public Library', campaigns: ['guantanamo', 'facial_recognition', 'xinjiang'] },
  { pattern: 'Café Solidarité {place}', campaigns: ['israel_opt', 'belarus', 'vaccines'], bds: 0.1 },
];

/** Short agenda wordings for the positions of the catalog. */
const AGENDA_WORDING: Record<string, string[]> = {
  cancel_evictions_demolitions: ['Teach-in on home demolitions in {East Jerusalem|Masafer Yatta|the Jordan Valley}', 'Petition against forced evictions in Sheikh Jarrah'],
  end_forced_displacement: ['Testimony of a family displaced from {Silwan|Masafer Yatta|the Naqab}', 'Panel on forced displacement and settlement expansion'],
  lift_gaza_blockade: ['Call to lift the blockade of Gaza', 'Photo exhibit on life under the Gaza blockade'],
  targeted_sanctions_officials: ['Postcards asking for targeted sanctions on officials most responsible'],
  arms_embargo: ['Letters to Congress calling for a comprehensive arms embargo', 'Briefing on weapons transfers used in violations'],
  release_arbitrarily_detained: ['Vigil for Palestinians held in administrative detention', 'Case of a detained child, with a letter-writing table'],
  support_icc_investigation: ['Talk on the ICC investigation and accountability'],
  refugee_right_of_return: ['Oral histories of refugee families and their right to return'],
  repeal_discriminatory_laws: ['Reading group on laws that discriminate against Palestinian citizens'],
  immediate_ceasefire: ['Call for an immediate ceasefire by all parties'],
  release_hostages: ['Statement calling for the release of all hostages'],
  unimpeded_humanitarian_aid: ['Fundraiser and call for unimpeded humanitarian aid'],
  bds_movement: ['The group’s endorsement of the BDS call', 'BDS information table at the event'],
  boycott_of_israel: ['Consumer boycott campaign against Israeli products', 'Academic boycott resolution at {campus}'],
  divestment_from_israel: ['Campaign for {campus} to divest from companies in Israel', 'City pension fund divestment petition'],
  statehood_two_states: ['Debate on one-state and two-state futures'],
  legitimacy_of_states: ['Panel questioning the legitimacy of a state'],
  partisan_electoral_campaigning: ['Endorsement of a candidate for city council', 'Voter outreach for the party slate'],
  belarus_end_police_violence: ['Solidarity gathering for detained Belarusian protesters', 'Letters to political prisoners in Belarus'],
  myanmar_stop_lethal_force: ['Prayer vigil for protesters killed since the coup', 'Call to stop lethal force against protesters'],
  myanmar_peaceful_activists: ['Letters for detained journalists in Myanmar'],
  xinjiang_family_reunification: ['Testimonies of Uyghur parents separated from their children'],
  facial_recognition_ban: ['Ban the Scan teach-in on police facial recognition', 'Mapping surveillance cameras with DECODER'],
  vaccine_equity: ['Call for pharmaceutical companies to share vaccine technology', 'People’s Vaccine petition table'],
  close_guantanamo: ['Screening and discussion: close Guantanamo', 'Letters to senators to close Guantanamo'],
  free_navalny: ['Vigil for Aleksei Navalny and imprisoned activists'],
};

/** Municipal campaigns (seed 002) that the catalog does not settle: staff classify them. */
const UNSETTLED_ITEMS = [
  'Deadly Exchange: end police exchange programs with Israel',
  'Skip the Trip: no sponsored trips for city officials',
  'Sister Cities: suspend the sister-city agreement',
  'Break the Bonds: sell the city’s Israel bonds',
  'Right to Boycott: oppose anti-boycott legislation',
  'Local tenants’ rights ordinance campaign',
  'Community fridge and mutual aid drive',
];

const EVIDENCE: Record<string, { meets: string[]; concern: string[]; not_met: string[]; unknown: string[] }> = {
  independence: {
    meets: [
      'Its bylaws state it is {independent of any party, government or religious body|not affiliated with any party or government}; no candidate is involved in the event.',
      'Registered {501(c)(3)|student organization|community association}; board listed on its website, none holds public office.',
    ],
    concern: [
      'A board member is running for {city council|the state assembly}; the group says the event will not mention the campaign.',
      'Affiliated with a {congregation|diocese|mosque}; the vigil is interfaith and the faith body will not be presented as co-organizer with us.',
    ],
    not_met: [
      'The partner is the campaign office of a political party and wants the event to feature its candidate.',
      'The event is organized by a consulate and would present the government’s position.',
    ],
    unknown: ['Could not establish who controls the group; asked on the planning call, answer pending.'],
  },
  non_discrimination: {
    meets: [
      'Reviewed {its website|its Instagram|its X account|its newsletters} for the last {12|18|24} months: no antisemitic, Islamophobic or other discriminatory content found.',
      'Its code of conduct bars antisemitic, anti-Palestinian and Islamophobic speech; it co-organized events with {a Jewish students’ group|a mosque|an interfaith council}.',
    ],
    concern: [
      'An invited speaker shared a post with an antisemitic trope in {2021|2022|2023}; the group removed it and the speaker apologized publicly.',
      'Comment threads under its posts contain hateful replies that were not moderated; the group agreed to moderate.',
    ],
    not_met: [
      'Its spokesperson posted antisemitic content {repeatedly|in several posts} and the group has refused to address it.',
      'Its leaflets use a racist slur against {Arabs|Jews|Muslims}; no commitment to address it.',
    ],
    unknown: ['Not yet reviewed: the group’s social media accounts are private.'],
  },
  human_rights_standards: {
    meets: [
      'Its aims are equal rights and an end to {demolitions|detention|surveillance|repression} under international law; it condemns attacks on civilians by any party.',
      'Peaceful methods only: vigils, petitions, testimony at {city council|the state legislature}.',
    ],
    concern: ['A past statement did not condemn attacks on civilians; the group has since published a clearer one.'],
    not_met: ['Its materials celebrate attacks on civilians.'],
    unknown: ['Its public statements are few; nothing found either way.'],
  },
  mutual_respect: {
    meets: [
      'On the planning call the co-chairs confirmed they will not present us as endorsing positions we do not hold and will send materials naming us for approval.',
      'Agreed to the chapter’s branding guidelines and to settle disagreements privately.',
    ],
    concern: ['Last year it listed us on a flyer without asking; it has apologized and agreed to the approval process.'],
    not_met: ['It refuses to let us approve materials that carry our name.'],
    unknown: ['Not discussed yet; planning call scheduled.'],
  },
  transparency: {
    meets: [
      'Officers and funders listed on its website; funded by {member dues|small donations|student activity fees|a community foundation grant}.',
      'Annual report and Form 990 available; no government funding.',
    ],
    concern: ['Funding not published; the treasurer described it as small donations.'],
    not_met: ['Refuses to say who funds it.'],
    unknown: ['Leadership known, funding not published; asked, answer pending.'],
  },
};

const RISKS: Record<string, { description: string[]; mitigation: string[] }> = {
  reputation: {
    description: [
      'A speaker goes off-script with statements that conflict with our positions, and a clip circulates with our name.',
      'Counter-protesters display hateful signs and photos circulate with our logo.',
      'Media coverage frames the event as the organization taking sides in {a partisan dispute|an election|a religious dispute}.',
    ],
    mitigation: [
      'Speakers briefed on approved talking points; chapter lead moderates; agreed procedure to end the Q&A.',
      'Two trained moderators; code of conduct read at the start; only approved photos posted.',
    ],
  },
  perception: {
    description: [
      'The partner’s usual flyers carry the BDS logo; ours beside it would read as joining the campaign.',
      'Co-promotion on the partner’s accounts could imply we endorse its wider agenda.',
    ],
    mitigation: [
      'Separate co-sponsor listing with the disclaimer; no BDS branding next to our name; materials approved in advance.',
      'Co-promotion uses our approved talking points only; chapter approves every post naming us.',
    ],
  },
  independence: {
    description: ['Elected officials attend and use the event for campaigning.', 'A faith body’s branding dominates the event materials.'],
    mitigation: ['No campaign materials or speeches by candidates; officials may attend as guests only.', 'Neutral branding agreed; both names listed equally.'],
  },
  participant_safety: {
    description: [
      'Harassment or doxxing of speakers and attendees.',
      'Attendees from the diaspora fear being photographed and reported to authorities back home.',
    ],
    mitigation: [
      'No photography of attendees without consent; speakers may use first names only; venue security informed.',
      'Photo-free zones and name tags optional; volunteers briefed with the community conversation guide.',
    ],
  },
  legal: {
    description: ['The venue’s rules on political activity could be breached by a petition table.'],
    mitigation: ['Venue rules checked with the manager; petition limited to our action.'],
  },
  relationship: {
    description: ['Disagreement over the program late in planning strains the relationship.'],
    mitigation: ['MOU sets decision making and dispute resolution; weekly planning call.'],
  },
  financial: {
    description: ['Shared costs for the venue are not settled.'],
    mitigation: ['Costs and contributions written into the MOU.'],
  },
};

const BENEFITS: Record<string, string[]> = {
  mission_impact: [
    'Directly advances the {campaign} campaign with {postcards|letters|petition signatures} from {60|80|120|200} attendees.',
    'Puts the {campaign} action in front of an audience already moved by the issue.',
  ],
  outreach: [
    'Reaches {40|80|150|300} people who do not come to our meetings; sign-ups for the chapter list.',
    'First joint event with a {student|faith|diaspora|tenants’} community we rarely reach.',
  ],
  relationship: ['Builds a lasting relationship with a trusted local group.', 'Opens the door to the partner’s network of {12|20|35} groups.'],
};

const EVENT_FORMATS: { title: string; kind: CosponsorshipKind }[] = [
  { title: 'Teach-in: {topic}', kind: 'speaker' },
  { title: 'Vigil for {topic}', kind: 'co_hosting' },
  { title: 'Panel discussion: {topic}', kind: 'speaker' },
  { title: 'Letter-writing night: {topic}', kind: 'co_hosting' },
  { title: 'Film screening and discussion: {topic}', kind: 'co_listing' },
  { title: 'Community forum on {topic}', kind: 'co_hosting' },
  { title: 'Joint leaflet on {topic}', kind: 'shared_materials' },
  { title: 'Rally listing: {topic}', kind: 'co_listing' },
];

const TOPICS: Record<string, string[]> = {
  israel_opt: ['home demolitions and forced evictions', 'administrative detention of Palestinians', 'the blockade of Gaza', 'accountability for violations by all parties', 'humanitarian access to Gaza'],
  belarus: ['peaceful protesters detained in Belarus', 'political prisoners in Belarus'],
  myanmar: ['protesters killed since the military takeover', 'journalists detained in Myanmar'],
  xinjiang: ['Uyghur families separated by Xinjiang policies'],
  facial_recognition: ['police facial recognition and the right to protest', 'Ban the Scan in our city'],
  vaccines: ['a fair shot: vaccines for everyone', 'sharing vaccine technology'],
  guantanamo: ['closing Guantanamo', 'twenty years of indefinite detention'],
  navalny: ['Aleksei Navalny and imprisoned activists in Russia'],
};

const CONDITIONS = [
  'All materials naming the organization are approved by the chapter lead before publication.',
  'The organization’s name and logo appear only in the co-sponsor listing, with the disclaimer.',
  'No petition other than the organization’s own action runs under its name.',
  'Speakers keep to the agreed topic; the chapter lead moderates the Q&A.',
  'No candidate or party material at the event.',
  'Report back to staff within two weeks of the event.',
];

const REJECT_RATIONALES = [
  'The partner does not meet the non-discrimination criterion and has not committed to address it; co-sponsoring would harm the organization’s integrity.',
  'Independence not met: the event would present the organization as supporting a party’s campaign.',
  'The perception conditions cannot be met: the event would appear as the organization joining the BDS campaign.',
  'Risks outweigh the benefits even after mitigation; the chapter may propose a different format.',
  'The agenda conflicts with the organization’s positions on {attacks on civilians|partisan campaigning}.',
];

const CHANGE_REQUESTS: Record<Step, string[]> = {
  values: ['Please document the partner’s funding and leadership before we decide.', 'Add evidence on the speaker’s recent posts; the rating looks optimistic.'],
  agenda: ['Two agenda items are not mapped; please map them or mark them unknown with a note.', 'The divestment item needs to be listed as a general agenda item of the partner.'],
  risk: ['The safety risk needs a concrete mitigation and residual scores.', 'Please add the perception risk of the partner’s branding.'],
  perception: ['The disclaimer condition needs the partner’s written acceptance.', 'Please answer the checklist with the partner, not on their behalf.'],
  mou: ['A co-hosted event needs an MOU; please draft one from the template.', 'The MOU must keep the perception conditions as clauses.'],
};

const WITHDRAW_REASONS = [
  'The partner cancelled the event.',
  'The venue fell through and the event is postponed indefinitely.',
  'The partner decided to organize the event alone.',
  'Chapter capacity: not enough volunteers this term.',
  'Duplicate: another chapter is co-sponsoring the same event.',
];

// ---- The generator ----

/**
 * Generator steps per commit while generating (see runProposals): about 60 proposals'
 * worth. 500 wrote 36% fewer bytes than 50 and took 10% less CPU on 3,000 proposals
 * (the same hot pages reach the WAL once per block); 2,000 gained nothing more.
 */
const TICKS_PER_COMMIT = 500;

/** Records indexed per transaction by the search-index catch-up after the load. */
const SEARCH_INDEX_BATCH = 20_000;

type Actors = { leadsByChapter: Map<number, ActingUser[]>; staff: ActingUser[] };
type PartnerRow = { id: number; name: string; campaigns: string[]; bds: boolean; weight: number };

/**
 * Builds a register of n proposals (plus the demo data, so the demo accounts
 * work). Refuses a database that already holds proposals: the simulated clock
 * must run before any real record.
 */
export async function seedScale(n: number, options: { seed?: number; log?: (message: string) => void } = {}): Promise<ScaleReport> {
  if (!Number.isInteger(n) || n < 1) throw new Error('--scale needs a positive whole number of proposals.');
  const log = options.log ?? (() => {});
  const existing = first(qb().selectFrom('proposals').select('id').limit(1));
  if (existing) throw new Error('This database already holds proposals: build the scale dataset on an empty database.');
  const started = performance.now();
  const rand = new Rand(mulberry32(options.seed ?? 20261122));
  // Commits without waiting for the disk, for the load only (db/bulk-load.ts).
  const endBulkLoad = beginBulkLoad();
  try {
    seedConfiguration();
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const actors = transaction(() => createPeople(rand, passwordHash));
    const partners = transaction(() => createPartners(rand, Math.max(20, Math.min(400, Math.round(n / 60) + 40))));
    log(`${partners.length} partners, ${CHAPTERS.length} chapters, ${actors.staff.length} staff.`);

    // Spread over up to three years, ending now.
    const end = Date.now() - 60 * 60 * 1000;
    const span = Math.min(3 * 365, Math.max(60, Math.round((n / 20000) * 3 * 365))) * 86_400_000;
    const clock = { now: end - span };
    const deferred = deferReadSideIndexes();
    try {
      // Records are stamped by the services with the current time: the generator
      // moves an injected clock forward itself, so date filters have years to work on.
      // The environment is read once for the whole load, not once per decision (45 variables each time).
      withEnvReadOnce(() => withClock(() => clock.now, () => runProposals(rand, n, actors, partners, clock, end, log)));
    } finally {
      const rebuilt = performance.now();
      deferred.rebuild();
      log(`${deferred.count} indexes rebuilt in ${((performance.now() - rebuilt) / 1000).toFixed(1)} s.`);
    }
    // The generated records' search index, in large transactions: nobody waits for the
    // write lock during the load, and 20,000 records a transaction took 14% less CPU than 2,000.
    catchUpSearchIndex(SEARCH_INDEX_BATCH);

    // Demo accounts and proposals come last, at the real time, so `at` keeps growing with seq.
    await seedDemo({ passwordHash });
  } finally {
    endBulkLoad();
  }
  const byState = Object.fromEntries(
    all(
      qb()
        .selectFrom('proposals')
        .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('state'),
    ).map((r) => [r.state, r.n]),
  );
  const count = (table: 'proposals' | 'decision_records' | 'partners' | 'chapters' | 'users') =>
    first(qb().selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')))!.n;
  return {
    proposals: count('proposals'),
    records: count('decision_records'),
    partners: count('partners'),
    chapters: count('chapters'),
    users: count('users'),
    seconds: Math.round((performance.now() - started) / 100) / 10,
    byState,
  };
}

/**
 * The indexes of the two largest tables that only pages read (lists, filters, insights)
 * and that no query of the services the generator calls needs: the proposal's records
 * (chain heads, latest approval) and a partner's proposals are looked up through the
 * ones kept. Unique indexes stay, for their constraint.
 */
const KEPT_DURING_LOAD = new Set(['decision_records_proposal', 'proposals_partner', 'proposals_partner_state_chapter']);

/**
 * Drops those indexes for the load and gives what rebuilds them, each from its own
 * CREATE statement in the schema, so the finished file has exactly the schema the
 * migrations made. Maintaining them row by row cost about as much as writing the rows
 * (a record insert: 79 µs with them, 41 µs without, on a 3,000-proposal register);
 * CREATE INDEX sorts once.
 */
function deferReadSideIndexes(): { count: number; rebuild: () => void } {
  const db = database();
  // PostgreSQL's load is not measured against a goal: its indexes are kept as they are.
  if (db.kind !== 'sqlite') return { count: 0, rebuild: () => {} };
  const { sqlite } = db;
  const indexes = (
    sqlite
      .prepare(
        `SELECT name, sql FROM sqlite_master
          WHERE type = 'index' AND tbl_name IN ('decision_records', 'proposals') AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'
          ORDER BY rowid`,
      )
      .all() as { name: string; sql: string }[]
  ).filter((index) => !KEPT_DURING_LOAD.has(index.name));
  sqlite.transaction(() => {
    for (const index of indexes) sqlite.exec(`DROP INDEX "${index.name}"`);
  })();
  let rebuilt = false;
  return {
    count: indexes.length,
    rebuild: () => {
      if (rebuilt) return;
      rebuilt = true;
      sqlite.transaction(() => {
        for (const index of indexes) sqlite.exec(index.sql);
      })();
    },
  };
}

function personName(rand: Rand): string {
  return `${rand.pick(FIRST_NAMES)} ${rand.pick(LAST_NAMES)}`;
}

function createPeople(rand: Rand, passwordHash: string): Actors {
  const leadsByChapter = new Map<number, ActingUser[]>();
  let leadNumber = 0;
  for (const chapter of CHAPTERS) {
    const chapterId = createChapter(chapter.name, chapter.region);
    const leads: ActingUser[] = [];
    const count = rand.int(1, 2);
    for (let i = 0; i < count; i++) {
      leadNumber += 1;
      const name = personName(rand);
      const roles: Role[] = ['chapter_lead'];
      const id = createUser({ email: `scale-lead${leadNumber}@cosponsor.test`, name, passwordHash, chapterId, roles });
      leads.push({ id, name, roles, chapterId });
    }
    leadsByChapter.set(chapterId, leads);
  }
  const staff: ActingUser[] = [];
  for (let i = 1; i <= 8; i++) {
    const name = personName(rand);
    const roles: Role[] = ['staff'];
    const id = createUser({ email: `scale-staff${i}@cosponsor.test`, name, passwordHash, chapterId: null, roles });
    staff.push({ id, name, roles, chapterId: null });
  }
  for (let i = 1; i <= 2; i++) {
    createUser({ email: `scale-reviewer${i}@cosponsor.test`, name: personName(rand), passwordHash, chapterId: null, roles: ['reviewer'] });
  }
  return { leadsByChapter, staff };
}

function createPartners(rand: Rand, count: number): PartnerRow[] {
  const out: PartnerRow[] = [];
  const used = new Set<string>();
  while (out.length < count) {
    const kind = rand.pick(PARTNER_KINDS);
    const name = rand.fill(kind.pattern, { place: rand.pick(PLACES), campus: rand.pick(CAMPUSES) });
    if (used.has(name)) {
      if (used.size > PARTNER_KINDS.length * PLACES.length * 0.6) break; // the name space is used up
      continue;
    }
    used.add(name);
    const bds = rand.chance(kind.bds ?? 0);
    const slug = name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    const id = createPartner(
      {
        name,
        website: rand.chance(0.85) ? `https://${slug.slice(0, 50)}.example.org` : null,
        country: 'US',
        description: rand.fill(
          '{Volunteer-run|Membership|Student|Community} group founded in {2008|2012|2015|2017|2019|2021} with about {20|40|60|150|400} active members. {Runs monthly meetings and public events.|Organizes vigils, teach-ins and letter-writing.|Works mostly through social media and campus events.|Part of a regional coalition of similar groups.}',
        ),
        publicPositions: bds ? ['supports_bds'] : [],
      },
      null,
    );
    // A few groups ask far more often than most (a popular coalition partner).
    out.push({ id, name, campaigns: kind.campaigns, bds, weight: 1 / Math.pow(out.length + 1, 0.6) });
  }
  return out;
}

function weightedPicker<T extends { weight: number }>(items: T[]): (rand: Rand) => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const item of items) cumulative.push((total += item.weight));
  return (rand) => {
    const x = rand.float() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return items[lo]!;
  };
}

/** Runs n proposal lifecycles, interleaved as real ones are, while the clock moves on. */
function runProposals(
  rand: Rand,
  n: number,
  actors: Actors,
  partners: PartnerRow[],
  clock: { now: number },
  end: number,
  log: (message: string) => void,
): void {
  // In key order, as SQLite reads them from the key's index: the same picks, so the same register, on both databases.
  const campaignIds = new Map(all(qb().selectFrom('campaigns').select(['id', 'key']).orderBy('key')).map((c) => [c.key, c.id]));
  const pickPartner = weightedPicker(partners.map((p) => ({ ...p })));
  const chapterIds = [...actors.leadsByChapter.keys()];
  const inFlight: Generator<void>[] = [];
  const expiries: { id: number; until: string }[] = [];
  let started = 0;
  const poolSize = Math.max(4, Math.min(60, Math.round(n / 300)));
  let lastLog = performance.now();
  let ticks = 0;
  let finished = 0;

  /** One step of one proposal in flight, then the scheduler's expiries up to the new time. */
  const tick = () => {
    while (inFlight.length < poolSize && started < n) {
      started += 1;
      const partner = pickPartner(rand);
      const chapterId = rand.pick(chapterIds);
      const lead = rand.pick(actors.leadsByChapter.get(chapterId)!);
      const campaignKey = rand.chance(0.85) ? rand.pick(partner.campaigns) : rand.pick([...campaignIds.keys()]);
      inFlight.push(lifecycle(rand, { partner, lead, campaignKey, campaignId: campaignIds.get(campaignKey)!, staff: actors.staff }, expiries));
    }
    const index = Math.floor(rand.float() * inFlight.length);
    if (inFlight[index]!.next().done) {
      inFlight.splice(index, 1);
      finished += 1;
    }
    // Spread what remains of the span over the actions still expected, so the last ones land near `end`.
    ticks += 1;
    const perProposal = finished >= 20 ? ticks / finished : 8;
    const remaining = Math.max(1, n * perProposal - ticks);
    const meanStep = Math.max(0, end - clock.now) / remaining;
    clock.now += Math.round(meanStep * (0.2 + 1.6 * rand.float()));

    // The scheduler's job: approvals end the day after their end date.
    const today = new Date(clock.now).toISOString().slice(0, 10);
    while (expiries.length > 0 && expiries[0]!.until < today) {
      const { id } = expiries.shift()!;
      const proposal = proposalRow(id)!;
      if (!isApproved(proposal.state)) continue;
      const result = decide({ proposalId: id, expectedVersion: proposal.version, actor: SYSTEM_ACTOR, command: { type: 'EXPIRE' } });
      if (!result.ok) throw new Error(`Scale seed: expiring ${id} was refused: ${result.error.message}`);
    }
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      log(`${started - inFlight.length} of ${n} proposals done (${new Date(clock.now).toISOString().slice(0, 10)}).`);
    }
  };
  // Commits grouped: each call keeps its own transaction, which inside this one
  // becomes a savepoint, so every decision still writes or refuses as a whole and
  // reads the chain head it extends; the pages a block of decisions touches (index
  // roots, the chain's tail) reach the WAL once per block instead of once per decision.
  const busy = () => started < n || inFlight.length > 0;
  while (busy()) {
    transaction(() => {
      for (let i = 0; i < TICKS_PER_COMMIT && busy(); i++) tick();
    });
  }
}

type Plan = {
  partner: PartnerRow;
  lead: ActingUser;
  campaignKey: string;
  campaignId: number;
  staff: ActingUser[];
};

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function insertSorted(list: { id: number; until: string }[], item: { id: number; until: string }): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.until <= item.until) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, item);
}

/** One proposal from creation to its end; yields between actions so others interleave. */
function* lifecycle(rand: Rand, plan: Plan, expiries: { id: number; until: string }[]): Generator<void> {
  const { docs } = activeConfig();
  const today = () => nowIso().slice(0, 10);
  const topic = rand.pick(TOPICS[plan.campaignKey] ?? ['human rights']);
  const format = rand.pick(EVENT_FORMATS);
  const place = rand.pick(PLACES);
  const { id } = createProposal(plan.lead, {
    partnerId: plan.partner.id,
    campaignId: plan.campaignId,
    eventTitle: rand.fill(format.title, { topic }),
    eventDate: addDays(today(), rand.int(30, 150)),
    eventPlace: rand.fill('{Community room|Public library|Student union|Parish hall|Union hall|Café} in {place}', { place }),
    eventDescription: rand.fill(
      '{An evening|A two-hour|A lunchtime|A weekend} event on {topic} with {a speaker from the partner|a chapter member presenting our research|a panel of three speakers|a film and discussion}, ending with {a letter-writing table|a petition table|a call to action|a Q&A}.',
      { topic },
    ),
    kind: format.kind,
  });
  // The proposal as the last call left it: decide() returns it, so the generator never reads it back.
  let proposal = proposalRow(id)!;
  const send = (actor: ActingUser, command: unknown) => {
    const result = decide({ proposalId: id, expectedVersion: proposal.version, actor, command });
    if (!result.ok) {
      throw new Error(
        `Scale seed: ${(command as { type: string }).type} on proposal ${id} refused: ${result.error.message} ${JSON.stringify(result.error.fieldErrors)}`,
      );
    }
    proposal = result.proposal;
  };
  yield;

  // Some stay drafts, some are withdrawn part-way.
  if (rand.chance(0.03)) return;
  const withdrawAt = rand.chance(0.04) ? rand.pick(['values', 'agenda', 'risk', 'mou', 'review'] as const) : null;
  const abandonAt = rand.chance(0.02) ? rand.pick(['values', 'agenda', 'risk'] as const) : null;
  let valuesProfile: 'compatible' | 'concerns' | 'incompatible' =
    plan.partner.name.includes('Party') ? (rand.chance(0.8) ? 'incompatible' : 'concerns') : rand.chance(0.05) ? 'incompatible' : rand.chance(0.25) ? 'concerns' : 'compatible';
  let changesRequested = 0;
  let unmappedSubmitted = false;
  send(plan.lead, { type: 'SUBMIT_PROPOSAL' });
  yield;

  for (let guard = 0; guard < 40; guard++) {
    const state = proposal.state;
    if (state === withdrawAt) {
      send(plan.lead, { type: 'WITHDRAW', reason: rand.pick(WITHDRAW_REASONS) });
      return;
    }
    if (state === abandonAt) return;
    switch (state) {
      case 'values':
        send(plan.lead, { type: 'SUBMIT_VALUES', input: valuesInput(rand, docs.values_criteria.criteria.map((c) => c.key), valuesProfile) });
        break;
      case 'agenda': {
        const items = agendaItems(rand, plan, docs.positions.positions);
        send(plan.lead, { type: 'SUBMIT_AGENDA', input: { items } });
        // Items are stored as submitted: only an agenda with an unmapped item is read back in review.
        unmappedSubmitted = items.some((i) => i.classification === 'unknown');
        break;
      }
      case 'risk':
        send(plan.lead, { type: 'SUBMIT_RISK', input: { items: riskItems(rand, plan) } });
        break;
      case 'perception':
        send(plan.lead, { type: 'SUBMIT_PERCEPTION', input: perceptionInput(rand, docs.perception_checklist.items.map((i) => i.key)) });
        break;
      case 'mou':
        if (format.kind === 'co_listing' && rand.chance(0.7) && !changesRequested) {
          send(plan.lead, { type: 'MOU_NOT_NEEDED', reason: rand.fill('A one-off {co-listing|rally listing} with no shared materials or money: the listing and disclaimer are enough.') });
        } else {
          saveMouVersion({
            proposalId: id,
            actor: plan.lead,
            sections: generatedMouFor(id),
            removedConditions: [],
            note: rand.pick(['Generated from the vetting.', 'Generated; contacts filled in.', 'Updated after the planning call.']),
            baseVersion: latestMouVersionNumber(id),
          });
          send(plan.lead, { type: 'SUBMIT_MOU' });
        }
        break;
      case 'review': {
        const staff = plan.staff.filter((s) => decideRefusal(subjectOf(proposal), s) === null);
        const decider = rand.pick(staff);
        // Unmapped agenda items are classified first, by someone else than the decider when possible.
        const unknown = unmappedSubmitted ? currentAgendaItems(id).filter((i) => i.classification === 'unknown') : [];
        if (unknown.length > 0 && rand.chance(0.8)) {
          const classifier = rand.pick(staff);
          const item = unknown[0]!;
          send(classifier, {
            type: 'CLASSIFY_AGENDA_ITEM',
            itemId: item.id,
            classification: rand.chance(0.7) ? 'compatible' : 'no_position',
            positionKey: null,
            rationale: rand.pick(['', 'Local campaign, outside the catalog; within mandate.', 'The organization takes no position on this municipal campaign.']),
          });
          break;
        }
        const recommendReject = proposal.recommend_reject === 1;
        const roll = rand.float();
        if (changesRequested < 2 && (recommendReject ? roll < 0.1 : roll < 0.15)) {
          const steps: Step[] = recommendReject ? ['values'] : ['values', 'agenda', 'risk', 'mou'];
          if (proposal.perception_required) steps.push('perception');
          const step = rand.pick(steps);
          changesRequested += 1;
          if (step === 'values') valuesProfile = 'concerns';
          send(decider, { type: 'REQUEST_CHANGES', step, rationale: rand.pick(CHANGE_REQUESTS[step]) });
        } else if (recommendReject ? roll < 0.95 : roll < 0.25) {
          send(decider, { type: 'REJECT', rationale: rand.fill(rand.pick(REJECT_RATIONALES)) });
          return;
        } else {
          const conditions = rand.chance(0.45) ? rand.some(CONDITIONS, rand.int(1, 3)) : [];
          const now = today();
          const endDate = rand.chance(0.1)
            ? addDays(now, rand.int(90, 360))
            : proposal.event_date < now
              ? now
              : null;
          send(decider, {
            type: 'APPROVE',
            conditions,
            endDate,
            rationale: rand.chance(0.5)
              ? rand.fill('{Aligned agenda and|Values compatible and|Risks mitigated and} {benefits clearly outweigh the residual risks|the conditions cover the perception risk|a trusted partner of the chapter}.')
              : '',
          });
          if (proposal.approved_until) insertSorted(expiries, { id, until: proposal.approved_until });
          return;
        }
        break;
      }
      default:
        return;
    }
    yield;
  }
}

function valuesInput(rand: Rand, keys: string[], profile: 'compatible' | 'concerns' | 'incompatible'): ValuesInput {
  const ratings: ValuesInput['ratings'] = {};
  const concernKeys = profile === 'concerns' ? rand.some(keys, rand.int(1, 2)) : [];
  const failKey = profile === 'incompatible' ? rand.pick(['independence', 'non_discrimination', 'human_rights_standards']) : null;
  for (const key of keys) {
    const texts = EVIDENCE[key];
    let rating: 'meets' | 'concern' | 'not_met' | 'unknown' = 'meets';
    if (key === failKey) rating = 'not_met';
    else if (concernKeys.includes(key)) rating = rand.chance(0.7) ? 'concern' : 'unknown';
    const evidence = texts ? rand.fill(rand.pick(texts[rating])) : 'Checked on the planning call.';
    ratings[key] = { rating, evidence, links: rand.chance(0.5) ? [`https://news.example.org/${key}/${rand.int(1000, 9999)}`] : [] };
  }
  return { ratings };
}

function agendaItems(rand: Rand, plan: Plan, positions: { key: string; campaignKey: string | null; stance: string }[]): AgendaItemInput[] {
  const items: AgendaItemInput[] = [];
  const slots = { campus: rand.pick(CAMPUSES) };
  const aligned = positions.filter((p) => p.campaignKey === plan.campaignKey && p.stance === 'calls_for' && AGENDA_WORDING[p.key]);
  for (const position of rand.some(aligned, rand.int(1, 3))) {
    items.push({ text: rand.fill(rand.pick(AGENDA_WORDING[position.key]!), slots), scope: 'event', classification: 'aligned', positionKey: position.key });
  }
  if (plan.campaignKey === 'israel_opt' && (plan.partner.bds || rand.chance(0.15))) {
    const key = rand.pick(['bds_movement', 'boycott_of_israel', 'divestment_from_israel']);
    items.push({ text: rand.fill(rand.pick(AGENDA_WORDING[key]!), slots), scope: 'general', classification: 'no_position', positionKey: key });
  }
  if (rand.chance(0.12)) items.push({ text: rand.pick(UNSETTLED_ITEMS), scope: 'general', classification: 'unknown', positionKey: null });
  if (plan.partner.name.includes('Party') || rand.chance(0.02)) {
    items.push({ text: rand.pick(AGENDA_WORDING.partisan_electoral_campaigning!), scope: 'event', classification: 'conflicting', positionKey: 'partisan_electoral_campaigning' });
  }
  if (items.length === 0) items.push({ text: `Public event on ${plan.campaignKey.replace('_', ' ')}`, scope: 'event', classification: 'compatible', positionKey: null });
  return items;
}

function riskItems(rand: Rand, plan: Plan): RiskItemInput[] {
  const items: RiskItemInput[] = [];
  const categories = Object.keys(RISKS).filter((c) => c !== 'perception' || plan.campaignKey === 'israel_opt');
  for (const category of rand.some(categories, rand.int(1, 3))) {
    const likelihood = rand.int(1, 5);
    const impact = rand.int(2, 5);
    items.push({
      kind: 'risk',
      category,
      description: rand.fill(rand.pick(RISKS[category]!.description)),
      likelihood,
      impact,
      mitigation: rand.fill(rand.pick(RISKS[category]!.mitigation)),
      residualLikelihood: Math.max(1, likelihood - rand.int(0, 2)),
      residualImpact: Math.max(1, impact - rand.int(0, 1)),
    });
  }
  const campaign = TOPICS[plan.campaignKey]?.[0] ?? 'campaign';
  for (const category of rand.some(Object.keys(BENEFITS), rand.int(1, 2))) {
    items.push({
      kind: 'benefit',
      category,
      description: rand.fill(rand.pick(BENEFITS[category]!), { campaign }),
      likelihood: rand.int(2, 5),
      impact: rand.int(2, 5),
      mitigation: null,
      residualLikelihood: null,
      residualImpact: null,
    });
  }
  return items;
}

function perceptionInput(rand: Rand, keys: string[]): PerceptionInput {
  const answers: PerceptionInput['answers'] = {};
  const failing = rand.chance(0.06) ? rand.pick(keys) : null;
  for (const key of keys) {
    const answer = key === failing ? 'cannot_meet' : rand.chance(0.3) ? 'condition' : 'met';
    answers[key] = {
      answer,
      note:
        answer === 'met'
          ? rand.pick(['', 'Confirmed on the planning call.', 'Checked the draft flyer.', 'Partner agreed by e-mail.'])
          : answer === 'condition'
            ? rand.pick(['Partner agreed to this as a written condition.', 'Will be an MOU clause.', 'Agreed after discussion with the co-chairs.'])
            : rand.pick(['The partner will not remove its BDS branding from the listing.', 'Its speakers intend to call for boycott from the stage.']),
    };
  }
  return { answers };
}
