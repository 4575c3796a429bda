import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect';

// Frozen in time: this file must never import application code.
//
// PostgreSQL only (SQLite is unchanged): the register's search document keeps what FTS5
// keeps apart.
// - The filter tags (p12 c3 svalues …) become lexemes marked with '#', which no typed word
//   can produce: a search for "c3" or "sval" matched them when they were plain words, while
//   on FTS5 a search only reads the text columns.
// - Each text column is its own run of positions with a gap between them (a '#' lexeme,
//   deleted again), so a phrase never spans the end of one column and the start of the next,
//   as an FTS5 phrase never does.
// - Every token type with letters is unaccented, not only the plain words: "Comité2" (a
//   word with digits) is found as "comite2", as unicode61's remove_diacritics finds it.
// The expression is written out in the column (no helper function), so a dump restored with
// an empty search_path still computes it.

const ALL_LETTER_TYPES = 'asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part, hword_numpart';

const words = (column: string) => `to_tsvector('cosponsor_search'::regconfig, regexp_replace(${column}, '[^[:alnum:]]+', ' ', 'g'))`;
const GAP = `'#:1'::tsvector`;

const DOCUMENT = `ts_delete(${['rationale', 'evidence', 'partner', 'agenda'].map(words).join(` || ${GAP} || `)}, '#')
  || array_to_tsvector(string_to_array('#' || replace(tags, ' ', ' #'), ' '))`;

const OLD_DOCUMENT = `to_tsvector('cosponsor_search'::regconfig,
  regexp_replace(rationale || ' ' || evidence || ' ' || partner || ' ' || agenda || ' ' || tags, '[^[:alnum:]]+', ' ', 'g'))`;

async function replaceDocument(db: Kysely<any>, expression: string): Promise<void> {
  // Dropping the column drops its GIN index with it.
  await sql.raw('ALTER TABLE decision_search DROP COLUMN document').execute(db);
  await sql.raw(`ALTER TABLE decision_search ADD COLUMN document tsvector GENERATED ALWAYS AS (${expression}) STORED`).execute(db);
  await sql.raw('CREATE INDEX decision_search_document ON decision_search USING gin (document)').execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql.raw(`ALTER TEXT SEARCH CONFIGURATION cosponsor_search ALTER MAPPING FOR ${ALL_LETTER_TYPES} WITH unaccent, simple`).execute(db);
  await replaceDocument(db, DOCUMENT);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql.raw('ALTER TEXT SEARCH CONFIGURATION cosponsor_search ALTER MAPPING FOR asciiword, numword, asciihword, numhword, hword_asciipart, hword_numpart WITH simple').execute(db);
  await replaceDocument(db, OLD_DOCUMENT);
}
