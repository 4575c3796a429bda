import { randomBytes } from 'node:crypto';
import { fillPlaceholders, generateMou, type MouClause, type MouFacts, type MouSection, type MouCondition, type MouMitigation } from '../../../workflows/mou';
import type { MouTemplateDoc, PerceptionResult, RiskResult } from '../../../workflows';
import { diffMou, type MouDiffResult } from '../../../workflows/mou-diff';
import { activeConfig, addConfigVersion, configHistory, configVersion } from '../../../db/config';
import { nowIso, transaction } from '../../../db/connection';
import { latestApprovalOfProposal, latestRecordOfProposal } from '../../../db/decision-log';
import { mouViewOf, upsertMouView } from '../../../db/mou-views';
import { insertMouVersion, latestSubmissions, mouVersion, mouVersionList, proposalById, proposalRow } from '../../../db/proposals';
import type { DecisionRecord, Proposal } from '../../../db/schema';
import { mouFactsFor } from './mou-facts.server';
import { ORGANIZATION_NAME } from '../../../db/seed-data/config';
import { FIXED_SECTIONS } from './mou-template-form';
import { can, isApproved, isAtMouStep, isBeforeStep, isInReview, isMouEditable, type ActingUser } from '../../../workflows/policy';
import { proposalView } from '../vetting/proposal-view.server';
import { decide, DecisionError } from '../vetting/vetting.server';
import { parseWholeNumber } from '../../utils/whole-number';

/** Conditions and mitigations the recorded vetting requires in the MOU. */
export function requiredClausesFor(proposalId: number): { conditions: MouCondition[]; mitigations: MouMitigation[] } {
  const submissions = latestSubmissions(proposalId);
  const perception = submissions.perception?.result as PerceptionResult | undefined;
  const risk = submissions.risk?.result as RiskResult | undefined;
  const conditions = perception?.conditions ?? [];
  const mitigations = (risk?.items ?? []).flatMap((item, index) =>
    item.kind === 'risk' && item.mitigation ? [{ index, description: item.description, mitigation: item.mitigation }] : [],
  );
  return { conditions, mitigations };
}

/** The draft written from the vetting, before anyone edits it. */
export function generatedMouFor(proposalId: number): MouSection[] {
  const { conditions, mitigations } = requiredClausesFor(proposalId);
  return generateMou(activeConfig().docs.mou_template, mouFactsFor(proposalId), conditions, mitigations);
}

/** The template's section titles as this proposal's MOU shows them (placeholders filled), by section key. */
function templateTitlesFor(proposalId: number): Map<string, string> {
  const facts = mouFactsFor(proposalId);
  return new Map(activeConfig().docs.mou_template.sections.map((s) => [s.key, fillPlaceholders(s.title, facts)] as const));
}

/** A clause the MOU must keep (or lose only with a stated reason), and where it goes. */
export type RequiredClause = { sectionKey: string; clause: MouClause };

/** The conditions of the latest approval, each a clause of the conditions section. */
function approvalClausesFor(proposalId: number): RequiredClause[] {
  const approval = latestApprovalOfProposal(proposalId);
  if (!approval) return [];
  const inputs = JSON.parse(approval.inputs) as { command?: { conditions?: unknown } };
  const conditions = Array.isArray(inputs.command?.conditions) ? (inputs.command.conditions as unknown[]) : [];
  return conditions
    .filter((c): c is string => typeof c === 'string' && c.trim().length > 0)
    .map((text, i) => ({
      sectionKey: 'conditions',
      clause: {
        id: `approval:${approval.seq}:${i + 1}`,
        text: text.trim(),
        origin: {
          kind: 'approval',
          ref: String(approval.seq),
          label: `Condition ${i + 1} of the approval by ${approval.actor_name} (record #${approval.seq}, ${approval.at.slice(0, 10)})`,
        },
      },
    }));
}

/** Every clause the vetting and the latest approval require. */
export function requiredMouClauses(proposalId: number): RequiredClause[] {
  const generated = generatedMouFor(proposalId);
  const fromVetting = generated.flatMap((s) => s.clauses.filter((c) => c.origin).map((clause) => ({ sectionKey: s.key, clause })));
  return [...fromVetting, ...approvalClausesFor(proposalId)];
}

