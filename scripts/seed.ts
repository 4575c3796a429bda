import { parseArgs } from 'node:util';
import { getDb } from '../db/connection';
import { migrateToLatest } from '../db/migrate';
import { isSeeded, seedDemo, seedProduction } from '../app/services/seed.server';

// npm run db:seed                 demo data on an empty database
// npm run db:seed -- --production configuration and one admin only
const { values } = parseArgs({
  options: { production: { type: 'boolean', default: false } },
  allowPositionals: false,
});

await migrateToLatest(getDb());
if (values.production) {
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
