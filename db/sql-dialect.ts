import { sql, type RawBuilder } from 'kysely';
import { dialect } from './connection';

// SQL fragments that are spelled differently on SQLite and PostgreSQL (docs/decisions/0040).
// Each is chosen when the query is built, from the database this process runs on; queries
// that are built once (prebuilt) keep one template per dialect, so this stays correct there.
// The SQLite spelling of every fragment is the text the queries had before, so that SQLite
// runs (and plans) exactly what it ran before.

const onPostgres = () => dialect() === 'postgres';

/** A JSON path such as '$.command.entityId' as PostgreSQL's path array literal '{command,entityId}'. */
function postgresPath(path: string): string {
  if (!/^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(path)) throw new Error(`Unsupported JSON path: ${path}`);
  return `{${path.slice(2).split('.').join(',')}}`;
}

/**
 * The value at `path` of the JSON text in `column`, as text (a string without its quotes, an
 * array or object as its JSON text), or null when absent: SQLite's json_extract for the paths
 * the queries read. PostgreSQL reads the column as `json` (not `jsonb`), which keeps the text
 * of a nested array or object as it was stored, as SQLite returns it.
 */
export function jsonText(column: string, path: string): RawBuilder<string | null> {
  if (onPostgres()) return sql<string | null>`(CAST(${sql.ref(column)} AS json) #>> ${sql.lit(postgresPath(path))})`;
  return sql<string | null>`json_extract(${sql.ref(column)}, ${sql.lit(path)})`;
}

/** The number at `path` of the JSON text in `column` (null when absent), for comparisons. */
export function jsonNumber(column: string, path: string): RawBuilder<number | null> {
  if (onPostgres()) return sql<number | null>`CAST(CAST(${sql.ref(column)} AS json) #>> ${sql.lit(postgresPath(path))} AS double precision)`;
  return sql<number | null>`json_extract(${sql.ref(column)}, ${sql.lit(path)})`;
}

/**
 * The integers of a JSON array parameter as a table with one column `value`: the ids travel
 * as one parameter, so the SQL text (and its prepared statement) is the same for any number.
 */
export function integersOfJson(ids: readonly number[]): RawBuilder<{ value: number }> {
  const json = JSON.stringify(ids);
  if (onPostgres()) return sql<{ value: number }>`(SELECT CAST(e.value AS bigint) AS value FROM json_array_elements_text(CAST(${json} AS json)) AS e)`;
  return sql<{ value: number }>`json_each(${json})`;
}

/** Whether `needle` occurs in `haystack`, literally (no LIKE wildcards), case-sensitively. */
export function containsText(haystack: RawBuilder<unknown>, needle: string): RawBuilder<boolean> {
  if (onPostgres()) return sql<boolean>`strpos(${haystack}, ${needle}) > 0`;
  return sql<boolean>`instr(${haystack}, ${needle}) > 0`;
}

/** SQLite's INDEXED BY clause, which fixes its plan; nothing on PostgreSQL, whose planner has statistics. */
export function indexedBy(index: string): RawBuilder<unknown> {
  return onPostgres() ? sql`` : sql.raw(` INDEXED BY ${index}`);
}

/**
 * A join whose order SQLite must keep (CROSS JOIN: its planner never reorders it); PostgreSQL
 * allows no ON clause after CROSS JOIN and plans the order itself, so there it is a plain JOIN.
 */
export function orderedJoin(): RawBuilder<unknown> {
  return onPostgres() ? sql.raw('JOIN') : sql.raw('CROSS JOIN');
}

/** `a IS NOT b` for a value that may be null: SQLite's spelling, and the standard IS DISTINCT FROM. */
export function isDistinctFrom(): RawBuilder<unknown> {
  return onPostgres() ? sql.raw('IS DISTINCT FROM') : sql.raw('IS NOT');
}

/** LIKE as SQLite has it: case-insensitive for ASCII (PostgreSQL's ILIKE). */
export function likeOperator(): 'like' | 'ilike' {
  return onPostgres() ? 'ilike' : 'like';
}

/**
 * A constant of this code written into the SQL text instead of bound as a parameter. SQLite
 * compares a bound value with the condition of a partial index (`current = ?` against an index
 * `WHERE current = 1`) only once it sees the value, so each run that binds it plans the
 * statement again: such a query cost twice its plain run. Only for values written in this code
 * (a state, a flag), never for a value that came with a request.
 */
export function constant<T extends string | number>(value: T): RawBuilder<T> {
  return sql.lit(value);
}