/** Adds each given clause missing from the sections to its section (creating it before the signatures if needed). */
function withClauses(proposalId: number, sections: MouSection[], clauses: RequiredClause[]): MouSection[] {
  const out = sections.map((s) => ({ ...s, clauses: [...s.clauses] }));
  const present = new Set(out.flatMap((s) => s.clauses.map((c) => c.id)));
  for (const { sectionKey, clause } of clauses) {
    if (present.has(clause.id)) continue;
    let section = out.find((s) => s.key === sectionKey);
    if (!section) {
      const title = templateTitlesFor(proposalId).get(sectionKey) ?? sectionKey;
      section = { key: sectionKey, title, body: '', clauses: [] };
      const signatures = out.findIndex((s) => s.key === 'signatures');
      out.splice(signatures >= 0 ? signatures : out.length, 0, section);
    }
    section.clauses.push(clause);
    present.add(clause.id);
  }
  return out;
}

export type RemovedCondition = { clauseId: string; text: string; reason: string };

export type EditableMou = {
  /** The version being edited, or null when nothing is saved yet. */
  baseVersion: number | null;
  sections: MouSection[];
  /** Required clauses removed in the base version, with their reasons (carried to the next save). */
  removed: RemovedCondition[];
  /** Clause ids added here because the vetting or an approval requires them and the base lacks them. */
  newlyRequired: string[];
};

/**
 * What the editor starts from: the latest saved version (or the generated
 * draft), plus any required clause it lacks and that was not removed with a reason.
 */
export function editableMouFor(proposalId: number): EditableMou {
  const latest = mouVersion(proposalId);
  const required = requiredMouClauses(proposalId);
  const base = latest ? latest.sections : generatedMouFor(proposalId);
  const removed = latest ? latest.removed_conditions : [];
  const removedIds = new Set(removed.map((r) => r.clauseId));
  const before = new Set(base.flatMap((s) => s.clauses.map((c) => c.id)));
  const missing = required.filter((r) => !before.has(r.clause.id) && !removedIds.has(r.clause.id));
  return {
    baseVersion: latest?.version ?? null,
    sections: withClauses(proposalId, base, missing),
    removed: removed.filter((r) => required.some((q) => q.clause.id === r.clauseId)),
    newlyRequired: missing.map((m) => m.clause.id),
  };
}

/**
 * Rebuilds sections from what an editor posted: titles and clause origins come
 * from the server's own copy (the base version, the template, the vetting), never
 * from the form; only bodies and clause texts are taken as typed.
 */
function sectionsFromForm(
  proposalId: number,
  posted: { key: string; body: string; clauses: { id: string; text: string }[] }[],
): MouSection[] {
  const editable = editableMouFor(proposalId);
  const titles = new Map([...templateTitlesFor(proposalId), ...editable.sections.map((s) => [s.key, s.title] as const)]);
  const origins = new Map<string, MouClause['origin']>();
  for (const s of editable.sections) for (const c of s.clauses) origins.set(c.id, c.origin);
  for (const r of requiredMouClauses(proposalId)) origins.set(r.clause.id, r.clause.origin);
  return posted
    .filter((s) => titles.has(s.key))
    .map((s) => ({
      key: s.key,
      title: titles.get(s.key)!,
      body: s.body,
      clauses: s.clauses.map((c) => ({ id: c.id, text: c.text, origin: origins.get(c.id) ?? null })),
    }));
}

export type SaveMouResult = {
  version: number;
  /** The REOPEN_FOR_REVIEW records, when the save voided an approval. */
  reopened: DecisionRecord[] | null;
};

/**
 * Saves a new MOU version. baseVersion is the version the editor started from:
 * if someone saved meanwhile, nothing is written and the caller is told.
 * On an approved proposal the save voids the approval: the caller must confirm
 * it, and the version and the REOPEN_FOR_REVIEW record are written in one
 * transaction (decide() nests its own transaction as a savepoint).
 */
