// Demo data for a fresh install: chapters, users, partner groups and proposals
// that the seeding code sends through the real workflow service, step by step,
// so that every demo decision has a genuine record in the log.
// Pure data: no I/O. Partner groups, people and links are fictional.

import type {
  AgendaInput,
  CosponsorshipKind,
  PerceptionInput,
  RiskInput,
  Role,
  Step,
  ValuesInput,
} from '../../workflows/types';
import { DESIGNATED_PARTNER_NAME } from './screening-fixtures';

export type DemoUser = { key: string; email: string; name: string; roles: Role[]; chapterKey: string | null };
export type DemoChapter = { key: string; name: string; region: string };
export type DemoPartner = {
  key: string;
  name: string;
  website: string | null;
  country: string;
  description: string;
  publicPositions: string[];
};
export type DemoStepPlan =
  | { step: 'values'; input: ValuesInput }
  | { step: 'agenda'; input: AgendaInput }
  | { step: 'risk'; input: RiskInput }
  | { step: 'perception'; input: PerceptionInput }
  | { step: 'mou'; mou: 'generate' | { notNeeded: string } };
export type DemoDecision =
  | { kind: 'approve'; byUserKey: string; conditions: string[]; rationale: string }
  | { kind: 'reject'; byUserKey: string; rationale: string }
  | { kind: 'request_changes'; byUserKey: string; step: Step; rationale: string };
export type DemoProposal = {
  key: string;
  caseNumber: number | null;
  chapterKey: string;
  proposerKey: string;
  partnerKey: string;
  campaignKey: string;
  eventTitle: string;
  eventDateOffsetDays: number /* from today */;
  eventPlace: string;
  eventDescription: string;
  kind: CosponsorshipKind;
  steps: DemoStepPlan[]; // the steps to submit in order (stop early to leave the proposal in that state)
  decision: DemoDecision | null;
  withdraw?: string; // withdraw reason, applied last
};

// ---------------------------------------------------------------------------

export const demoChapters: DemoChapter[] = [
  { key: 'chicago', name: 'Chicago Local Group', region: 'Midwest' },
  { key: 'bay_area', name: 'Bay Area Chapter', region: 'West' },
  { key: 'boston_students', name: 'Boston Student Network', region: 'Northeast' },
  { key: 'austin', name: 'Austin Group', region: 'South' },
];

export const demoUsers: DemoUser[] = [
  { key: 'lead', email: 'lead@cosponsor.test', name: 'Dana Whitfield', roles: ['chapter_lead'], chapterKey: 'chicago' },
  { key: 'lead2', email: 'lead2@cosponsor.test', name: 'Marcus Oyelaran', roles: ['chapter_lead'], chapterKey: 'bay_area' },
  { key: 'staff', email: 'staff@cosponsor.test', name: 'Priya Raman', roles: ['staff'], chapterKey: null },
  { key: 'staff2', email: 'staff2@cosponsor.test', name: 'Tom Kessler', roles: ['staff'], chapterKey: null },
  { key: 'reviewer', email: 'reviewer@cosponsor.test', name: 'Ruth Adeyemi', roles: ['reviewer'], chapterKey: null },
  { key: 'admin', email: 'admin@cosponsor.test', name: 'Sam Okafor', roles: ['admin'], chapterKey: null },
];

export const demoPartners: DemoPartner[] = [
  {
    key: 'lakeshore_spr',
    name: 'Lakeshore University Students for Palestinian Rights',
    website: 'https://lakeshore-spr.example.org',
    country: 'US',
    description:
      'Registered student organization at Lakeshore University (Chicago) with about 60 active members. Runs teach-ins, film screenings and an annual Palestine awareness week; publicly endorses the BDS call and runs a campaign for the university endowment to divest.',
    publicPositions: ['supports_bds'],
  },
  {
    key: 'westside_coalition',
    name: 'Westside Justice Coalition',
    website: 'https://westsidejustice.example.org',
    country: 'US',
    description:
      'Chicago coalition of about a dozen neighborhood, tenant and solidarity groups, founded in 2019. Organizes rallies and the "Palestine Speaks" community speaking tour, which it is taking to several cities. Its public face is a single spokesperson who also headlines the tour.',
    publicPositions: [],
  },
  {
    key: 'golden_gate_burmese',
    name: 'Golden Gate Burmese Christian Fellowship',
    website: 'https://ggbcf.example.org',
    country: 'US',
    description:
      'Congregation of about 250 Burmese-American families (Karen, Chin and Kachin) in Daly City, California, affiliated with a Baptist convention. Since the 2021 military takeover it has held monthly prayer vigils and collected relief for displaced families.',
    publicPositions: [],
  },
  {
    key: 'prairie_progressive_office',
    name: 'Prairie Progressive Party, Cook County Campaign Office',
    website: 'https://prairieprogressive.example.org/cook-county',
    country: 'US',
    description:
      'Field office of a state political party, currently running the aldermanic campaign of its candidate in the 46th Ward ahead of the municipal election.',
    publicPositions: [],
  },
  {
    key: 'northside_film',
    name: 'Northside Film Collective',
    website: 'https://northsidefilm.example.org',
    country: 'US',
    description:
      'Volunteer-run community cinema in Chicago\'s Uptown neighborhood that programs documentary and social-issue films with post-screening discussions.',
    publicPositions: [],
  },
  {
    key: 'east_bay_surveillance_watch',
    name: 'East Bay Surveillance Watch',
    website: 'https://ebsurveillancewatch.example.org',
    country: 'US',
    description:
      'Oakland-based volunteer coalition of privacy advocates, racial-justice organizers and technologists that tracks police surveillance technology and testifies at city privacy commission hearings.',
    publicPositions: [],
  },
  {
    key: 'bay_area_peoples_vaccine',
    name: "Bay Area People's Vaccine Alliance",
    website: 'https://bapva.example.org',
    country: 'US',
    description:
      'Network of health workers, public-health students and faith and labor groups campaigning for global access to COVID-19 vaccines and technology sharing by pharmaceutical companies.',
    publicPositions: [],
  },
  {
    key: 'chicago_belarusian',
    name: 'Chicago Belarusian Community Association',
    website: 'https://chicagobelarus.example.org',
    country: 'US',
    description:
      'Cultural and mutual-aid association of Belarusian-Americans in the Chicago area. Since the 2020 election it has organized solidarity gatherings and letter-writing for people detained in Belarus.',
    publicPositions: [],
  },
  {
    key: 'al_bayyina',
    name: DESIGNATED_PARTNER_NAME,
    website: 'https://al-bayyina.example.org',
    country: 'PS',
    description:
      'Palestinian human rights organization in Ramallah, founded in 1997, that gives legal aid to Palestinians detained by Israeli forces, including children tried in military courts, and documents violations by Israeli and Palestinian authorities alike. On 22 October 2021, the day Israel declared six Palestinian civil-society groups "terrorist organizations" (a move the organization condemned), Israel\'s Minister of Defense declared the center one too. The center rejects the allegation; no evidence for it has been made public.',
    publicPositions: [],
  },
];

