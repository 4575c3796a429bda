// Seeded configuration documents (version 1 of each kind) and the campaigns
// positions belong to. Pure data: no I/O.
//
// Every position cites the organization's own material, its seed documents:
// "000" is the Israel/OPT action toolkit, "001" the 2023 Israel/OPT calls,
// "002" the municipal campaign types partners bring, "003" the letter on the
// six designated Palestinian groups, "004" the other campaigns round-up.
// Each `quote` is copied verbatim from the named seed file.

import type {
  ConfigDocs,
  MouTemplateDoc,
  PerceptionChecklistDoc,
  Position,
  PositionsDoc,
  RiskMatrixDoc,
  ValuesCriteriaDoc,
} from '../../workflows/types';

/** The seeds are Amnesty International USA's campaign material. */
export const ORGANIZATION_NAME = 'Amnesty International USA';

export const seedCampaigns: { key: string; name: string; description: string }[] = [
  {
    key: 'israel_opt',
    name: 'Israel and the Occupied Palestinian Territories',
    description:
      'Ending apartheid against Palestinians and ensuring accountability for violations by all parties in Israel and the OPT.',
  },
  {
    key: 'belarus',
    name: 'Stand with Belarus',
    description: 'Solidarity with peaceful protesters in Belarus and an end to police violence since the disputed 2020 election.',
  },
  {
    key: 'myanmar',
    name: 'Myanmar solidarity',
    description:
      'Solidarity with people in Myanmar killed, arrested or imprisoned for peaceful protest since the February 2021 military takeover.',
  },
  {
    key: 'xinjiang',
    name: 'Uyghur families separated in Xinjiang',
    description: 'Reuniting Uyghur children in Xinjiang with their parents and siblings living abroad.',
  },
  {
    key: 'facial_recognition',
    name: 'Ban the Scan',
    description: 'Stopping police use of discriminatory, privacy-invasive facial recognition technology, starting with New York City.',
  },
  {
    key: 'vaccines',
    name: "A Fair Shot / People's Vaccine",
    description: 'Access to COVID-19 vaccines for everyone, with pharmaceutical companies sharing their knowledge and technology.',
  },
  {
    key: 'guantanamo',
    name: 'Close Guantanamo',
    description: 'Closure of the detention facility at Guantanamo Bay, where men are held in limbo, some for almost 20 years.',
  },
  {
    key: 'navalny',
    name: 'Free Navalny',
    description: 'Freedom for imprisoned opposition leader Aleksei Navalny and for the organizations created by him.',
  },
];

// ---------------------------------------------------------------------------
// 1. Values criteria

const valuesCriteria: ValuesCriteriaDoc = {
  criteria: [
    {
      key: 'independence',
      label: 'Independence',
      description:
        'Working together does not compromise the organization\'s independence from governments, political parties and religious institutions. The organization is a non-denominational, non-partisan movement; maintaining its independence and impartiality is essential for its continued authority to speak out on human rights. A partner that is, or acts for, a government, a party, a candidate or a religious institution must not be able to present the event as the organization taking sides.',
      required: true,
    },
    {
      key: 'non_discrimination',
      label: 'Non-discrimination',
      description:
        'No record of prejudice (antisemitism, anti-Palestinian or anti-Arab racism, Islamophobia, or any other racism or discrimination) by the group or by the people it puts forward as speakers and spokespeople, or a credible, public commitment to address it. The organization is anti-racist and stands against antisemitism in the strongest possible terms; in cross-issue advocacy, groups united around one issue may still have members who hold prejudices against others.',
      required: true,
    },
    {
      key: 'human_rights_standards',
      label: 'Human-rights standards',
      description:
        'The group\'s aims and methods are consistent with international human rights and humanitarian law. It does not advocate, excuse or celebrate violence against civilians, and its demands on every party are compatible with the standards the organization applies to all states and armed groups alike.',
      required: true,
    },
    {
      key: 'mutual_respect',
      label: 'Mutual respect',
      description:
        'The group will respect the organization\'s positions, name and branding: it will not present the organization as endorsing positions it does not hold, will use its name and logo only as agreed, and will settle disagreements through the agreed process rather than in public. Incompatible values or lack of respect between partners is the first risk the toolkit names.',
      required: true,
    },
    {
      key: 'transparency',
      label: 'Transparency',
      description:
        'The group\'s leadership and funding are known: who speaks and decides for it, who funds it, and whether it is affiliated with a government, party, company or religious body. Missing information is not a bar in itself, but it is a concern staff will see flagged.',
      required: false,
    },
  ],
};

