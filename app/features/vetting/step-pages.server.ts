// What each step page reads besides the form: the active configuration the step is
// judged against, and (for the agenda) the partner's public positions.
import { activeConfig, listCampaigns } from '../../../db/config';
import { partnerById, publicPositionsOf } from '../../../db/partners';
import type { Proposal } from '../../../db/schema';
import { SKIP_RULES, type PersistedVetting } from '../../../workflows/machine';
import { matchPositions } from './position-search';
import { perceptionFormSchema, valuesFormSchema } from './step-forms.server';
import { isBeforeStep, type ActingUser } from '../../../workflows/policy';
import { stepPage } from './proposals.server';
import { fillForProposal } from '../mou/mou-facts.server';
import { partnerEvidenceOf } from '../questionnaire/partner-links.server';
import { partnerAnswersMarkup } from '../questionnaire/partner-answers-markup.server';
import { uploadLimitBytes } from '../attachments/attachments.server';
import { sizeLabel } from '../attachments/attachment-list';
import { itemFilesMarkup } from '../attachments/attachments-markup.server';

/** What a step form's file fields say about the size limit. */
export const uploadLimit = () => sizeLabel(uploadLimitBytes());

export function valuesStepPage(user: ActingUser, proposal: Proposal) {
  const { docs, versions } = activeConfig();
  return {
    ...stepPage(user, proposal, 'values'),
    criteria: docs.values_criteria.criteria,
    rubricVersion: versions.values_criteria,
    uploadLimit: uploadLimit(),
    // The partner's own answers, shown beside the form as its evidence (never as the lead's rating),
    // as HTML: the panel's components stay out of the page's JavaScript.
    partnerAnswers: partnerAnswersMarkup(partnerEvidenceOf(proposal.id), ['values']),
  };
}

/** The values form's schema follows the active rubric. */
export const currentValuesFormSchema = () => valuesFormSchema(activeConfig().docs.values_criteria.criteria);

export function agendaStepPage(user: ActingUser, proposal: Proposal) {
  const { docs, versions } = activeConfig();
  const partner = partnerById(proposal.partner_id)!;
  const campaignName = new Map(listCampaigns(false).map((c) => [c.key, c.name]));
  return {
    ...stepPage(user, proposal, 'agenda'),
    positions: docs.positions.positions.map((p) => ({
      key: p.key,
      statement: p.statement,
      stance: p.stance,
      campaignKey: p.campaignKey,
      perceptionSensitive: p.perceptionSensitive,
      campaign: p.campaignKey ? (campaignName.get(p.campaignKey) ?? p.campaignKey) : null,
      keywords: p.keywords,
      sources: p.sources.map((s) => ({ seed: s.seed, quote: s.quote })),
    })),
    positionsVersion: versions.positions,
    partnerPublicPositions: publicPositionsOf(partner),
    partnerAnswers: partnerAnswersMarkup(partnerEvidenceOf(proposal.id), ['agenda']),
  };
}

/** Positions of the active catalog that match the words typed. */
export const searchPositionCatalog = (words: string) => matchPositions(activeConfig().docs.positions.positions, words);

export function riskStepPage(user: ActingUser, proposal: Proposal) {
  const { docs, versions } = activeConfig();
  const page = stepPage(user, proposal, 'risk');
  const context = { proposalId: proposal.id, editable: page.editable, limitLabel: uploadLimit() };
  // Each item's file field as HTML: see attachments-markup.server.tsx.
  return { ...page, matrix: docs.risk_matrix, matrixVersion: versions.risk_matrix, files: itemFilesMarkup(page.initial.values.items, {}, context) };
}

export function perceptionStepPage(user: ActingUser, proposal: Proposal) {
  const { docs, versions } = activeConfig();
  const context = (JSON.parse(proposal.workflow) as PersistedVetting).context;
  // The conditions read as they will in the MOU: with the partner's and the organization's names.
  const fill = fillForProposal(proposal.id);
  const checklist = docs.perception_checklist;
  return {
    ...stepPage(user, proposal, 'perception'),
    checklist: { ...checklist, items: checklist.items.map((item) => ({ ...item, condition: fill(item.condition) })) },
    checklistVersion: versions.perception_checklist,
    required: context.perceptionRequired,
    reasons: context.perceptionReasons,
    notRequiredRule: SKIP_RULES.perceptionNotRequired,
    agendaDone: !isBeforeStep(proposal.state, 'risk'),
    partnerAnswers: partnerAnswersMarkup(partnerEvidenceOf(proposal.id), ['perception']),
    uploadLimit: uploadLimit(),
  };
}

/** The perception form's schema follows the active checklist. */
export const currentPerceptionFormSchema = () => perceptionFormSchema(activeConfig().docs.perception_checklist);
