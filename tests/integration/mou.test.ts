import { strFromU8, unzipSync } from 'fflate';
import { beforeEach, describe, expect, it } from 'vitest';
import { activeConfig } from '../../db/config';
import { first, qb } from '../../db/connection';
import { latestRecordOfProposal, recordsOfProposal, verifyLog } from '../../db/decision-log';
import { mouVersion, mouVersionList, proposalRow } from '../../db/proposals';
import { ORGANIZATION_NAME } from '../../db/seed-data/config';
import {
  editableMouFor,
  generatedMouFor,
  markMouSeen,
  mouChangesSinceLastSeen,
  mouExportFacts,
  requiredClausesFor,
  saveMou,
  saveMouTemplate,
} from '../../app/features/mou/mou.server';
import { mouDocx } from '../../app/features/mou/mou-docx.server';
import { DecisionError } from '../../app/features/vetting/vetting.server';
import type { MouSection } from '../../workflows/mou';
import { freshDatabase } from '../support/db';
import { actor, approvedCase1, proposalAtMouStep } from './mou-fixtures';

// Each test starts from the demo seed (case 1 approved, as seeded).
beforeEach(() => {
  freshDatabase('demo');
});

const lead = () => actor('lead@cosponsor.test');
const clauses = (sections: MouSection[]) => sections.flatMap((s) => s.clauses);
const without = (sections: MouSection[], id: string) => sections.map((s) => ({ ...s, clauses: s.clauses.filter((c) => c.id !== id) }));

function refusal(fn: () => unknown): DecisionError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DecisionError) return error;
    throw error;
  }
  throw new Error('Expected a refusal, but it was accepted.');
}

