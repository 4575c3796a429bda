// Runs a compiled entry point: node scripts/run.mjs <server|migrate|seed|audit-verify|...> [args]
// Builds first only when a source changed since the last build, so a start on a built
// checkout goes straight to the compiled JavaScript.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt, serverOutDir } from './build.mjs';

const [name, ...args] = process.argv.slice(2);
if (!name || !/^[a-z-]+$/.test(name)) {
  console.error('Usage: node scripts/run.mjs <server|migrate|seed|audit-verify|audit-checkpoint|audit-bundle|db-backup|db-restore|db-move|account-reset-password> [arguments]');
  process.exit(2);
}
try {
  await ensureBuilt();
} catch (error) {
  console.error(`The build failed, nothing started: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
const entry = path.join(serverOutDir, `${name}.js`);
// The entry reads its own arguments from process.argv, as if started directly.
process.argv = [process.argv[0], entry, ...args];
await import(pathToFileURL(entry).href);