// ---------------------------------------------------------------------------
// 2. Positions catalog

const positionsList: Position[] = [
  // ---- Israel/OPT: calls for ----
  {
    key: 'cancel_evictions_demolitions',
    campaignKey: 'israel_opt',
    stance: 'calls_for',
    statement:
      'Cancel all orders for forced evictions and home demolitions against Palestinians in Israel and the OPT, and impose a moratorium on future orders.',
    keywords: [
      'demolition',
      'home demolitions',
      'eviction',
      'forced evictions',
      'sheikh jarrah',
      'masafer yatta',
      'east jerusalem',
      'settlement expansion',
      'moratorium',
    ],
    sources: [
      {
        seed: '000',
        quote:
          'Immediately cancel all orders for forced evictions and home demolitions against Palestinians in Israel and the Occupied Territories.',
      },
      {
        seed: '000',
        quote: 'cancel all standing eviction and demolition orders; and impose a moratorium preventing future orders.',
      },
    ],
  },
  {
    key: 'end_forced_displacement',
    campaignKey: 'israel_opt',
    stance: 'calls_for',
    statement:
      'End the forced displacement of Palestinians, including forcible transfer, settlement expansion and "evacuation" orders that displace civilians.',
    keywords: [
      'displacement',
      'forced displacement',
      'forcible transfer',
      'evacuation orders',
      'displaced',
      'settlements',
      'land seizures',
    ],
    sources: [
      { seed: '000', quote: 'End the forced displacement of Palestinians.' },
      { seed: '001', quote: 'one million people displaced and threatens life-saving treatment in hospitals' },
    ],
  },
  {
    key: 'lift_gaza_blockade',
    campaignKey: 'israel_opt',
    stance: 'calls_for',
    statement:
      'Lift the unlawful blockade on Gaza, which amounts to collective punishment, and end arbitrary restrictions on Palestinians\' freedom of movement.',
    keywords: ['gaza', 'blockade', 'siege', 'collective punishment', 'freedom of movement', 'checkpoints', 'movement restrictions'],
    sources: [
      { seed: '000', quote: 'lift the blockade on Gaza' },
      { seed: '001', quote: 'Urgently lift the illegal blockade on Gaza, which amounts to collective punishment and is a war crime' },
    ],
  },
  {
    key: 'targeted_sanctions_officials',
    campaignKey: 'israel_opt',
    stance: 'calls_for',
    statement:
      'The UN Security Council should impose targeted sanctions, such as travel bans and asset freezes, on the Israeli officials most implicated in the crime of apartheid.',
    keywords: [
      'targeted sanctions',
      'travel ban',
      'asset freeze',
      'un security council',
      'sanctions on officials',
      'individual sanctions',
      'accountability',
    ],
    sources: [
      {
        seed: '000',
        quote:
          'Amnesty is calling on the UN Security Council to impose targeted sanctions, such as travel bans and asset freezes against Israeli officials most implicated in the crime of apartheid',
      },
    ],
  },
  {
    key: 'arms_embargo',
    campaignKey: 'israel_opt',
    stance: 'calls_for',
    statement:
      'A comprehensive arms embargo on Israel and on all parties to the conflict: states must stop supplying arms, military material and military assistance.',
    keywords: [
      'arms embargo',
      'weapons',
      'arms sales',
      'military aid',
      'weapons transfers',
      'end weapons to israel',
      'white phosphorus',
    ],
    sources: [
      { seed: '000', quote: 'to impose a comprehensive arms embargo on Israel' },
      { seed: '001', quote: 'Impose a comprehensive arms embargo on all parties to the conflict' },
      { seed: '000', quote: 'including by withholding military aid and blocking imports from settlements' },
    ],
  },
  {
    key: 'release_arbitrarily_detained',
    campaignKey: 'israel_opt',
    stance: 'calls_for',
    statement: 'Release all arbitrarily detained Palestinians, including children, many held without charge.',
    keywords: [
      'detention',
      'arbitrary detention',
      'administrative detention',
      'prisoners',
      'political prisoners',
      'child detainees',
      'held without charge',
    ],
    sources: [
      { seed: '000', quote: 'Release all arbitrarily detained Palestinians, including children' },
      { seed: '001', quote: 'Release all Palestinians who are arbitrarily detained.' },
    ],
  },
  {
    key: 'support_icc_investigation',
    campaignKey: 'israel_opt',
    stance: 'calls_for',
    statement:
      'Full support and resources for the International Criminal Court\'s investigation into the situation of Palestine, examining alleged crimes by all parties, and for other international investigations.',
    keywords: [
      'icc',
      'international criminal court',
      'investigation',
      'accountability',
      'war crimes',
      'rome statute',
      'commission of inquiry',
      'justice',
    ],
    sources: [
      {
        seed: '001',
        quote: 'Urgently expedite its ongoing investigation in the situation of Palestine, examining alleged crimes by all parties',
      },
      {
        seed: '000',
        quote: 'support international investigations of violations committed in Israel and OPT by all parties, including Israeli authorities.',
      },
    ],
  },
  {
    key: 'refugee_right_of_return',
    campaignKey: 'israel_opt',
    stance: 'calls_for',
    statement: 'Remedy the discriminatorily blocked right to return of Palestinian refugees displaced in past decades.',
    keywords: [
      'refugees',
      'right of return',
      'right to return',
      'palestinian refugees',
      'stand with refugees',
      'unrwa',
      'nakba',
    ],
    sources: [
      { seed: '000', quote: 'Remedy the discriminatorily blocked right to return of Palestinian refugees displaced in past decades.' },
    ],
  },
  {
    key: 'repeal_discriminatory_laws',
    campaignKey: 'israel_opt',
    stance: 'calls_for',
    statement:
      'Dismantle the system of apartheid: repeal or amend all laws, regulations, policies and practices that discriminate on racial, ethnic or religious grounds, such as the nation-state law.',
    keywords: [
      'apartheid',
      'end apartheid',
      'discriminatory laws',
      'nation-state law',
      'family reunification',
      'citizenship',
      'residency revocation',
      'equal rights',
    ],
    sources: [
      {
        seed: '000',
        quote:
          'repeal or amend all laws, regulations, policies, and practices that discriminate on racial, ethnic, or religious grounds',
      },
      { seed: '000', quote: "Repeal policies that privilege Jewish Israelis at Palestinians' expense, such as the nation-state law." },
    ],
  },
  {
    key: 'immediate_ceasefire',
    campaignKey: 'israel_opt',
    stance: 'calls_for',
    statement:
      'An immediate ceasefire by all parties in the occupied Gaza Strip and Israel to prevent further loss of civilian lives and ensure access to life-saving aid.',
    keywords: ['ceasefire', 'cease-fire', 'end the violence', 'gaza war', 'stop the bombing', 'civilian lives'],
    sources: [
      {
        seed: '001',
        quote: 'an urgent call for an immediate ceasefire by all parties in the occupied Gaza Strip and Israel to prevent further loss of civilian lives',
      },
    ],
  },
  {
    key: 'release_hostages',
    campaignKey: 'israel_opt',
    stance: 'calls_for',
    statement: 'Hamas and other armed groups must release civilian hostages unconditionally and immediately.',
    keywords: ['hostages', 'hostage-taking', 'captives', 'abducted civilians', 'release hostages'],
    sources: [{ seed: '001', quote: 'Release civilian hostages unconditionally and immediately.' }],
  },
  {
    key: 'unimpeded_humanitarian_aid',
    campaignKey: 'israel_opt',
    stance: 'calls_for',
    statement:
      'End the siege and all barriers to, and politicizing of, life-saving humanitarian aid; allow unimpeded delivery of aid to Gaza\'s civilians and all of the OPT.',
    keywords: ['humanitarian aid', 'aid', 'siege', 'food', 'water', 'fuel', 'medical supplies', 'famine'],
    sources: [
      { seed: '001', quote: 'immediately allow unimpeded delivery of humanitarian aid to Gaza' },
      { seed: '000', quote: 'End all barriers to and the politicizing of life-saving humanitarian aid to Gaza and all OPT.' },
    ],
  },

  // ---- Israel/OPT: no position ----
  {
    key: 'bds_movement',
    campaignKey: 'israel_opt',
    stance: 'no_position',
    perceptionSensitive: 'BDS',
    statement:
      'The organization takes no position on the Boycott, Divestment and Sanctions (BDS) movement. Events co-sponsored with groups that support BDS must not create the perception that the organization is involved in it.',
    keywords: ['bds', 'boycott divestment sanctions', 'bds movement', 'bds campaign', 'bds resolution', 'pacbi'],
    sources: [
      { seed: '000', quote: 'Boycott, Divestment, and Sanctions (BDS) movement' },
      {
        seed: '000',
        quote:
          'If approached to cosponsor events by groups who support BDS, it is important to ensure that the event does not create the perception that Amnesty is involved in the BDS movement.',
      },
    ],
  },
  {
    key: 'boycott_of_israel',
    campaignKey: 'israel_opt',
    stance: 'no_position',
    perceptionSensitive: 'BDS',
    statement: 'The organization is not calling for a boycott of Israel (consumer, academic, cultural or municipal).',
    keywords: [
      'boycott',
      'boycott israel',
      'academic boycott',
      'cultural boycott',
      'consumer boycott',
      'municipal boycott',
      'procurement',
      'contracting',
    ],
    sources: [{ seed: '000', quote: 'nor are we calling for a boycott of Israel' }],
  },
  {
    key: 'divestment_from_israel',
    campaignKey: 'israel_opt',
    stance: 'no_position',
    perceptionSensitive: 'BDS',
    statement: 'The organization is not calling for divestment from Israel or from Israeli companies.',
    keywords: [
      'divest',
      'divestment',
      'divestment from israel',
      'israeli companies',
      'pension divestment',
      'municipal divestment',
      'endowment divestment',
      'investments',
    ],
    sources: [{ seed: '000', quote: 'for divestment from Israel or Israeli companies' }],
  },
  {
    key: 'wide_ranging_economic_sanctions',
    campaignKey: 'israel_opt',
    stance: 'no_position',
    statement:
      'The organization is not calling for wide-ranging economic sanctions on Israel; it calls only for targeted sanctions on officials and an arms embargo.',
    keywords: ['economic sanctions', 'trade sanctions', 'sanction israel', 'trade embargo', 'sanctions on israel'],
    sources: [{ seed: '000', quote: 'we are not calling for the imposition of wide-ranging economic sanctions' }],
  },
  {
    key: 'statehood_two_states',
    campaignKey: 'israel_opt',
    stance: 'no_position',
    statement:
      'No position on statehood: neither on Israel as a Jewish state nor on Palestinians\' right to an independent state; "two states" (or one state) framings are outside the mandate.',
    keywords: [
      'two states',
      'two-state solution',
      'one state',
      'statehood',
      'palestinian state',
      'jewish state',
      'recognition of palestine',
    ],
    sources: [
      {
        seed: '000',
        quote: 'We take no position on Israel as a Jewish state or on the rights of Palestinians to an independent state',
      },
      { seed: '000', quote: 'explicit "two states" framing - a position outside Amnesty\'s mandate' },
    ],
  },

  // ---- Organization-wide ----
  {
    key: 'legitimacy_of_states',
    campaignKey: null,
    stance: 'no_position',
    statement:
      'The organization does not comment on political questions such as the legitimacy of any particular state or political ideology, and takes no sides in conflicts.',
    keywords: [
      'legitimacy',
      'right to exist',
      'zionism',
      'anti-zionism',
      'ideology',
      'self-determination',
      'regime change',
    ],
    sources: [
      {
        seed: '000',
        quote:
          'Amnesty International does not comment on political questions such as the legitimacy of any particular state or political ideology.',
      },
      {
        seed: '000',
        quote: 'we do not take sides in conflicts anywhere in the world, nor do we support or oppose any government, group, political party, or ideology',
      },
    ],
  },
  {
    key: 'antisemitism_discrimination',
    campaignKey: null,
    stance: 'opposes',
    statement:
      'The organization opposes antisemitism and every form of discrimination and racism, including anti-Palestinian and anti-Arab racism and Islamophobia; criticism of a government\'s crimes must never be conflated with, or turned into, hostility to a people.',
    keywords: [
      'antisemitism',
      'racism',
      'islamophobia',
      'anti-palestinian racism',
      'anti-arab racism',
      'discrimination',
      'hate speech',
      'bigotry',
    ],
    sources: [
      { seed: '000', quote: 'We stand against antisemitism in the strongest possible terms.' },
      { seed: '000', quote: 'As an anti-racist organization, Amnesty stands against antisemitism, which is antithetical to human rights.' },
    ],
  },
  {
    key: 'attacks_on_civilians',
    campaignKey: null,
    stance: 'opposes',
    statement:
      'The organization opposes attacks on civilians by any party: direct, indiscriminate or disproportionate attacks, indiscriminate rockets and hostage-taking alike.',
    keywords: [
      'attacks on civilians',
      'violence',
      'armed struggle',
      'rockets',
      'indiscriminate attacks',
      'civilian casualties',
      'glorifying violence',
      'war crimes',
    ],
    sources: [
      {
        seed: '001',
        quote: 'Immediately end deliberate attacks on civilians, the firing of indiscriminate rockets, and hostage-taking.',
      },
      {
        seed: '001',
        quote: 'refraining from direct attacks on civilians and civilian objects, indiscriminate and disproportionate attacks',
      },
    ],
  },
  {
    key: 'partisan_electoral_campaigning',
    campaignKey: null,
    stance: 'opposes',
    statement:
      'The organization is non-partisan and independent of all governments and political parties: it does not endorse or oppose candidates or parties, and its name may not be used in electoral campaigning.',
    keywords: [
      'election',
      'candidate',
      'endorsement',
      'political party',
      'campaign office',
      'get out the vote',
      'partisan',
      'vote for',
    ],
    sources: [
      {
        seed: '000',
        quote:
          'Amnesty International is a non-denominational, non-partisan movement, independent of all governments, political parties, and religious institutions.',
      },
    ],
  },

  // ---- Other campaigns (seed 004) ----
  {
    key: 'belarus_end_police_violence',
    campaignKey: 'belarus',
    stance: 'calls_for',
    statement:
      'An end to police violence in Belarus, and solidarity with Belarusian peaceful protesters facing the crackdown on dissent since the disputed 2020 election.',
    keywords: [
      'belarus',
      'police violence',
      'police brutality',
      'peaceful protesters',
      'standwithbelarus',
      'crackdown',
      'lukashenko',
    ],
    sources: [
      { seed: '004', quote: 'call for an end to police violence in Belarus' },
      { seed: '004', quote: 'Write a solidarity message in support of Belarusian peaceful protesters.' },
    ],
  },
  {
    key: 'myanmar_stop_lethal_force',
    campaignKey: 'myanmar',
    stance: 'calls_for',
    statement:
      'Myanmar\'s security forces must immediately stop using lethal force against peaceful protesters; solidarity with those killed for exercising their right to peaceful assembly.',
    keywords: [
      'myanmar',
      'burma',
      'lethal force',
      'peaceful assembly',
      'protesters killed',
      'military coup',
      'myanmarsolidarity',
    ],
    sources: [
      { seed: '004', quote: 'The #Myanmar security forces must immediately stop using lethal force against people' },
      {
        seed: '004',
        quote: 'the people from #Myanmar who have been killed for peacefully exercising their rights to peaceful assembly',
      },
    ],
  },
  {
    key: 'myanmar_peaceful_activists',
    campaignKey: 'myanmar',
    stance: 'calls_for',
    statement:
      'Human rights defenders, activists and journalists in Myanmar must not be arrested, prosecuted or imprisoned solely in connection with their peaceful activities.',
    keywords: [
      'myanmar',
      'arbitrary arrests',
      'political prisoners',
      'journalists',
      'human rights defenders',
      'detention',
      'myanmarneversilenced',
    ],
    sources: [
      {
        seed: '004',
        quote:
          'Human rights defenders, activists, and journalists in Myanmar continue to face ongoing arrests, prosecutions and imprisonment solely in connection with their peaceful activities.',
      },
    ],
  },
  {
    key: 'xinjiang_family_reunification',
    campaignKey: 'xinjiang',
    stance: 'calls_for',
    statement:
      'China\'s authorities must allow Uyghur children in Xinjiang to leave China and be reunited as promptly as possible with their parents and siblings abroad, if that is their preference.',
    keywords: [
      'xinjiang',
      'uyghur',
      'family separation',
      'orphan camps',
      'china',
      'reunification',
      'mass detention',
    ],
    sources: [
      {
        seed: '004',
        quote:
          'ensure that children are allowed to leave China to be reunited as promptly as possible with their parents and siblings already living abroad',
      },
    ],
  },
  {
    key: 'facial_recognition_ban',
    campaignKey: 'facial_recognition',
    stance: 'calls_for',
    statement:
      'Stop authorities from using facial recognition technology, a privacy-invasive and discriminatory technology that disproportionately impacts Black and other minority communities and threatens the right to protest (#BanTheScan).',
    keywords: [
      'facial recognition',
      'ban the scan',
      'surveillance',
      'frt',
      'policing',
      'privacy',
      'right to protest',
      'nypd',
    ],
    sources: [
      { seed: '004', quote: 'stop authorities there from using this privacy-invasive and discriminatory technology' },
      {
        seed: '004',
        quote:
          'the use of facial recognition technology disproportionately impacts Black and other minority communities and threatens the right to protest',
      },
    ],
  },
  {
    key: 'vaccine_equity',
    campaignKey: 'vaccines',
    stance: 'calls_for',
    statement:
      'Everyone in the world should have access to a COVID-19 vaccine; pharmaceutical companies must share their knowledge and technology, for example through the WHO COVID-19 Technology Access Pool (C-TAP).',
    keywords: [
      'vaccine',
      'covid-19',
      'peoples vaccine',
      'a fair shot',
      'vaccine equity',
      'c-tap',
      'pharmaceutical companies',
      'patents',
    ],
    sources: [
      {
        seed: '004',
        quote:
          'Everyone in the world should have access to a COVID-19 vaccine, no matter who they are or where they are from.',
      },
      { seed: '004', quote: 'calling on pharmaceutical companies to share their knowledge and technology' },
    ],
  },
  {
    key: 'close_guantanamo',
    campaignKey: 'guantanamo',
    stance: 'calls_for',
    statement:
      'Close the detention facility at Guantanamo Bay, where men remain held in limbo despite court orders for many of them to be released.',
    keywords: [
      'guantanamo',
      'gitmo',
      'closeguantanamo',
      'indefinite detention',
      'military commissions',
      'war on terror',
    ],
    sources: [
      { seed: '004', quote: 'press for closure of the detention facility at Guantanamo Bay' },
    ],
  },
  {
    key: 'free_navalny',
    campaignKey: 'navalny',
    stance: 'calls_for',
    statement:
      'Free imprisoned opposition leader Aleksei Navalny, and do not ban his organizations as "extremist", a move that would suppress the rights to freedom of expression and association for thousands.',
    keywords: [
      'navalny',
      'freenavalny',
      'russia',
      'prisoner of conscience',
      'anti-corruption foundation',
      'freedom of association',
      'putin',
    ],
    sources: [
      { seed: '004', quote: '#FreeNavalny' },
      {
        seed: '004',
        quote: 'This move would effectively suppress the rights to freedom of expression and association for thousands.',
      },
    ],
  },
];