describe('the generated draft', () => {
  it('has every template section and a clause for every perception condition and risk mitigation, with its origin', () => {
    const id = proposalAtMouStep();
    const { conditions, mitigations } = requiredClausesFor(id);
    expect(conditions.length).toBeGreaterThanOrEqual(3);
    expect(mitigations.length).toBeGreaterThanOrEqual(2);
    const draft = generatedMouFor(id);
    expect(draft.map((s) => s.key)).toEqual(activeConfig().docs.mou_template.sections.map((s) => s.key));
    const conditionSection = draft.find((s) => s.key === 'conditions')!;
    const mitigationSection = draft.find((s) => s.key === 'mitigations')!;
    for (const c of conditions) {
      const clause = conditionSection.clauses.find((x) => x.id === `perception:${c.itemKey}`);
      expect(clause, c.itemKey).toBeDefined();
      expect(clause!.origin).toEqual({ kind: 'perception', ref: c.itemKey, label: c.label });
      expect(clause!.text).not.toMatch(/\{\{/);
    }
    for (const m of mitigations) {
      const clause = mitigationSection.clauses.find((x) => x.id === `risk:${m.index}`);
      expect(clause?.text).toBe(m.mitigation);
      expect(clause?.origin).toEqual({ kind: 'risk', ref: String(m.index), label: m.description });
    }
  });

  it('fills the placeholders from the proposal: partner, chapter, event, dates and the proposer as contact', () => {
    const id = proposalAtMouStep();
    const p = proposalRow(id)!;
    const text = generatedMouFor(id)
      .map((s) => `${s.title}\n${s.body}\n${s.clauses.map((c) => c.text).join('\n')}`)
      .join('\n');
    expect(text).not.toMatch(/\{\{\s*[a-z_]+\s*\}\}/);
    for (const expected of [
      'Lakeshore University Students for Palestinian Rights',
      'Chicago Local Group',
      p.event_title,
      p.event_date,
      p.reference,
      'Dana Whitfield',
      'lead@cosponsor.test',
      ORGANIZATION_NAME,
    ]) {
      expect(text).toContain(expected);
    }
  });
});

describe('saving versions', () => {
  it('refuses to drop a required clause without a reason, and writes nothing', () => {
    const id = proposalAtMouStep();
    const draft = generatedMouFor(id);
    const target = clauses(draft).find((c) => c.origin?.kind === 'perception')!;
    const error = refusal(() =>
      saveMou({ proposalId: id, actor: lead(), sections: without(draft, target.id), removedConditions: [], note: '', baseVersion: null }),
    );
    expect(error.kind).toBe('invalid');
    expect(Object.keys(error.fieldErrors)).toEqual([`removed.${target.id}`]);
    const short = refusal(() =>
      saveMou({
        proposalId: id,
        actor: lead(),
        sections: without(draft, target.id),
        removedConditions: [{ clauseId: target.id, text: target.text, reason: 'no' }],
        note: '',
        baseVersion: null,
      }),
    );
    expect(short.fieldErrors[`removed.${target.id}`]).toBeDefined();
    expect(mouVersionList(id)).toHaveLength(0);
  });

  it('keeps a removed required clause, with its reason, on the version for staff to read', () => {
    const id = proposalAtMouStep();
    const draft = generatedMouFor(id);
    const target = clauses(draft).find((c) => c.origin?.kind === 'risk')!;
    const reason = 'The partner runs no petition table at this event, so this measure is moot.';
    const { version } = saveMou({
      proposalId: id,
      actor: lead(),
      sections: without(draft, target.id),
      removedConditions: [{ clauseId: target.id, text: target.text, reason }],
      note: 'Dropped a moot mitigation.',
      baseVersion: null,
    });
    const saved = mouVersion(id, version)!;
    expect(saved.removed_conditions).toEqual([{ clauseId: target.id, text: target.text, reason }]);
    expect(clauses(saved.sections).some((c) => c.id === target.id)).toBe(false);
    expect(saved.created_by_name).toBe('Dana Whitfield');
    expect(saved.note).toBe('Dropped a moot mitigation.');
    // The next editor keeps the removal (and its reason) instead of adding the clause back.
    const next = editableMouFor(id);
    expect(next.removed).toEqual(saved.removed_conditions);
    expect(clauses(next.sections).some((c) => c.id === target.id)).toBe(false);
  });

  it('makes each save a new version and refuses one based on an older version', () => {
    const id = proposalAtMouStep();
    const draft = generatedMouFor(id);
    const v1 = saveMou({ proposalId: id, actor: lead(), sections: draft, removedConditions: [], note: 'First', baseVersion: null });
    const edited = draft.map((s) => (s.key === 'management' ? { ...s, body: `${s.body} The contacts meet weekly.` } : s));
    const v2 = saveMou({ proposalId: id, actor: lead(), sections: edited, removedConditions: [], note: 'Second', baseVersion: v1.version });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    const stale = refusal(() =>
      saveMou({ proposalId: id, actor: lead(), sections: draft, removedConditions: [], note: 'Late', baseVersion: 1 }),
    );
    expect(stale.kind).toBe('stale');
    expect(stale.message).toContain('version 2');
    expect(mouVersionList(id).map((v) => v.version)).toEqual([2, 1]);
  });

  it('refuses edits by another chapter’s lead and while staff are reviewing', () => {
    const id = proposalAtMouStep();
    const draft = generatedMouFor(id);
    const other = refusal(() =>
      saveMou({ proposalId: id, actor: actor('lead2@cosponsor.test'), sections: draft, removedConditions: [], note: '', baseVersion: null }),
    );
    expect(other.kind).toBe('forbidden');
    const inReview = first(qb().selectFrom('proposals').select('id').where('state', '=', 'review'))!.id;
    const owner = actor(proposalRow(inReview)!.proposer_id === lead().id ? 'lead@cosponsor.test' : 'lead2@cosponsor.test');
    const review = refusal(() =>
      saveMou({ proposalId: inReview, actor: owner, sections: draft, removedConditions: [], note: '', baseVersion: mouVersion(inReview)?.version ?? null }),
    );
    expect(review.kind).toBe('not_allowed');
  });
});

describe('editing the MOU of an approved proposal', () => {
  it('needs a confirmation, then saves the version and returns the proposal to review with a record, in one go', () => {
    const id = approvedCase1();
    const before = proposalRow(id)!;
    expect(before.state).toBe('approved');
    expect(before.approved_until).not.toBeNull();
    const latest = mouVersion(id)!;
    const records = recordsOfProposal(id).length;
    const edited = latest.sections.map((s) => (s.key === 'communication' ? { ...s, body: `${s.body} Posts go out only after both contacts agree.` } : s));
    const args = {
      proposalId: id,
      actor: lead(),
      sections: edited,
      removedConditions: [],
      note: 'Tighter approval of posts.',
      baseVersion: latest.version,
      expectedProposalVersion: before.version,
    };

    const unconfirmed = refusal(() => saveMou(args));
    expect(unconfirmed.fieldErrors.confirmVoid).toBeDefined();
    expect(mouVersion(id)!.version).toBe(latest.version);

    const saved = saveMou({ ...args, confirmVoidApproval: true });
    const after = proposalRow(id)!;
    expect(saved.version).toBe(latest.version + 1);
    expect(after.state).toBe('review');
    expect(after.approved_until).toBeNull();
    const newRecords = recordsOfProposal(id).slice(records);
    expect(newRecords).toHaveLength(1);
    expect(newRecords[0]).toMatchObject({ step: 'proposal', outcome: 'reopened', from_state: 'approved', to_state: 'review', actor_name: 'Dana Whitfield' });
    expect(newRecords[0]!.rationale).toContain(`version ${saved.version}`);
    expect(JSON.parse(newRecords[0]!.inputs).judged.mouVersion).toBe(saved.version);
    expect(verifyLog().ok).toBe(true);

    // The approval's conditions joined the conditions section, each naming the approval as its origin.
    const approval = recordsOfProposal(id).find((r) => r.outcome === 'approved')!;
    const approvalConditions = JSON.parse(approval.inputs).command.conditions as string[];
    expect(approvalConditions.length).toBe(2);
    const conditionSection = mouVersion(id)!.sections.find((s) => s.key === 'conditions')!;
    for (const [i, text] of approvalConditions.entries()) {
      const clause = conditionSection.clauses.find((c) => c.id === `approval:${approval.seq}:${i + 1}`);
      expect(clause?.text).toBe(text);
      expect(clause?.origin?.kind).toBe('approval');
    }
  });

  it('writes neither the version nor a record when the proposal changed meanwhile', () => {
    const id = approvedCase1();
    const before = proposalRow(id)!;
    const latest = mouVersion(id)!;
    const records = recordsOfProposal(id).length;
    const error = refusal(() =>
      saveMou({
        proposalId: id,
        actor: lead(),
        sections: latest.sections,
        removedConditions: [],
        note: '',
        baseVersion: latest.version,
        expectedProposalVersion: before.version - 1,
        confirmVoidApproval: true,
      }),
    );
    expect(error.kind).toBe('stale');
    expect(mouVersion(id)!.version).toBe(latest.version);
    expect(recordsOfProposal(id)).toHaveLength(records);
    expect(proposalRow(id)!.state).toBe('approved');
  });
});

describe('changes since staff last read the MOU', () => {
  it('compares the version a staff member last read with the latest', () => {
    const id = proposalAtMouStep();
    const staff = actor('staff@cosponsor.test');
    const draft = generatedMouFor(id);
    const v1 = saveMou({ proposalId: id, actor: lead(), sections: draft, removedConditions: [], note: '', baseVersion: null });
    const never = mouChangesSinceLastSeen(id, staff.id);
    expect(never).toMatchObject({ seenVersion: null, latestVersion: 1, before: null });
    expect(never.after).toEqual(mouVersion(id, 1)!.sections);

    markMouSeen(id, staff.id);
    const edited = draft.map((s) => (s.key === 'term' ? { ...s, body: `${s.body} Renewal needs a new review.` } : s));
    saveMou({ proposalId: id, actor: lead(), sections: edited, removedConditions: [], note: '', baseVersion: v1.version });
    const changes = mouChangesSinceLastSeen(id, staff.id);
    expect(changes.seenVersion).toBe(1);
    expect(changes.latestVersion).toBe(2);
    expect(changes.before!.find((s) => s.key === 'term')!.body).not.toContain('Renewal needs a new review.');
    expect(changes.after.find((s) => s.key === 'term')!.body).toContain('Renewal needs a new review.');
  });
});

describe('the .docx export', () => {
  it('is a valid Word file whose document carries the clauses, the reference and the latest record hash', async () => {
    const id = approvedCase1();
    const facts = mouExportFacts(id);
    expect(facts.mou).not.toBeNull();
    const buffer = await mouDocx({
      reference: facts.proposal.reference,
      mouVersion: facts.mou!.version,
      sections: facts.sections,
      record: facts.record,
      organization: ORGANIZATION_NAME,
      chapterName: facts.proposal.chapter_name,
      partnerName: facts.proposal.partner_name,
      leadName: facts.proposal.proposer_name,
      eventTitle: facts.proposal.event_title,
    });
    const files = unzipSync(new Uint8Array(buffer));
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['[Content_Types].xml', 'word/document.xml', 'word/numbering.xml']));
    const xml = strFromU8(files['word/document.xml']!);
    const text = xml.replace(/<[^>]+>/g, '');
    const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
    const plain = unescape(text);
    for (const clause of clauses(facts.sections)) expect(plain).toContain(clause.text);
    expect(plain).toContain(facts.proposal.reference);
    expect(facts.record!.hash).toBe(latestRecordOfProposal(id)!.hash);
    expect(plain).toContain(facts.record!.hash);
    // Clauses are numbered by Word, and the signature block is a table.
    expect(xml).toContain('<w:numPr>');
    expect(xml).toContain('<w:tbl>');
    expect(plain).toContain('Signature:');
  });
});

