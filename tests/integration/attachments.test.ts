import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeUpload } from '../../app/features/attachments/attachments.server';
import { decide } from '../../app/features/vetting/vetting.server';
import { attachmentStore, bytesOf, uploadDir } from '../../db/attachment-store';
import { citedAttachment } from '../../db/attachments';
import { database, getDb } from '../../db/connection';
import { recordsOfProposal } from '../../db/decision-log';
import { proposalRow } from '../../db/proposals';
import { verifyAttachedFiles } from '../../db/verify';
import type { AttachmentRef } from '../../workflows/types';
import { freshDatabase, removeTempDirs } from '../support/db';
import { sqlGet } from '../support/sql';
import { sampleDocx, samplePdf } from '../support/sample-files';
import { actor, CRITERIA } from './review-fixtures';
import { proposalAt } from './step-fixtures';

// Evidence files from the store to the record and back: the record cites each file's
// SHA-256, and audit:verify finds a file changed on disk or gone.

const REPO = path.resolve(__dirname, '../..');
const TSX = path.join(REPO, 'node_modules/.bin/tsx');

let pdf: AttachmentRef;
let docx: AttachmentRef;
let proposalId: number;

async function stored(bytes: Buffer, name: string, effectiveDate: string): Promise<AttachmentRef> {
  const result = await storeUpload(bytesOf(bytes), name);
  if (!result.ok) throw new Error(result.message);
  return { ...result.ref, effectiveDate };
}

function submitValues(id: number, attachments: Record<string, AttachmentRef[]>, version = proposalRow(id)!.version) {
  const ratings = Object.fromEntries(
    CRITERIA.map((k) => [k, { rating: 'meets', evidence: 'Checked.', links: [], ...(attachments[k] ? { attachments: attachments[k] } : {}) }]),
  );
  return decide({ proposalId: id, expectedVersion: version, actor: actor('lead@cosponsor.test'), command: { type: 'SUBMIT_VALUES', input: { ratings } } });
}

beforeAll(async () => {
  freshDatabase('demo');
  pdf = await stored(samplePdf('Funding 2025'), 'funding-2025.pdf', '2025-12-31');
  docx = await stored(sampleDocx(), 'board.docx', '2026-03-01');
});
afterAll(() => removeTempDirs());

describe('files in the decision record', () => {
  it('records each cited file’s SHA-256, size, detected type, name and effective date in the inputs', () => {
    proposalId = proposalAt('values', 'Attachment evening');
    const result = submitValues(proposalId, { independence: [pdf], transparency: [docx] });
    expect(result.ok).toBe(true);
    const record = recordsOfProposal(proposalId).at(-1)!;
    const inputs = JSON.parse(record.inputs) as { command: { input: { ratings: Record<string, { attachments?: AttachmentRef[] }> } } };
    expect(inputs.command.input.ratings.independence!.attachments).toEqual([pdf]);
    expect(inputs.command.input.ratings.transparency!.attachments).toEqual([
      expect.objectContaining({ sha256: docx.sha256, type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', effectiveDate: '2026-03-01' }),
    ]);
    // A criterion without files keeps the inputs' old shape (no empty list).
    expect(inputs.command.input.ratings.mutual_respect).not.toHaveProperty('attachments');
    expect(citedAttachment(proposalId, pdf.sha256)).toEqual({ ref: pdf, citedIn: 'record' });
  });

  it('refuses a file without its effective date, beside that date', () => {
    const id = proposalAt('values', 'Attachment without a date');
    const result = submitValues(id, { independence: [{ ...pdf, effectiveDate: '' }] });
    expect(result.ok).toBe(false);
    expect(!result.ok && Object.keys(result.error.fieldErrors)).toContain('input.ratings.independence.attachments.0.effectiveDate');
  });

  it('a refused transition writes nothing; the stored file stays, cited by nobody', async () => {
    const id = proposalAt('values', 'Attachment stale');
    const before = recordsOfProposal(id).length;
    const lone = await stored(samplePdf('Only here'), 'only-here.pdf', '2026-01-01');
    const result = submitValues(id, { independence: [lone] }, proposalRow(id)!.version - 1);
    expect(result.ok).toBe(false);
    expect(recordsOfProposal(id)).toHaveLength(before);
    expect(sqlGet('SELECT count(*) AS n FROM step_submissions WHERE proposal_id = ?', id)).toEqual({ n: 0 });
    expect(attachmentStore().exists(lone.sha256)).toBe(true);
    expect(citedAttachment(id, lone.sha256)).toBeUndefined();
  });
});

describe('audit:verify and the files', () => {
  const fileOf = (sha256: string) => path.join(uploadDir(), sha256.slice(0, 2), sha256);

  function audit() {
    // PostgreSQL: the verifier reads the same database; SQLite: a consistent copy of the file this process holds open.
    const db = database();
    if (db.kind === 'postgres') {
      return spawnSync(TSX, ['scripts/audit-verify.ts'], { cwd: REPO, env: { ...process.env, DATABASE_URL: db.path }, encoding: 'utf8', timeout: 60_000 });
    }
    const dir = fs.mkdtempSync(path.join(path.dirname(getDb().path), 'audit-'));
    const file = path.join(dir, 'copy.db');
    getDb().sqlite.exec(`VACUUM INTO '${file}'`);
    const out = spawnSync(TSX, ['scripts/audit-verify.ts'], { cwd: REPO, env: { ...process.env, DATABASE_PATH: file }, encoding: 'utf8', timeout: 60_000 });
    fs.rmSync(dir, { recursive: true, force: true });
    return out;
  }

  it('finds every cited file intact', async () => {
    expect(await verifyAttachedFiles()).toEqual({ files: 2, problem: null });
    const out = audit();
    expect(out.stdout.trim()).toMatch(/^OK \d+ records, 2 attached files intact$/);
    expect(out.status).toBe(0);
  });

  it('names the record and the file when a file was changed on disk', async () => {
    const file = fileOf(pdf.sha256);
    const original = fs.readFileSync(file);
    fs.chmodSync(file, 0o640);
    fs.writeFileSync(file, samplePdf('Funding 2025, edited afterwards'));
    const seq = recordsOfProposal(proposalId).at(-1)!.seq;
    const found = await verifyAttachedFiles();
    expect(found.problem).toMatchObject({ seq, proposalId });
    expect(found.problem!.problem).toContain('“funding-2025.pdf”');
    expect(found.problem!.problem).toContain('no longer hashes to the recorded value');
    const out = audit();
    expect(out.stdout.trim()).toBe(`BROKEN at record ${seq} (proposal ${proposalId}): ${found.problem!.problem}`);
    expect(out.status).toBe(1);
    fs.writeFileSync(file, original);
  });

  it('names the record and the file when a file is gone', () => {
    fs.rmSync(fileOf(docx.sha256));
    const seq = recordsOfProposal(proposalId).at(-1)!.seq;
    const out = audit();
    expect(out.stdout.trim()).toMatch(
      new RegExp(`^BROKEN at record ${seq} \\(proposal ${proposalId}\\): the attached file “board\\.docx” \\(cited for command\\.input\\.ratings\\.transparency\\), SHA-256 ${docx.sha256}, is missing from the file store$`),
    );
    expect(out.status).toBe(1);
  });
});
