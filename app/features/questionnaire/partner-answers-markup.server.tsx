// The partner's answers beside a step form, rendered to HTML in the step's loader: the panel
// only shows what the partner gave, so its components stay out of the step pages' JavaScript
// (issue 15's 100 KB budget). The page shows it with components/server-markup.tsx.
import { renderToStaticMarkup } from 'react-dom/server';
import { PartnerAnswersPanel, type PartnerEvidenceView } from './partner-answers';

type Part = 'values' | 'agenda' | 'perception';

/** The panel's HTML for the given parts of every answered questionnaire; empty when there is none. */
export function partnerAnswersMarkup(evidence: PartnerEvidenceView[], parts: Part[]): string {
  if (evidence.length === 0) return '';
  return renderToStaticMarkup(<PartnerAnswersPanel evidence={evidence} parts={parts} id="partner-answers" />);
}
