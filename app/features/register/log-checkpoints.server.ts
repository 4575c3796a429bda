import { checkpointLogInSlices, type CheckpointOutcome } from '../../../db/checkpoint-log';
import fs from 'node:fs';
import path from 'node:path';
import { checkpointFiles, loadSigner, logConfig, parseCheckpointText } from '../../../db/checkpoints';
import { openNote } from '../../../db/signed-note';
import { defaultTrustedKeys } from '../../../db/verify';
import { lastSeq } from '../../../db/decision-log';
import { insertOutboxRow } from '../../../db/outside';
import { nowIso, transaction } from '../../../db/connection';
import { channelConfig } from '../outside/notifications.server';

// Signed checkpoints of the decision log (docs/verifying-the-log.md): the
// server signs the head on start and at most once a minute while the log
// grows, and hands each new checkpoint to other parties so a copy lives
// outside this machine: the webhook (through the outbox) and a witness URL.

export const WITNESS_TIMEOUT_MS = 5_000;

/** Posts a checkpoint to a witness; never throws, gives up at the deadline. */
export async function postToWitness(url: string, note: string, timeoutMs = WITNESS_TIMEOUT_MS): Promise<{ ok: boolean; message: string }> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'User-Agent': 'Cosponsor-Checkpoints/1' },
      body: note,
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The answer's body is not needed; not awaited, so a stalled body cannot hold the caller.
    void response.body?.cancel().catch(() => {});
    return response.ok
      ? { ok: true, message: `The witness at ${url} took the checkpoint (${response.status}).` }
      : { ok: false, message: `The witness at ${url} answered ${response.status}.` };
  } catch (error) {
    const name = (error as Error).name;
    return { ok: false, message: `The witness at ${url} ${name === 'TimeoutError' ? `did not answer within ${timeoutMs} ms` : 'could not be reached'}.` };
  }
}

/** Queues the checkpoint for the webhook, if one is configured; delivered by the outbox worker. */
export function queueCheckpointForWebhook(outcome: Extract<CheckpointOutcome, { ok: true }>): boolean {
  if (!channelConfig('webhook')) return false;
  const payload = JSON.stringify({
    type: 'log.checkpoint',
    origin: logConfig().origin,
    size: outcome.size,
    root: outcome.root,
    checkpoint: outcome.note,
  });
  return transaction(() =>
    insertOutboxRow({ channel: 'webhook', idempotencyKey: `cosponsor-checkpoint-${outcome.file}`, payload, decisionSeq: null, createdAt: nowIso() }),
  );
}

/** Signs a checkpoint if the log grew, and sends a new one on. Never throws. */
export async function checkpointAndPublish(witnessUrl = process.env.CHECKPOINT_WITNESS_URL?.trim()): Promise<CheckpointOutcome> {
  let outcome: CheckpointOutcome;
  try {
    // In slices: this process may be serving pages too (WEB_CONCURRENCY=1), and a minute of
    // decisions verified in one go held its event loop for hundreds of milliseconds.
    outcome = await checkpointLogInSlices();
  } catch (error) {
    return { ok: false, message: `Not signed: ${(error as Error).message}` };
  }
  if (!outcome.ok) {
    console.error(`Log checkpoint: ${outcome.message}`);
    return outcome;
  }
  if (outcome.created) {
    try {
      queueCheckpointForWebhook(outcome);
    } catch (error) {
      console.error('Log checkpoint: could not queue it for the webhook:', (error as Error).message);
    }
    if (witnessUrl) {
      const sent = await postToWitness(witnessUrl, outcome.note);
      if (!sent.ok) console.error(`Log checkpoint: ${sent.message}`);
    }
  }
  return outcome;
}

/**
 * Checks once a minute whether the log grew, and if so signs its head. A
 * decision never waits for this: signing happens off the decision path.
 */
export function startCheckpointJob(intervalMs = 60_000): { stop: () => void } {
  // Every decision seals its records with this key: without it no decision
  // could be written, so the server should not start.
  try {
    loadSigner();
  } catch (error) {
    throw new Error(`The decision log's signing key (SIGNING_KEY_FILE) cannot be read or created: ${(error as Error).message}`, { cause: error });
  }
  let lastCount = -1;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const count = lastSeq();
      if (count !== lastCount) {
        const outcome = await checkpointAndPublish();
        if (outcome.ok) lastCount = count;
      }
    } catch (error) {
      console.error('Log checkpoint failed:', (error as Error).message);
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

export type CheckpointStatus = {
  publicKey: string | null;
  count: number;
  latest: { file: string; size: number; root: string; time: string | null; signer: string; verified: boolean } | null;
};

/** The log's public key and its newest checkpoint, for the audit page (reads one file). */
export function checkpointStatus(): CheckpointStatus {
  const config = logConfig();
  const keys = defaultTrustedKeys(config);
  const files = checkpointFiles(config);
  const file = files[files.length - 1];
  let latest: CheckpointStatus['latest'] = null;
  if (file) {
    const note = fs.readFileSync(path.join(config.checkpointDir, file), 'utf8');
    try {
      const opened = openNote(note, keys);
      const body = parseCheckpointText(opened.text);
      latest = {
        file,
        size: body.size,
        root: body.root.toString('base64'),
        time: body.time,
        signer: opened.signatures.map((s) => s.name).join(', '),
        verified: opened.verifiedBy.length > 0,
      };
    } catch {
      latest = { file, size: 0, root: '', time: null, signer: '', verified: false };
    }
  }
  return { publicKey: keys[0]?.verifierKey ?? null, count: files.length, latest };
}

/** The public key as text, creating the key pair on first use. */
export function logPublicKey(): string {
  return loadSigner().verifierKey;
}
