import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';

// Evidence files live outside the database, named by their SHA-256 (content-addressed):
// identical files are stored once, a name never points at other bytes, and the decision
// record that cites the hash is enough for the verifier to find and check the file.
// Everything goes through FileStore so an S3-compatible store can take the local
// directory's place (docs/decisions/0170-evidence-attachments.md).

const SHA256 = /^[0-9a-f]{64}$/;

export type StoredFile = { sha256: string; size: number };

/** What a write gives back: the file as stored, or why it was not (nothing is kept then). */
export type PutResult =
  | ({ ok: true } & StoredFile)
  | { ok: false; reason: 'too_large' | 'refused'; message: string }
  /** The store could not write (full: `full`); nothing was kept. */
  | { ok: false; reason: 'unavailable'; full: boolean; message: string };

function unavailable(error: unknown): PutResult {
  const code = (error as { code?: unknown } | null)?.code;
  const full = code === 'ENOSPC' || code === 'EDQUOT';
  console.error(`The file store could not write (${String(code ?? error)}).`);
  return {
    ok: false,
    reason: 'unavailable',
    full,
    message: full ? 'The server’s file storage is full.' : 'The server’s file storage cannot be written to just now.',
  };
}

export type PutOptions = {
  /** Refuse (and keep nothing) past this many bytes; counted while the bytes arrive. */
  maxBytes: number;
  /**
   * A last look at the whole file before it is kept (its type, by content); a message
   * refuses it. Given the temporary file's path: a store without local files reads it back.
   */
  accept?: (tempFile: string) => Promise<string | null> | string | null;
};

export interface FileStore {
  /** Streams the bytes in, hashing as they come; kept under their hash only when complete and accepted. */
  put(data: AsyncIterable<Uint8Array>, options: PutOptions): Promise<PutResult>;
  get(sha256: string): Readable | null;
  exists(sha256: string): boolean;
  stat(sha256: string): StoredFile | null;
  /** The SHA-256 of the bytes stored under this name now (null when absent): what the verifier compares. */
  hashOf(sha256: string): Promise<string | null>;
}

/** The local-directory store: <dir>/ab/abcdef… per file, <dir>/tmp for writes in progress. */
export class LocalFileStore implements FileStore {
  constructor(readonly dir: string) {}

  private pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error('Not a SHA-256 name.');
    return path.join(this.dir, sha256.slice(0, 2), sha256);
  }

  async put(data: AsyncIterable<Uint8Array>, options: PutOptions): Promise<PutResult> {
    const temp = path.join(this.dir, 'tmp', `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let size = 0;
    let tooLarge = false;
    // A disk that is full or not writable: remembered, and the bytes still read to the end
    // (the rest of the form follows them), so the caller can answer with what was typed.
    let failure: unknown = null;
    let fd: number | null = null;
    try {
      fs.mkdirSync(path.dirname(temp), { recursive: true });
      fd = fs.openSync(temp, 'wx', 0o600);
    } catch (error) {
      failure = error;
    }
    try {
      for await (const chunk of data) {
        if (tooLarge || failure) continue;
        size += chunk.length;
        if (size > options.maxBytes) {
          tooLarge = true;
          continue;
        }
        hash.update(chunk);
        try {
          fs.writeSync(fd!, chunk);
        } catch (error) {
          failure = error;
        }
      }
      if (!tooLarge && !failure) fs.fsyncSync(fd!);
    } catch (error) {
      failure ??= error;
    } finally {
      if (fd !== null) fs.closeSync(fd);
    }
    try {
      if (failure) return unavailable(failure);
      if (tooLarge) return { ok: false, reason: 'too_large', message: `The file is larger than ${formatBytes(options.maxBytes)}.` };
      const refused = await options.accept?.(temp);
      if (refused) return { ok: false, reason: 'refused', message: refused };
      const sha256 = hash.digest('hex');
      const final = this.pathOf(sha256);
      fs.mkdirSync(path.dirname(final), { recursive: true });
      // Same name, same bytes: a file already stored is kept as it is (stored once).
      if (!fs.existsSync(final)) {
        fs.chmodSync(temp, 0o440);
        // Atomic on one file system: a reader sees the whole file or none.
        fs.renameSync(temp, final);
      }
      return { ok: true, sha256, size };
    } catch (error) {
      return unavailable(error);
    } finally {
      try {
        fs.rmSync(temp, { force: true });
      } catch {
        // Nothing was written where nothing could be: no temporary file to remove.
      }
    }
  }

  get(sha256: string): Readable | null {
    if (!SHA256.test(sha256)) return null;
    try {
      const fd = fs.openSync(this.pathOf(sha256), 'r');
      return fs.createReadStream('', { fd });
    } catch {
      return null;
    }
  }

  exists(sha256: string): boolean {
    return this.stat(sha256) !== null;
  }

  stat(sha256: string): StoredFile | null {
    if (!SHA256.test(sha256)) return null;
    try {
      const s = fs.statSync(this.pathOf(sha256));
      return s.isFile() ? { sha256, size: s.size } : null;
    } catch {
      return null;
    }
  }

  async hashOf(sha256: string): Promise<string | null> {
    const stream = this.get(sha256);
    if (!stream) return null;
    const hash = createHash('sha256');
    try {
      for await (const chunk of stream) hash.update(chunk as Buffer);
    } catch {
      return null;
    }
    return hash.digest('hex');
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

/** UPLOAD_DIR, checked with the rest of the environment in app/utils/env.server.ts (db/ imports nothing from app/). */
export function uploadDir(): string {
  return path.resolve(process.env.UPLOAD_DIR || './data/uploads');
}

let current: { dir: string; store: FileStore } | null = null;

/** The store the app and the verifier use (follows UPLOAD_DIR, which tests change). */
export function attachmentStore(): FileStore {
  const dir = uploadDir();
  if (!current || current.dir !== dir) current = { dir, store: new LocalFileStore(dir) };
  return current.store;
}

/** Bytes as the async iterable put() reads (tests, scripts). */
export function bytesOf(data: Uint8Array): AsyncIterable<Uint8Array> {
  return Readable.from([data]);
}
