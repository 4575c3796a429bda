// The words for a risk or benefit score band, apart from the scoring rules in risk.ts.
import type { BandName } from '../types';

/** Words for a benefit's score, so a large benefit never reads as a "critical" risk. */
const BENEFIT_BAND_WORDS: Record<BandName, string> = {
  low: 'small benefit',
  medium: 'moderate benefit',
  high: 'large benefit',
  critical: 'very large benefit',
};

/** Words for a risk's score band. */
const RISK_BAND_WORDS: Record<BandName, string> = {
  low: 'low risk',
  medium: 'medium risk',
  high: 'high risk',
  critical: 'critical risk',
};

/** A score band in the words of its item's kind: "critical risk", "very large benefit". */
export function bandWords(kind: 'risk' | 'benefit', band: BandName): string {
  return (kind === 'benefit' ? BENEFIT_BAND_WORDS : RISK_BAND_WORDS)[band] ?? band;
}
