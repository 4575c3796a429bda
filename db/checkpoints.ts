import * as crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CompactRange, HASH_SIZE } from './merkle';
import { generateSignerKey, openNote, parseSignerKey, parseVerifierKey, signNote, type NoteSigner, type NoteVerifier } from './signed-note';

// Signed checkpoints of the decision log (C2SP tlog-checkpoint in a C2SP
// signed note), kept OUTSIDE the SQLite file: one file per checkpoint in
// CHECKPOINT_DIR, never rewritten. The signing key lives in SIGNING_KEY_FILE.
// Free of database code: the offline bundle verifier uses the parsing half.

export type LogConfig = { checkpointDir: string; signingKeyFile: string; origin: string };

let resolvedLogConfig: { dir: string | undefined; keyFile: string | undefined; origin: string | undefined; cwd: string; config: LogConfig } | null =
  null;

/** The log's settings as a server resolved them at start (fixLogConfig), or null in tests and scripts. */
let fixedLogConfig: LogConfig | null = null;

/**
 * Makes logConfig() return what it resolves now, for the rest of the process: a server calls it
 * at start (its variables never change), so sealing a record no longer reads three variables and
 * the working folder to see whether they changed. `false` lets go of it (tests).
 */
export function fixLogConfig(fix = true): LogConfig {
  fixedLogConfig = null;
  if (fix) fixedLogConfig = logConfig();
  return logConfig();
}

export function logConfig(): LogConfig {
  if (fixedLogConfig) return fixedLogConfig;
  // Every append seals its records with the key this names: the paths are resolved
  // again only when a variable (or the working folder) changed, which tests do.
  const dir = process.env.CHECKPOINT_DIR;
  const keyFile = process.env.SIGNING_KEY_FILE;
  const origin = process.env.LOG_ORIGIN;
  const cwd = process.cwd();
  const last = resolvedLogConfig;
  if (last && last.dir === dir && last.keyFile === keyFile && last.origin === origin && last.cwd === cwd) return last.config;
  const config: LogConfig = Object.freeze({
    checkpointDir: path.resolve(dir || './data/checkpoints'),
    signingKeyFile: path.resolve(keyFile || './data/keys/log-signing.key'),
    // The checkpoint's first line: names the log. A key name cannot hold spaces or "+".
    origin: origin || 'cosponsor.local/decision-log',
  });
  resolvedLogConfig = { dir, keyFile, origin, cwd, config };
  return config;
}

export type CheckpointBody = {
  origin: string;
  size: number;
  root: Buffer;
  /** ISO time the checkpoint was signed (extension line "time <iso>"). */
  time: string | null;
  /** On a key rotation: the retired key and its last checkpoint (extension line). */
  rotatedFrom: { verifierKey: string; size: number; root: Buffer } | null;
};

/** The checkpoint text: origin, size, base64 root, then extension lines. */
export function checkpointText(body: CheckpointBody): string {
  const lines = [body.origin, String(body.size), body.root.toString('base64')];
  if (body.time) lines.push(`time ${body.time}`);
  if (body.rotatedFrom) {
    lines.push(`rotated-from ${body.rotatedFrom.verifierKey} ${body.rotatedFrom.size} ${body.rotatedFrom.root.toString('base64')}`);
  }
  return `${lines.join('\n')}\n`;
}

export function parseCheckpointText(text: string): CheckpointBody {
  const lines = text.split('\n');
  if (lines.pop() !== '' || lines.length < 3) throw new Error('not a checkpoint (origin, size, root)');
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (!origin) throw new Error('the checkpoint has no origin');
  if (!/^(0|[1-9][0-9]{0,15})$/.test(sizeText)) throw new Error('the checkpoint size is not a decimal number');
  const root = Buffer.from(rootText, 'base64');
  if (root.length !== HASH_SIZE || root.toString('base64') !== rootText) throw new Error('the checkpoint root is not a base64 SHA-256 hash');
  let time: string | null = null;
  let rotatedFrom: CheckpointBody['rotatedFrom'] = null;
  for (const line of extensions) {
    const t = /^time (\S+)$/.exec(line);
    if (t) time = t[1]!;
    const r = /^rotated-from (\S+) (\d+) (\S+)$/.exec(line);
    if (r) rotatedFrom = { verifierKey: r[1]!, size: Number(r[2]), root: Buffer.from(r[3]!, 'base64') };
  }
  return { origin, size: Number(sizeText), root, time, rotatedFrom };
}