describe('the template', () => {
  it('is edited as a new configuration version, used by new drafts only', () => {
    const id = proposalAtMouStep();
    saveMou({ proposalId: id, actor: lead(), sections: generatedMouFor(id), removedConditions: [], note: '', baseVersion: null });
    const admin = actor('admin@cosponsor.test');
    const { docs, versions } = activeConfig();
    const template = {
      sections: docs.mou_template.sections.map((s) =>
        s.key === 'independence' ? { ...s, body: `${s.body} {{partner}} acknowledges this independence.` } : s,
      ),
    };
    const version = saveMouTemplate(admin, template, 'Independence acknowledged by the partner.', versions.mou_template);
    expect(version).toBe(versions.mou_template + 1);
    expect(activeConfig().versions.mou_template).toBe(version);
    expect(generatedMouFor(id).find((s) => s.key === 'independence')!.body).toContain(
      'Lakeshore University Students for Palestinian Rights acknowledges this independence.',
    );
    // The saved version keeps the text it had.
    expect(mouVersion(id)!.sections.find((s) => s.key === 'independence')!.body).not.toContain('acknowledges this independence');
    expect(refusal(() => saveMouTemplate(admin, template, 'Again from an old page.', versions.mou_template)).kind).toBe('stale');
    expect(refusal(() => saveMouTemplate(lead(), template, 'Not an admin.', version)).kind).toBe('forbidden');
  });
});
