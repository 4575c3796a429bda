import type { ValuesCriterion, ValuesInput, ValuesOutcome } from '../types';
import { determined, undetermined } from './preview';

export type ValuesResult = {
  outcome: ValuesOutcome;
  /** Required criteria rated "does not meet": each one alone makes the partner incompatible. */
  notMet: string[];
  /** Criteria rated "concern", plus non-required criteria rated "does not meet". */
  concerns: string[];
  /** Criteria rated "unknown" or not rated at all. */
  unknown: string[];
  summary: string;
};

function listLabels(keys: string[], labels: Map<string, string>): string {
  return keys.map((k) => labels.get(k) ?? k).join(', ');
}

/** Values-compatibility check against the rubric (ratings for keys not in the rubric are ignored). */
export function evaluateValues(criteria: ValuesCriterion[], input: ValuesInput): ValuesResult {
  const notMet: string[] = [];
  const concerns: string[] = [];
  const unknown: string[] = [];
  const labels = new Map(criteria.map((c) => [c.key, c.label]));
  const ratings = input?.ratings ?? {};

  for (const c of criteria) {
    const rating = Object.hasOwn(ratings, c.key) ? ratings[c.key]?.rating : undefined;
    if (rating === 'not_met') (c.required ? notMet : concerns).push(c.key);
    else if (rating === 'concern') concerns.push(c.key);
    else if (rating === 'meets') continue;
    else unknown.push(c.key); // 'unknown', missing, or an unrecognized rating: nothing was established
  }

  let outcome: ValuesOutcome;
  let summary: string;
  if (notMet.length > 0) {
    outcome = 'incompatible';
    summary = `Incompatible: the partner does not meet the required ${notMet.length === 1 ? 'criterion' : 'criteria'} ${listLabels(notMet, labels)}.`;
  } else if (concerns.length > 0 || unknown.length > 0) {
    outcome = 'compatible_with_concerns';
    const parts: string[] = [];
    if (concerns.length > 0) parts.push(`concerns on ${listLabels(concerns, labels)}`);
    if (unknown.length > 0) parts.push(`not established: ${listLabels(unknown, labels)}`);
    summary = `Compatible with concerns: ${parts.join('; ')}.`;
  } else {
    outcome = 'compatible';
    summary =
      criteria.length === 0
        ? 'Compatible: the rubric has no criteria.'
        : `Compatible: the partner meets all ${criteria.length} ${criteria.length === 1 ? 'criterion' : 'criteria'}.`;
  }
  return { outcome, notMet, concerns, unknown, summary };
}

/**
 * The values outcome for the live preview: a verdict once every criterion is rated, or as
 * soon as a required criterion is not met (nothing else can change that); until then none.
 */
export function previewValues(criteria: ValuesCriterion[], input: ValuesInput) {
  const result = evaluateValues(criteria, input);
  if (result.notMet.length > 0) return determined(result);
  const ratings = input?.ratings ?? {};
  const unrated = criteria.filter((c) => !(Object.hasOwn(ratings, c.key) && ratings[c.key]?.rating));
  if (unrated.length === 0) return determined(result);
  return undetermined(
    result,
    unrated.length === criteria.length
      ? `rate the ${criteria.length === 1 ? 'criterion' : `${criteria.length} criteria`} to see the outcome.`
      : `${unrated.length} of ${criteria.length} criteria still to rate (${unrated.map((c) => c.label).join(', ')}).`,
  );
}
