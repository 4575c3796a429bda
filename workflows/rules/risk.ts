import type { BandName, RiskItemInput, RiskMatrixDoc, RiskOutcome } from '../types';
import { determined, undetermined } from './preview';
// The band words live apart so pages that only name a band (the dossier, the heat map)
// do not ship the scoring rules to the browser.
export { bandWords } from './risk-bands';

/** Default 1..5 scale words; the versioned matrix document carries the labels actually shown. */
export const LIKELIHOOD_WORDS = ['rare', 'unlikely', 'possible', 'likely', 'almost certain'] as const;
export const IMPACT_WORDS = ['negligible', 'minor', 'moderate', 'major', 'severe'] as const;

export type ScoredRiskItem = RiskItemInput & {
  /** likelihood x impact, 1..25 (0 when the item's values are invalid: see problems). */
  score: number;
  band: BandName;
  /** Risks: the residual score (the inherent one when no residual values were given). Benefits: null. */
  residualScore: number | null;
  residualBand: BandName | null;
};

export type RiskProblem = { index: number | null; field: string | null; message: string };

export type RiskResult = {
  outcome: RiskOutcome;
  items: ScoredRiskItem[];
  benefitSum: number;
  inherentRiskSum: number;
  residualRiskSum: number;
  residualCriticalCount: number;
  close: boolean;
  arithmetic: string;
  /** Non-empty: the register cannot be submitted (the outcome is then only indicative). */
  problems: RiskProblem[];
};

function isScale(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 5;
}

/** likelihood x impact; both must be integers 1..5. */
export function riskScore(likelihood: number, impact: number): number {
  if (!isScale(likelihood)) throw new RangeError(`Likelihood must be an integer from 1 to 5, got ${likelihood}.`);
  if (!isScale(impact)) throw new RangeError(`Impact must be an integer from 1 to 5, got ${impact}.`);
  return likelihood * impact;
}

/** The matrix band whose inclusive [min, max] range holds the score. */
export function bandFor(score: number, matrix: RiskMatrixDoc): BandName {
  const band = matrix.bands.find((b) => score >= b.min && score <= b.max);
  if (!band) throw new RangeError(`No band of the risk matrix covers the score ${score}.`);
  return band.name;
}

/** Up to two decimals, no trailing zeros: 2.6, 4, 3.33. */
function fmt(n: number): string {
  return String(Math.round(n * 100) / 100);
}

function sumText(label: string, scores: number[], total: number): string {
  if (scores.length === 0) return `${label} none (0)`;
  if (scores.length === 1) return `${label} ${scores[0]}`;
  return `${label} ${scores.join(' + ')} = ${total}`;
}

/**
 * What is wrong with one item of the register. `complete`: the register is being
 * submitted, so every risk needs its mitigation and both values after mitigation
 * (a preview tolerates them missing, the residual then being the inherent score).
 * `scales`: also report a likelihood or impact off the 1..5 scale (a caller whose
 * schema already reports those leaves it off).
 */
export function riskItemProblems(
  item: Partial<Pick<RiskItemInput, 'kind' | 'likelihood' | 'impact' | 'mitigation' | 'residualLikelihood' | 'residualImpact'>>,
  index: number,
  { complete = false, scales = true }: { complete?: boolean; scales?: boolean } = {},
): RiskProblem[] {
  const problems: RiskProblem[] = [];
  const validL = isScale(item.likelihood);
  const validI = isScale(item.impact);
  if (scales && !validL) problems.push({ index, field: 'likelihood', message: 'Choose a likelihood from 1 to 5.' });
  if (scales && !validI) problems.push({ index, field: 'impact', message: 'Choose an impact from 1 to 5.' });
  if (item.kind === 'benefit') return problems;
  const rl = item.residualLikelihood ?? null;
  const ri = item.residualImpact ?? null;
  if (complete) {
    if (!item.mitigation || item.mitigation.trim() === '') problems.push({ index, field: 'mitigation', message: 'Describe how this risk is mitigated.' });
    if (rl === null) problems.push({ index, field: 'residualLikelihood', message: 'Give the likelihood after mitigation.' });
    if (ri === null) problems.push({ index, field: 'residualImpact', message: 'Give the impact after mitigation.' });
  }
  if (rl === null && ri === null) return problems;
  if (rl === null || ri === null) {
    if (!complete) {
      problems.push({
        index,
        field: rl === null ? 'residualLikelihood' : 'residualImpact',
        message: 'Give both the residual likelihood and the residual impact, or neither.',
      });
    }
  } else if (!isScale(rl) || !isScale(ri)) {
    if (scales) {
      problems.push({ index, field: isScale(rl) ? 'residualImpact' : 'residualLikelihood', message: 'Residual likelihood and impact must be from 1 to 5.' });
    }
  } else if (validL && validI && rl * ri > item.likelihood! * item.impact!) {
    problems.push({
      index,
      field: 'residualImpact',
      message: `The residual score (${rl * ri}) cannot be above the inherent score (${item.likelihood! * item.impact!}): a mitigation does not raise a risk.`,
    });
  }
  return problems;
}