// ---------------------------------------------------------------------------
// Proposals

/** Case 1: a campus group that supports BDS, teach-in on home demolitions. */
const case1: DemoProposal = {
  key: 'case1',
  caseNumber: 1,
  chapterKey: 'chicago',
  proposerKey: 'lead',
  partnerKey: 'lakeshore_spr',
  campaignKey: 'israel_opt',
  eventTitle: 'Homes Under Threat: Demolitions and Forced Evictions in East Jerusalem and Masafer Yatta',
  eventDateOffsetDays: 21,
  eventPlace: 'Lakeshore University, Harper Hall, Room 130, Chicago, IL',
  eventDescription:
    'Evening teach-in for students and the public on home demolitions and forced evictions of Palestinians. A chapter member presents the findings of the apartheid report on dispossession of land and property; a Palestinian-American law student speaks about her family\'s demolition case in East Jerusalem; the evening ends with a postcard-writing table to the Israeli Prime Minister and the President using the toolkit\'s messaging frames.',
  kind: 'speaker',
  steps: [
    {
      step: 'values',
      input: {
        ratings: {
          independence: {
            rating: 'meets',
            evidence:
              'Registered student organization of Lakeshore University; its constitution states it is not affiliated with any political party, government or religious body. Faculty advisor is in the history department. No candidate or party involvement in the event.',
            links: ['https://lakeshore-spr.example.org/about', 'https://lakeshore-spr.example.org/constitution.pdf'],
          },
          non_discrimination: {
            rating: 'meets',
            evidence:
              'Reviewed the group\'s website, Instagram and X posts from the last 18 months: criticism is directed at Israeli government policy, not at Jewish people; no antisemitic or other discriminatory content found. Its event code of conduct bars antisemitic and Islamophobic speech, and it co-organized a 2023 vigil for all civilian victims with a campus Jewish students\' group.',
            links: ['https://lakeshore-spr.example.org/code-of-conduct', 'https://www.instagram.com/lakeshore_spr_example/'],
          },
          human_rights_standards: {
            rating: 'meets',
            evidence:
              'Stated aims are equal rights and an end to demolitions, displacement and detention of Palestinians under international law. Its October 2023 statement condemned attacks on civilians and called for the release of hostages and for a ceasefire.',
            links: ['https://lakeshore-spr.example.org/statements/2023-10'],
          },
          mutual_respect: {
            rating: 'meets',
            evidence:
              'In the planning call on the 3rd the two co-chairs confirmed they understand that the organization takes no position on BDS, agreed to keep the teach-in on demolitions and evictions, and to send all materials naming us for approval.',
            links: [],
          },
          transparency: {
            rating: 'meets',
            evidence:
              'Officers are listed in the university student-organization directory. Funded by student activity fees (about $3,000 a year) and small donations; no outside funders.',
            links: ['https://studentorgs.lakeshore.example.edu/spr'],
          },
        },
      },
    },
    {
      step: 'agenda',
      input: {
        items: [
          {
            text: 'Teach-in on home demolitions and forced evictions of Palestinians in East Jerusalem and Masafer Yatta',
            scope: 'event',
            classification: 'aligned',
            positionKey: 'cancel_evictions_demolitions',
          },
          {
            text: 'Testimony of a family displaced after the demolition of their home',
            scope: 'event',
            classification: 'aligned',
            positionKey: 'end_forced_displacement',
          },
          {
            text: 'Postcard table calling on the U.S. government to stop weapons transfers and military aid used in violations',
            scope: 'event',
            classification: 'aligned',
            positionKey: 'arms_embargo',
          },
          {
            text: 'The group\'s standing endorsement of the BDS call (boycott, divestment and sanctions against Israel)',
            scope: 'general',
            classification: 'no_position',
            positionKey: 'bds_movement',
          },
          {
            text: 'Campaign for the Lakeshore University endowment to divest from companies doing business in Israel and its settlements',
            scope: 'general',
            classification: 'no_position',
            positionKey: 'divestment_from_israel',
          },
        ],
      },
    },
    {
      step: 'risk',
      input: {
        items: [
          {
            kind: 'risk',
            category: 'perception',
            description:
              'The partner\'s usual flyers and event pages carry the BDS logo; if ours is listed on them the event will be read as the organization joining the BDS campaign.',
            likelihood: 4,
            impact: 4,
            mitigation:
              'Perception conditions in the MOU: separate co-sponsor listing with the disclaimer, no BDS branding next to our name, all materials approved by the chapter lead before publication.',
            residualLikelihood: 2,
            residualImpact: 3,
          },
          {
            kind: 'risk',
            category: 'reputation',
            description:
              'A counter-protest or an audience member displays antisemitic signs or slogans, and photos circulate with our name attached.',
            likelihood: 2,
            impact: 4,
            mitigation:
              'Partner\'s code of conduct read out at the start; two trained moderators; agreed procedure to ask anyone using antisemitic or anti-Palestinian language to leave; chapter posts only the approved talking points.',
            residualLikelihood: 1,
            residualImpact: 4,
          },
          {
            kind: 'risk',
            category: 'participant_safety',
            description:
              'Harassment or doxxing of student speakers and attendees, as happened at other campus events this year.',
            likelihood: 3,
            impact: 3,
            mitigation:
              'No photography of attendees without consent; university police informed; speakers may appear by first name only; community conversation guide briefing for volunteers.',
            residualLikelihood: 2,
            residualImpact: 2,
          },
          {
            kind: 'benefit',
            category: 'mission_impact',
            description:
              'Directly advances the campaign objective of public awareness of forced evictions and home demolitions; postcards to the Prime Minister and the President feed the action calls of the toolkit.',
            likelihood: 4,
            impact: 4,
            mitigation: null,
            residualLikelihood: null,
            residualImpact: null,
          },
          {
            kind: 'benefit',
            category: 'outreach',
            description:
              'Reaches 80 to 120 students who do not attend our meetings; sign-ups for the human rights education module and the chapter list.',
            likelihood: 4,
            impact: 3,
            mitigation: null,
            residualLikelihood: null,
            residualImpact: null,
          },
          {
            kind: 'benefit',
            category: 'relationship',
            description: 'Builds a working relationship with the most active Palestinian-rights group on campus on the terms of our own positions.',
            likelihood: 3,
            impact: 3,
            mitigation: null,
            residualLikelihood: null,
            residualImpact: null,
          },
        ],
      },
    },
    {
      step: 'perception',
      input: {
        answers: {
          no_boycott_call_in_name: {
            answer: 'met',
            note: 'Draft title and description (attached to the proposal) speak only of demolitions and evictions; no boycott or divestment call.',
          },
          not_on_bds_materials: {
            answer: 'condition',
            note: 'The partner\'s standard flyer template carries the BDS logo; they agreed to a separate flyer without it for this event.',
          },
          logo_not_beside_bds: {
            answer: 'condition',
            note: 'Our logo only on the event-specific flyer and event page, not on the group\'s BDS banner at the room entrance.',
          },
          speakers_no_bds_advocacy: {
            answer: 'met',
            note: 'Our speaker is a chapter member presenting the report; she will say, if asked, that the organization takes no position on BDS.',
          },
          no_bds_signup: {
            answer: 'condition',
            note: 'The group usually runs a divestment petition table; it will be at the back of the room, under its own name, away from our postcard table.',
          },
          approved_talking_points: {
            answer: 'met',
            note: 'Chapter posts use the social media toolkit and the approved talking points only.',
          },
          disclaimer_on_listing: {
            answer: 'condition',
            note: 'Disclaimer to be added on the event page and the flyer under the co-sponsor list.',
          },
          written_acceptance: {
            answer: 'condition',
            note: 'Co-chairs will sign the MOU before the event is announced.',
          },
        },
      },
    },
    { step: 'mou', mou: 'generate' },
  ],
  decision: {
    kind: 'approve',
    byUserKey: 'staff',
    conditions: [
      'The BDS disclaimer appears on the event page, the flyer and any slide that names the organization.',
      'The chapter lead sends the final flyer and event page to staff at least five days before the event.',
    ],
    rationale:
      'The teach-in is squarely on the demolitions and evictions calls of the Israel/OPT toolkit. The partner supports BDS, so the perception review was required: its five conditions are workable and carried into the MOU, and the partner will accept them in writing. Residual risks are medium at most and the outreach benefit on campus is high. Approved with the MOU conditions and the two conditions below.',
  },
};

