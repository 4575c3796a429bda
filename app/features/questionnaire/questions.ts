// The partner's questionnaire: what is asked (built from the configuration when a link is made,
// then frozen with the link) and the shape of the answers. Pure, no zod and no server code:
// the pages that show answers import the types and labels from here.
import type { ConfigDocs, ConfigVersions } from '../../../workflows/types';

export const STANCES = ['supports', 'opposes', 'no_public_position'] as const;
export type Stance = (typeof STANCES)[number];
export const ACCEPTANCES = ['accept', 'decline'] as const;
export type Acceptance = (typeof ACCEPTANCES)[number];

export const STANCE_LABEL: Record<Stance, string> = {
  supports: 'We publicly support this',
  opposes: 'We publicly oppose this',
  no_public_position: 'We have no public position on this',
};
export const ACCEPTANCE_LABEL: Record<Acceptance, string> = {
  accept: 'We accept this',
  decline: 'We cannot accept this',
};

/** The most items asked about in one questionnaire: it stays short. */
const MAX_POSITION_QUESTIONS = 20;

export type Questionnaire = {
  version: 1;
  /** The organization asking. */
  organization: string;
  transparency: { label: string; description: string };
  /** The proposal's agenda items (or, before the agenda is mapped, the catalog's perception-sensitive entries). */
  positions: { key: string; text: string; positionKey: string | null; catalogStatement: string | null }[];
  perception: { movement: string; conditions: { key: string; label: string; text: string }[] };
  /** The MOU template's use-of-name clause, filled with the proposal's facts; null when the template has none. */
  useOfName: { key: string; title: string; text: string } | null;
  configVersions: ConfigVersions;
};

export type PartnerAnswers = {
  respondent: { name: string; role: string };
  leadership: string;
  funding: string;
  links: string[];
  positions: Record<string, { stance: Stance; statement: string }>;
  conditions: Record<string, { answer: Acceptance; comment: string }>;
  useOfName: { answer: Acceptance; comment: string } | null;
};

/** The section of the MOU template that governs the use of names and logos. */
const USE_OF_NAME_SECTION = 'names_logos';

export function buildQuestionnaire(input: {
  organization: string;
  docs: ConfigDocs;
  versions: ConfigVersions;
  campaignKey: string | null;
  agendaItems: { text: string; positionKey: string | null }[];
  fill: (text: string) => string;
}): Questionnaire {
  const { docs } = input;
  const statements = new Map(docs.positions.positions.map((p) => [p.key, p.statement]));
  const transparency = docs.values_criteria.criteria.find((c) => c.key === 'transparency');
  const asked =
    input.agendaItems.length > 0
      ? input.agendaItems.map((a) => ({ text: a.text, positionKey: a.positionKey }))
      : // Before the agenda is mapped, ask about what the perception review hinges on.
        docs.positions.positions
          .filter((p) => p.perceptionSensitive && (p.campaignKey === null || p.campaignKey === input.campaignKey))
          .map((p) => ({ text: p.statement, positionKey: p.key }));
  const section = docs.mou_template.sections.find((s) => s.key === USE_OF_NAME_SECTION);
  return {
    version: 1,
    organization: input.organization,
    transparency: {
      label: transparency?.label ?? 'Transparency',
      description: transparency?.description ?? 'Who leads your organization, and how it is funded.',
    },
    positions: asked.slice(0, MAX_POSITION_QUESTIONS).map((a, i) => ({
      key: `p${i}`,
      text: a.text,
      positionKey: a.positionKey,
      catalogStatement: a.positionKey ? (statements.get(a.positionKey) ?? null) : null,
    })),
    perception: {
      movement: docs.perception_checklist.movement,
      conditions: docs.perception_checklist.items.map((item) => ({ key: item.key, label: item.label, text: input.fill(item.condition) })),
    },
    useOfName: section ? { key: section.key, title: input.fill(section.title), text: input.fill(section.body) } : null,
    configVersions: input.versions,
  };
}
