import { useDatabase, getDb, all, qb } from '../db/connection';
import { migrateToLatest } from '../db/migrate';
import * as I from '../db/insights';
import { insightsFor } from '../app/features/insights/insights.server';
const file = process.argv[2]!;
useDatabase(file);
await migrateToLatest(getDb());
const none = { from: null, to: null, chapterId: null, campaignId: null };
const fns: [string, () => unknown][] = [
  ['milestones', () => I.milestonesByMonth(none)],
  ['decisionTimes', () => I.decisionTimes(none)],
  ['stepOutcomes', () => I.stepOutcomes(none)],
  ['risk', () => I.riskCategories(none)],
  ['perception', () => I.perceptionConditions(none)],
  ['revetting', () => I.revettingBuckets(none, '2026-11-01')],
  ['choices', () => I.insightsChoices()],
];
for (let round = 0; round < 3; round++) {
  const out: string[] = [];
  for (const [name, fn] of fns) {
    const times: number[] = [];
    for (let i = 0; i < 30; i++) { I.forgetInsights(); const t = performance.now(); fn(); times.push(performance.now() - t); }
    times.sort((a, b) => a - b);
    out.push(`${name}=${times[15]!.toFixed(2)}`);
  }
  const whole: number[] = [];
  const actor = { id: 1, name: 'x', roles: ['admin' as const], chapterId: null };
  for (let i = 0; i < 30; i++) { I.forgetInsights(); const t = performance.now(); insightsFor(actor, none, '2026-11-01'); whole.push(performance.now() - t); }
  whole.sort((a, b) => a - b);
  console.log(out.join(' '), `whole_p50=${whole[15]!.toFixed(2)} whole_p95=${whole[28]!.toFixed(2)}`);
}
console.log(all(qb().selectFrom('decision_records').select((eb) => eb.fn.countAll().as('n'))));