export function saveMou(args: {
  proposalId: number;
  actor: ActingUser;
  sections: MouSection[];
  removedConditions: RemovedCondition[];
  note: string;
  baseVersion: number | null;
  /** The proposal version the editor saw; required when the save reopens an approval. */
  expectedProposalVersion?: number;
  confirmVoidApproval?: boolean;
}): SaveMouResult {
  const proposal = proposalById(args.proposalId);
  if (!proposal) throw new DecisionError('not_found', 'There is no such proposal.');
  const permission = can(args.actor, 'proposal.edit', proposal);
  if (!permission.ok) throw new DecisionError('forbidden', permission.reason);
  if (!isMouEditable(proposal.state)) {
    throw new DecisionError(
      'not_allowed',
      isInReview(proposal.state)
        ? 'Staff are reviewing this proposal: the MOU cannot change until they decide or send it back.'
        : 'The MOU can be edited at the MOU step, or after approval (which returns the proposal to review).',
    );
  }
  const approved = isApproved(proposal.state);
  if (approved && !args.confirmVoidApproval) {
    throw new DecisionError('invalid', 'Confirm that saving returns the proposal to review.', {
      confirmVoid: ['Tick the box to confirm that this edit voids the approval.'],
    });
  }

  const required = [...requiredMouClauses(args.proposalId)];
  const latest = mouVersion(args.proposalId);
  const explained = new Map(args.removedConditions.map((r) => [r.clauseId, r.reason.trim()]));
  // Approval conditions that no saved version has seen yet join the conditions on this save.
  const seen = new Set([
    ...(latest?.sections ?? []).flatMap((s) => s.clauses.map((c) => c.id)),
    ...(latest?.removed_conditions ?? []).map((r) => r.clauseId),
  ]);
  const joining = required.filter((r) => r.clause.origin?.kind === 'approval' && !seen.has(r.clause.id) && !explained.has(r.clause.id));
  const sections = withClauses(args.proposalId, args.sections, joining);

  const present = new Set(sections.flatMap((s) => s.clauses.map((c) => c.id)));
  const requiredIds = new Set(required.map((r) => r.clause.id));
  const errors: Record<string, string[]> = {};
  for (const { clause } of required) {
    if (!present.has(clause.id) && (explained.get(clause.id) ?? '').length < 10) {
      const by = clause.origin?.kind === 'approval' ? 'a condition of the approval' : 'required by the vetting';
      errors[`removed.${clause.id}`] = [`This clause is ${by}: say why it is removed (at least 10 characters).`];
    }
  }
  if (Object.keys(errors).length) throw new DecisionError('invalid', 'A required clause was removed without a reason.', errors);
  const removedConditions = args.removedConditions
    .filter((r) => !present.has(r.clauseId) && requiredIds.has(r.clauseId))
    .map((r) => ({ ...r, reason: r.reason.trim() }));

  return transaction(() => {
    const current = mouVersion(args.proposalId);
    if ((current?.version ?? null) !== args.baseVersion) {
      throw new DecisionError(
        'stale',
        `Someone saved version ${current?.version} of this MOU after you opened it. Your text is kept; compare and save again.`,
        {},
        current?.version ?? null,
      );
    }
    const version = insertMouVersion({
      proposalId: args.proposalId,
      sections,
      removedConditions,
      note: args.note,
      createdBy: args.actor.id,
      createdAt: nowIso(),
    });
    if (!approved) return { version, reopened: null };
    const note = args.note.trim();
    const reason = `The MOU was edited after approval (version ${version})${note ? `: ${note}` : '.'}`.slice(0, 2000);
    // decide() checks the proposal version; its refusal undoes the version saved above.
    const result = decide({
      proposalId: args.proposalId,
      expectedVersion: args.expectedProposalVersion ?? -1,
      actor: args.actor,
      command: { type: 'REOPEN_FOR_REVIEW', reason },
    });
    if (!result.ok) throw result.error;
    return { version, reopened: result.records };
  });
}

/** Saves a new MOU version and returns its number (see saveMou). */
export function saveMouVersion(args: {
  proposalId: number;
  actor: ActingUser;
  sections: MouSection[];
  removedConditions: RemovedCondition[];
  note: string;
  baseVersion: number | null;
  expectedProposalVersion?: number;
  confirmVoidApproval?: boolean;
}): number {
  return saveMou(args).version;
}

