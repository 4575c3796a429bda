import { parseArgs } from 'node:util';
import { all, first, getDb, qb } from '../db/connection';
import { migrateToLatest } from '../db/migrate';
import { createPartner } from '../db/partners';
import { proposalRow } from '../db/proposals';
import { createUser, listChapters, userByEmail } from '../db/users';
import { isSeeded, seedDemo } from '../scripts/seed/demo';
import { createProposal, decide } from '../app/features/vetting/vetting.server';
import type { ActingUser } from '../workflows/policy';

// npx tsx bench/enlarge-demo.ts <n> [--partners P]
// Grows the demo database at DATABASE_PATH (seeding it first if empty) to n
// proposals, each sent through the real decision service: a realistic mix of
// approved, rejected, withdrawn, in-progress and waiting-for-review proposals
// with concerns, unknown and conflicting agenda items, critical risks and
// perception conditions, many partners proposed more than once.

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { partners: { type: 'string' }, quiet: { type: 'boolean', default: false } },
});
const target = Number(positionals[0]);
if (!Number.isInteger(target) || target < 1) {
  console.error('Usage: DATABASE_PATH=path/to.db npx tsx bench/enlarge-demo.ts <number of proposals> [--partners P]');
  process.exit(2);
}

const db = getDb();
await migrateToLatest(db);
if (!isSeeded()) await seedDemo();
// A generated benchmark database needs no durability per commit; it only needs to be fast to build.
db.sqlite.pragma('synchronous = OFF');

const countProposals = () => first(qb().selectFrom('proposals').select((eb) => eb.fn.countAll<number>().as('n')))!.n;
const existing = countProposals();
if (existing >= target) {
  console.log(`The database already holds ${existing} proposals.`);
  process.exit(0);
}

function person(email: string): ActingUser {
  const u = userByEmail(email)!;
  return { id: u.id, name: u.name, roles: u.roles, chapterId: u.chapter_id };
}
// One lead per chapter (the demo has leads for two of them).
const leads: ActingUser[] = listChapters().map((c, i) => {
  const email = `bench-lead-${c.id}@cosponsor.test`;
  if (!userByEmail(email)) {
    const hash = first(qb().selectFrom('users').select('password_hash').where('email', '=', 'lead@cosponsor.test'))!.password_hash;
    createUser({ email, name: `Bench Lead ${i + 1}`, passwordHash: hash, chapterId: c.id, roles: ['chapter_lead'] });
  }
  return person(email);
});
const staff = [person('staff@cosponsor.test'), person('staff2@cosponsor.test')];

const campaigns = Object.fromEntries(
  ['israel_opt', 'myanmar', 'belarus', 'vaccines', 'facial_recognition', 'guantanamo'].map((key) => [
    key,
    first(qb().selectFrom('campaigns').select('id').where('key', '=', key))!.id,
  ]),
);

// Agenda items partners bring again and again, mapped as chapters usually map them.
const ITEMS = [
  { text: 'Stop home demolitions in East Jerusalem', classification: 'aligned', positionKey: 'cancel_evictions_demolitions', campaign: 'israel_opt' },
  { text: 'Unimpeded humanitarian aid into Gaza', classification: 'aligned', positionKey: 'unimpeded_humanitarian_aid', campaign: 'israel_opt' },
  { text: 'Support the BDS call', classification: 'no_position', positionKey: 'bds_movement', campaign: 'israel_opt' },
  { text: 'Vigil for people killed for peaceful protest', classification: 'aligned', positionKey: 'myanmar_stop_lethal_force', campaign: 'myanmar' },
  { text: 'Letters to people detained in Belarus', classification: 'aligned', positionKey: 'belarus_end_police_violence', campaign: 'belarus' },
  { text: 'Share vaccine technology through C-TAP', classification: 'aligned', positionKey: 'vaccine_equity', campaign: 'vaccines' },
  { text: 'Ban police facial recognition', classification: 'aligned', positionKey: 'facial_recognition_ban', campaign: 'facial_recognition' },
  { text: 'Close Guantanamo', classification: 'aligned', positionKey: 'close_guantanamo', campaign: 'guantanamo' },
] as const;
const UNKNOWN = ['Sister-city ties with a city abroad', 'Police exchange programmes', 'Municipal purchasing rules'];
const CONFLICTING = 'Endorse our candidate in the ward election';

const partnerCount = Number(values.partners ?? Math.max(20, Math.round(target / 6)));
const partners: { id: number; bds: boolean }[] = [];
for (let i = 0; i < partnerCount; i += 1) {
  const bds = i % 7 === 3;
  const name = `Bench Partner ${String(i + 1).padStart(4, '0')} ${['Collective', 'Network', 'Alliance', 'Circle', 'Coalition'][i % 5]}`;
  const found = first(qb().selectFrom('partners').select('id').where('name', '=', name));
  partners.push({
    bds,
    id:
      found?.id ??
      createPartner(
        { name, website: null, country: 'US', description: `${name}: a community group.`, publicPositions: bds ? ['supports_bds'] : [] },
        null,
      ),
  });
}

const CRITERIA = ['independence', 'non_discrimination', 'human_rights_standards', 'mutual_respect', 'transparency'];
const PERCEPTION = [
  'no_boycott_call_in_name',
  'not_on_bds_materials',
  'logo_not_beside_bds',
  'speakers_no_bds_advocacy',
  'no_bds_signup',
  'approved_talking_points',
  'disclaimer_on_listing',
  'written_acceptance',
];

