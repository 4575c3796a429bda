import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { compileEntries } from '../scripts/build.mjs';
import { serverNodeFlags } from './pages';

/**
 * Runs a benchmark entry as compiled JavaScript, bundled with the options of the server's
 * build (scripts/build.mjs), under the node flags `npm start` gives the server: code called
 * in the benchmark's own process (decide()) is then measured as it is deployed, not as tsx
 * runs it (tsx keeps every function's name by wrapping each closure it creates).
 * Returns the exit status.
 */
export async function runCompiled(entry: string, args: string[]): Promise<number> {
  // Inside the checkout, so that the bundle's imports of node_modules resolve.
  const outdir = path.resolve('bench/out/compiled');
  const name = path.basename(entry, '.ts');
  await compileEntries({ [name]: entry }, outdir);
  const child = spawnSync(process.execPath, [...serverNodeFlags(), path.join(outdir, `${name}.js`), ...args], { stdio: 'inherit' });
  return child.status ?? 1;
}