// Seed 002 municipal campaign types, as the seeds settle them (via keywords above):
//   divestment and boycotts        -> boycott_of_israel / divestment_from_israel (no position, BDS-sensitive)
//   End Weapons to Israel          -> arms_embargo (calls for; related)
//   Stand with Refugees            -> refugee_right_of_return (calls for)
//   Deadly Exchange, Skip the Trip, Right to Boycott, Sister Cities, Break the Bonds: not settled (unknown)

const positions: PositionsDoc = { positions: positionsList };

// ---------------------------------------------------------------------------
// 3. Risk matrix

const riskMatrix: RiskMatrixDoc = {
  bands: [
    { name: 'low', min: 1, max: 4 },
    { name: 'medium', min: 5, max: 9 },
    { name: 'high', min: 10, max: 14 },
    { name: 'critical', min: 15, max: 25 },
  ],
  closeMarginPercent: 20,
  likelihoodLabels: ['Rare', 'Unlikely', 'Possible', 'Likely', 'Almost certain'],
  impactLabels: ['Negligible', 'Minor', 'Moderate', 'Major', 'Severe'],
  categories: [
    'reputation',
    'independence',
    'perception',
    'participant_safety',
    'legal',
    'mission_impact',
    'relationship',
    'financial',
    'outreach',
  ],
};