// ---- Reading: versions, what staff last saw, exports ----

export type MouChanges = {
  /** The version this person last read, or null if never. */
  seenVersion: number | null;
  latestVersion: number | null;
  /** The sections as last read (null: never read, so everything is new). */
  before: MouSection[] | null;
  after: MouSection[];
  /** Required clauses the latest version removed, with the reasons given. */
  removed: RemovedCondition[];
  /** The word-level difference from `before` to `after`. */
  diff: MouDiffResult;
};

/** The word-level difference between two MOU texts, for a page to render: the diff library stays on the server. */
export function mouDiff(before: MouSection[] | null, after: MouSection[]): MouDiffResult {
  return diffMou(before, after);
}

/** What changed in the MOU since this person (staff, for the dossier) last read it. */
export function mouChangesSinceLastSeen(proposalId: number, userId: number): MouChanges {
  const seen = mouViewOf(userId, proposalId);
  const latest = mouVersion(proposalId);
  const before = seen ? (mouVersion(proposalId, seen.mou_version)?.sections ?? null) : null;
  return {
    seenVersion: seen?.mou_version ?? null,
    latestVersion: latest?.version ?? null,
    before,
    after: latest?.sections ?? [],
    removed: latest?.removed_conditions ?? [],
    diff: diffMou(before, latest?.sections ?? []),
  };
}

/**
 * The MOU as the dossier shows it: the latest text, and the difference from the version this
 * person last read only when there is one (reading and diffing the old version otherwise is wasted).
 */
export function mouForDossier(proposalId: number, userId: number) {
  const seen = mouViewOf(userId, proposalId);
  const latest = mouVersion(proposalId);
  const seenVersion = seen?.mou_version ?? null;
  const latestVersion = latest?.version ?? null;
  const changed = seenVersion !== null && seenVersion !== latestVersion;
  const before = changed ? (mouVersion(proposalId, seenVersion)?.sections ?? null) : null;
  return {
    seenVersion,
    latestVersion,
    after: latest?.sections ?? [],
    diff: changed ? diffMou(before, latest?.sections ?? []) : null,
  };
}

/** Notes that this person has read the MOU up to this version (default: the latest). */
export function markMouSeen(proposalId: number, userId: number, version?: number): void {
  const v = version ?? mouVersion(proposalId)?.version;
  if (v) upsertMouView(userId, proposalId, v);
}

export { mouVersion, mouVersionList };

/** The reference and the latest decision record, printed on every export so a signed copy matches the log. */
export function mouExportFacts(proposalId: number, version?: number) {
  const proposal = proposalById(proposalId);
  if (!proposal) throw new DecisionError('not_found', 'There is no such proposal.');
  const mou = mouVersion(proposalId, version);
  const record = latestRecordOfProposal(proposalId);
  return {
    proposal,
    mou: mou ?? null,
    /** The generated draft, when nothing is saved yet. */
    sections: mou ? mou.sections : generatedMouFor(proposalId),
    record: record ? { seq: record.seq, hash: record.hash, at: record.at, outcome: record.outcome } : null,
    organization: ORGANIZATION_NAME,
  };
}

// ---- The template (admin) ----

/** The template new drafts use, with its configuration version. */
export function currentMouTemplate(): { version: number; sections: MouTemplateDoc['sections'] } {
  const { docs, versions } = activeConfig();
  return { version: versions.mou_template, sections: docs.mou_template.sections };
}

export function mouTemplateHistory() {
  return configHistory('mou_template');
}

export function mouTemplateVersion(version: number): MouTemplateDoc | undefined {
  return configVersion('mou_template', version);
}

/** Saves the template as a new configuration version; proposals already drafted keep their text. */
export function saveMouTemplate(actor: ActingUser, template: MouTemplateDoc, note: string, baseVersion: number): number {
  const permission = can(actor, 'admin.manage');
  if (!permission.ok) throw new DecisionError('forbidden', permission.reason);
  return transaction(() => {
    const current = activeConfig().versions.mou_template;
    if (current !== baseVersion) {
      throw new DecisionError(
        'stale',
        `Someone saved version ${current} of the template after you opened it. Your text is kept; compare and save again.`,
        {},
        current,
      );
    }
    return addConfigVersion('mou_template', template, note, actor.id);
  });
}