// ---------------------------------------------------------------------------
// The signing key

/**
 * The log's signer, created on first use with mode 0600 in a 0700 folder.
 * The key text never reaches a log line or an error message.
 */
export function loadSigner(config: LogConfig = logConfig(), create = true): NoteSigner {
  if (!fs.existsSync(config.signingKeyFile)) {
    if (!create) throw new Error(`There is no signing key at ${config.signingKeyFile}.`);
    fs.mkdirSync(path.dirname(config.signingKeyFile), { recursive: true, mode: 0o700 });
    const { signerKey, verifierKey } = generateSignerKey(config.origin);
    try {
      fs.writeFileSync(config.signingKeyFile, `${signerKey}\n`, { mode: 0o600, flag: 'wx' });
      fs.writeFileSync(publicKeyFileOf(config), `${verifierKey}\n`, { mode: 0o644 });
    } catch (error) {
      // Another process created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  try {
    return parseSignerKey(fs.readFileSync(config.signingKeyFile, 'utf8'));
  } catch (error) {
    throw new Error(`The signing key file ${config.signingKeyFile} is not a signer key: ${(error as Error).message}`, { cause: error });
  }
}

const sealKeys = new Map<string, Buffer>();

/**
 * The key that seals each record as it is written (HMAC-SHA256 of its hash):
 * derived from the signing key, so it too lives outside the database. Only
 * Cosponsor, holding the key file, can write a record whose seal verifies.
 */
export function sealKey(config: LogConfig = logConfig()): Buffer {
  let key = sealKeys.get(config.signingKeyFile);
  if (!key) {
    loadSigner(config);
    const secret = fs.readFileSync(config.signingKeyFile, 'utf8').trim();
    key = crypto.createHash('sha256').update('cosponsor-record-seal-v1\n').update(secret).digest();
    sealKeys.set(config.signingKeyFile, key);
  }
  return key;
}

/** Forgets cached seal keys (after a key rotation). */
export function forgetSealKeys(): void {
  sealKeys.clear();
}

/**
 * HMAC-SHA256(key, hash) in hex. Every record is sealed (and the verifier checks every seal), so
 * for a record's hash (64 hex characters) under a key of at most one block it is computed as
 * RFC 2104 defines it, with two one-shot SHA-256 over blocks padded once per key: an Hmac
 * object per record cost about as much as the record's own hash. Anything else goes to
 * createHmac, which the tests compare this with.
 */
export function sealOf(key: Buffer, hash: string): string {
  if (hash.length !== 2 * HASH_SIZE || key.length > SHA256_BLOCK || typeof crypto.hash !== 'function' || !/^[0-9a-f]*$/.test(hash)) {
    return crypto.createHmac('sha256', key).update(hash).digest('hex');
  }
  const pads = padsOf(key);
  pads.inner.write(hash, SHA256_BLOCK, 'latin1');
  // The inner digest as a 'binary' (latin1) string, one character per byte, is written into the
  // outer block without allocating a Buffer for it: 40% of the seal's cost.
  pads.outer.write(crypto.hash('sha256', pads.inner, 'binary'), SHA256_BLOCK, 'binary');
  return crypto.hash('sha256', pads.outer, 'hex');
}

const SHA256_BLOCK = 64;
/** Per key: the key XOR ipad followed by room for the message, and XOR opad followed by room for the inner digest. */
const sealPads = new WeakMap<Buffer, { inner: Buffer; outer: Buffer }>();

function padsOf(key: Buffer): { inner: Buffer; outer: Buffer } {
  let pads = sealPads.get(key);
  if (!pads) {
    const inner = Buffer.alloc(SHA256_BLOCK + 2 * HASH_SIZE);
    const outer = Buffer.alloc(SHA256_BLOCK + HASH_SIZE);
    for (let i = 0; i < SHA256_BLOCK; i++) {
      const byte = i < key.length ? key[i]! : 0;
      inner[i] = byte ^ 0x36;
      outer[i] = byte ^ 0x5c;
    }
    pads = { inner, outer };
    sealPads.set(key, pads);
  }
  return pads;
}

/** Where the public (verifier) key is written next to the signing key. */
export function publicKeyFileOf(config: LogConfig = logConfig()): string {
  return config.signingKeyFile.replace(/(\.key)?$/, '.pub');
}

export function publicKey(config: LogConfig = logConfig()): string {
  return loadSigner(config).verifierKey;
}

/** Reads verifier keys from a file: one per line, blank lines and # comments ignored. */
export function readVerifierKeys(file: string): NoteVerifier[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => parseVerifierKey(l));
}

