import { parseArgs } from 'node:util';
import { database } from '../db/connection';
import { migrateToLatest } from '../db/migrate';
import { isSeeded, seedDemo, seedProduction } from './seed/demo';
import { seedScale } from './seed/scale';

// npm run db:seed                 demo data on an empty database
// npm run db:seed -- --production configuration and one admin only
// npm run db:seed -- --scale 20000 a large register (n proposals) plus the demo data, on an empty database
const { values } = parseArgs({
  options: { production: { type: 'boolean', default: false }, scale: { type: 'string' } },
  allowPositionals: false,
});

await migrateToLatest(database());
if (values.scale !== undefined) {
  const n = Number(values.scale);
  const report = await seedScale(n, { log: (message) => console.log(message) });
  console.log(
    `Seeded ${report.proposals} proposals (${report.records} records, ${report.partners} partners, ${report.chapters} chapters, ${report.users} users) in ${report.seconds} s.`,
  );
  console.log(`Proposals by state: ${JSON.stringify(report.byState)}`);
} else if (values.production) {
  const email = process.env.ADMIN_EMAIL || 'admin@example.org';
  const result = await seedProduction(email, process.env.ADMIN_PASSWORD || undefined);
  console.log(`Seeded the configuration and the admin ${result.email}.`);
  if (result.generated) console.log(`Admin password (shown once, store it now): ${result.password}`);
} else if (isSeeded()) {
  console.log('The database already holds data; nothing seeded.');
} else {
  const ids = await seedDemo();
  console.log(`Seeded demo data: ${Object.keys(ids.proposals).length} proposals.`);
}