/** Placeholders the template may use. */
export const MOU_PLACEHOLDERS: (keyof MouFacts)[] = [
  'organization',
  'partner',
  'chapter',
  'event_title',
  'event_date',
  'event_place',
  'event_description',
  'cosponsorship_kind',
  'lead_name',
  'lead_email',
  'end_date',
  'reference',
];

/** The state of a proposal's MOU step, for its page. */
function mouStepStatus(proposalId: number) {
  const submission = latestSubmissions(proposalId).mou;
  const data = submission?.data as { notNeeded?: string; mouVersion?: number } | undefined;
  return {
    notNeededReason: data?.notNeeded ?? null,
    submittedVersion: data?.mouVersion ?? null,
    submittedAt: submission?.submitted_at ?? null,
  };
}


// ---- The editor: its state between requests (it works without JavaScript) ----

export type EditorClause = { id: string; text: string; removed: boolean; reason: string };
type EditorSection = { key: string; title: string; body: string; clauses: EditorClause[] };
export type EditorState = {
  /** The proposal version the editor was opened on. */
  version: number;
  /** The MOU version it edits (null: the generated draft). */
  baseVersion: number | null;
  note: string;
  confirmVoid: boolean;
  sections: EditorSection[];
};

/** The editor as first opened: required clauses removed earlier stay in place, marked removed, with their reason. */
export function initialEditorState(proposalId: number, proposalVersion: number): EditorState {
  const editable = editableMouFor(proposalId);
  const required = requiredMouClauses(proposalId);
  const sections: EditorSection[] = editable.sections.map((s) => ({
    key: s.key,
    title: s.title,
    body: s.body,
    clauses: s.clauses.map((c) => ({ id: c.id, text: c.text, removed: false, reason: '' })),
  }));
  for (const r of editable.removed) {
    const home = required.find((q) => q.clause.id === r.clauseId)?.sectionKey;
    const section = sections.find((s) => s.key === home) ?? sections.find((s) => s.key === 'conditions');
    section?.clauses.push({ id: r.clauseId, text: r.text, removed: true, reason: r.reason });
  }
  return { version: proposalVersion, baseVersion: editable.baseVersion, note: '', confirmVoid: false, sections };
}

/** Every clause origin the editor may show, by clause id. */
export function clauseOrigins(proposalId: number): Record<string, NonNullable<MouClause['origin']>> {
  const out: Record<string, NonNullable<MouClause['origin']>> = {};
  for (const s of editableMouFor(proposalId).sections) for (const c of s.clauses) if (c.origin) out[c.id] = c.origin;
  for (const r of requiredMouClauses(proposalId)) if (r.clause.origin) out[r.clause.id] = r.clause.origin;
  return out;
}

/** The posted editor, with titles from the server's copy. */
export function editorStateFromForm(
  proposalId: number,
  form: { version: number; baseVersion: number | null; note: string; confirmVoid: boolean; sections: { key: string; body: string; clauses: EditorClause[] }[] },
): EditorState {
  const titles = new Map<string, string>([...templateTitlesFor(proposalId), ...editableMouFor(proposalId).sections.map((s) => [s.key, s.title] as const)]);
  return {
    version: form.version,
    baseVersion: form.baseVersion,
    note: form.note,
    confirmVoid: form.confirmVoid,
    sections: form.sections
      .filter((s) => titles.has(s.key))
      .map((s) => ({ key: s.key, title: titles.get(s.key)!, body: s.body, clauses: s.clauses.map((c) => ({ ...c })) })),
  };
}

