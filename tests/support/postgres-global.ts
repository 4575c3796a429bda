import { makeClusterDir, stopCluster } from './postgres';

// The run's PostgreSQL cluster lives in this directory. It is started only when a test file
// first asks for a database (tests/support/postgres.ts), so a run without PostgreSQL tests
// pays nothing; the teardown stops it and removes everything.
export default function setup() {
  const dir = makeClusterDir();
  process.env.COSPONSOR_TEST_PG_DIR = dir;
  return () => stopCluster(dir);
}