/** What the register as a whole lacks: at least one risk and one benefit. */
export function riskListProblems(items: Pick<RiskItemInput, 'kind'>[]): RiskProblem[] {
  const problems: RiskProblem[] = [];
  if (!items.some((i) => i.kind === 'risk')) problems.push({ index: null, field: null, message: 'Add at least one risk.' });
  if (!items.some((i) => i.kind === 'benefit')) problems.push({ index: null, field: null, message: 'Add at least one benefit.' });
  return problems;
}

/** Everything that keeps a register from being submitted: the one rule set the form and the decision both apply. */
export function riskSubmitProblems(items: RiskItemInput[]): RiskProblem[] {
  return [...items.flatMap((item, index) => riskItemProblems(item, index, { complete: true })), ...riskListProblems(items)];
}

export function evaluateRisk(items: RiskItemInput[], matrix: RiskMatrixDoc): RiskResult {
  const problems: RiskProblem[] = [];
  const scored: ScoredRiskItem[] = [];
  const benefitScores: number[] = [];
  const residualScores: number[] = [];
  let inherentRiskSum = 0;
  let residualCriticalCount = 0;

  items.forEach((item, index) => {
    const itemProblems = riskItemProblems(item, index);
    problems.push(...itemProblems);
    if (!isScale(item.likelihood) || !isScale(item.impact)) {
      // Kept in place so indexes match the input; excluded from the sums.
      scored.push({ ...item, score: 0, band: 'low', residualScore: null, residualBand: null });
      return;
    }
    const score = item.likelihood * item.impact;
    const band = bandFor(score, matrix);

    if (item.kind === 'benefit') {
      // Mitigation and residual values mean nothing for a benefit: ignored.
      benefitScores.push(score);
      scored.push({ ...item, score, band, residualScore: null, residualBand: null });
      return;
    }

    inherentRiskSum += score;
    const rl = item.residualLikelihood;
    const ri = item.residualImpact;
    const residualScore = isScale(rl) && isScale(ri) ? rl * ri : score;
    const residualBand = bandFor(residualScore, matrix);
    if (residualBand === 'critical') residualCriticalCount += 1;
    residualScores.push(residualScore);
    scored.push({ ...item, score, band, residualScore, residualBand });
  });

  problems.push(...riskListProblems(items));

  const benefitSum = benefitScores.reduce((a, b) => a + b, 0);
  const residualRiskSum = residualScores.reduce((a, b) => a + b, 0);
  const margin = (matrix.closeMarginPercent / 100) * Math.max(benefitSum, residualRiskSum);
  const diff = Math.abs(benefitSum - residualRiskSum);
  const close = diff <= margin; // ties, including 0 vs 0, are close

  let outcome: RiskOutcome;
  if (residualCriticalCount > 0 || close) outcome = 'needs_staff_acceptance';
  else if (benefitSum > residualRiskSum) outcome = 'benefits_outweigh';
  else outcome = 'risks_outweigh';

  const arithmetic = riskArithmetic({
    outcome,
    benefitScores,
    residualScores,
    residualCriticalCount,
    closeMarginPercent: matrix.closeMarginPercent,
  });

  return {
    outcome,
    items: scored,
    benefitSum,
    inherentRiskSum,
    residualRiskSum,
    residualCriticalCount,
    close,
    arithmetic,
    problems,
  };
}