/** Applies add / remove / restore. Removing a required clause only marks it, so a reason can be given. */
export function applyEditorIntent(state: EditorState, intent: string, requiredIds: Set<string>, newId: () => string): EditorState {
  const next: EditorState = { ...state, sections: state.sections.map((s) => ({ ...s, clauses: s.clauses.map((c) => ({ ...c })) })) };
  const [verb, a, b] = intent.split(':');
  // Button values carry list positions in digits; anything else names no section or clause.
  const section = next.sections[parseWholeNumber(a) ?? -1];
  if (!section) return next;
  if (verb === 'add') section.clauses.push({ id: `custom:${newId()}`, text: '', removed: false, reason: '' });
  const clauseIndex = parseWholeNumber(b) ?? -1;
  const clause = section.clauses[clauseIndex];
  if (verb === 'remove' && clause) {
    if (requiredIds.has(clause.id)) clause.removed = true;
    else section.clauses.splice(clauseIndex, 1);
  }
  if (verb === 'restore' && clause) {
    clause.removed = false;
    clause.reason = '';
  }
  return next;
}

/** Splits the editor into what saveMou takes. */
function editorToSave(proposalId: number, state: EditorState): { sections: MouSection[]; removedConditions: RemovedCondition[] } {
  const removedConditions = state.sections.flatMap((s) =>
    s.clauses.filter((c) => c.removed).map((c) => ({ clauseId: c.id, text: c.text, reason: c.reason })),
  );
  const sections = sectionsFromForm(
    proposalId,
    state.sections.map((s) => ({ key: s.key, body: s.body, clauses: s.clauses.filter((c) => !c.removed) })),
  );
  return { sections, removedConditions };
}

/**
 * Puts the service's errors beside the fields they concern. A required clause
 * missing from the post altogether comes back, marked removed, so its reason can be given.
 */
function editorErrors(
  proposalId: number,
  state: EditorState,
  fieldErrors: Record<string, string[]>,
): { state: EditorState; errors: Record<string, string[]> } {
  const next: EditorState = { ...state, sections: state.sections.map((s) => ({ ...s, clauses: [...s.clauses] })) };
  const errors: Record<string, string[]> = {};
  const required = requiredMouClauses(proposalId);
  for (const [key, messages] of Object.entries(fieldErrors)) {
    if (!key.startsWith('removed.')) {
      errors[key] = messages;
      continue;
    }
    const id = key.slice('removed.'.length);
    let i = next.sections.findIndex((s) => s.clauses.some((c) => c.id === id));
    if (i < 0) {
      const r = required.find((q) => q.clause.id === id);
      const sectionKey = r?.sectionKey ?? 'conditions';
      i = next.sections.findIndex((s) => s.key === sectionKey);
      if (i < 0) {
        // The post lacked the clause's section (an older page, a hand-made post): show it again, as
        // last saved, so the message has its place beside the clause.
        const saved = editableMouFor(proposalId).sections.find((s) => s.key === sectionKey);
        next.sections.push({ key: sectionKey, title: saved?.title ?? sectionKey, body: saved?.body ?? '', clauses: [] });
        i = next.sections.length - 1;
      }
      next.sections[i]!.clauses.push({ id, text: r?.clause.text ?? '', removed: true, reason: '' });
    }
    const j = next.sections[i]!.clauses.findIndex((c) => c.id === id);
    next.sections[i]!.clauses[j] = { ...next.sections[i]!.clauses[j]!, removed: true };
    errors[`sections[${i}].clauses[${j}].reason`] = messages;
  }
  return { state: next, errors };
}

/** A fresh key: for a new clause's id, and to remount the editor on each reply. */
export function newEditorKey(): string {
  return randomBytes(8).toString('hex');
}

// ---- The MOU step page ----

