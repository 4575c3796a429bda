import { HASHED_FIELDS, HASH_VERSION, checkRecords, hashOfText, recordHash, recordLeaf, recordText, type HashedRecord } from './record-hash';
import { parseCheckpointText, loadSigner, logConfig, readCheckpoints, readLeaves, type LogConfig } from './checkpoints';
import { all, database, first, qb } from './connection';
import { MerkleTree, verifyInclusion } from './merkle';
import { openNote, signNote, type NoteVerifier } from './signed-note';
import { checkpointLog } from './checkpoint-log';
import { defaultTrustedKeys } from './verify';

// One proposal's records, exported with an inclusion proof for each against
// a signed checkpoint of the whole log, and a signed statement of how many
// records the proposal had: verifiable offline with the log's public key.

export const BUNDLE_FORMAT = 'cosponsor-bundle-v2';
const STATEMENT_TAG = 'cosponsor-bundle-statement v1';

export type BundleRecord = HashedRecord & { hash: string };

export type Bundle = {
  format: typeof BUNDLE_FORMAT;
  proposal: { id: number; reference: string };
  exportedAt: string;
  /** The log's public key, for information: verify with a copy obtained elsewhere. */
  publicKey: string;
  records: BundleRecord[];
  /** A signed checkpoint (C2SP tlog-checkpoint) whose tree holds every record. */
  checkpoint: string;
  /** For each record (by seq), its RFC 6962 audit path in the checkpoint's tree, base64. */
  proofs: Record<string, string[]>;
  /** A signed note: this proposal had exactly these records when the checkpoint was signed. */
  statement: string;
};

// Leaf hashes of the log, kept by the process between exports and extended
// with records added since: an export then costs O(records added + log n).
let cache: { path: string; tree: MerkleTree } | null = null;

function treeOf(size: number, config: LogConfig, useStoredLeaves: boolean): MerkleTree {
  const path = database().path;
  if (!cache || cache.path !== path || cache.tree.size > size || !useStoredLeaves) cache = { path, tree: new MerkleTree() };
  const tree = cache.tree;
  if (useStoredLeaves && tree.size === 0) {
    // The leaf hashes the checkpoint job kept: no need to re-read the log.
    const stored = readLeaves(config, size);
    for (let i = 0; i < stored.length; i += 32) tree.append(stored.subarray(i, i + 32));
  }
  if (tree.size < size) {
    const db = database();
    if (db.kind === 'sqlite') {
      const rows = db.sqlite
        .prepare(`SELECT ? AS v, ${HASHED_FIELDS.join(', ')} FROM decision_records WHERE seq > ? AND seq <= ? ORDER BY seq`)
        .raw()
        .iterate(HASH_VERSION, tree.size, size) as Iterable<unknown[]>;
      for (const row of rows) tree.append(recordLeaf(hashOfText(JSON.stringify(row))));
    } else {
      // In pages by seq: one answer never carries the whole log.
      while (tree.size < size) {
        const records = all(
          qb()
            .selectFrom('decision_records')
            .select(HASHED_FIELDS)
            .where('seq', '>', tree.size)
            .where('seq', '<=', size)
            .orderBy('seq')
            .limit(TREE_PAGE_ROWS),
        );
        if (records.length === 0) break;
        for (const record of records) tree.append(recordLeaf(recordHash(record)));
      }
    }
  }
  return tree;
}

const TREE_PAGE_ROWS = 5_000;

function recordsOf(proposalId: number, upToSeq?: number): BundleRecord[] {
  let q = qb()
    .selectFrom('decision_records')
    .select([...HASHED_FIELDS, 'hash'])
    .where('proposal_id', '=', proposalId);
  if (upToSeq !== undefined) q = q.where('seq', '<=', upToSeq);
  return all(q.orderBy('seq'));
}

function statementText(origin: string, proposal: { id: number; reference: string }, records: BundleRecord[], size: number): string {
  const last = records[records.length - 1];
  return `${STATEMENT_TAG}\n${origin}\nproposal ${proposal.id} ${proposal.reference}\nrecords ${records.length} ${last?.hash ?? '-'}\ntree ${size}\n`;
}

/**
 * The bundle, against the newest stored checkpoint that covers every record
 * of the proposal. Returns a message instead when no such checkpoint exists yet.
 */
