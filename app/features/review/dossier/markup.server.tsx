// The dossier's read-only sections rendered to HTML in the loader: they only show what was
// recorded, so their components (and the heat map, MOU diff and timeline they use) stay out
// of the page's JavaScript. The forms (agenda overrides, the decision) stay React components.
import { renderToStaticMarkup } from 'react-dom/server';
import { AgendaPrecedentList } from './agenda-precedent';
import { EventAndPartner, Precedent } from './facts';
import type { DossierData } from './parts';
import { ScreeningSection } from './screening';
import { PartnerAnswersPanel } from '../../questionnaire/partner-answers';
import { MouSection, PerceptionSection, RiskSection, ValuesSection } from './steps';
import type { Dossier } from '../review.server';

/** HTML for the sections before the agenda (event, partner, precedent, values) and after it (risk to screening). */
export function dossierMarkup(raw: NonNullable<Dossier>) {
  // The loader's data holds only JSON values (strings, numbers, nulls), so the components read
  // the same values on the server as the browser would.
  const dossier = raw as unknown as DossierData;
  // A prefix of its own for useId, so ids cannot meet those the page renders around it.
  const render = (element: React.ReactElement, prefix: string) => renderToStaticMarkup(element, { identifierPrefix: prefix });
  return {
    beforeAgenda: render(
      <>
        <EventAndPartner dossier={dossier} />
        <Precedent dossier={dossier} />
        <PartnerAnswersPanel evidence={dossier.partnerEvidence} parts={['values', 'agenda', 'perception']} id="partner-answers" />
        <ValuesSection dossier={dossier} />
      </>,
      'dossier-a-',
    ),
    agendaPrecedent: render(<AgendaPrecedentList precedent={dossier.agendaPrecedent} />, 'dossier-p-'),
    afterAgenda: render(
      <>
        <RiskSection dossier={dossier} />
        <PerceptionSection dossier={dossier} />
        <MouSection dossier={dossier} />
        <ScreeningSection dossier={dossier} />
      </>,
      'dossier-b-',
    ),
  };
}

/**
 * What the page's React parts read: its head, the agenda's classification forms and the decision
 * forms. The sections above are HTML already, so the records, steps' data, MOU and precedent they
 * show are not sent again for the page to hydrate from.
 */
export function dossierPageData(dossier: NonNullable<Dossier>) {
  const { proposal, partner, steps, agendaItems } = dossier.view;
  return {
    view: { proposal, partner: { id: partner.id, name: partner.name }, steps, agendaItems },
    timing: dossier.timing,
    agendaOutcome: dossier.agendaOutcome,
    controls: dossier.controls,
    positions: dossier.positions,
    positionsVersion: dossier.positionsVersion,
    campaigns: dossier.campaigns,
    screening: dossier.screening,
    screeningLastAnswer: dossier.screeningLastAnswer,
    screeningJudged: dossier.screeningJudged,
    returnSteps: dossier.returnSteps,
    overrideTargets: dossier.overrideTargets,
    endDate: dossier.endDate,
  };
}