// ---------------------------------------------------------------------------
// The checkpoint store

export type StoredCheckpoint = CheckpointBody & {
  file: string;
  note: string;
  /** The trusted keys whose signature the note carries. */
  signedBy: NoteVerifier[];
};

export type CheckpointProblem = { file: string; problem: string };

export function checkpointFiles(config: LogConfig = logConfig()): string[] {
  if (!fs.existsSync(config.checkpointDir)) return [];
  return fs
    .readdirSync(config.checkpointDir)
    .filter((f) => f.endsWith('.checkpoint'))
    .sort();
}

/**
 * Every stored checkpoint, its signature checked against the trusted keys.
 * A rotation checkpoint signed by a trusted key makes the key it retired
 * trusted too (for the checkpoints that key signed before).
 */
export function readCheckpoints(
  trusted: readonly NoteVerifier[],
  config: LogConfig = logConfig(),
  options: { newestOnly?: boolean } = {},
): { checkpoints: StoredCheckpoint[]; problems: CheckpointProblem[] } {
  // Signing and incremental checks need only the newest files (names sort by size):
  // reading a year of once-a-minute checkpoints on every tick would not scale.
  const files = options.newestOnly ? checkpointFiles(config).slice(-3) : checkpointFiles(config);
  const notes = files.map((file) => ({ file, note: fs.readFileSync(path.join(config.checkpointDir, file), 'utf8') }));
  const keys = [...trusted];
  // Learn retired keys from rotation checkpoints signed by a key already trusted.
  for (let learned = true; learned; ) {
    learned = false;
    for (const { note } of notes) {
      try {
        const opened = openNote(note, keys);
        if (opened.verifiedBy.length === 0) continue;
        const body = parseCheckpointText(opened.text);
        if (body.rotatedFrom && !keys.some((k) => k.verifierKey === body.rotatedFrom!.verifierKey)) {
          keys.push(parseVerifierKey(body.rotatedFrom.verifierKey));
          learned = true;
        }
      } catch {
        // Reported below.
      }
    }
  }
  const checkpoints: StoredCheckpoint[] = [];
  const problems: CheckpointProblem[] = [];
  for (const { file, note } of notes) {
    try {
      const opened = openNote(note, keys);
      if (opened.verifiedBy.length === 0) {
        const names = opened.signatures.map((s) => `${s.name}+${s.keyHash.toString(16).padStart(8, '0')}`).join(', ');
        problems.push({ file, problem: `it is not signed by the log's key (signed by ${names})` });
        continue;
      }
      const body = parseCheckpointText(opened.text);
      if (body.origin !== config.origin) {
        problems.push({ file, problem: `it is a checkpoint of another log ("${body.origin}")` });
        continue;
      }
      checkpoints.push({ ...body, file, note, signedBy: opened.verifiedBy });
    } catch (error) {
      problems.push({ file, problem: `it does not verify: ${(error as Error).message}` });
    }
  }
  return { checkpoints, problems };
}

/** The file name: size first, so names sort in log order; the key hash keeps a rotation's two checkpoints apart. */
function checkpointFileName(size: number, signer: NoteVerifier, rotation: boolean): string {
  return `${String(size).padStart(12, '0')}-${signer.keyHash.toString(16).padStart(8, '0')}${rotation ? '-rotation' : ''}.checkpoint`;
}

/** Writes a new checkpoint file; never replaces one. Returns its name, or null if it exists already. */
export function storeCheckpoint(note: string, size: number, signer: NoteVerifier, config: LogConfig, rotation = false): string | null {
  fs.mkdirSync(config.checkpointDir, { recursive: true });
  const file = checkpointFileName(size, signer, rotation);
  try {
    fs.writeFileSync(path.join(config.checkpointDir, file), note, { flag: 'wx', mode: 0o644 });
    return file;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw error;
  }
}