/** Case 2: a local coalition whose spokesperson posted antisemitic content. */
const case2: DemoProposal = {
  key: 'case2',
  caseNumber: 2,
  chapterKey: 'chicago',
  proposerKey: 'lead',
  partnerKey: 'westside_coalition',
  campaignKey: 'israel_opt',
  eventTitle: 'Palestine Speaks: A Community Evening on Gaza',
  eventDateOffsetDays: 30,
  eventPlace: 'Westside Community Center, 2100 W. Madison St., Chicago, IL',
  eventDescription:
    'Community evening with the coalition\'s spokesperson as keynote speaker, a panel on the humanitarian situation in Gaza and a letter-writing table. The coalition asked the chapter to co-host and provide a speaker on the Crisis Evidence Lab\'s findings.',
  kind: 'co_hosting',
  steps: [
    {
      step: 'values',
      input: {
        ratings: {
          independence: {
            rating: 'meets',
            evidence: 'Coalition of neighborhood and solidarity groups; no party, government or religious affiliation found.',
            links: ['https://westsidejustice.example.org/members'],
          },
          non_discrimination: {
            rating: 'not_met',
            evidence:
              'The coalition\'s spokesperson, billed as keynote speaker for this event, posted a cartoon on X last month using the antisemitic trope of Jewish control of banks and the media, and in a reply wrote that "Zionist money owns every politician in this city". The posts are still up after complaints from community members; the coalition has made no statement and keeps him as its spokesperson. When the chapter lead raised it, the coalition\'s coordinator called the complaints "a smear".',
            links: [
              'https://x.com/westside_spokes_example/status/1800000000000000001',
              'https://web.archive.org/web/2024/https://x.com/westside_spokes_example/status/1800000000000000001',
            ],
          },
          human_rights_standards: {
            rating: 'concern',
            evidence:
              'The coalition\'s statements focus on Gaza\'s civilians, but its October 2023 statement did not address attacks on Israeli civilians or hostage-taking.',
            links: ['https://westsidejustice.example.org/statements'],
          },
          mutual_respect: {
            rating: 'unknown',
            evidence: 'Not discussed yet; the coalition asked for our logo for its tour poster before the event programme was shared.',
            links: [],
          },
          transparency: {
            rating: 'concern',
            evidence: 'Member groups are listed, but the coalition has no published leadership structure or funding information.',
            links: [],
          },
        },
      },
    },
  ],
  decision: {
    kind: 'reject',
    byUserKey: 'staff',
    rationale:
      'Non-discrimination is not met: the person the coalition puts forward as its spokesperson and keynote speaker has published antisemitic content that remains online, and the coalition declined to address it. Co-hosting would put the organization\'s name beside it and contradict our stand against antisemitism. Rejected. The chapter may come back if the coalition removes the content, makes a credible public commitment, and changes its speaker.',
  },
};

