// The decision log against an insider who can write to the SQLite file (but
// holds neither the signing key nor the checkpoints kept elsewhere): each
// attack is done as such a person would, on a real database file, and must be
// found and named. The chain-only check (no checkpoints) is shown to miss the
// attacks the signed checkpoints exist for.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { exportBundle, verifyBundle, type Bundle } from '../../db/bundle';
import { checkpointLog, rotateSigningKey } from '../../db/checkpoint-log';
import { checkpointFiles, logConfig, readVerifierKeys, publicKeyFileOf, signCheckpoint } from '../../db/checkpoints';
import { closeDatabase, database, getDb, useDatabase } from '../../db/connection';
import { formatVerifyResult, verifyLog } from '../../db/decision-log';
import { GENESIS_HASH, recordHash, type HashedRecord } from '../../db/record-hash';
import type { DecisionRecord } from '../../db/schema';
import { generateSignerKey, parseSignerKey, parseVerifierKey } from '../../db/signed-note';
import { freshDatabase } from '../support/db';
import { disableAppendOnlyGuards, sqlAll, sqlGet, sqlRun } from '../support/sql';
import { onPostgres } from '../support/test-database';

const allRecords = () => sqlAll<DecisionRecord>('SELECT * FROM decision_records ORDER BY seq');
const message = () => formatVerifyResult(verifyLog());

/** Verification as before signed checkpoints: the chain agreeing with itself. */
function chainOnly() {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'cosponsor-no-checkpoints-'));
  return verifyLog({ config: { ...logConfig(), checkpointDir: empty }, checkSeals: false });
}

/** What someone with raw access to the database does first: lift the guards (and the foreign keys). */
function liftGuards() {
  disableAppendOnlyGuards();
  // PostgreSQL's foreign keys are triggers too: a superuser's session switches them off.
  if (onPostgres) sqlRun('SET session_replication_role = replica');
  else getDb().sqlite.pragma('foreign_keys = OFF');
}

/**
 * Recomputes every link and hash from `fromSeq` on with the published formula
 * (docs/decisions/0003), as an insider covering an edit would.
 */
function rehashFrom(fromSeq: number) {
  const records = allRecords();
  const proposalHead = new Map<number, string>();
  let prev = GENESIS_HASH;
  const update = (...values: unknown[]) => sqlRun('UPDATE decision_records SET prev_hash = ?, proposal_prev_hash = ?, hash = ? WHERE seq = ?', ...values);
  sqlRun("UPDATE decision_records SET hash = 'old-' || seq WHERE seq >= ?", fromSeq);
  for (const r of records) {
    if (r.seq >= fromSeq) {
      const current = sqlGet('SELECT * FROM decision_records WHERE seq = ?', r.seq) as DecisionRecord;
      const rewritten: HashedRecord = { ...current, prev_hash: prev, proposal_prev_hash: proposalHead.get(r.proposal_id) ?? null };
      const hash = recordHash(rewritten);
      update(rewritten.prev_hash, rewritten.proposal_prev_hash, hash, r.seq);
      prev = hash;
    } else {
      prev = r.hash;
    }
    proposalHead.set(r.proposal_id, prev);
  }
}

beforeEach(() => {
  freshDatabase('demo');
  const signed = checkpointLog();
  expect(signed).toMatchObject({ ok: true, created: true });
  expect(verifyLog()).toMatchObject({ ok: true, checkpoints: { verified: 1 } });
});

