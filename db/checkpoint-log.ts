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
import { nowIso } from './connection';
import { generateSignerKey, parseSignerKey, type NoteSigner } from './signed-note';
import { formatVerifyResult, verifyLogWithCheckpoints } from './verify';

// Signing the log's head: verify what was added since the last checkpoint
// (never sign a log that does not verify), then sign and store a new one.

export type CheckpointOutcome =
  | { ok: true; created: boolean; file: string; note: string; size: number; root: string }
  | { ok: false; message: string };

function latestOf(checkpoints: StoredCheckpoint[]): StoredCheckpoint | null {
  return checkpoints.reduce<StoredCheckpoint | null>((a, c) => (!a || c.size > a.size || (c.size === a.size && c.file > a.file) ? c : a), null);
}

/**
 * Signs and stores a checkpoint of the current head, unless the newest one
 * already covers it. Reads only the records added since that checkpoint.
 */
export function checkpointLog(config: LogConfig = logConfig()): CheckpointOutcome {
  const signer = loadSigner(config);
  // The first checkpoint of a log trusts what is there (a log from before
  // seals existed has none); every later one only signs sealed records.
  const first = checkpointFiles(config).length === 0;
  const verified = verifyLogWithCheckpoints({ trustedKeys: [signer], incremental: true, config, checkSeals: !first, collectLeaves: true });
  if (!verified.ok) return { ok: false, message: `Not signed: ${formatVerifyResult(verified)}` };
  const latest = latestOf(readCheckpoints([signer], config, { newestOnly: true }).checkpoints);
  if (!verified.tree || (latest && latest.size === verified.head!.size && latest.signedBy.some((k) => k.keyHash === signer.keyHash))) {
    if (!latest) return { ok: false, message: 'Not signed: the log head could not be read.' };
    return { ok: true, created: false, file: latest.file, note: latest.note, size: latest.size, root: latest.root.toString('base64') };
  }
  const outcome = signHead(config, [signer], verified.tree, verified.head!.root);
  if (outcome.ok && verified.leaves) {
    try {
      storeLeaves(config, verified.leaves.from, verified.leaves.data);
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
