// npm run db:restore -- <file>   puts a backup made by db:backup at DATABASE_PATH (which must
//                                 not exist), its key at SIGNING_KEY_FILE and its checkpoints in
//                                 CHECKPOINT_DIR, then verifies the decision log.
import { restoreDatabase } from '../db/backup';
import { closeDatabase, DEFAULT_DATABASE_PATH, getDb } from '../db/connection';
import { formatVerifyResult, verifyLog } from '../db/decision-log';

const file = process.argv[2];
if (!file) {
  console.error('Usage: npm run db:restore -- <file>');
  process.exit(2);
}
try {
  const result = restoreDatabase(file, process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH);
  console.log(`Restored ${result.databasePath} with ${result.checkpoints} checkpoint(s)${result.key ? ' and the signing key' : ''}.`);
} catch (error) {
  console.error(`Restore failed: ${(error as Error).message}`);
  process.exit(1);
}
getDb();
const verified = verifyLog();
console.log(formatVerifyResult(verified));
closeDatabase();
process.exit(verified.ok ? 0 : 1);