/** Case 2, later: another chapter proposes the same coalition; the precedent shows. */
const case2b: DemoProposal = {
  key: 'case2b',
  caseNumber: null, // part of example case 2: shows case2's rejection as precedent
  chapterKey: 'bay_area',
  proposerKey: 'lead2',
  partnerKey: 'westside_coalition',
  campaignKey: 'israel_opt',
  eventTitle: 'Palestine Speaks Tour: Oakland Stop',
  eventDateOffsetDays: 60,
  eventPlace: 'Humanist Hall, Oakland, CA',
  eventDescription:
    'The Westside Justice Coalition\'s speaking tour comes to Oakland; the coalition asked the Bay Area Chapter to co-list the event and table at it.',
  kind: 'co_listing',
  steps: [],
  decision: null,
};

/** Case 3: a faith community's vigil for Myanmar. */
const case3: DemoProposal = {
  key: 'case3',
  caseNumber: 3,
  chapterKey: 'bay_area',
  proposerKey: 'lead2',
  partnerKey: 'golden_gate_burmese',
  campaignKey: 'myanmar',
  eventTitle: 'Candles for Myanmar: Vigil for Peaceful Protesters',
  eventDateOffsetDays: 14,
  eventPlace: 'Golden Gate Burmese Christian Fellowship hall and forecourt, Daly City, CA',
  eventDescription:
    'Candlelight vigil for the people of Myanmar killed for peacefully exercising their right to peaceful assembly. The chapter reads names of detained journalists and human rights defenders and runs a solidarity-message table for the #MyanmarSolidarity action; the Fellowship opens with a prayer and a choir.',
  kind: 'co_hosting',
  steps: [
    {
      step: 'values',
      input: {
        ratings: {
          independence: {
            rating: 'concern',
            evidence:
              'The partner is a church congregation affiliated with a Baptist convention; the vigil is on its premises and opens with a prayer led by its pastor. Co-hosting could suggest the organization is tied to a religious institution. Not a bar: our part of the programme is non-religious, and the branding condition keeps our name off worship materials.',
            links: ['https://ggbcf.example.org/about'],
          },
          non_discrimination: {
            rating: 'meets',
            evidence:
              'Congregation includes Karen, Chin and Kachin members; its public statements defend the rights of all communities in Myanmar, including the Rohingya. No discriminatory content found on its site or Facebook page.',
            links: ['https://ggbcf.example.org/statements', 'https://www.facebook.com/ggbcf.example'],
          },
          human_rights_standards: {
            rating: 'meets',
            evidence: 'Calls for an end to violence against civilians and the release of detained protesters; does not endorse any armed group.',
            links: ['https://ggbcf.example.org/statements'],
          },
          mutual_respect: {
            rating: 'meets',
            evidence: 'Pastor agreed that our name appears only as co-sponsor and that we choose our own readings and table materials.',
            links: [],
          },
          transparency: {
            rating: 'meets',
            evidence: 'Pastor and board listed on the website; funded by member offerings; files as a church in California.',
            links: ['https://ggbcf.example.org/leadership'],
          },
        },
      },
    },
    {
      step: 'agenda',
      input: {
        items: [
          {
            text: 'Vigil in solidarity with people killed by Myanmar security forces for peaceful protest',
            scope: 'event',
            classification: 'aligned',
            positionKey: 'myanmar_stop_lethal_force',
          },
          {
            text: 'Reading the names of detained journalists and human rights defenders; solidarity messages',
            scope: 'event',
            classification: 'aligned',
            positionKey: 'myanmar_peaceful_activists',
          },
          {
            text: 'The Fellowship\'s ongoing advocacy for an end to military attacks on villages in Karen and Chin states',
            scope: 'general',
            classification: 'compatible',
            positionKey: 'myanmar_stop_lethal_force',
          },
        ],
      },
    },
    {
      step: 'risk',
      input: {
        items: [
          {
            kind: 'risk',
            category: 'independence',
            description:
              'Photos and the event page present the vigil as a church service hosted by the organization, blurring its independence from religious institutions.',
            likelihood: 3,
            impact: 3,
            mitigation:
              'Our name and logo only in the co-sponsor line of the flyer and event page, never on the order of service; our readings and table are a separate, non-religious part of the programme.',
            residualLikelihood: 1,
            residualImpact: 3,
          },
          {
            kind: 'risk',
            category: 'participant_safety',
            description:
              'Diaspora participants photographed and identified online, putting relatives in Myanmar at risk of reprisals.',
            likelihood: 3,
            impact: 4,
            mitigation:
              'No photos of faces without consent; photographers briefed; participants offered candles and masks; names read only of people already publicly reported as detained.',
            residualLikelihood: 2,
            residualImpact: 3,
          },
          {
            kind: 'benefit',
            category: 'mission_impact',
            description:
              'Visible local solidarity for the Myanmar crisis action; solidarity messages for the #MyanmarNeverSilenced broadcast.',
            likelihood: 4,
            impact: 4,
            mitigation: null,
            residualLikelihood: null,
            residualImpact: null,
          },
          {
            kind: 'benefit',
            category: 'outreach',
            description: 'First joint activity with the Bay Area Burmese community; about 150 people expected.',
            likelihood: 4,
            impact: 3,
            mitigation: null,
            residualLikelihood: null,
            residualImpact: null,
          },
        ],
      },
    },
    { step: 'mou', mou: 'generate' },
  ],
  decision: {
    kind: 'approve',
    byUserKey: 'staff2',
    conditions: [
      'The organization\'s name and logo appear only in the co-sponsor line of the flyer and event page; never on the order of service, prayer sheets, hymn sheets or any other religious material, and the organization is not named in the prayers.',
    ],
    rationale:
      'Independence is a concern, not a bar: the partner is a religious congregation, but our part of the vigil is non-religious and the branding condition keeps the organization clearly separate from worship. The vigil is aligned with the Myanmar crisis action and benefits clearly outweigh the residual risks. Approved with a branding condition.',
  },
};