export function exportBundle(
  proposalId: number,
  options: { config?: LogConfig; signIfNeeded?: boolean } = {},
): Bundle | { missing: string } | undefined {
  const config = options.config ?? logConfig();
  const proposal = first(qb().selectFrom('proposals').select(['id', 'reference']).where('id', '=', proposalId));
  if (!proposal) return undefined;
  const signer = loadSigner(config);
  const latest = () =>
    readCheckpoints([signer], config, { newestOnly: true })
      .checkpoints.filter((c) => c.signedBy.some((k) => k.keyHash === signer.keyHash))
      .reduce<ReturnType<typeof readCheckpoints>['checkpoints'][number] | null>((a, c) => (!a || c.size > a.size ? c : a), null);
  let checkpoint = latest();
  const newest = first(
    qb()
      .selectFrom('decision_records')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('proposal_id', '=', proposalId),
  ) ?? { seq: null };
  if (options.signIfNeeded && (checkpoint?.size ?? 0) < (newest.seq ?? 0)) {
    // What the background job would do within a minute, done now for this export.
    const signed = checkpointLog(config);
    if (!signed.ok) return { missing: signed.message };
    checkpoint = latest();
  }
  const size = checkpoint?.size ?? 0;
  // The records as of the checkpoint: later ones are in the next bundle.
  const records = recordsOf(proposalId, size);
  if (!checkpoint || records.length === 0) return { missing: 'No signed checkpoint covers this proposal yet; try again in a minute.' };
  let tree = treeOf(size, config, true);
  // A stale or damaged leaf cache: start again from the log itself.
  if (!tree.root(size).equals(checkpoint.root)) tree = treeOf(size, config, false);
  if (!tree.root(size).equals(checkpoint.root)) {
    return { missing: 'The log does not match its latest signed checkpoint: run npm run audit:verify.' };
  }
  const proofs: Record<string, string[]> = {};
  for (const r of records) proofs[String(r.seq)] = tree.inclusionProof(r.seq - 1, size).map((p) => p.toString('base64'));
  const statement = signNote(statementText(config.origin, proposal, records, size), [signer]);
  return {
    format: BUNDLE_FORMAT,
    proposal,
    exportedAt: new Date().toISOString(),
    publicKey: signer.verifierKey,
    records,
    checkpoint: checkpoint.note,
    proofs,
    statement,
  };
}

/**
 * The check the record page shows: the proposal's records, their hashes and
 * links, as the offline check does; cheap (no tree), so the page never reads
 * the whole log. The downloaded bundle adds the proofs against the signed log.
 */
export function checkProposalRecords(proposalId: number): { ok: boolean; message: string } {
  const proposal = first(qb().selectFrom('proposals').select(['id', 'reference']).where('id', '=', proposalId));
  if (!proposal) return { ok: false, message: 'There is no such proposal.' };
  const records = recordsOf(proposalId);
  if (records.length === 0) return { ok: false, message: 'BROKEN: the proposal has no records.' };
  if (records[0]!.proposal_prev_hash !== null) return { ok: false, message: `BROKEN at record ${records[0]!.seq}: the proposal's first record is missing.` };
  const chain = checkRecords(records, { contiguous: false });
  if (chain.problem) {
    return { ok: false, message: `BROKEN at record ${chain.problem.seq} (proposal ${chain.problem.proposalId}): ${chain.problem.problem}` };
  }
  return { ok: true, message: `OK ${records.length} records of ${proposal.reference}` };
}

const broken = (message: string) => ({ ok: false, message: `BROKEN: ${message}` });

/**
 * Checks a bundle with nothing but the log's public key(s): the checkpoint's
 * signature, the signed statement (no record left out), each record's hash
 * and links, and each record's inclusion in the signed tree.
 */