/** The sentence that leads the arithmetic: the outcome in words, agreeing with its badge. */
function riskVerdict(outcome: RiskOutcome, residualCriticalCount: number): string {
  if (outcome === 'needs_staff_acceptance') {
    if (residualCriticalCount > 0) {
      const what = residualCriticalCount === 1 ? 'a residual risk is' : `${residualCriticalCount} residual risks are`;
      return `Needs staff acceptance: ${what} still critical after mitigation, whatever the sums.`;
    }
    return 'Needs staff acceptance: benefits and residual risks are too close to call.';
  }
  return outcome === 'benefits_outweigh' ? 'Benefits outweigh risks.' : 'Risks outweigh benefits.';
}

/**
 * The outcome, then the sums it rests on and the close margin in words:
 * "Benefits outweigh risks. Benefits 12 + 8 = 20; residual risks 6 + 4 = 10; 20 > 10 by 10,
 * more than the close margin of 4 (20% of the larger sum, 20)."
 */
export function riskArithmetic(parts: {
  outcome: RiskOutcome;
  benefitScores: number[];
  residualScores: number[];
  residualCriticalCount: number;
  closeMarginPercent: number;
}): string {
  const benefitSum = parts.benefitScores.reduce((a, b) => a + b, 0);
  const riskSum = parts.residualScores.reduce((a, b) => a + b, 0);
  const larger = Math.max(benefitSum, riskSum);
  const margin = (parts.closeMarginPercent / 100) * larger;
  const diff = Math.abs(benefitSum - riskSum);
  const marginText = `the close margin of ${fmt(margin)} (${fmt(parts.closeMarginPercent)}% of the larger sum, ${larger})`;
  let comparison: string;
  if (benefitSum === riskSum) comparison = `${benefitSum} = ${riskSum}, within ${marginText}`;
  else {
    const head = `${benefitSum} ${benefitSum > riskSum ? '>' : '<'} ${riskSum} by ${diff}`;
    comparison = diff <= margin ? `${head}, within ${marginText}` : `${head}, more than ${marginText}`;
  }
  const sums = `${sumText('Benefits', parts.benefitScores, benefitSum)}; ${sumText('residual risks', parts.residualScores, riskSum)}`;
  return `${riskVerdict(parts.outcome, parts.residualCriticalCount)} ${sums}; ${comparison}.`;
}

/** The risk outcome for the live preview: no verdict until at least one risk and one benefit are scored. */
export function previewRisk(items: RiskItemInput[], matrix: RiskMatrixDoc) {
  const result = evaluateRisk(items, matrix);
  const scored = (kind: 'risk' | 'benefit') => result.items.some((i) => i.kind === kind && i.score > 0);
  if (result.residualCriticalCount > 0 || (scored('risk') && scored('benefit'))) return determined({ ...result, summary: result.arithmetic });
  return undetermined(result, 'give at least one risk and one benefit a likelihood and an impact to see the outcome.');
}

/**
 * The arithmetic of a recorded risk result in today's words, from its numbers (records
 * written before the wording changed keep their text; this reads them the same way).
 */
export function recordedRiskArithmetic(result: RiskResult, fallbackMarginPercent: number): string {
  const recordedPercent = /(\d+(?:\.\d+)?)%/.exec(result.arithmetic ?? '')?.[1];
  const items = result.items ?? [];
  return riskArithmetic({
    outcome: result.outcome,
    benefitScores: items.filter((i) => i.kind === 'benefit' && i.score > 0).map((i) => i.score),
    residualScores: items.filter((i) => i.kind === 'risk' && i.residualScore != null).map((i) => i.residualScore as number),
    residualCriticalCount: result.residualCriticalCount ?? 0,
    closeMarginPercent: recordedPercent ? Number(recordedPercent) : fallbackMarginPercent,
  });
}
