import type { PerceptionChecklistDoc, PerceptionInput, PerceptionOutcome } from '../types';
import { determined, undetermined } from './preview';

export type PerceptionCondition = { itemKey: string; label: string; clause: string };

export type PerceptionResult = {
  outcome: PerceptionOutcome;
  /** One per item answered "condition": each becomes an MOU clause. */
  conditions: PerceptionCondition[];
  /** Keys of items answered "cannot meet". */
  failing: string[];
  /** Keys of checklist items with no (valid) answer: the service refuses the submit while any remain. */
  unanswered: string[];
  summary: string;
};

export function evaluatePerception(checklist: PerceptionChecklistDoc, input: PerceptionInput): PerceptionResult {
  const answers = input?.answers ?? {};
  const conditions: PerceptionCondition[] = [];
  const failing: string[] = [];
  const unanswered: string[] = [];

  for (const item of checklist.items) {
    const answer = Object.hasOwn(answers, item.key) ? answers[item.key]?.answer : undefined;
    if (answer === 'cannot_meet') failing.push(item.key);
    else if (answer === 'condition') conditions.push({ itemKey: item.key, label: item.label, clause: item.condition });
    else if (answer !== 'met') unanswered.push(item.key);
  }

  const labelOf = new Map(checklist.items.map((i) => [i.key, i.label]));
  let outcome: PerceptionOutcome;
  let summary: string;
  if (failing.length > 0) {
    outcome = 'unacceptable';
    summary = `Unacceptable: the partner cannot meet ${failing.map((k) => `"${labelOf.get(k) ?? k}"`).join(', ')}.`;
  } else if (conditions.length > 0) {
    outcome = 'acceptable_with_conditions';
    summary = `Acceptable with ${conditions.length} ${conditions.length === 1 ? 'condition' : 'conditions'}, each carried into the MOU.`;
  } else {
    outcome = 'no_perception_risk';
    summary =
      unanswered.length > 0
        ? `No perception risk among the answered ${checklist.movement} checklist items.`
        : `No perception risk: every ${checklist.movement} checklist item is met.`;
  }
  if (unanswered.length > 0) summary += ` ${unanswered.length} checklist ${unanswered.length === 1 ? 'item is' : 'items are'} unanswered.`;
  return { outcome, conditions, failing, unanswered, summary };
}

/**
 * The perception outcome for the live preview: a verdict once every item is answered, or as
 * soon as one cannot be met (nothing else can change that); until then none.
 */
export function previewPerception(checklist: PerceptionChecklistDoc, input: PerceptionInput) {
  const result = evaluatePerception(checklist, input);
  if (result.failing.length > 0 || result.unanswered.length === 0) return determined(result);
  const total = checklist.items.length;
  return undetermined(
    result,
    result.unanswered.length === total
      ? `answer the ${total} checklist items to see the outcome.`
      : `${result.unanswered.length} of ${total} checklist items still to answer.`,
  );
}
