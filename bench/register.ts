import { parseArgs } from 'node:util';
import { all, database, first, qb } from '../db/connection';
import { verifyLog } from '../db/decision-log';
import { userByEmail } from '../db/users';
import type { ActingUser } from '../workflows/policy';
import {
  exportRegisterCsv,
  partnerProfile,
  registerChoices,
  searchRegister,
  type RegisterFilter,
  type RegisterPage,
} from '../app/features/register/register.server';

// The decision register at scale, through the service functions the pages call.
//   npm run db:seed -- --scale 20000            (with DATABASE_PATH pointing at a new file)
//   DATABASE_PATH=... npx tsx bench/register.ts [--calls 200]   (or DATABASE_URL=postgres://... after npm run db:move)
// Prints p50/p95/max per query over `calls` calls, after a short warm-up.

const { values } = parseArgs({ options: { calls: { type: 'string', default: '200' } } });
const CALLS = Number(values.calls);

function actorOf(email: string): ActingUser {
  const u = userByEmail(email);
  if (!u) throw new Error(`No user ${email}: build the database with npm run db:seed -- --scale N.`);
  return { id: u.id, name: u.name, roles: u.roles, chapterId: u.chapter_id };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const results: { name: string; p50: number; p95: number; max: number; rows: string }[] = [];

/** Times fn(i) for CALLS calls (after 10 warm-up calls). fn returns the number of rows it got. */
function measure(name: string, fn: (i: number) => number): void {
  for (let i = 0; i < 10; i++) fn(i);
  const times: number[] = [];
  let rows = 0;
  let minRows = Infinity;
  for (let i = 0; i < CALLS; i++) {
    const t = performance.now();
    const n = fn(i);
    times.push(performance.now() - t);
    rows += n;
    minRows = Math.min(minRows, n);
  }
  times.sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  results.push({ name, p50: r(percentile(times, 50)), p95: r(percentile(times, 95)), max: r(times[times.length - 1]!), rows: `${minRows}..${Math.round(rows / CALLS)} avg` });
}

function page(actor: ActingUser, filter: RegisterFilter, p: RegisterPage = {}): number {
  const result = searchRegister(actor, filter, p);
  if (!result.ok) throw result.error;
  return result.rows.length;
}

/** The `after` cursor of page `n` (1-based) of a filter, following the older links; the last page when it has fewer. */
function cursorOfPage(actor: ActingUser, filter: RegisterFilter, n: number): number | null {
  let after: number | null = null;
  for (let i = 1; i < n; i++) {
    const result = searchRegister(actor, filter, { after });
    if (!result.ok) throw result.error;
    if (result.olderCursor === null) {
      console.error(`(the filter ${JSON.stringify(filter)} has only ${i} pages: page ${i} is timed instead of page ${n})`);
      break;
    }
    after = result.olderCursor;
  }
  return after;
}

const db = database();
const counts = {
  proposals: first(qb().selectFrom('proposals').select((eb) => eb.fn.countAll<number>().as('n')))!.n,
  records: first(qb().selectFrom('decision_records').select((eb) => eb.fn.countAll<number>().as('n')))!.n,
};
console.log(`Database ${db.path}: ${counts.proposals} proposals, ${counts.records} records; ${CALLS} calls each.`);

const reviewer = actorOf('reviewer@cosponsor.test');
const scaleLead = actorOf('scale-lead1@cosponsor.test');
const chapters = all(qb().selectFrom('chapters').select('id').orderBy('id')).map((c) => c.id);
const campaigns = all(qb().selectFrom('campaigns').select('id').orderBy('id')).map((c) => c.id);
const topPartner = first(
  qb()
    .selectFrom('decision_records')
    .select(['partner_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('partner_id')
    .orderBy('n', 'desc')
    .limit(1),
)!;
const range = first(qb().selectFrom('decision_records').select((eb) => [eb.fn.min('at').as('min'), eb.fn.max('at').as('max')]))!;
const day = (offsetDays: number) =>
  new Date(Date.parse(range.min as string) + offsetDays * 86_400_000).toISOString().slice(0, 10);
const WORDS = [
  'demolitions',
  'comite',
  'vigil',
  'surveillance',
  'Guantanamo letters',
  "people's vaccine",
  'solidarité',
  'moderators',
  'disclaimer',
  'Masafer Yatta',
  'BDS',
  'funding not published',
  'Uyghur',
  'antisemitic',
  'Belarus prisoners',
  'the',
];
const OUTCOMES = ['approved', 'rejected', 'compatible_with_concerns', 'incompatible', 'acceptable_with_conditions', 'changes_requested', 'expired'];

measure('unfiltered, first page', () => page(reviewer, {}));
measure('filtered: chapter + step + outcome', (i) =>
  page(reviewer, { chapterId: chapters[i % chapters.length], step: i % 2 ? 'decision' : 'values', outcome: OUTCOMES[i % OUTCOMES.length] }),
);
measure('filtered: campaign + date range (one month)', (i) => {
  const from = day((i * 5) % 900);
  return page(reviewer, { campaignId: campaigns[i % campaigns.length], from, to: day(((i * 5) % 900) + 30) });
});
measure('filtered: records up to a date (old end)', (i) => page(reviewer, { to: day(30 + (i % 60)) }));
measure('filtered: outcome only', (i) => page(reviewer, { outcome: OUTCOMES[i % OUTCOMES.length] }));
measure('full text', (i) => page(reviewer, { q: WORDS[i % WORDS.length] }));
measure('full text + filter (chapter, step)', (i) =>
  page(reviewer, { q: WORDS[i % WORDS.length], chapterId: chapters[i % chapters.length], step: 'values' }),
);
measure('chapter lead (scoped), first page', () => page(scaleLead, {}));
measure('chapter lead (scoped), full text', (i) => page(scaleLead, { q: WORDS[i % WORDS.length] }));
{
  const after = cursorOfPage(reviewer, {}, 50);
  measure('page 50, unfiltered (cursor)', () => page(reviewer, {}, { after }));
  const filter: RegisterFilter = { step: 'values' };
  const afterValues = cursorOfPage(reviewer, filter, 50);
  measure('page 50, step=values (cursor)', () => page(reviewer, filter, { after: afterValues }));
  const text: RegisterFilter = { q: 'partner' };
  const afterText = cursorOfPage(reviewer, text, 50);
  measure('page 50, full text "partner" (cursor)', () => page(reviewer, text, { after: afterText }));
  const back = searchRegister(reviewer, text, { after: afterText });
  if (!back.ok) throw back.error;
  measure('page 49 again, full text "partner" (before)', () => page(reviewer, text, { before: back.newerCursor }));
  const combo: RegisterFilter = { chapterId: chapters[2], step: 'decision', outcome: 'approved' };
  const afterCombo = cursorOfPage(reviewer, combo, 20);
  measure('page 20, chapter + step + outcome (cursor)', () => page(reviewer, combo, { after: afterCombo }));
}
measure(`partner history, top partner (${topPartner.n} records)`, () => {
  const result = partnerProfile(reviewer, topPartner.partner_id);
  if (!result.ok) throw result.error;
  return result.decisions.length;
});
const topPartnerWord = (first(qb().selectFrom('partners').select('name').where('id', '=', topPartner.partner_id))!.name.match(/\p{L}{4,}/u) ?? ['a'])[0]!;
measure(`partner name typed, newest page ("${topPartnerWord}")`, () => page(reviewer, { partnerName: topPartnerWord }));
measure(`partner name typed and a search word ("${topPartnerWord}", "demolitions")`, () => page(reviewer, { partnerName: topPartnerWord, q: 'demolitions' }));
measure('filter form choices (chapters, actors)', () => {
  const choices = registerChoices(reviewer);
  if (!choices.ok) throw choices.error;
  return choices.chapters.length + choices.actors.length;
});

console.log('');
console.log('query'.padEnd(48), 'p50 ms'.padStart(8), 'p95 ms'.padStart(8), 'max ms'.padStart(8), '  rows');
for (const r of results) {
  console.log(r.name.padEnd(48), String(r.p50).padStart(8), String(r.p95).padStart(8), String(r.max).padStart(8), ' ', r.rows);
}

// Whole-register operations, timed a few times.
const verifyTimes: number[] = [];
for (let i = 0; i < 3; i++) {
  const result = verifyLog();
  if (!result.ok) throw new Error(`The log does not verify: ${JSON.stringify(result)}`);
  verifyTimes.push(result.durationMs);
}
console.log('');
console.log(`verifyLog (${counts.records} records): ${verifyTimes.map((t) => `${Math.round(t)} ms`).join(', ')}`);

const exportStart = performance.now();
const exported = exportRegisterCsv(reviewer, { chapterId: chapters[0] });
if (!exported.ok) throw exported.error;
let bytes = 0;
let lines = 0;
for (const chunk of exported.chunks) {
  bytes += Buffer.byteLength(chunk);
  lines += chunk.split('\r\n').length - 1;
}
console.log(`CSV export, one chapter: ${Math.round(performance.now() - exportStart)} ms, ${Math.round(bytes / 1024)} KiB, ${lines} lines (rationales may span lines)`);
