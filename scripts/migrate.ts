import { database } from '../db/connection';
import { migrateToLatest } from '../db/migrate';

const applied = await migrateToLatest(database());
console.log(applied.length ? `Applied ${applied.join(', ')}` : 'The database is up to date.');