/** Case 4: a party's campaign office wants to co-host. */
const case4: DemoProposal = {
  key: 'case4',
  caseNumber: 4,
  chapterKey: 'chicago',
  proposerKey: 'lead',
  partnerKey: 'prairie_progressive_office',
  campaignKey: 'israel_opt',
  eventTitle: 'Human Rights Town Hall with the 46th Ward Candidate',
  eventDateOffsetDays: 35,
  eventPlace: 'Prairie Progressive Party campaign office, 4600 N. Broadway, Chicago, IL',
  eventDescription:
    'Town hall on human rights in U.S. foreign policy, including military aid to Israel, featuring the party\'s aldermanic candidate; the campaign asked the chapter to co-host and to provide a speaker.',
  kind: 'co_hosting',
  steps: [
    {
      step: 'values',
      input: {
        ratings: {
          independence: {
            rating: 'not_met',
            evidence:
              'The partner is the campaign office of a registered political party. The town hall features its candidate six weeks before the municipal election, takes place in the campaign office, and the draft flyer carries the "Vote Delgado" logo. Co-hosting would put the organization\'s name on partisan electoral campaigning.',
            links: ['https://prairieprogressive.example.org/cook-county/events'],
          },
          non_discrimination: {
            rating: 'meets',
            evidence: 'No discriminatory content found in the party\'s or the candidate\'s public statements.',
            links: [],
          },
          human_rights_standards: {
            rating: 'meets',
            evidence: 'Platform supports conditioning military aid on human rights compliance; no advocacy of violence.',
            links: ['https://prairieprogressive.example.org/platform'],
          },
          mutual_respect: {
            rating: 'concern',
            evidence: 'The field organizer asked whether our logo could also appear on the candidate\'s mailer.',
            links: [],
          },
          transparency: {
            rating: 'meets',
            evidence: 'Party officers and campaign finance filings are public with the state board of elections.',
            links: ['https://elections.example.gov/committees/prairie-progressive'],
          },
        },
      },
    },
  ],
  decision: {
    kind: 'reject',
    byUserKey: 'staff2',
    rationale:
      'Independence is not met: the organization is non-partisan and independent of all political parties, and this event is run by a party\'s campaign office with its candidate weeks before an election. Rejected. The chapter may instead invite all candidates to a non-partisan forum it organizes itself.',
  },
};

