import { generateMou, requiredClauseIds, type MouFacts, type MouSection, type MouCondition, type MouMitigation } from '../../workflows/mou';
import type { PerceptionResult, RiskResult } from '../../workflows';
import { activeConfig } from '../../db/config';
import { nowIso, transaction } from '../../db/connection';
import { insertMouVersion, latestSubmissions, mouVersion, proposalById } from '../../db/proposals';
import { ORGANIZATION_NAME } from '../../db/seed-data/config';
import { can, type ActingUser } from './permissions';
import { DecisionError } from './vetting.server';

const KIND_LABELS: Record<string, string> = {
  co_listing: 'co-listing',
  co_hosting: 'co-hosting',
  speaker: 'providing a speaker',
  shared_materials: 'sharing materials',
};

export function mouFactsFor(proposalId: number): MouFacts {
  const p = proposalById(proposalId);
  if (!p) throw new DecisionError('not_found', 'There is no such proposal.');
  return {
    organization: ORGANIZATION_NAME,
    partner: p.partner_name,
    chapter: p.chapter_name,
    event_title: p.event_title,
    event_date: p.event_date,
    event_place: p.event_place,
    event_description: p.event_description,
    cosponsorship_kind: KIND_LABELS[p.kind] ?? p.kind,
    lead_name: p.proposer_name,
    lead_email: p.proposer_email,
    end_date: p.approved_until ?? p.event_date,
    reference: p.reference,
  };
}

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

export type RemovedCondition = { clauseId: string; text: string; reason: string };

/**
 * Saves a new MOU version. baseVersion is the version the editor started from:
 * if someone saved meanwhile, nothing is written and the caller is told.
 */
export function saveMouVersion(args: {
  proposalId: number;
  actor: ActingUser;
  sections: MouSection[];
  removedConditions: RemovedCondition[];
  note: string;
  baseVersion: number | null;
}): number {
  const proposal = proposalById(args.proposalId);
  if (!proposal) throw new DecisionError('not_found', 'There is no such proposal.');
  const permission = can(args.actor, 'proposal.edit', proposal);
  if (!permission.ok) throw new DecisionError('forbidden', permission.reason);
  const { conditions, mitigations } = requiredClausesFor(args.proposalId);
  const present = new Set(args.sections.flatMap((s) => s.clauses.map((c) => c.id)));
  const explained = new Map(args.removedConditions.map((r) => [r.clauseId, r.reason.trim()]));
  const errors: Record<string, string[]> = {};
  for (const id of requiredClauseIds(conditions, mitigations)) {
    if (!present.has(id) && (explained.get(id) ?? '').length < 10) {
      errors[`removed.${id}`] = ['This clause was required by the vetting: say why it is removed (at least 10 characters).'];
    }
  }
  if (Object.keys(errors).length) throw new DecisionError('invalid', 'A required clause was removed without a reason.', errors);
  return transaction(() => {
    const latest = mouVersion(args.proposalId);
    if ((latest?.version ?? null) !== args.baseVersion) {
      throw new DecisionError(
        'stale',
        `Someone saved version ${latest?.version} of this MOU after you opened it. Your text is kept; compare and save again.`,
        {},
        latest?.version ?? null,
      );
    }
    return insertMouVersion({
      proposalId: args.proposalId,
      sections: args.sections,
      removedConditions: args.removedConditions.filter((r) => !present.has(r.clauseId)),
      note: args.note,
      createdBy: args.actor.id,
      createdAt: nowIso(),
    });
  });
}
