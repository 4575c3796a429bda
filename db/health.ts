import { getDb } from './connection';
import { migrations } from './migrations';

// What /readyz asks of the database: can it answer, and has every migration this
// code knows been applied. Two indexed reads, no table scans, so a probe every few
// seconds costs nothing.

export type Readiness = { ok: true } | { ok: false; reason: string };

const KNOWN = Object.keys(migrations);

export function databaseReadiness(): Readiness {
  try {
    const sqlite = getDb().sqlite;
    sqlite.prepare('SELECT 1').get();
    const applied = new Set(
      (sqlite.prepare('SELECT name FROM kysely_migration').all() as { name: string }[]).map((r) => r.name),
    );
    const pending = KNOWN.filter((name) => !applied.has(name));
    if (pending.length > 0) return { ok: false, reason: `migrations pending: ${pending.length} (first ${pending[0]})` };
    const unknown = [...applied].filter((name) => !KNOWN.includes(name));
    // A newer release migrated this database: this code may misread it.
    if (unknown.length > 0) return { ok: false, reason: `database has ${unknown.length} migration(s) this version does not know` };
    return { ok: true };
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (/no such table: kysely_migration/.test(message)) return { ok: false, reason: 'database not migrated' };
    return { ok: false, reason: `database unreachable: ${message.slice(0, 120)}` };
  }
}
