import {
  AGENDA_CLASSIFICATIONS,
  type AgendaClassification,
  type AgendaItemInput,
  type AgendaOutcome,
  type PartnerProfile,
  type Position,
} from '../types';
import { determined, undetermined } from './preview';

export type AgendaResult = {
  outcome: AgendaOutcome;
  counts: Record<AgendaClassification, number>;
  perceptionRequired: boolean;
  perceptionReasons: string[];
  summary: string;
};

/** The perception-sensitive movements named in the catalog (e.g. ["BDS"]), unique, in catalog order. */
export function perceptionMovements(positions: Position[]): string[] {
  const seen = new Set<string>();
  for (const p of positions) {
    const m = p.perceptionSensitive?.trim();
    if (m) seen.add(m);
  }
  return [...seen];
}

/** The public-position tag a partner profile uses for supporting a movement: "BDS" -> "supports_bds". */
export function supportsTag(movement: string): string {
  return `supports_${movement.trim().toLowerCase().replace(/\s+/g, '_')}`;
}

/**
 * The movements a partner can be recorded as publicly supporting: the new-proposal form offers
 * each one's tag (supportsTag: "supports_bds"), and the pages name the ones a partner carries
 * (supportedMovements). A catalog position may be perception-sensitive only for one of these: for
 * any other name the partner check above would look for a tag no partner carries.
 */
export const RECORDED_MOVEMENTS = ['BDS'] as const;

export type RecordedMovement = (typeof RECORDED_MOVEMENTS)[number];

/** A partner's public positions as the rules compare them: trimmed, lower case. */
function positionTags(publicPositions: readonly string[]): Set<string> {
  return new Set(publicPositions.map((s) => s.trim().toLowerCase()));
}

/** The recorded movements whose tag a partner's public positions carry, as the agenda rule finds them. */
export function supportedMovements(publicPositions: readonly string[]): RecordedMovement[] {
  const tags = positionTags(publicPositions);
  return RECORDED_MOVEMENTS.filter((m) => tags.has(supportsTag(m)));
}

/** Whether partners can carry the tag of this movement, so the agenda rule can find them. */
export function isRecordedMovement(movement: string): boolean {
  return RECORDED_MOVEMENTS.some((m) => supportsTag(m) === supportsTag(movement));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function evaluateAgenda(items: AgendaItemInput[], positions: Position[], partner: PartnerProfile): AgendaResult {
  const counts = Object.fromEntries(AGENDA_CLASSIFICATIONS.map((c) => [c, 0])) as Record<AgendaClassification, number>;
  const byKey = new Map(positions.map((p) => [p.key, p]));
  const reasons: string[] = [];

  for (const item of items) {
    // An unrecognized classification is treated as unknown: staff must classify it.
    const cls: AgendaClassification = AGENDA_CLASSIFICATIONS.includes(item.classification) ? item.classification : 'unknown';
    counts[cls] += 1;
    if (cls !== 'no_position' || item.positionKey == null) continue;
    const pos = byKey.get(item.positionKey);
    const movement = pos?.perceptionSensitive?.trim();
    if (pos && movement) {
      reasons.push(
        `Agenda item "${item.text}" maps to "${pos.statement}", on which the organization takes no position (${movement}).`,
      );
    }
  }

  const publicPositions = positionTags(partner?.publicPositions ?? []);
  for (const movement of perceptionMovements(positions)) {
    if (publicPositions.has(supportsTag(movement))) reasons.push(`The partner publicly supports ${movement}.`);
  }

  let outcome: AgendaOutcome;
  let summary: string;
  const total = items.length;
  if (counts.conflicting > 0) {
    outcome = 'conflict';
    summary = `Conflict: ${plural(counts.conflicting, 'item')} of ${total} ${counts.conflicting === 1 ? 'conflicts' : 'conflict'} with the organization's positions or mandate.`;
  } else if (counts.no_position + counts.unknown > 0) {
    outcome = 'manageable_divergence';
    const parts: string[] = [];
    if (counts.no_position > 0) parts.push(`${counts.no_position} on which the organization takes no position`);
    if (counts.unknown > 0) parts.push(`${counts.unknown} not yet classified`);
    summary = `Manageable divergence: of ${plural(total, 'item')}, ${parts.join(' and ')}.`;
  } else {
    outcome = 'aligned';
    summary =
      total === 0
        ? 'Aligned: no agenda items were listed.'
        : total === 1
          ? "Aligned: the one item is aligned or compatible with the organization's positions."
          : `Aligned: all ${plural(total, 'item')} are aligned or compatible with the organization's positions.`;
  }
  return { outcome, counts, perceptionRequired: reasons.length > 0, perceptionReasons: reasons, summary };
}

/** The agenda outcome for the live preview: no verdict until at least one item is listed. */
export function previewAgenda(items: AgendaItemInput[], positions: Position[], partner: PartnerProfile) {
  const result = evaluateAgenda(items, positions, partner);
  if (items.length === 0) return undetermined(result, 'list at least one agenda item to see the outcome.');
  return determined(result);
}
