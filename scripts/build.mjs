// The production build: the Remix app (build/index.js, public/build/) and the server with
// its command-line scripts compiled to plain JavaScript (build/server/), so that starting
// runs node on compiled files instead of compiling TypeScript on every start.
//
//   node scripts/build.mjs             build now
//   node scripts/build.mjs --if-stale  build only when a source changed since the last build
//
// Plain JavaScript on purpose: it runs before anything is compiled, without tsx.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const serverOutDir = path.join(root, 'build', 'server');
const stampFile = path.join(root, 'build', 'sources.stamp');
const lockDir = path.join(root, 'build', '.building');

/** Everything either build reads: a change to any of these makes the build stale. */
const sourceDirs = ['app', 'db', 'workflows', 'scripts', 'public', 'tests/mocks'];
const sourceFiles = ['server.ts', 'remix.config.js', 'package.json', 'package-lock.json', 'tsconfig.json'];
const skipped = new Set([path.join(root, 'public', 'build')]);

/** Everything but these is bundled into build/server/ (see compileServer). */
const BUNDLED = new Set(['kysely', 'zod', 'express', '@remix-run/express']);
const EXTERNAL = Object.keys({
  ...JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).dependencies,
  ...JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies,
})
  .filter((name) => !BUNDLED.has(name))
  .flatMap((name) => [name, `${name}/*`]);

/** The compiled entry points, by name: build/server/<name>.js. */
const entries = {
  server: 'server.ts',
  'audit-verify': 'scripts/audit-verify.ts',
  'audit-checkpoint': 'scripts/audit-checkpoint.ts',
  'audit-bundle': 'scripts/audit-bundle.ts',
  migrate: 'scripts/migrate.ts',
  seed: 'scripts/seed.ts',
  'db-backup': 'scripts/db-backup.ts',
  'db-restore': 'scripts/db-restore.ts',
  'db-move': 'scripts/db-move.ts',
  'account-reset-password': 'scripts/account-reset-password.ts',
};

function walk(dir, out) {
  let names;
  try {
    names = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of names) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skipped.has(full)) walk(full, out);
    } else out.push(full);
  }
}

/**
 * A fingerprint of the sources: every file's path, size and modification time. Reading
 * metadata only keeps the check to a few milliseconds; a checkout or an edit changes it.
 */
export function sourceFingerprint() {
  const files = [];
  for (const dir of sourceDirs) walk(path.join(root, dir), files);
  for (const file of sourceFiles) files.push(path.join(root, file));
  files.sort();
  const hash = createHash('sha256');
  for (const file of files) {
    let stat;
    try {
      stat = fs.statSync(file);
    } catch {
      continue;
    }
    hash.update(`${path.relative(root, file)}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

/**
 * The build's own output files as this build left them: another build over them
 * (`npm run dev` writes a development build to the same place) makes the build stale too.
 */
function outputFingerprint() {
  return [path.join(root, 'build', 'index.js'), path.join(serverOutDir, 'server.js')]
    .map((file) => {
      const stat = fs.statSync(file);
      return `${stat.size}:${stat.mtimeMs}`;
    })
    .join(' ');
}

/** True when the last complete build was made from the sources as they are now, and is still in place. */
export function isFresh() {
  try {
    return fs.readFileSync(stampFile, 'utf8').trim() === `${sourceFingerprint()} ${outputFingerprint()}`;
  } catch {
    return false;
  }
}

/**
 * Compiles entry points to plain JavaScript as production runs it: bundled, ESM, node20.
 * The benchmarks that call server code in their own process compile it here too, so they
 * measure the code that is deployed rather than TypeScript run through tsx.
 */
export async function compileEntries(entryPoints, outdir) {
  // esbuild comes with the Remix compiler; it is a development dependency like it.
  const esbuild = await import('esbuild');
  fs.rmSync(outdir, { recursive: true, force: true });
  // buildSync: esbuild runs as a child process that ends with the build, rather than a
  // service left to stop when this process exits.
  esbuild.buildSync({
    absWorkingDir: root,
    entryPoints,
    outdir,
    bundle: true,
    // Code reached through import() (the mocks, the scripts' lazy loads) stays in its own
    // chunk, loaded only when that path runs.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Packages made of many small files are bundled: loading hundreds of modules one by
    // one is most of a start's time. The rest are loaded from node_modules at run time
    // (native modules such as better-sqlite3 cannot be bundled).
    external: EXTERNAL,
    // Bundled CommonJS packages (express) require Node's built-in modules.
    banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

async function compileServer() {
  await compileEntries(entries, serverOutDir);
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** One build at a time: a second starter waits for the first and then finds it fresh. */
function withBuildLock(run) {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      // A lock left by a build that died is taken over.
      let holder = NaN;
      try {
        holder = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
      } catch {
        // Being written: wait.
      }
      if (Number.isInteger(holder) && holder > 0 && !isAlive(holder)) fs.rmSync(lockDir, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`Another build holds ${lockDir}; remove it if no build is running.`, { cause: error });
      else sleep(200);
    }
  }
  return run().finally(() => fs.rmSync(lockDir, { recursive: true, force: true }));
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Builds both parts and writes the stamp, which is only written after both succeeded. */
export async function build() {
  await withBuildLock(async () => {
    const fingerprint = sourceFingerprint();
    const remix = spawnSync(process.execPath, [path.join(root, 'node_modules', '@remix-run', 'dev', 'dist', 'cli.js'), 'build'], {
      cwd: root,
      // Always the production build, whoever asks (vitest sets NODE_ENV=test, which would ship React's development build).
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (remix.status !== 0) throw new Error(`remix build failed (exit ${remix.status ?? remix.signal}).`);
    await compileServer();
    fs.writeFileSync(stampFile, `${fingerprint} ${outputFingerprint()}\n`);
  });
}

/** Builds when a source changed since the last build (or there is none); returns whether it built. */
export async function ensureBuilt() {
  if (isFresh()) return false;
  await withBuildLock(async () => {});
  if (isFresh()) return false;
  console.log('Sources changed since the last build: building…');
  await build();
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    if (process.argv.includes('--if-stale')) {
      if (!(await ensureBuilt())) console.log('Build is up to date.');
    } else await build();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