export function verifyBundle(bundle: unknown, publicKeys: readonly NoteVerifier[] = defaultTrustedKeys()): { ok: boolean; message: string } {
  const b = bundle as Omit<Partial<Bundle>, 'format'> & { format?: unknown };
  if (!b || typeof b !== 'object') return broken('this is not a Cosponsor bundle.');
  if (b.format === 'cosponsor-bundle-v1') {
    return broken('this is a version 1 bundle: it carries no signed checkpoint, so it proves nothing beyond itself. Download it again.');
  }
  if (b.format !== BUNDLE_FORMAT || !Array.isArray(b.records) || !b.proposal || typeof b.checkpoint !== 'string' || typeof b.statement !== 'string' || !b.proofs) {
    return broken('this is not a Cosponsor bundle.');
  }
  if (publicKeys.length === 0) return broken("no public key to check it with: pass the log's public key with --public-key FILE.");

  // 1. The checkpoint must be signed by a key the reader trusts.
  let checkpoint: ReturnType<typeof parseCheckpointText>;
  try {
    const opened = openNote(b.checkpoint, publicKeys);
    if (opened.verifiedBy.length === 0) {
      const by = opened.signatures.map((s) => `${s.name}+${s.keyHash.toString(16).padStart(8, '0')}`).join(', ');
      return broken(`its checkpoint is not signed by the given public key (it names ${by}): the bundle comes from another Cosponsor instance or was fabricated.`);
    }
    checkpoint = parseCheckpointText(opened.text);
  } catch (error) {
    return broken(`its checkpoint does not verify (${(error as Error).message}): the checkpoint was altered.`);
  }
  const keyNames = new Set(publicKeys.map((k) => k.name));
  if (!keyNames.has(checkpoint.origin)) return broken(`its checkpoint is of another log ("${checkpoint.origin}").`);

  // 2. Each record: its hash and links, naming the first bad one.
  const records = [...b.records].sort((x, y) => x.seq - y.seq);
  if (records.length === 0) return broken('the bundle holds no records.');
  for (const record of records) {
    if (record.proposal_id !== b.proposal.id) return { ok: false, message: `BROKEN at record ${record.seq}: it belongs to another proposal.` };
    // The header is not hashed: tie its reference to what the hashed inputs say.
    const reference = referenceIn(record.inputs);
    if (reference !== null && reference !== b.proposal.reference) {
      return { ok: false, message: `BROKEN at record ${record.seq}: it names ${reference}, not ${b.proposal.reference}.` };
    }
  }
  if (records[0]!.proposal_prev_hash !== null) return { ok: false, message: `BROKEN at record ${records[0]!.seq}: the proposal's first record is missing.` };
  const chain = checkRecords(records, { contiguous: false });
  if (chain.problem) {
    return { ok: false, message: `BROKEN at record ${chain.problem.seq} (proposal ${chain.problem.proposalId}): ${chain.problem.problem}` };
  }

  // 3. The signed statement: which proposal, how many records, the last one's hash.
  let statement: string;
  try {
    const opened = openNote(b.statement, publicKeys);
    if (opened.verifiedBy.length === 0) return broken('its statement of the records is not signed by the given public key.');
    statement = opened.text;
  } catch (error) {
    return broken(`its statement of the records does not verify (${(error as Error).message}): it was altered.`);
  }
  const expected = statementText(checkpoint.origin, b.proposal, records, checkpoint.size);
  if (statement !== expected) {
    const signedCount = /^records (\d+) /m.exec(statement)?.[1];
    if (signedCount !== undefined && Number(signedCount) !== records.length) {
      return broken(`it holds ${records.length} records of ${b.proposal.reference} but the log signed for ${signedCount}: records were removed or added.`);
    }
    return broken('its records, proposal or checkpoint are not the ones the log signed for (the bundle was edited).');
  }

  // 4. Each record is in the signed tree, at its place.
  for (const record of records) {
    const proof = b.proofs[String(record.seq)];
    if (!Array.isArray(proof)) return broken(`record ${record.seq} has no inclusion proof.`);
    // From the content, not the stored hash: the chain check above already tied the two.
    const leaf = recordLeaf(hashOfText(recordText(record)));
    if (!(record.seq >= 1 && record.seq <= checkpoint.size) || !verifyInclusion(record.seq - 1, checkpoint.size, leaf, proof.map((p) => Buffer.from(String(p), 'base64')), checkpoint.root)) {
      return {
        ok: false,
        message: `BROKEN at record ${record.seq} (proposal ${record.proposal_id}): it is not in the signed log (its inclusion proof does not lead to the checkpoint's root).`,
      };
    }
  }
  return {
    ok: true,
    message: `OK ${records.length} records of ${b.proposal.reference}, included in the log of ${checkpoint.size} records signed by ${[...keyNames].join(', ')}${checkpoint.time ? ` on ${checkpoint.time}` : ''}`,
  };
}

function referenceIn(inputs: string): string | null {
  try {
    const parsed = JSON.parse(inputs) as { proposal?: { reference?: unknown } };
    return typeof parsed.proposal?.reference === 'string' ? parsed.proposal.reference : null;
  } catch {
    return null;
  }
}