/** Draft: a film screening on Guantanamo, not yet submitted. */
const guantanamoDraft: DemoProposal = {
  key: 'guantanamo_screening',
  caseNumber: null,
  chapterKey: 'chicago',
  proposerKey: 'lead',
  partnerKey: 'northside_film',
  campaignKey: 'guantanamo',
  eventTitle: 'Screening of "The Mauritanian" and Discussion: Close Guantanamo',
  eventDateOffsetDays: 45,
  eventPlace: 'Northside Film Collective, Uptown, Chicago, IL',
  eventDescription:
    'Screening of the film about Mohamedou Slahi\'s detention, followed by a discussion with a chapter member on the men still held at Guantanamo and a petition table for #CloseGuantanamo.',
  kind: 'co_listing',
  steps: [],
  decision: null,
};

/** In the risk step: a teach-in on police facial recognition. */
const banTheScan: DemoProposal = {
  key: 'ban_the_scan_teachin',
  caseNumber: null,
  chapterKey: 'bay_area',
  proposerKey: 'lead2',
  partnerKey: 'east_bay_surveillance_watch',
  campaignKey: 'facial_recognition',
  eventTitle: 'Ban the Scan: Facial Recognition, Policing and the Right to Protest',
  eventDateOffsetDays: 40,
  eventPlace: 'Oakland Public Library, Main Branch, Oakland, CA',
  eventDescription:
    'Teach-in on how police use of facial recognition technology discriminates against Black and minority communities and chills protest, with a DECODER session to map surveillance cameras.',
  kind: 'co_hosting',
  steps: [
    {
      step: 'values',
      input: {
        ratings: {
          independence: {
            rating: 'meets',
            evidence: 'Volunteer coalition; no party, government or religious affiliation.',
            links: ['https://ebsurveillancewatch.example.org/about'],
          },
          non_discrimination: {
            rating: 'meets',
            evidence: 'Its work centers the discriminatory impact of surveillance on Black and minority communities; no discriminatory content found.',
            links: [],
          },
          human_rights_standards: {
            rating: 'meets',
            evidence: 'Advocates through public testimony and local ordinances; methods are lawful and peaceful.',
            links: ['https://ebsurveillancewatch.example.org/testimony'],
          },
          mutual_respect: {
            rating: 'meets',
            evidence: 'Agreed to share all materials naming us before publication.',
            links: [],
          },
          transparency: {
            rating: 'unknown',
            evidence: 'Steering committee names are on the website; funding not published. Asked on the planning call, answer pending.',
            links: [],
          },
        },
      },
    },
    {
      step: 'agenda',
      input: {
        items: [
          {
            text: 'Teach-in on police facial recognition and the right to protest',
            scope: 'event',
            classification: 'aligned',
            positionKey: 'facial_recognition_ban',
          },
          {
            text: 'Campaign for a county ordinance banning police use of facial recognition',
            scope: 'general',
            classification: 'aligned',
            positionKey: 'facial_recognition_ban',
          },
          {
            text: 'Call to cut the police department\'s budget and reinvest in community services',
            scope: 'general',
            classification: 'unknown',
            positionKey: null,
          },
        ],
      },
    },
  ],
  decision: null,
};

