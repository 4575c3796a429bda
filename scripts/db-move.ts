// npm run db:move -- --to postgres://user@host/db   copies the SQLite database at DATABASE_PATH
//   into an EMPTY PostgreSQL database, then prints both sides' row counts per table (and
//   whether the rows are the same, by an order-independent digest of each table) and the
//   decision log verified on PostgreSQL (chain, hashes, every signed checkpoint). Exits 0 only
//   when everything matches; 1 on a refusal, a failure or any difference; 2 on wrong usage.
//   Stop the app first: records written during the move are not copied.
import { parseArgs } from 'node:util';
import { DEFAULT_DATABASE_PATH } from '../db/connection';
import { formatReplay } from '../db/log-replay';
import { MoveRefused, moveToPostgres, openSource } from '../db/move';
import { closePostgres, describePostgresUrl, openPostgres } from '../db/postgres';

let to: string | undefined;
let batch: number | undefined;
try {
  const { values } = parseArgs({ options: { to: { type: 'string' }, batch: { type: 'string' } } });
  to = values.to;
  batch = values.batch === undefined ? undefined : Number(values.batch);
} catch (error) {
  console.error((error as Error).message);
}
if (!to || !/^postgres(ql)?:\/\//.test(to) || (batch !== undefined && !(Number.isInteger(batch) && batch > 0))) {
  console.error('Usage: npm run db:move -- --to postgres://user@host:port/database [--batch ROWS]');
  process.exit(2);
}

const file = process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH;
let exitCode = 1;
let source: ReturnType<typeof openSource> | undefined;
const target = openPostgres(to);
try {
  source = openSource(file);
  console.log(`Moving ${file} into ${describePostgresUrl(to)}`);
  const result = await moveToPostgres(source, target, { progress: (m) => console.log(m), ...(batch ? { batchRows: batch } : {}) });
  console.log(`Copied in ${(result.copyMs / 1000).toFixed(1)} s.\n`);
  const width = Math.max(5, ...result.tables.map((t) => t.table.length));
  console.log(`${'table'.padEnd(width)}  ${'sqlite'.padStart(9)}  ${'postgres'.padStart(9)}`);
  for (const t of result.tables) {
    const verdict = t.sqlite !== t.postgres ? '  DIFFERENT COUNT' : t.sameContent ? '' : '  DIFFERENT ROWS';
    console.log(`${t.table.padEnd(width)}  ${String(t.sqlite).padStart(9)}  ${String(t.postgres).padStart(9)}${verdict}`);
  }
  console.log(`\nDecision log in SQLite:     ${formatReplay(result.sqliteLog)}`);
  console.log(`Decision log on PostgreSQL: ${formatReplay(result.postgresLog)}`);
  if (result.ok) {
    console.log('\nThe move is complete and verified.');
    exitCode = 0;
  } else {
    console.log(`\nThe copy differs:\n${result.differences.map((d) => `- ${d}`).join('\n')}`);
  }
} catch (error) {
  if (error instanceof MoveRefused) console.error(`Refused: ${error.message}`);
  else {
    // The copy is one transaction: a failure leaves at most the migrated, empty schema behind.
    console.error(`The move failed: ${(error as Error).message}`);
    console.error('No rows were committed to PostgreSQL; it may hold the empty schema: drop and create the database before trying again.');
  }
} finally {
  source?.close();
  await closePostgres(target);
}
process.exit(exitCode);
