import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { all, allArrays, closeDatabase, first, prebuilt, qb, raw, run, useSqliteDatabase, type Db } from '../../db/connection';

// all() and first() read rows as arrays and build each statement's objects with one literal of
// its columns; these must be the very objects better-sqlite3 makes itself.

let dir: string;
let db: Db;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'row-reader-'));
  db = useSqliteDatabase(path.join(dir, 'rows.db'));
  db.sqlite.exec(`
    CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT, size REAL, blob BLOB, note TEXT);
    INSERT INTO things VALUES (1, 'one', 1.5, x'00ff', NULL), (2, 'two “quoted”', 2, NULL, 'n');
  `);
});

afterAll(() => {
  closeDatabase();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** What better-sqlite3 itself returns for the same SQL and parameters. */
function native(query: string, ...parameters: unknown[]) {
  return db.sqlite.prepare(query).all(...parameters);
}

describe('rows read through all() and first()', () => {
  it('are the objects better-sqlite3 makes: same keys, order, values and prototype', () => {
    const rows = all<Record<string, unknown>>(qb().selectFrom('things' as never).selectAll() as never);
    expect(rows).toEqual(native('SELECT * FROM things'));
    expect(rows.map((r) => Object.keys(r))).toEqual([
      ['id', 'name', 'size', 'blob', 'note'],
      ['id', 'name', 'size', 'blob', 'note'],
    ]);
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
    expect(Buffer.isBuffer(rows[0]!.blob)).toBe(true);
  });

  it('keep a repeated column name in its first place with its last value, as better-sqlite3 does', () => {
    const query = raw(sql`SELECT 1 AS a, 2 AS b, 3 AS a`);
    const row = first<Record<string, unknown>>(query)!;
    expect(row).toEqual(native('SELECT 1 AS a, 2 AS b, 3 AS a')[0]);
    expect(Object.entries(row)).toEqual([
      ['a', 3],
      ['b', 2],
    ]);
  });

  it('quote any column name safely, and treat a __proto__ column as better-sqlite3 does', () => {
    const odd = raw(sql`SELECT 1 AS "a""b", 2 AS "x}; throw 1; //", 3 AS "constructor"`);
    expect(first(odd)).toEqual(native(`SELECT 1 AS "a""b", 2 AS "x}; throw 1; //", 3 AS "constructor"`)[0]);
    // An object literal would make such a column the row's prototype: these rows stay native.
    const proto = first<Record<string, unknown>>(raw(sql`SELECT ${'{}'} AS "__proto__", 8 AS other`))!;
    const expected = native(`SELECT '{}' AS "__proto__", 8 AS other`)[0] as Record<string, unknown>;
    expect(Object.getPrototypeOf(proto)).toBe(Object.getPrototypeOf(expected));
    expect(Object.getOwnPropertyNames(proto)).toEqual(Object.getOwnPropertyNames(expected));
    expect(proto.other).toBe(8);
  });

  it('come as arrays of values in column order through allArrays(), from the same statement', () => {
    expect(allArrays(raw(sql`SELECT id, name FROM things ORDER BY id`))).toEqual([
      [1, 'one'],
      [2, 'two “quoted”'],
    ]);
    expect(all(raw(sql`SELECT id, name FROM things ORDER BY id`))).toEqual(native('SELECT id, name FROM things ORDER BY id'));
  });

  it('give undefined for no row and an empty list for none', () => {
    expect(first(raw(sql`SELECT * FROM things WHERE id = ${99}`))).toBeUndefined();
    expect(all(raw(sql`SELECT * FROM things WHERE id > ${99}`))).toEqual([]);
  });

  it('still refuse to read from a statement that returns nothing', () => {
    expect(() => first(raw(sql`UPDATE things SET note = 'x' WHERE id = 1`))).toThrow(/does not return data/);
  });
});

describe('prebuilt queries', () => {
  it('list their parameters by name, with the constants Kysely put between them, in place', () => {
    const byNameAndSize = prebuilt<{ name: string; size: number }, { id: number }>(['name', 'size'], (p) =>
      (qb() as never as Kysely<{ things: { id: number; name: string; size: number; note: string | null } }>)
        .selectFrom('things')
        .select('id')
        .where('note', 'is not', null)
        .where('name', '=', p.name)
        .where('size', '>=', p.size)
        .where('id', '<', 100),
    );
    const compiled = byNameAndSize({ name: 'two “quoted”', size: 2 }).compile();
    expect(compiled.parameters).toEqual(['two “quoted”', 2, 100]);
    expect(all(byNameAndSize({ name: 'two “quoted”', size: 2 }))).toEqual([{ id: 2 }]);
    expect(all(byNameAndSize({ name: 'one', size: 0 }))).toEqual([]);
  });

  it('write through run() as before', () => {
    expect(run(raw(sql`UPDATE things SET note = ${'changed'} WHERE id = ${1}`)).changes).toBe(1);
    expect(native('SELECT note FROM things WHERE id = 1')).toEqual([{ note: 'changed' }]);
  });
});
