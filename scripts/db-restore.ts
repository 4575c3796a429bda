// npm run db:restore -- <file>   puts a backup made by db:backup back: into the empty PostgreSQL
//                                 database at DATABASE_URL (pg_restore), else at DATABASE_PATH (which
//                                 must not exist); its key at SIGNING_KEY_FILE, its checkpoints in
//                                 CHECKPOINT_DIR, its evidence files in UPLOAD_DIR; then verifies the
//                                 decision log and the files it cites.
import { restoreDatabase } from '../db/backup';
import { restorePostgresDatabase } from '../db/backup-postgres';
import { closeDatabase, database, DEFAULT_DATABASE_PATH, isPostgresUrl } from '../db/connection';
import { formatVerifyResult, verifyLog } from '../db/decision-log';
import { verifyAttachedFiles } from '../db/verify';

const file = process.argv[2];
if (!file) {
  console.error('Usage: npm run db:restore -- <file>');
  process.exit(2);
}
const url = process.env.DATABASE_URL;
try {
  if (url && isPostgresUrl(url)) {
    const result = await restorePostgresDatabase(file, url);
    console.log(`Restored PostgreSQL ${result.database} with ${result.checkpoints} checkpoint(s), ${result.files} evidence file(s)${result.key ? ' and the signing key' : ''}.`);
  } else {
    const result = restoreDatabase(file, process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH);
    console.log(`Restored ${result.databasePath} with ${result.checkpoints} checkpoint(s), ${result.files} evidence file(s)${result.key ? ' and the signing key' : ''}.`);
  }
} catch (error) {
  console.error(`Restore failed: ${(error as Error).message}`);
  process.exit(1);
}
database();
let verified = verifyLog();
if (verified.ok) {
  // The evidence files the restored records cite: each there and still the one judged.
  const files = await verifyAttachedFiles();
  verified = files.problem ? { ...verified, ok: false, problem: files.problem, files: files.files } : { ...verified, files: files.files };
}
console.log(formatVerifyResult(verified));
closeDatabase();
process.exit(verified.ok ? 0 : 1);
