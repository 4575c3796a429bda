import fs from 'node:fs';
import {
  checkpointFiles,
  checkpointText,
  forgetSealKeys,
  loadSigner,
  logConfig,
  parseCheckpointText,
  publicKeyFileOf,
  readCheckpoints,
  signCheckpoint,
  storeCheckpoint,
  storeLeaves,
  writeTreeState,
  type LogConfig,
  type StoredCheckpoint,
} from './checkpoints';
import { database, nowIso, readSnapshot } from './connection';
import { SHOWN_ROWS_STEP, shownRowsInSteps, shownRowsMark, type ShownRowsStep } from './shown-rows';
import { generateSignerKey, parseSignerKey, type NoteSigner } from './signed-note';
import { formatVerifyResult, verifyLogWithCheckpoints, type Continuation, type ShownRowsMark, type VerifyResult } from './verify';

// Signing the log's head: verify what was added since the last checkpoint
// (never sign a log that does not verify), then sign and store a new one.

export type CheckpointOutcome =
  | { ok: true; created: boolean; file: string; note: string; size: number; root: string }
  | { ok: false; message: string };

function latestOf(checkpoints: StoredCheckpoint[]): StoredCheckpoint | null {
  return checkpoints.reduce<StoredCheckpoint | null>((a, c) => (!a || c.size > a.size || (c.size === a.size && c.file > a.file) ? c : a), null);
}

/**
 * Where this process last verified the rows the pages show, per database and checkpoint
 * directory: kept in memory, so a restart (or another process) checks them all once again.
 */
const shownRowsMarks = new WeakMap<object, Map<string, ShownRowsMark>>();

/**
 * Signs and stores a checkpoint of the current head, unless the newest one
 * already covers it. Reads only the records added since that checkpoint, and
 * (after its first run in this process) only the shown rows written since.
 */
export function checkpointLog(config: LogConfig = logConfig()): CheckpointOutcome {
  const signer = loadSigner(config);
  // The first checkpoint of a log trusts what is there (a log from before
  // seals existed has none); every later one only signs sealed records.
  const first = checkpointFiles(config).length === 0;
  const marks = marksOf();
  const verified = verifyLogWithCheckpoints({
    trustedKeys: [signer],
    incremental: true,
    config,
    checkSeals: !first,
    collectLeaves: true,
    shownRowsSince: marks.get(config.checkpointDir),
  });
  if (!verified.ok) {
    marks.delete(config.checkpointDir);
    return { ok: false, message: `Not signed: ${formatVerifyResult(verified)}` };
  }
  if (verified.shownRowsMark) marks.set(config.checkpointDir, verified.shownRowsMark);
  return signVerified(config, signer, verified, verified.leaves);
}

function marksOf(): Map<string, ShownRowsMark> {
  const db = database();
  const marks = shownRowsMarks.get(db) ?? new Map<string, ShownRowsMark>();
  shownRowsMarks.set(db, marks);
  return marks;
}

/** Records one slice of checkpointLogInSlices reads (about 25 ms of work here on 2 cores). */
export const RECORDS_PER_SLICE = 250;

/** Lets the event loop serve what waits (requests, timers) before the next slice. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * checkpointLog for a process that also serves pages: the records added since the last
 * checkpoint are verified `recordsPerSlice` at a time, each slice in its own read snapshot,
 * with the event loop free between slices; the head is signed once all of them verified.
 * Each slice goes on from the tree and last record of the one before (kept in memory, never
 * signed), so it checks what one run over all of them would. The first run in a process (no
 * mark yet) first checks every shown row the same way, a bounded step (`shownRowsPerSlice`) per
 * slice. The first checkpoint of a log still reads the whole log at once.
 */
export async function checkpointLogInSlices(
  config: LogConfig = logConfig(),
  {
    recordsPerSlice = RECORDS_PER_SLICE,
    shownRowsPerSlice = SHOWN_ROWS_STEP,
    pause = nextTurn,
  }: { recordsPerSlice?: number; shownRowsPerSlice?: ShownRowsStep; pause?: () => Promise<void> } = {},
): Promise<CheckpointOutcome> {
  if (!(Number.isInteger(recordsPerSlice) && recordsPerSlice > 0)) throw new Error('recordsPerSlice must be a positive whole number');
  if (checkpointFiles(config).length === 0) return checkpointLog(config);
  const signer = loadSigner(config);
  const marks = marksOf();
  let since = marks.get(config.checkpointDir);
  if (!since) {
    const swept = await checkAllShownRows(latestOf(readCheckpoints([signer], config, { newestOnly: true }).checkpoints)?.size ?? 0, shownRowsPerSlice, pause);
    if (!swept.ok) return { ok: false, message: `Not signed: ${formatVerifyResult(swept)}` };
    since = swept.shownRowsMark;
  }
  let continuation: Continuation | undefined;
  const leaves: Buffer[] = [];
  let leavesFrom: number | null = null;
  for (;;) {
    const verified = verifyLogWithCheckpoints({
      trustedKeys: [signer],
      incremental: true,
      config,
      checkSeals: true,
      collectLeaves: true,
      shownRowsSince: since,
      maxRecords: recordsPerSlice,
      continueFrom: continuation,
    });
    if (!verified.ok) {
      marks.delete(config.checkpointDir);
      return { ok: false, message: `Not signed: ${formatVerifyResult(verified)}` };
    }
    since = verified.shownRowsMark;
    if (verified.leaves) {
      leavesFrom ??= verified.leaves.from;
      leaves.push(verified.leaves.data);
    }
    if (verified.complete !== false || !verified.continuation) {
      if (since) marks.set(config.checkpointDir, since);
      return signVerified(config, signer, verified, leavesFrom === null ? undefined : { from: leavesFrom, data: Buffer.concat(leaves) });
    }
    continuation = verified.continuation;
    await pause();
  }
}

