// Which database the test run uses: SQLite files (the default) or, with
// COSPONSOR_TEST_DATABASE=postgres (npm test runs vitest.postgres.config.ts so), one
// PostgreSQL database per test file on the run's throwaway cluster.
export const testDatabase: 'sqlite' | 'postgres' = process.env.COSPONSOR_TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';

export const onPostgres = testDatabase === 'postgres';