// ---------------------------------------------------------------------------
// Tree state kept beside a checkpoint, so the next one (and an incremental
// verification) starts where it ended instead of re-reading the whole log.
// Not trusted: it is checked against the signed root before use.

export type TreeState = {
  size: number;
  /** Compact range of the first size-1 leaves (hex). */
  peaksBefore: string[];
  /** Leaf hash of the last record (hex); absent for an empty log. */
  lastLeaf: string | null;
};

export function treeStateOf(before: CompactRange, lastLeaf: Buffer | null): TreeState {
  return { size: before.size + (lastLeaf ? 1 : 0), peaksBefore: before.peaks.map((p) => p.toString('hex')), lastLeaf: lastLeaf?.toString('hex') ?? null };
}

/**
 * The compact range at the checkpoint, and the last leaf, if the state really
 * is that of the signed tree; null otherwise.
 */
export function authenticateTreeState(state: TreeState, checkpoint: { size: number; root: Buffer }): { range: CompactRange; lastLeaf: Buffer | null } | null {
  try {
    if (state.size !== checkpoint.size) return null;
    if (state.size === 0) return new CompactRange().root().equals(checkpoint.root) ? { range: new CompactRange(), lastLeaf: null } : null;
    const range = new CompactRange(state.size - 1, state.peaksBefore.map((p) => Buffer.from(p, 'hex')));
    const lastLeaf = Buffer.from(state.lastLeaf ?? '', 'hex');
    if (lastLeaf.length !== HASH_SIZE) return null;
    range.append(lastLeaf);
    return range.root().equals(checkpoint.root) ? { range, lastLeaf } : null;
  } catch {
    return null;
  }
}

function stateFile(config: LogConfig, checkpointFile: string): string {
  return path.join(config.checkpointDir, 'state', checkpointFile.replace(/\.checkpoint$/, '.json'));
}

export function writeTreeState(config: LogConfig, checkpointFile: string, state: TreeState): void {
  fs.mkdirSync(path.join(config.checkpointDir, 'state'), { recursive: true });
  fs.writeFileSync(stateFile(config, checkpointFile), `${JSON.stringify(state)}\n`);
}

export function readTreeState(config: LogConfig, checkpointFile: string): TreeState | null {
  try {
    return JSON.parse(fs.readFileSync(stateFile(config, checkpointFile), 'utf8')) as TreeState;
  } catch {
    return null;
  }
}

/** Signs a checkpoint body with the given signers, in order. */
export function signCheckpoint(body: CheckpointBody, signers: readonly NoteSigner[]): string {
  return signNote(checkpointText(body), signers);
}

// ---------------------------------------------------------------------------
// Leaf hashes the checkpoint job already computed, kept so a bundle's proofs
// need not re-read the whole log. A cache only: a bundle is checked against
// the signed root before it is handed out, and a wrong file is ignored.

function leavesFile(config: LogConfig): string {
  return path.join(config.checkpointDir, 'state', 'leaves.bin');
}

/** Writes leaf hashes from tree index `from` on; skipped if the file does not reach `from`. */
export function storeLeaves(config: LogConfig, from: number, data: Buffer): void {
  const file = leavesFile(config);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const size = fs.existsSync(file) ? fs.statSync(file).size : 0;
  if (size < from * 32) return;
  const fd = fs.openSync(file, size === 0 ? 'w' : 'r+');
  try {
    fs.writeSync(fd, data, 0, data.length, from * 32);
    fs.ftruncateSync(fd, from * 32 + data.length);
  } finally {
    fs.closeSync(fd);
  }
}

/** Up to `count` stored leaf hashes from the start of the log. */
export function readLeaves(config: LogConfig, count: number): Buffer {
  try {
    const file = leavesFile(config);
    const bytes = Math.min(fs.statSync(file).size - (fs.statSync(file).size % 32), count * 32);
    const buffer = Buffer.alloc(bytes);
    const fd = fs.openSync(file, 'r');
    try {
      fs.readSync(fd, buffer, 0, bytes, 0);
    } finally {
      fs.closeSync(fd);
    }
    return buffer;
  } catch {
    return Buffer.alloc(0);
  }
}