/**
 * The whole check of the shown rows for decisions after the newest checkpoint (`fromSeq`), a
 * step per read snapshot with the event loop free between steps. Its mark, read before the
 * first step, lets the slices of records that follow read only the rows written since, as in
 * every later run. Without a checkpoint of records to start from, the first slice of records
 * does the whole check itself.
 */
async function checkAllShownRows(fromSeq: number, size: ShownRowsStep, pause: () => Promise<void>): Promise<VerifyResult> {
  const started = performance.now();
  if (fromSeq === 0) return { ok: true, count: 0, durationMs: 0 };
  const mark = readSnapshot(() => shownRowsMark(fromSeq));
  const steps = shownRowsInSteps(fromSeq, size);
  for (;;) {
    const step = readSnapshot(() => steps.next());
    if (step.done) return { ok: true, count: 0, durationMs: Math.round(performance.now() - started), shownRowsMark: mark };
    if (step.value) return { ok: false, count: 0, durationMs: Math.round(performance.now() - started), problem: step.value };
    await pause();
  }
}

/** Signs the head a verification reached, unless the newest checkpoint by this key already covers it. */
function signVerified(config: LogConfig, signer: NoteSigner, verified: VerifyResult & { ok: true }, leaves: { from: number; data: Buffer } | undefined): CheckpointOutcome {
  const latest = latestOf(readCheckpoints([signer], config, { newestOnly: true }).checkpoints);
  if (!verified.tree || (latest && latest.size === verified.head!.size && latest.signedBy.some((k) => k.keyHash === signer.keyHash))) {
    if (!latest) return { ok: false, message: 'Not signed: the log head could not be read.' };
    return { ok: true, created: false, file: latest.file, note: latest.note, size: latest.size, root: latest.root.toString('base64') };
  }
  const outcome = signHead(config, [signer], verified.tree, verified.head!.root);
  if (outcome.ok && leaves) {
    try {
      storeLeaves(config, leaves.from, leaves.data);
    } catch {
      // A cache: bundles fall back to reading the log.
    }
  }
  return outcome;
}

function signHead(
  config: LogConfig,
  signers: NoteSigner[],
  tree: NonNullable<ReturnType<typeof verifyLogWithCheckpoints>['tree']>,
  rootBase64: string,
  rotatedFrom: { verifierKey: string; size: number; root: Buffer } | null = null,
): CheckpointOutcome {
  const body = { origin: config.origin, size: tree.size, root: Buffer.from(rootBase64, 'base64'), time: nowIso(), rotatedFrom };
  const note = signCheckpoint(body, signers);
  const file = storeCheckpoint(note, body.size, signers[0]!, config, rotatedFrom !== null);
  if (!file) return { ok: false, message: `A checkpoint of size ${body.size} by this key is already stored.` };
  writeTreeState(config, file, tree);
  return { ok: true, created: true, file, note, size: body.size, root: rootBase64 };
}

/**
 * Replaces the signing key. The old key signs the head one last time; the new
 * key then signs a checkpoint of the same head that names the old key and its
 * last checkpoint, co-signed by the old key, so a verifier who trusts the new
 * key also accepts what the old one signed. The old key is kept beside the new
 * one with a .retired suffix: destroy it once copies of the checkpoints exist elsewhere.
 */
export function rotateSigningKey(config: LogConfig = logConfig()): CheckpointOutcome & { retiredKeyFile?: string } {
  const last = checkpointLog(config);
  if (!last.ok) return last;
  const oldSigner = loadSigner(config, false);
  const verified = verifyLogWithCheckpoints({ trustedKeys: [oldSigner], config });
  if (!verified.ok || !verified.tree) return { ok: false, message: `Not rotated: ${formatVerifyResult(verified)}` };
  const { signerKey, verifierKey } = generateSignerKey(config.origin);
  const newSigner = parseSignerKey(signerKey);
  const retiredKeyFile = `${config.signingKeyFile}.retired-${nowIso().replace(/[:.]/g, '-')}`;
  fs.renameSync(config.signingKeyFile, retiredKeyFile);
  fs.writeFileSync(config.signingKeyFile, `${signerKey}\n`, { mode: 0o600, flag: 'wx' });
  fs.writeFileSync(publicKeyFileOf(config), `${verifierKey}\n`, { mode: 0o644 });
  forgetSealKeys();
  const lastBody = parseCheckpointText(last.note.slice(0, last.note.lastIndexOf('\n\n') + 1));
  const outcome = signHead(config, [newSigner, oldSigner], verified.tree, verified.head!.root, {
    verifierKey: oldSigner.verifierKey,
    size: lastBody.size,
    root: lastBody.root,
  });
  return { ...outcome, retiredKeyFile };
}

export { checkpointText };
