import fs from 'node:fs';
import { parseArgs } from 'node:util';

// npm run audit:verify                  the whole log in the database
// npm run audit:verify -- --bundle F    one exported proposal bundle, offline
// --json prints the result as one JSON line (the /audit page runs this command)
const { values } = parseArgs({ options: { bundle: { type: 'string' }, json: { type: 'boolean', default: false } } });

if (values.bundle) {
  const { verifyBundle } = await import('../db/bundle');
  const result = verifyBundle(JSON.parse(fs.readFileSync(values.bundle, 'utf8')));
  console.log(result.message);
  process.exit(result.ok ? 0 : 1);
} else {
  const { getDb } = await import('../db/connection');
  const { verifyLog, formatVerifyResult } = await import('../db/decision-log');
  getDb();
  const result = verifyLog();
  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(formatVerifyResult(result));
    console.error(`(${result.durationMs} ms)`);
  }
  process.exit(result.ok ? 0 : 1);
}
