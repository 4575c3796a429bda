import { sql } from 'kysely';
import { all, first, raw } from './connection';
import { migrations } from './migrations';

// What /readyz asks of the database: can it answer, and has every migration this
// code knows been applied. Two indexed reads, no table scans, so a probe every few
// seconds costs nothing.

export type Readiness = { ok: true } | { ok: false; reason: string };

const KNOWN = Object.keys(migrations);

export function databaseReadiness(): Readiness {
  try {
    first(raw(sql<{ one: number }>`SELECT 1 AS one`));
    const applied = new Set(all(raw(sql<{ name: string }>`SELECT name FROM kysely_migration`)).map((r) => r.name));
    const pending = KNOWN.filter((name) => !applied.has(name));
    if (pending.length > 0) return { ok: false, reason: `migrations pending: ${pending.length} (first ${pending[0]})` };
    const unknown = [...applied].filter((name) => !KNOWN.includes(name));
    // A newer release migrated this database: this code may misread it.
    if (unknown.length > 0) return { ok: false, reason: `database has ${unknown.length} migration(s) this version does not know` };
    return { ok: true };
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (/no such table: kysely_migration|relation "kysely_migration" does not exist/.test(message)) return { ok: false, reason: 'database not migrated' };
    return { ok: false, reason: `database unreachable: ${message.slice(0, 120)}` };
  }
}