/** What the MOU step page shows this viewer: the editor or the latest version, and which buttons apply. */
export function mouStepPage(viewer: ActingUser, proposal: Proposal) {
  const view = proposalView(proposal.id, viewer)!;
  const canEdit = can(viewer, 'proposal.edit', proposal).ok && isMouEditable(proposal.state);
  const latest = mouVersion(proposal.id);
  const events = view.viewer?.events ?? [];
  const status = mouStepStatus(proposal.id);
  const beforeMou = isBeforeStep(proposal.state, 'mou');
  return {
    proposal: {
      id: proposal.id,
      reference: proposal.reference,
      state: proposal.state,
      version: proposal.version,
      kind: proposal.kind,
      eventTitle: proposal.event_title,
      eventDate: proposal.event_date,
      approvedUntil: proposal.approved_until,
      partnerName: view.proposal.partner_name,
      chapterName: view.proposal.chapter_name,
    },
    mouRequired: view.context.mouRequired,
    canEdit,
    canNotNeeded: canEdit && isAtMouStep(proposal.state) && events.includes('MOU_NOT_NEEDED'),
    canSubmit: canEdit && isAtMouStep(proposal.state) && events.includes('SUBMIT_MOU') && latest !== undefined,
    editor: canEdit ? initialEditorState(proposal.id, proposal.version) : null,
    origins: clauseOrigins(proposal.id),
    latest: latest
      ? {
          version: latest.version,
          createdByName: latest.created_by_name,
          createdAt: latest.created_at,
          note: latest.note,
          sections: latest.sections,
          removed: latest.removed_conditions,
        }
      : null,
    versionCount: mouVersionList(proposal.id).length,
    preview: !latest && (beforeMou || isAtMouStep(proposal.state)) ? generatedMouFor(proposal.id) : null,
    status,
  };
}
export type MouStepPage = ReturnType<typeof mouStepPage>;

export type EditorSaveResult =
  | { ok: true; version: number; reopened: boolean }
  | {
      ok: false;
      kind: DecisionError['kind'];
      message: string;
      state: EditorState;
      errors: Record<string, string[]>;
      /** Two versions to compare, when someone saved a newer one meanwhile. */
      compare: { from: number; to: number } | null;
    };

/** Saves the editor as a new MOU version; a refusal comes back with the editor as typed and the errors beside its fields. */
export function saveEditedMou(proposalId: number, actor: ActingUser, state: EditorState): EditorSaveResult {
  try {
    const { sections, removedConditions } = editorToSave(proposalId, state);
    const saved = saveMou({
      proposalId,
      actor,
      sections,
      removedConditions,
      note: state.note,
      baseVersion: state.baseVersion,
      expectedProposalVersion: state.version,
      confirmVoidApproval: state.confirmVoid,
    });
    return { ok: true, version: saved.version, reopened: saved.reopened !== null };
  } catch (error) {
    if (!(error instanceof DecisionError)) throw error;
    const mapped = editorErrors(proposalId, state, error.fieldErrors);
    let compare: { from: number; to: number } | null = null;
    let next = mapped.state;
    if (error.kind === 'stale') {
      const latest = mouVersion(proposalId)?.version ?? null;
      // Shown the message and the comparison, the lead may save on top of the newer version.
      if (latest && state.baseVersion && latest !== state.baseVersion) compare = { from: state.baseVersion, to: latest };
      const current = proposalRow(proposalId)?.version ?? state.version;
      next = { ...next, baseVersion: latest, version: current };
    }
    return { ok: false, kind: error.kind, message: error.message, state: next, errors: mapped.errors, compare };
  }
}

function unknownPlaceholders(text: string): string[] {
  const known = new Set<string>(MOU_PLACEHOLDERS);
  return [...text.matchAll(/\{\{\s*([a-z_]+)\s*\}\}/g)].map((m) => m[1]!).filter((k) => !known.has(k));
}

/** What stops a template from being saved, by form field ('' for the whole form): unknown placeholders, a missing fixed section, a repeated key. */
export function mouTemplateProblems(sections: { key: string; title: string; body: string }[]): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  sections.forEach((s, i) => {
    for (const field of ['title', 'body'] as const) {
      const unknown = unknownPlaceholders(s[field]);
      if (unknown.length) {
        errors[`sections[${i}].${field}`] = [`Unknown placeholder ${unknown.map((u) => `{{${u}}}`).join(', ')}: use one of those listed above.`];
      }
    }
  });
  const keys = sections.map((s) => s.key);
  for (const key of FIXED_SECTIONS) {
    if (!keys.includes(key)) errors[''] = [`The template must keep the “${key}” section: the drafting puts required clauses there.`];
  }
  if (new Set(keys).size !== keys.length) errors[''] = ['Two sections have the same key.'];
  return errors;
}
