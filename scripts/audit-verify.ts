import fs from 'node:fs';
import { parseArgs } from 'node:util';

// npm run audit:verify                         the whole log, against every signed checkpoint
// npm run audit:verify -- --incremental        only what was added since the newest checkpoint
// npm run audit:verify -- --bundle F [--public-key KEYFILE]   one exported proposal bundle, offline
// --public-key KEYFILE  the log's public key(s), one per line (default: the key beside SIGNING_KEY_FILE)
// --expect-head SIZE:ROOT  a head verified before: the log must still hold it (the /audit page passes it)
// --json prints the result as one JSON line (the /audit page runs this command)
const { values } = parseArgs({
  options: {
    bundle: { type: 'string' },
    'public-key': { type: 'string', multiple: true },
    incremental: { type: 'boolean', default: false },
    'expect-head': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

const { readVerifierKeys } = await import('../db/checkpoints');
let keys: ReturnType<typeof readVerifierKeys> | undefined;
try {
  keys = values['public-key']?.flatMap((file) => readVerifierKeys(file));
} catch (error) {
  console.log(`BROKEN: the public key file could not be read: ${(error as Error).message}`);
  process.exit(2);
}

if (values.bundle) {
  const { verifyBundle } = await import('../db/bundle');
  const { defaultTrustedKeys } = await import('../db/verify');
  let bundle: unknown;
  try {
    bundle = JSON.parse(fs.readFileSync(values.bundle, 'utf8'));
  } catch (error) {
    console.log(`BROKEN: the bundle could not be read: ${(error as Error).message}`);
    process.exit(1);
  }
  const result = verifyBundle(bundle, keys ?? defaultTrustedKeys());
  console.log(result.message);
  process.exit(result.ok ? 0 : 1);
} else {
  const { database } = await import('../db/connection');
  const { verifyLog, formatVerifyResult } = await import('../db/decision-log');
  // SQLite at DATABASE_PATH, or PostgreSQL when DATABASE_URL is set.
  database();
  const expect = /^(\d+):([A-Za-z0-9+/=]{44})$/.exec(values['expect-head'] ?? '');
  let result = verifyLog({
    trustedKeys: keys,
    incremental: values.incremental,
    expectHead: expect ? { size: Number(expect[1]), root: expect[2]! } : undefined,
  });
  if (result.ok) {
    // Evidence files: each still in the store and still the one its record cites.
    const { verifyAttachedFiles } = await import('../db/verify');
    const files = await verifyAttachedFiles({ afterSeq: result.incrementalFrom ?? 0 });
    result = files.problem ? { ...result, ok: false, problem: files.problem, files: files.files } : { ...result, files: files.files };
  }
  delete result.tree;
  delete result.leaves;
  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(formatVerifyResult(result));
    if (result.head) console.error(`(tree size ${result.head.size}, root ${result.head.root}; ${result.durationMs} ms)`);
    else console.error(`(${result.durationMs} ms)`);
  }
  process.exit(result.ok ? 0 : 1);
}