function daysFromToday(days: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function send(id: number, who: ActingUser, command: unknown): void {
  const result = decide({ proposalId: id, expectedVersion: proposalRow(id)!.version, actor: who, command });
  if (!result.ok) throw new Error(`Proposal ${id}: ${JSON.stringify(command).slice(0, 80)} refused: ${result.error.message}`);
}

type Outcome = 'approve' | 'reject' | 'review' | 'withdraw' | 'changes' | 'draft' | 'midway';
// Out of 20: 11 approved, 2 rejected, 3 waiting for review, 1 withdrawn, 1 sent back, 1 draft, 1 midway.
const MIX: Outcome[] = ['approve', 'review', 'approve', 'reject', 'approve', 'approve', 'review', 'withdraw', 'approve', 'changes',
  'approve', 'draft', 'approve', 'review', 'approve', 'reject', 'approve', 'midway', 'approve', 'approve'];

function one(n: number): void {
  const outcome = MIX[n % MIX.length]!;
  const partner = partners[(n * 7919) % partners.length]!;
  const lead = leads[n % leads.length]!;
  const item = ITEMS[n % ITEMS.length]!;
  const { id } = createProposal(lead, {
    partnerId: partner.id,
    campaignId: campaigns[item.campaign]!,
    eventTitle: `Bench event ${n + 1}: ${item.text}`,
    eventDate: daysFromToday(5 + (n % 120)),
    eventPlace: 'Community hall',
    eventDescription: 'A public event co-sponsored with a local group.',
    kind: (['co_listing', 'co_hosting', 'speaker', 'shared_materials'] as const)[n % 4],
  });
  if (outcome === 'draft') return;
  send(id, lead, { type: 'SUBMIT_PROPOSAL' });
  const ratings: Record<string, { rating: string; evidence: string; links: string[] }> = {};
  for (const key of CRITERIA) ratings[key] = { rating: 'meets', evidence: 'Checked the group’s public record.', links: [] };
  if (n % 5 === 1) ratings.transparency!.rating = 'concern';
  if (outcome === 'reject' && n % 2 === 1) ratings.independence!.rating = 'not_met';
  send(id, lead, { type: 'SUBMIT_VALUES', input: { ratings } });
  if (outcome === 'midway') return;
  if (proposalRow(id)!.state === 'agenda') {
    const items: { text: string; scope: string; classification: string; positionKey: string | null }[] = [
      { text: item.text, scope: 'event', classification: item.classification, positionKey: item.positionKey },
      { text: ITEMS[(n + 1) % ITEMS.length]!.text, scope: 'general', classification: 'aligned', positionKey: ITEMS[(n + 1) % ITEMS.length]!.positionKey },
    ];
    if (n % 9 === 1) items.push({ text: UNKNOWN[n % UNKNOWN.length]!, scope: 'general', classification: 'unknown', positionKey: null });
    if (n % 13 === 6) items.push({ text: CONFLICTING, scope: 'event', classification: 'conflicting', positionKey: null });
    if (partner.bds) items.push({ text: 'Support the BDS call', scope: 'general', classification: 'no_position', positionKey: 'bds_movement' });
    send(id, lead, { type: 'SUBMIT_AGENDA', input: { items } });
    const critical = n % 11 === 6;
    send(id, lead, {
      type: 'SUBMIT_RISK',
      input: {
        items: [
          {
            kind: 'risk',
            category: 'reputation',
            description: 'The partner presents the event as the organization endorsing its campaign.',
            likelihood: critical ? 5 : 3,
            impact: critical ? 5 : 3,
            mitigation: 'Agree the listing text and talking points in advance.',
            residualLikelihood: critical ? 4 : 1,
            residualImpact: critical ? 4 : 3,
          },
          {
            kind: 'benefit',
            category: 'outreach',
            description: 'Reaches people new to the chapter.',
            likelihood: 4,
            impact: 4,
            mitigation: null,
            residualLikelihood: null,
            residualImpact: null,
          },
        ],
      },
    });
    if (proposalRow(id)!.state === 'perception') {
      const answers: Record<string, { answer: string; note: string }> = {};
      PERCEPTION.forEach((key, i) => (answers[key] = { answer: i < 2 ? 'condition' : 'met', note: i < 2 ? 'Agreed by e-mail.' : '' }));
      send(id, lead, { type: 'SUBMIT_PERCEPTION', input: { answers } });
    }
    send(id, lead, { type: 'MOU_NOT_NEEDED', reason: 'A one-off co-listing on the partner’s event page only.' });
  }
  const decider = staff[n % 2]!;
  switch (outcome) {
    case 'approve':
      send(id, decider, {
        type: 'APPROVE',
        conditions: n % 3 === 0 ? ['The disclaimer of the organization’s position appears on every listing.'] : [],
        endDate: null,
        rationale: 'The vetting supports the partnership.',
      });
      break;
    case 'reject':
      send(id, decider, { type: 'REJECT', rationale: 'The partner does not meet the values the partnership needs.' });
      break;
    case 'changes':
      send(id, decider, { type: 'REQUEST_CHANGES', step: 'values', rationale: 'Add evidence for the transparency criterion.' });
      break;
    case 'withdraw':
      send(id, lead, { type: 'WITHDRAW', reason: 'The partner postponed the event.' });
      break;
    default:
      break;
  }
}

const started = performance.now();
let n = existing;
while (countProposals() < target) {
  one(n);
  n += 1;
  if (!values.quiet && n % 250 === 0) console.error(`${n} proposals (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}
db.sqlite.pragma('synchronous = FULL');
db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
const byState = qb().selectFrom('proposals').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state');
console.log(
  `${countProposals()} proposals in ${((performance.now() - started) / 1000).toFixed(1)} s: ${all(byState)
    .map((r) => `${r.state} ${r.n}`)
    .join(', ')}`,
);
