// npm run db:backup -- <file>    an online copy of DATABASE_PATH to <file>, with the log's
//                                 signing key, checkpoints and evidence files in <file>.log/ (docs/operations.md)
import { backupDatabase } from '../db/backup';
import { closeDatabase, getDb } from '../db/connection';

const file = process.argv[2];
if (!file) {
  console.error('Usage: npm run db:backup -- <file>');
  process.exit(2);
}
try {
  const db = getDb();
  const result = await backupDatabase(file);
  console.log(`Backed up ${db.path} to ${result.file} (${result.bytes} bytes), with ${result.checkpoints} checkpoint(s), ${result.files} evidence file(s) and ${result.key ? 'the signing key' : 'NO signing key (none found)'} in ${result.file}.log/`);
  console.log('Keep the .log folder with the file: the signing key in it is secret.');
  closeDatabase();
} catch (error) {
  console.error(`Backup failed: ${(error as Error).message}`);
  process.exit(1);
}