describe('signed checkpoints outside the database', () => {
  it('are stored one file per checkpoint, in the C2SP format, with the key outside the database at mode 0600', () => {
    const config = logConfig();
    const [file] = checkpointFiles(config);
    const note = fs.readFileSync(path.join(config.checkpointDir, file!), 'utf8');
    const count = allRecords().length;
    expect(note).toMatch(new RegExp(`^${config.origin}\\n${count}\\n[A-Za-z0-9+/]{43}=\\ntime \\S+\\n\\n\u2014 ${config.origin} [A-Za-z0-9+/=]+\\n$`));
    expect(fs.statSync(config.signingKeyFile).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(config.signingKeyFile, 'utf8')).toMatch(/^PRIVATE\+KEY\+/);
    // Nothing new to sign: no second file.
    expect(checkpointLog()).toMatchObject({ ok: true, created: false });
    expect(checkpointFiles(config)).toHaveLength(1);
  });

  it('find records deleted from the end with the proposals’ state set back', () => {
    const records = allRecords();
    const last = records.at(-1)!;
    liftGuards();
    sqlRun('DELETE FROM decision_records WHERE seq = ?', last.seq);
    sqlRun('UPDATE proposals SET state = ? WHERE id = ?', last.from_state, last.proposal_id);
    const result = verifyLog();
    expect(result.ok).toBe(false);
    expect(message()).toMatch(new RegExp(`^BROKEN at record ${last.seq}: the log holds ${last.seq - 1} records but checkpoint \\d+-[0-9a-f]+\\.checkpoint signed ${last.seq}.*: records were removed$`));
  });

  it('find a record edited in the middle with every later hash recomputed by the published formula', () => {
    const target = allRecords()[20]!;
    liftGuards();
    sqlRun('UPDATE decision_records SET rationale = ? WHERE seq = ?', 'Approved after a call with the partner.', target.seq);
    rehashFrom(target.seq);
    // The chain alone agrees with itself again...
    expect(chainOnly().ok).toBe(true);
    // ...but not with what was signed.
    expect(message()).toMatch(/^BROKEN at record 1: the first \d+ records are not the ones checkpoint \S+ signed .*\(records were rewritten, inserted or removed, or the database was replaced\)$/);
  });

  it('find a record inserted in the middle with the chain rebuilt around it', () => {
    const records = allRecords();
    const copy = records[10]!;
    liftGuards();
    // Shift everything after seq 11 up by one and slip a copy in.
    // Out of the way and back one higher (PostgreSQL checks seq > 0 and its key on every row).
    sqlRun('UPDATE decision_records SET seq = seq + 1000000 WHERE seq > 11');
    sqlRun('UPDATE decision_records SET seq = seq - 999999 WHERE seq > 1000000');
    sqlRun(`INSERT INTO decision_records (seq, proposal_id, partner_id, chapter_id, campaign_id, step, outcome, actor_id, actor_name, actor_role, at,
           rationale, inputs, config_versions, from_state, to_state, prev_hash, proposal_prev_hash, hash)
         SELECT 12, proposal_id, partner_id, chapter_id, campaign_id, step, outcome, actor_id, actor_name, actor_role, at, 'Also noted.', inputs,
           config_versions, to_state, to_state, prev_hash, proposal_prev_hash, 'new' FROM decision_records WHERE seq = ?`, copy.seq);
    rehashFrom(12);
    expect(message()).toMatch(/^BROKEN at record 1: the first \d+ records are not the ones checkpoint \S+ signed/);
  });

  it('find a database seeded separately and copied over the first', async () => {
    const original = database().path;
    const config = logConfig();
    // A second instance: its own database, seeded on its own.
    freshDatabase('empty');
    const { migrateToLatest } = await import('../../db/migrate');
    await migrateToLatest(database());
    const { seedDemo } = await import('../../scripts/seed/demo');
    await seedDemo({ passwordHash: 'x' });
    const other = database().path;
    if (onPostgres) {
      // The installation pointed at the other database (DATABASE_URL changed, or a dump restored over it).
      useDatabase(other);
    } else {
      getDb().sqlite.pragma('wal_checkpoint(TRUNCATE)');
      closeDatabase();
      fs.copyFileSync(other, original);
      for (const suffix of ['-wal', '-shm']) fs.rmSync(original + suffix, { force: true });
      useDatabase(original);
    }
    process.env.CHECKPOINT_DIR = config.checkpointDir;
    process.env.SIGNING_KEY_FILE = config.signingKeyFile;
    // Internally consistent...
    expect(chainOnly().ok).toBe(true);
    // ...but not the log that was signed.
    expect(message()).toMatch(/^BROKEN at record 1: the first \d+ records are not the ones checkpoint \S+ signed/);
  }, 60_000);

  it('find a forged record added at the tail, and refuse to sign it', () => {
    const last = allRecords().at(-1)!;
    liftGuards();
    const forged: HashedRecord = {
      ...last,
      seq: last.seq + 1,
      step: 'decision',
      outcome: 'approved',
      rationale: 'Approved by phone.',
      from_state: last.to_state,
      to_state: 'approved',
      prev_hash: last.hash,
      proposal_prev_hash: last.hash,
    };
    const hash = recordHash(forged);
    const row: Record<string, unknown> = { ...forged, hash, seal: 'f'.repeat(64) };
    const columns = Object.keys(row).filter((c) => c !== 'id');
    sqlRun(`INSERT INTO decision_records (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, ...columns.map((c) => row[c]));
    sqlRun("UPDATE proposals SET state = 'approved' WHERE id = ?", last.proposal_id);
    expect(chainOnly().ok).toBe(true);
    expect(message()).toBe(
      `BROKEN at record ${forged.seq} (proposal ${last.proposal_id}): it carries no valid seal: Cosponsor did not write it (it was inserted into the database file directly)`,
    );
    const refused = checkpointLog();
    expect(refused.ok).toBe(false);
    expect(checkpointFiles(logConfig())).toHaveLength(1);
  });

  it('name a checkpoint file that the log’s key did not sign', () => {
    const config = logConfig();
    const stranger = parseSignerKey(generateSignerKey(config.origin).signerKey);
    const count = allRecords().length;
    const note = signCheckpoint({ origin: config.origin, size: count, root: Buffer.alloc(32, 7), time: null, rotatedFrom: null }, [stranger]);
    fs.writeFileSync(path.join(config.checkpointDir, `${String(count).padStart(12, '0')}-ffffffff.checkpoint`), note);
    expect(message()).toMatch(/^BROKEN at checkpoint \d+-ffffffff\.checkpoint: it is not signed by the log's key/);
  });

  it('refuse a verification with the wrong public key', () => {
    const wrong = parseVerifierKey(generateSignerKey(logConfig().origin).verifierKey);
    const result = verifyLog({ trustedKeys: [wrong] });
    expect(result.ok).toBe(false);
    expect(formatVerifyResult(result)).toMatch(/^BROKEN at checkpoint \S+: it is not signed by the log's key/);
  });

  it('survive a key rotation: the new key names the old key’s last checkpoint', async () => {
    const config = logConfig();
    const oldKey = readVerifierKeys(publicKeyFileOf(config))[0]!;
    const rotated = rotateSigningKey();
    expect(rotated.ok).toBe(true);
    const newKey = readVerifierKeys(publicKeyFileOf(config))[0]!;
    expect(newKey.verifierKey).not.toBe(oldKey.verifierKey);
    const files = checkpointFiles(config);
    const rotation = fs.readFileSync(path.join(config.checkpointDir, files.find((f) => f.endsWith('-rotation.checkpoint'))!), 'utf8');
    expect(rotation).toContain(`rotated-from ${oldKey.verifierKey} `);
    // Trusting only the new key, every checkpoint (old key's too) verifies.
    const result = verifyLog({ trustedKeys: [newKey] });
    expect(result).toMatchObject({ ok: true, checkpoints: { verified: files.length } });
    // Decisions after the rotation are sealed with the new key and signed by it alone...
    const { createProposal } = await import('../../app/features/vetting/vetting.server');
    const { userByEmail } = await import('../../db/users');
    const u = userByEmail('lead@cosponsor.test')!;
    const partner = sqlGet('SELECT id FROM partners ORDER BY id LIMIT 1') as { id: number };
    const campaign = sqlGet('SELECT id FROM campaigns ORDER BY id LIMIT 1') as { id: number };
    createProposal(
      { id: u.id, name: u.name, roles: u.roles, chapterId: u.chapter_id },
      { partnerId: partner.id, campaignId: campaign.id, eventTitle: 'Vigil', eventDate: '2027-01-10', eventPlace: 'Square', eventDescription: 'A vigil.', kind: 'co_listing' },
    );
    expect(checkpointLog()).toMatchObject({ ok: true, created: true });
    expect(verifyLog({ trustedKeys: [newKey] })).toMatchObject({ ok: true, checkpoints: { verified: files.length + 1 } });
    // ...so the old key alone does not vouch for them.
    expect(formatVerifyResult(verifyLog({ trustedKeys: [oldKey] }))).toMatch(/^BROKEN at checkpoint \S+: it is not signed by the log's key/);
  });

  it('catch up incrementally from the newest checkpoint, and still find an edit after it', () => {
    const full = verifyLog();
    const incremental = verifyLog({ incremental: true });
    expect(incremental).toMatchObject({ ok: true, incrementalFrom: full.count, count: 0, head: full.head });
    // A stored tree state that does not match its signed root is not used.
    const config = logConfig();
    const stateDir = path.join(config.checkpointDir, 'state');
    const [stateFile] = fs.readdirSync(stateDir);
    const state = JSON.parse(fs.readFileSync(path.join(stateDir, stateFile!), 'utf8'));
    state.lastLeaf = 'ab'.repeat(32);
    fs.writeFileSync(path.join(stateDir, stateFile!), JSON.stringify(state));
    expect(verifyLog({ incremental: true })).toMatchObject({ ok: true, count: full.count });
  });

  it('let the incremental check find the last signed record rewritten', () => {
    const last = allRecords().at(-1)!;
    liftGuards();
    sqlRun('UPDATE decision_records SET rationale = ? WHERE seq = ?', 'Rewritten.', last.seq);
    rehashFrom(last.seq);
    expect(formatVerifyResult(verifyLog({ incremental: true }))).toMatch(
      new RegExp(`^BROKEN at record ${last.seq} \\(proposal ${last.proposal_id}\\): record ${last.seq} is not the one checkpoint \\S+ signed as the last`),
    );
  });

  it('tell /audit the log is shorter than or differs from a head it verified before', () => {
    const head = verifyLog().head!;
    const last = allRecords().at(-1)!;
    fs.rmSync(logConfig().checkpointDir, { recursive: true });
    liftGuards();
    sqlRun('DELETE FROM decision_records WHERE seq = ?', last.seq);
    sqlRun('UPDATE proposals SET state = ? WHERE id = ?', last.from_state, last.proposal_id);
    const result = verifyLog({ expectHead: head });
    expect(formatVerifyResult(result)).toMatch(new RegExp(`^BROKEN at record ${last.seq}: the log holds ${last.seq - 1} records but ${head.size} were verified before: records were removed$`));
  });
});

describe('what the pages show is checked against the records', () => {
  const expectBroken = (pattern: RegExp) => {
    const result = verifyLog();
    expect(result.ok).toBe(false);
    expect(formatVerifyResult(result)).toMatch(pattern);
  };

  it('finds an edited step submission', () => {
    const s = sqlGet("SELECT * FROM step_submissions WHERE step = 'values' ORDER BY id LIMIT 1") as { id: number; data: string; decision_seq: number };
    sqlRun('UPDATE step_submissions SET data = ? WHERE id = ?', s.data.replace(/"(compatible|concerns|incompatible|unknown|yes|no)"/, '"unknown"') === s.data ? s.data.replace('{', '{"x":1,') : s.data.replace(/"(compatible|concerns|incompatible|unknown|yes|no)"/, '"unknown"'), s.id);
    expectBroken(new RegExp(`^BROKEN at record ${s.decision_seq} \\(proposal \\d+\\): the values step shown on the proposal \\(submission ${s.id}\\) differs from what record ${s.decision_seq} holds \\(the answers\\)$`));
  });

  it('finds an edited agenda item', () => {
    const item = sqlGet('SELECT * FROM agenda_items WHERE current = 1 ORDER BY id LIMIT 1') as { id: number; text: string };
    sqlRun('UPDATE agenda_items SET text = ? WHERE id = ?', `${item.text} (and a fundraiser)`, item.id);
    expectBroken(new RegExp(`the agenda shown on the proposal has item ${item.id} \\("${item.text} \\(and a fundraiser\\)"\\) where record \\d+ holds`));
  });

  it('finds an agenda item reclassified without a record', () => {
    const item = sqlGet("SELECT * FROM agenda_items WHERE current = 1 AND classification != 'conflicting' ORDER BY id LIMIT 1") as { id: number };
    sqlRun("UPDATE agenda_items SET classification = 'conflicting' WHERE id = ?", item.id);
    expectBroken(new RegExp(`classifies item ${item.id} .* otherwise than record \\d+ says`));
  });

  it('finds an edited risk item', () => {
    const item = sqlGet('SELECT * FROM risk_items WHERE current = 1 ORDER BY id LIMIT 1') as { id: number; likelihood: number };
    sqlRun('UPDATE risk_items SET likelihood = ? WHERE id = ?', item.likelihood === 1 ? 2 : 1, item.id);
    expectBroken(new RegExp(`the risk register shown on the proposal has item ${item.id} .* differing from record \\d+ \\(likelihood\\)`));
  });

  it('finds a deleted risk item', () => {
    const item = sqlGet('SELECT * FROM risk_items WHERE current = 1 ORDER BY id LIMIT 1') as { id: number };
    sqlRun('DELETE FROM risk_items WHERE id = ?', item.id);
    expectBroken(/the risk register shown on the proposal has \d+ items but record \d+ holds \d+/);
  });

  it('finds a risk item moved to a submission that does not exist, even when only the records after a checkpoint are read', () => {
    expect(checkpointLog()).toMatchObject({ ok: true });
    const item = sqlGet('SELECT id, proposal_id FROM risk_items ORDER BY id LIMIT 1') as { id: number; proposal_id: number };
    liftGuards();
    sqlRun('UPDATE risk_items SET submission_id = ? WHERE id = ?', 999_999, item.id);
    expect(formatVerifyResult(verifyLog({ incremental: true }))).toBe(
      `BROKEN at record 0 (proposal ${item.proposal_id}): risk item ${item.id} belongs to no submitted risk register of this proposal`,
    );
  });

  it('finds the text of a submitted MOU version edited with its trigger dropped', () => {
    const mou = sqlGet('SELECT * FROM mou_versions WHERE version = 1 ORDER BY id LIMIT 1') as { id: number; proposal_id: number; sections: string };
    liftGuards();
    const sections = JSON.parse(mou.sections) as { body?: string }[];
    const edited = JSON.stringify(sections.map((s, i) => (i === 0 ? { ...s, body: `${s.body ?? ''} The partner may use our logo.` } : s)));
    sqlRun('UPDATE mou_versions SET sections = ? WHERE id = ?', edited, mou.id);
    expectBroken(new RegExp(`\\(proposal ${mou.proposal_id}\\): the text of MOU version 1 differs from what record \\d+ holds$`));
  });

  it('finds a workflow snapshot whose proposer or last changer was changed', () => {
    const p = sqlGet("SELECT id, workflow FROM proposals WHERE state = 'review' ORDER BY id LIMIT 1") as { id: number; workflow: string };
    const workflow = JSON.parse(p.workflow) as { context: { lastChangedById: number | null } };
    workflow.context.lastChangedById = 999;
    sqlRun('UPDATE proposals SET workflow = ? WHERE id = ?', JSON.stringify(workflow), p.id);
    expectBroken(new RegExp(`\\(proposal ${p.id}\\): the proposal's workflow snapshot \\(its proposer, last changer and step state\\) is not the one its records hold$`));
  });

  it('finds a proposal handed to another proposer', () => {
    const p = sqlGet('SELECT id, proposer_id FROM proposals ORDER BY id LIMIT 1') as { id: number; proposer_id: number };
    const other = sqlGet('SELECT id FROM users WHERE id != ? LIMIT 1', p.proposer_id) as { id: number };
    sqlRun('UPDATE proposals SET proposer_id = ? WHERE id = ?', other.id, p.id);
    expectBroken(new RegExp(`\\(proposal ${p.id}\\): the proposer shown is not the person whose record created the proposal$`));
  });

  it('finds a proposal whose records do not follow on from each other, even re-hashed', () => {
    const records = allRecords();
    const target = records.find((r, i) => i > 5 && r.from_state !== null && r.from_state !== 'draft')!;
    fs.rmSync(logConfig().checkpointDir, { recursive: true });
    liftGuards();
    sqlRun("UPDATE decision_records SET from_state = 'draft' WHERE seq = ?", target.seq);
    rehashFrom(target.seq);
    expect(formatVerifyResult(verifyLog({ checkSeals: false }))).toBe(
      `BROKEN at record ${target.seq} (proposal ${target.proposal_id}): it moves the proposal from "draft" but its previous record left it in "${target.from_state}"`,
    );
  });

  it('finds time running backwards within a proposal, even re-hashed', () => {
    const records = allRecords();
    const target = records.find((r, i) => i > 5 && r.proposal_prev_hash !== null)!;
    fs.rmSync(logConfig().checkpointDir, { recursive: true });
    liftGuards();
    sqlRun("UPDATE decision_records SET at = '2001-01-01T00:00:00.000Z' WHERE seq = ?", target.seq);
    rehashFrom(target.seq);
    expect(formatVerifyResult(verifyLog({ checkSeals: false }))).toMatch(
      new RegExp(`^BROKEN at record ${target.seq} \\(proposal ${target.proposal_id}\\): it is dated 2001-01-01T00:00:00.000Z, before the proposal's previous record`),
    );
  });
});

describe('bundles that cannot be forged', () => {
  function bundleOf(): Bundle {
    const row = sqlGet('SELECT proposal_id FROM decision_records GROUP BY proposal_id ORDER BY count(*) DESC, proposal_id LIMIT 1') as { proposal_id: number };
    const bundle = exportBundle(row.proposal_id) as Bundle;
    expect(bundle.records.length).toBeGreaterThanOrEqual(5);
    return JSON.parse(JSON.stringify(bundle)) as Bundle;
  }
  const keys = () => readVerifierKeys(publicKeyFileOf(logConfig()));

  it('verifies with the public key alone: proofs against the signed checkpoint', () => {
    const bundle = bundleOf();
    expect(Object.keys(bundle.proofs)).toEqual(bundle.records.map((r) => String(r.seq)));
    expect(verifyBundle(bundle, keys())).toMatchObject({ ok: true });
  });

  it('fails when its last records are cut off', () => {
    const bundle = bundleOf();
    const n = bundle.records.length;
    bundle.records.pop();
    expect(verifyBundle(bundle, keys())).toEqual({
      ok: false,
      message: `BROKEN: it holds ${n - 1} records of ${bundle.proposal.reference} but the log signed for ${n}: records were removed or added.`,
    });
  });

  it('fails when a record is edited and its hash and the later links recomputed', () => {
    const bundle = bundleOf();
    const target = bundle.records[1]!;
    target.rationale = 'Approved after a call with the partner.';
    let prev = bundle.records[0]!.hash;
    for (const r of bundle.records.slice(1)) {
      r.proposal_prev_hash = prev;
      r.hash = recordHash(r);
      prev = r.hash;
    }
    const result = verifyBundle(bundle, keys());
    expect(result.ok).toBe(false);
    // The statement names the last record's hash; with it restored, the proof of the edited record fails.
    expect(result.message).toBe('BROKEN: its records, proposal or checkpoint are not the ones the log signed for (the bundle was edited).');
  });

  it('fails when an edited record is re-hashed alone (its proof no longer leads to the signed root)', () => {
    const bundle = bundleOf();
    const target = bundle.records[0]!;
    const only = { ...bundle, records: [target] } as Bundle;
    target.rationale = 'Edited.';
    target.hash = recordHash(target);
    const result = verifyBundle({ ...only, statement: bundle.statement }, keys());
    expect(result.ok).toBe(false);
  });

  it('fails when its checkpoint was altered', () => {
    const bundle = bundleOf();
    const lines = bundle.checkpoint.split('\n');
    lines[1] = String(Number(lines[1]) + 1);
    const result = verifyBundle({ ...bundle, checkpoint: lines.join('\n') }, keys());
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/^BROKEN: its checkpoint does not verify \(invalid signature for key .*\): the checkpoint was altered\.$/) });
  });

  it('fails with the wrong public key, and for a bundle from another instance', async () => {
    const bundle = bundleOf();
    const wrong = parseVerifierKey(generateSignerKey(logConfig().origin).verifierKey);
    expect(verifyBundle(bundle, [wrong]).message).toMatch(/^BROKEN: its checkpoint is not signed by the given public key \(it names .*\): the bundle comes from another Cosponsor instance or was fabricated\.$/);

    // Another instance: its own database and its own key, a proposal of the same reference.
    const ours = keys();
    freshDatabase('demo');
    fs.rmSync(path.dirname(logConfig().signingKeyFile), { recursive: true });
    const { sealKey } = await import('../../db/checkpoints');
    sealKey();
    checkpointLog({ ...logConfig() });
    const theirs = exportBundle(bundle.proposal.id, { signIfNeeded: true }) as Bundle;
    expect(theirs.proposal.reference).toBe(bundle.proposal.reference);
    expect(verifyBundle(theirs, readVerifierKeys(publicKeyFileOf(logConfig())))).toMatchObject({ ok: true });
    expect(verifyBundle(theirs, ours).message).toMatch(/the bundle comes from another Cosponsor instance or was fabricated/);
  });

  it('takes its proofs from the leaf hashes the checkpoint job kept, and ignores a damaged copy of them', () => {
    const stored = path.join(logConfig().checkpointDir, 'state', 'leaves.bin');
    expect(fs.statSync(stored).size).toBe(allRecords().length * 32);
    const fd = fs.openSync(stored, 'r+');
    fs.writeSync(fd, Buffer.alloc(32, 9), 0, 32, 64);
    fs.closeSync(fd);
    expect(verifyBundle(bundleOf(), keys())).toMatchObject({ ok: true });
  });

  it('is refused when it is a version 1 bundle without a checkpoint', () => {
    expect(verifyBundle({ format: 'cosponsor-bundle-v1', proposal: { id: 1, reference: 'x' }, records: [] }, keys()).message).toMatch(/version 1 bundle/);
  });
});
