// npm run db:backup -- <file>    an online copy of the database (DATABASE_URL's PostgreSQL with
//                                 pg_dump, else DATABASE_PATH's SQLite file) to <file>, with the log's
//                                 signing key, checkpoints and evidence files in <file>.log/ (docs/operations.md)
import { backupDatabase } from '../db/backup';
import { backupPostgresDatabase } from '../db/backup-postgres';
import { closeDatabase, database } from '../db/connection';
import { describePostgresUrl } from '../db/postgres';

const file = process.argv[2];
if (!file) {
  console.error('Usage: npm run db:backup -- <file>');
  process.exit(2);
}
try {
  const db = database();
  const result = db.kind === 'postgres' ? await backupPostgresDatabase(file, db.path) : await backupDatabase(file);
  const source = db.kind === 'postgres' ? `PostgreSQL ${describePostgresUrl(db.path)}` : db.path;
  console.log(`Backed up ${source} to ${result.file} (${result.bytes} bytes), with ${result.checkpoints} checkpoint(s), ${result.files} evidence file(s) and ${result.key ? 'the signing key' : 'NO signing key (none found)'} in ${result.file}.log/`);
  console.log('Keep the .log folder with the file: the signing key in it is secret.');
  closeDatabase();
} catch (error) {
  console.error(`Backup failed: ${(error as Error).message}`);
  process.exit(1);
}
