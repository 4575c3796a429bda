import { defineConfig } from 'vitest/config';
import base from './vitest.config';

// The integration, route and concurrency tests that run a second time on PostgreSQL: each
// test file gets its own database on a throwaway cluster (tests/support/db.ts). The files
// left out test what only SQLite has (its file format, WAL, backups by file copy, FTS5
// internals) or PostgreSQL's own tests, which run in the SQLite pass already.
process.env.COSPONSOR_TEST_DATABASE = 'postgres';

export const onBothDatabases = [
  'tests/integration/sessions.test.ts',
  'tests/routes/auth.test.ts',
];

// The base's settings with this list instead of every file (mergeConfig would add the lists up).
export default defineConfig({ ...base, test: { ...base.test, include: onBothDatabases } });
