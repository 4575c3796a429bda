// The fuzz campaign of tests/routes/fuzz.test.ts at scale: malformed posts over
// every POST route of the built app, with status counts. Run after `npx remix build`:
//   npx tsx bench/fuzz.ts [--posts 10000] [--seed 20261128] [--rows]
// --rows also checks, after every refused post, that no table gained or lost a row (slower).
import { parseArgs } from 'node:util';
import { demoApp } from './hardening-setup';

const { values } = parseArgs({
  options: { posts: { type: 'string', default: '10000' }, seed: { type: 'string', default: '20261128' }, rows: { type: 'boolean', default: false } },
});
const { app, build } = await demoApp('fuzz');
const { postRoutes, runFuzzCampaign, stillServing } = await import('../tests/support/fuzz');

console.log(`${postRoutes(build).length} POST routes: ${postRoutes(build).map((r) => r.pattern).join(' ')}`);
const report = await runFuzzCampaign(app, build, { posts: Number(values.posts), seed: Number(values.seed), checkRows: values.rows });
console.log(`\n${report.posts} posts in ${(report.durationMs / 1000).toFixed(1)} s (seed ${values.seed})`);
console.log('status counts:', Object.entries(report.statuses).sort(([a], [b]) => Number(a) - Number(b)).map(([s, n]) => `${s}: ${n}`).join(', '));
console.log('by kind of post:');
for (const [kind, counts] of Object.entries(report.byKind).sort()) {
  console.log(`  ${kind.padEnd(24)} ${Object.entries(counts).map(([s, n]) => `${s}: ${n}`).join(', ')}`);
}
console.log(`5xx or no answer: ${report.serverErrors.length}`);
for (const e of report.serverErrors.slice(0, 10)) console.log('  ', e);
if (values.rows) console.log(`refused posts that wrote rows: ${report.writesOnRefusal.length}`);
for (const w of report.writesOnRefusal.slice(0, 10)) console.log('  ', w);
console.log(`server still answering: ${await stillServing(app)}`);
await app.close();
process.exit(report.serverErrors.length || report.writesOnRefusal.length ? 1 : 0);