// ---------------------------------------------------------------------------
// 4. BDS-perception checklist

const perceptionChecklist: PerceptionChecklistDoc = {
  movement: 'BDS',
  items: [
    {
      key: 'no_boycott_call_in_name',
      label: 'Do the event title, description and materials avoid any call for boycott or divestment in the organization\'s name?',
      condition:
        'The event title, description and all materials will make no call for boycott or divestment in the name of {{organization}}.',
    },
    {
      key: 'not_on_bds_materials',
      label: 'Will the organization be kept off BDS-branded flyers, banners, web pages and other materials?',
      condition:
        '{{partner}} will not list {{organization}} on any BDS-branded flyer, banner, web page, press release or other material.',
    },
    {
      key: 'logo_not_beside_bds',
      label: 'Will the organization\'s name and logo be kept away from BDS calls, slogans and logos?',
      condition:
        'The name and logo of {{organization}} will not be placed beside, above or below any call, slogan or logo of the BDS movement, in print, on screen or online.',
    },
    {
      key: 'speakers_no_bds_advocacy',
      label: 'Will the speakers presented on behalf of the organization refrain from advocating BDS?',
      condition:
        'Speakers presented on behalf of {{organization}} will not advocate boycott, divestment or sanctions beyond the targeted measures {{organization}} calls for, and will state, if asked, that {{organization}} takes no position on the BDS movement.',
    },
    {
      key: 'no_bds_signup',
      label: 'Will no BDS sign-up sheet, pledge or petition run under the organization\'s name or at its table?',
      condition:
        'No BDS sign-up sheet, pledge or petition will be circulated under the name of {{organization}} or at its table; any such activity by {{partner}} will be clearly separate and in its own name.',
    },
    {
      key: 'approved_talking_points',
      label: 'Will co-promotion, including social-media posts, use only the organization\'s approved talking points?',
      condition:
        'Co-promotion of the event, including social-media posts, will use only the approved talking points of {{organization}} and follow its social media guide; any other text naming {{organization}} will be approved in advance by the chapter lead.',
    },
    {
      key: 'disclaimer_on_listing',
      label: 'Will the co-sponsorship listing carry a disclaimer of the organization\'s position on BDS?',
      condition:
        'Wherever {{organization}} is listed as a co-sponsor, the listing will carry this disclaimer: "{{organization}} co-sponsors this event on the human rights issues it addresses. {{organization}} takes no position on the Boycott, Divestment and Sanctions (BDS) movement."',
    },
    {
      key: 'written_acceptance',
      label: 'Has the partner accepted these conditions in writing?',
      condition:
        '{{partner}} accepts the conditions of this memorandum in writing before {{organization}} is named in any announcement of the event.',
    },
  ],
};