/** Waiting in review: a small co-listing, MOU not needed. */
const vaccineForum: DemoProposal = {
  key: 'vaccine_equity_forum',
  caseNumber: null,
  chapterKey: 'bay_area',
  proposerKey: 'lead2',
  partnerKey: 'bay_area_peoples_vaccine',
  campaignKey: 'vaccines',
  eventTitle: 'A Fair Shot: Community Forum on Global Vaccine Equity',
  eventDateOffsetDays: 28,
  eventPlace: 'San Francisco Public Library, Koret Auditorium, San Francisco, CA',
  eventDescription:
    'Public forum with health workers on why vaccine technology must be shared; the chapter is listed as co-sponsor and promotes the #PeoplesVaccine petition.',
  kind: 'co_listing',
  steps: [
    {
      step: 'values',
      input: {
        ratings: {
          independence: {
            rating: 'meets',
            evidence: 'Network of health workers, students and labor and faith groups; no party or government role. Member faith groups do not speak for the alliance.',
            links: ['https://bapva.example.org/members'],
          },
          non_discrimination: {
            rating: 'meets',
            evidence: 'No discriminatory content found; materials are published in English, Spanish, Chinese and Tagalog.',
            links: [],
          },
          human_rights_standards: {
            rating: 'meets',
            evidence: 'Aims match the right to health; advocacy through petitions and public forums.',
            links: ['https://bapva.example.org/about'],
          },
          mutual_respect: {
            rating: 'meets',
            evidence: 'Will use our campaign description verbatim in the listing.',
            links: [],
          },
          transparency: {
            rating: 'meets',
            evidence: 'Coordinating committee and a small grant from a local health foundation are published.',
            links: ['https://bapva.example.org/funding'],
          },
        },
      },
    },
    {
      step: 'agenda',
      input: {
        items: [
          {
            text: 'Forum on global access to COVID-19 vaccines',
            scope: 'event',
            classification: 'aligned',
            positionKey: 'vaccine_equity',
          },
          {
            text: 'Petition calling on pharmaceutical companies to share their technology through C-TAP',
            scope: 'general',
            classification: 'aligned',
            positionKey: 'vaccine_equity',
          },
        ],
      },
    },
    {
      step: 'risk',
      input: {
        items: [
          {
            kind: 'risk',
            category: 'reputation',
            description: 'The partner\'s flyer overstates the organization\'s position, e.g. presenting it as calling for abolishing all patents.',
            likelihood: 2,
            impact: 2,
            mitigation: 'Listing uses our campaign description verbatim; chapter lead checks the flyer before it is shared.',
            residualLikelihood: 1,
            residualImpact: 2,
          },
          {
            kind: 'benefit',
            category: 'outreach',
            description: 'Reaches health workers and public-health students the chapter rarely reaches.',
            likelihood: 3,
            impact: 3,
            mitigation: null,
            residualLikelihood: null,
            residualImpact: null,
          },
          {
            kind: 'benefit',
            category: 'mission_impact',
            description: 'Signatures for the #PeoplesVaccine petition.',
            likelihood: 3,
            impact: 3,
            mitigation: null,
            residualLikelihood: null,
            residualImpact: null,
          },
        ],
      },
    },
    {
      step: 'mou',
      mou: {
        notNeeded:
          'One-off co-listing on the partner\'s public forum: no shared speakers, materials, funds or logo use beyond the co-sponsor line, whose text is our approved campaign description.',
      },
    },
  ],
  decision: null,
};

/** Withdrawn: a Belarus solidarity gathering, postponed by the partner. */
const belarusGathering: DemoProposal = {
  key: 'belarus_solidarity',
  caseNumber: null,
  chapterKey: 'chicago',
  proposerKey: 'lead',
  partnerKey: 'chicago_belarusian',
  campaignKey: 'belarus',
  eventTitle: 'Flowers for Belarus: Solidarity Gathering',
  eventDateOffsetDays: 18,
  eventPlace: 'Daley Plaza, Chicago, IL',
  eventDescription:
    'Gathering with flowers and solidarity messages for Belarusian peaceful protesters, with a #StandWithBelarus photo action and solidarity cards for people detained.',
  kind: 'co_hosting',
  steps: [
    {
      step: 'values',
      input: {
        ratings: {
          independence: {
            rating: 'meets',
            evidence: 'Cultural and mutual-aid association; not linked to any Belarusian political party or exile government.',
            links: ['https://chicagobelarus.example.org/about'],
          },
          non_discrimination: {
            rating: 'meets',
            evidence: 'No discriminatory content found in its public posts.',
            links: [],
          },
          human_rights_standards: {
            rating: 'meets',
            evidence: 'Calls for an end to police violence and the release of detained protesters; peaceful methods.',
            links: [],
          },
          mutual_respect: { rating: 'meets', evidence: 'Agreed branding and materials on the planning call.', links: [] },
          transparency: {
            rating: 'meets',
            evidence: 'Board published; registered Illinois nonprofit funded by membership dues.',
            links: ['https://chicagobelarus.example.org/board'],
          },
        },
      },
    },
    {
      step: 'agenda',
      input: {
        items: [
          {
            text: 'Solidarity gathering for Belarusian peaceful protesters and an end to police violence',
            scope: 'event',
            classification: 'aligned',
            positionKey: 'belarus_end_police_violence',
          },
        ],
      },
    },
  ],
  decision: null,
  withdraw:
    'The association postponed the gathering indefinitely after members raised concerns that photographs could reach the authorities in Belarus. The chapter will propose again if it is rescheduled.',
};

/**
 * Case 5: a Palestinian human-rights group on a government designation list.
 * Left in review: the screening hit (stored by the seed from a demo fixture)
 * is on the dossier, and staff approve with a rationale that weighs it.
 */
