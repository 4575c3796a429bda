import fs from 'node:fs';
import { parseArgs } from 'node:util';

// npm run audit:bundle -- <proposal id or reference> [--out FILE]
// Writes the same bundle the record page downloads (signing the head first if
// no checkpoint covers the proposal yet). Verify it with
// npm run audit:verify -- --bundle FILE --public-key KEYFILE.
const { values, positionals } = parseArgs({ options: { out: { type: 'string' } }, allowPositionals: true });
const which = positionals[0];
if (!which) {
  console.error('Usage: npm run audit:bundle -- <proposal id or reference> [--out FILE]');
  process.exit(2);
}

// SQLite at DATABASE_PATH, or PostgreSQL when DATABASE_URL is set.
const { first, qb } = await import('../db/connection');
const { exportBundle } = await import('../db/bundle');
const proposal = qb().selectFrom('proposals').select(['id', 'reference']);
const row = first(/^\d+$/.test(which) ? proposal.where('id', '=', Number(which)) : proposal.where('reference', '=', which));
if (!row) {
  console.error(`There is no proposal ${which}.`);
  process.exit(1);
}
const bundle = exportBundle(row.id, { signIfNeeded: true });
if (!bundle || 'missing' in bundle) {
  console.error(bundle?.missing ?? 'The records could not be read.');
  process.exit(1);
}
const out = values.out ?? `${row.reference.replace(/[^A-Za-z0-9._-]/g, '_')}-records.json`;
fs.writeFileSync(out, `${JSON.stringify(bundle, null, 2)}\n`);
console.log(out);