// ---------------------------------------------------------------------------
// 5. MOU template

const mouTemplate: MouTemplateDoc = {
  sections: [
    {
      key: 'parties',
      title: 'Parties',
      body:
        'This memorandum of understanding (reference {{reference}}) is made between {{organization}}, acting through its {{chapter}} (the "Chapter"), represented by {{lead_name}} ({{lead_email}}), and {{partner}} (the "Partner"), together "the parties". It records how the parties will work together on the event described below. It does not create a partnership, agency or joint venture, and neither party may bind the other.',
    },
    {
      key: 'purpose_event',
      title: 'Purpose and event',
      body:
        'The parties will collaborate on "{{event_title}}", to be held on {{event_date}} at {{event_place}}, as a {{cosponsorship_kind}}. {{event_description}} The purpose of the collaboration is to raise awareness of the human rights issues the event addresses and to encourage participants to take action consistent with international human rights law.',
    },
    {
      key: 'expectations',
      title: 'Expectations and contributions of each party',
      body:
        'The Chapter will contribute as agreed for a {{cosponsorship_kind}}: promotion to its members, volunteers on the day and, where agreed, a speaker and materials of {{organization}}. {{partner}} will organize the venue, logistics, accessibility and safety of the event and will share the programme, speakers and materials with the Chapter in advance. Each party bears its own costs unless otherwise agreed in writing; no funds are exchanged under this memorandum.',
    },
    {
      key: 'communication',
      title: 'Communication',
      body:
        'The contact for the Chapter is {{lead_name}} ({{lead_email}}); {{partner}} will name one contact person in writing. All public materials and social-media posts that name {{organization}} (flyers, event pages, press releases, posts) will be sent to the Chapter contact and approved before publication. The Chapter\'s members will follow the social media guide of {{organization}}\'s campaign toolkit: they share posts already shared by {{organization}}, use its approved talking points, and do not engage in arguments or with trolls.',
    },
    {
      key: 'management',
      title: 'Management and maintenance',
      body:
        'The two contacts will meet or speak before the event to confirm the programme, roles and materials, and once afterwards to review how the collaboration went. Any change to the title, speakers, programme or materials after approval will be communicated to the other party before it is made public.',
    },
    {
      key: 'accountability',
      title: 'Accountability',
      body:
        'Each party is responsible for its own statements, speakers, volunteers and materials. {{organization}} speaks only for itself: it is not responsible for, and does not endorse, positions of {{partner}} that it does not hold, and {{partner}} will not present them as shared. The Chapter records this collaboration, its conditions and its outcome in the organization\'s vetting record (reference {{reference}}).',
    },
    {
      key: 'decision_making',
      title: 'Decision making',
      body:
        'Decisions on the joint parts of the event (programme, speakers, title and joint materials) are taken by agreement of the two contacts. Decisions that concern the name, logo, positions or participation of {{organization}} are taken by the Chapter, which may consult the staff of {{organization}}; {{partner}} decides alone on its own activities outside the joint event.',
    },
    {
      key: 'dispute_resolution',
      title: 'Dispute resolution',
      body:
        'The parties will raise any disagreement promptly and privately between the two contacts, and try in good faith to resolve it within five working days. If it cannot be resolved, either party may refer it to staff of {{organization}} and to the leadership of {{partner}}. Until it is resolved, the party concerned may suspend the use of its name in connection with the event. Disagreements will not be aired publicly.',
    },
    {
      key: 'names_logos',
      title: 'Use of names and logos',
      body:
        '{{partner}} may use the name and logo of {{organization}} only to list it as a co-sponsor of "{{event_title}}", only in materials approved under "Communication", and only until {{end_date}}. The Chapter may use the name of {{partner}} in the same way. Neither party may use the other\'s name or logo for fundraising, petitions or any other activity without written consent.',
    },
    {
      key: 'independence',
      title: 'Independence',
      body:
        '{{organization}} is a non-denominational, non-partisan movement, independent of all governments, political parties and religious institutions. Nothing in this collaboration will be presented as {{organization}} supporting or opposing any government, political party, candidate or ideology, and {{organization}} remains free to speak on any human rights issue, including those concerning {{partner}}\'s own area of work.',
    },
    {
      key: 'conditions',
      title: 'Conditions',
      body: 'The parties agree to the following conditions, which form part of this memorandum:',
    },
    {
      key: 'mitigations',
      title: 'Risk mitigations',
      body: 'To reduce the risks identified in the Chapter\'s assessment, the parties will take the following measures:',
    },
    {
      key: 'term',
      title: 'Term and termination',
      body:
        'This memorandum takes effect when signed by both parties and ends on {{end_date}}, unless renewed in writing after a new review. Either party may end it at any time by written notice to the other contact, in particular if a condition above is not met; {{partner}} will then remove the name and logo of {{organization}} from all materials within two working days.',
    },
    {
      key: 'signatures',
      title: 'Signatures',
      body:
        'For {{organization}}, {{chapter}}: {{lead_name}}, chapter lead. Signature: ____________________ Date: __________\n\nFor {{partner}}: Name: ____________________ Title: ____________________ Signature: ____________________ Date: __________',
    },
  ],
};

export const seedConfig: ConfigDocs = {
  values_criteria: valuesCriteria,
  positions,
  risk_matrix: riskMatrix,
  perception_checklist: perceptionChecklist,
  mou_template: mouTemplate,
};
