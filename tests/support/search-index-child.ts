import { catchUpSearchIndex } from '../../db/search-index';

// A second app instance for the tests: catches up the search index of the database in
// DATABASE_URL / DATABASE_PATH in batches of the given size and prints how many it indexed.
process.stdout.write(`${catchUpSearchIndex(Number(process.argv[2] ?? 2000))}\n`);
process.exit(0);