const case5: DemoProposal = {
  key: 'case5',
  caseNumber: 5,
  chapterKey: 'bay_area',
  proposerKey: 'lead2',
  partnerKey: 'al_bayyina',
  campaignKey: 'israel_opt',
  eventTitle: 'Defending the Defenders: Palestinian Human Rights Work Under a "Terrorist" Label',
  eventDateOffsetDays: 32,
  eventPlace: 'Berkeley Public Library, Central Branch, Community Meeting Room, Berkeley, CA',
  eventDescription:
    'Evening talk with the legal director of the Al-Bayyina Center, by video link from Ramallah, on defending Palestinian children before Israeli military courts and on working under the 2021 "terrorist" designation. A chapter member presents the organization\'s findings on administrative detention and its call to release all arbitrarily detained Palestinians; the evening ends with a letter-writing table for detained human rights defenders.',
  kind: 'speaker',
  steps: [
    {
      step: 'values',
      input: {
        ratings: {
          independence: {
            rating: 'meets',
            evidence:
              'Independent NGO registered in Ramallah; no affiliation with the Palestinian Authority, any political faction or religious body. It has publicly criticized both the Palestinian Authority and the de facto authorities in Gaza for arbitrary arrests and torture of critics.',
            links: ['https://al-bayyina.example.org/about', 'https://al-bayyina.example.org/reports/pa-detentions-2024'],
          },
          non_discrimination: {
            rating: 'meets',
            evidence:
              'Reviewed its reports, statements and social-media accounts of the last two years: criticism is aimed at the policies and practices of authorities; no antisemitic or other discriminatory content found. Its documentation covers victims of every party.',
            links: ['https://al-bayyina.example.org/statements'],
          },
          human_rights_standards: {
            rating: 'meets',
            evidence:
              'Its work rests on international human rights and humanitarian law. It condemned the killing and abduction of Israeli civilians on 7 October 2023 and calls for the release of the hostages, as well as of Palestinians held without charge. It does not advocate violence.',
            links: ['https://al-bayyina.example.org/statements/2023-10-08'],
          },
          mutual_respect: {
            rating: 'meets',
            evidence:
              'The legal director agreed that the chapter presents the organization\'s own positions and that any material naming the organization is shared with the chapter before publication.',
            links: [],
          },
          transparency: {
            rating: 'concern',
            evidence:
              'Board and director are published and audited reports list its funders (European governments and foundations) up to 2022. Since the designation its banks have delayed transfers and the 2023 audited report is not yet online; the center sent the chapter its 2023 funder list by e-mail.',
            links: ['https://al-bayyina.example.org/annual-reports'],
          },
        },
      },
    },
    {
      step: 'agenda',
      input: {
        items: [
          {
            text: 'Talk on the detention and military-court trials of Palestinian children',
            scope: 'event',
            classification: 'aligned',
            positionKey: 'release_arbitrarily_detained',
          },
          {
            text: 'Legal aid to Palestinians held in administrative detention without charge or trial',
            scope: 'general',
            classification: 'aligned',
            positionKey: 'release_arbitrarily_detained',
          },
          {
            text: 'Evidence submitted to the International Criminal Court\'s investigation in the situation of Palestine',
            scope: 'general',
            classification: 'aligned',
            positionKey: 'support_icc_investigation',
          },
          {
            text: 'Campaign for governments to reject the 2021 "terrorist" designations of Palestinian civil-society organizations',
            scope: 'general',
            classification: 'compatible',
            positionKey: null,
          },
        ],
      },
    },
    {
      step: 'risk',
      input: {
        items: [
          {
            kind: 'risk',
            category: 'reputation',
            description:
              'Media, officials or opponents of the event describe it as hosting a "terrorist organization", citing the 2021 Israeli designation.',
            likelihood: 4,
            impact: 3,
            mitigation:
              'Staff-approved talking points: the organization condemned the 2021 designations of Palestinian civil-society groups as an attack on human rights work; the speaker talks about documented cases only; media questions go to the press office.',
            residualLikelihood: 3,
            residualImpact: 2,
          },
          {
            kind: 'risk',
            category: 'legal',
            description:
              'Questions about material support. The designation is Israeli: the center is not on the US State Department\'s foreign terrorist organization list or the OFAC sanctions list.',
            likelihood: 2,
            impact: 4,
            mitigation:
              'No payment, honorarium, donation or in-kind support to the partner; the talk is by video link; the legal office confirms the screening result before approval.',
            residualLikelihood: 1,
            residualImpact: 3,
          },
          {
            kind: 'risk',
            category: 'participant_safety',
            description: 'Online harassment or doxxing of the speaker and attendees, or disruption at the venue.',
            likelihood: 3,
            impact: 3,
            mitigation:
              'Registration required; the speaker\'s location is not published; library security briefed; no photos of attendees without consent.',
            residualLikelihood: 2,
            residualImpact: 2,
          },
          {
            kind: 'benefit',
            category: 'mission_impact',
            description:
              'First-hand testimony on child detention supports the campaign\'s call to release all arbitrarily detained Palestinians.',
            likelihood: 4,
            impact: 4,
            mitigation: null,
            residualLikelihood: null,
            residualImpact: null,
          },
          {
            kind: 'benefit',
            category: 'relationship',
            description:
              'Visible solidarity with human rights defenders criminalized under counter-terrorism laws, as the organization has shown publicly since 2021.',
            likelihood: 4,
            impact: 3,
            mitigation: null,
            residualLikelihood: null,
            residualImpact: null,
          },
        ],
      },
    },
    { step: 'mou', mou: 'generate' },
  ],
  decision: null,
};

export const demoProposals: DemoProposal[] = [
  case1,
  case2,
  case2b,
  case3,
  case4,
  guantanamoDraft,
  banTheScan,
  vaccineForum,
  belarusGathering,
  case5,
];
