// Which database errors are the storage failing (a full disk, a lost connection, a lock or a
// statement that waited too long) rather than a fault in the request or the program, on
// SQLite and on PostgreSQL alike. The HTTP layer answers these with 503 or 507 and a sentence
// (app/http/storage-failures.ts); the codes themselves stay here, with the dialects.

export type StorageFailureKind =
  /** The disk is full: nothing more can be written until someone frees space (507). */
  | 'full'
  /** Busy: a lock or a statement waited out its time; the same request may work in a moment (503). */
  | 'busy'
  /**
   * The database could not be reached, or the connection was lost while the request ran (503).
   * A transaction cut off at its COMMIT may have been committed: the outcome is unknown.
   */
  | 'unreachable';

export type StorageFailure = { code: string; kind: StorageFailureKind };

const SQLITE_CODES = /^SQLITE_(FULL|IOERR|READONLY|BUSY|LOCKED|CANTOPEN|NOMEM)/;

/** A PostgreSQL SQLSTATE (or one of db/pg-sync.ts's own codes) that means the storage failed. */
function postgresKind(code: string): StorageFailureKind | null {
  // 53100 disk_full.
  if (code === '53100') return 'full';
  // The bridge's own: the server stopped answering (PG_DEADLINE), the connection was closed.
  if (code === 'PG_DEADLINE' || code === 'PG_CLOSED') return 'unreachable';
  // Class 08 connection exception; 57P01-57P05 the server shut down, restarted, is starting,
  // the database was dropped, or the session timed out.
  if (/^08[0-9A-Z]{3}$/.test(code) || /^57P0[1-5]$/.test(code)) return 'unreachable';
  // 57014 query_canceled (statement_timeout), 55P03 lock_not_available (lock_timeout),
  // 40001 serialization_failure, 40P01 deadlock_detected, 25006 a read-only server (a standby),
  // and the rest of class 53: out of memory (53200), too many connections (53300).
  if (['57014', '55P03', '40001', '40P01', '25006', '53000', '53200', '53300', '53400'].includes(code)) return 'busy';
  return null;
}

/** Node's socket errors, which pg reports when it cannot reach the server at all. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** The storage failure behind an error (or its causes), or null when it is something else. */
export function storageFailureOf(error: unknown): StorageFailure | null {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && SQLITE_CODES.test(code)) return { code, kind: code.startsWith('SQLITE_FULL') ? 'full' : 'busy' };
    // Only an error that came from the PostgreSQL connection: an ENOENT of a file is not the database.
    if ((e as { name?: unknown }).name !== 'PostgresError') continue;
    if (typeof code !== 'string' || code === '') return { code: 'PG_CONNECTION', kind: 'unreachable' };
    if (SOCKET_CODES.has(code)) return { code, kind: 'unreachable' };
    const kind = postgresKind(code);
    if (kind) return { code, kind };
  }
  return null;
}
