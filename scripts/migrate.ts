import { getDb } from '../db/connection';
import { migrateToLatest } from '../db/migrate';

const applied = await migrateToLatest(getDb());
console.log(applied.length ? `Applied ${applied.join(', ')}` : 'The database is up to date.');
