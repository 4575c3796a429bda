import type { ActingUser } from '../../../../workflows/policy';
import { dataCache } from '../../../../db/read-cache';
import { screeningConfig } from '../../outside/screening.server';
import { reviewDossier } from '../review.server';
import { dossierMarkup, dossierPageData } from './markup.server';

// The dossier is the heaviest page staff open (about 25 queries and 30-60 KB of sections'
// HTML at 20,000 proposals), and it is opened again and again while nothing in the register
// changes. Its data and HTML are kept until the next write to the database, for the one
// person who asked: the key holds the whole acting user (identity, roles, chapter: all that
// workflows/policy decides rights from), the day (what counts as past, the decision's date
// limits), the precedent option and whether screening is on (the environment's one say in it).
const dossiers = dataCache<ReturnType<typeof buildDossierPage>>(64);

function buildDossierPage(proposalId: number, viewer: ActingUser, today: string, allPrecedent: boolean) {
  const dossier = reviewDossier(proposalId, viewer, today, { allPrecedent });
  if (!dossier) return null;
  return { data: dossierPageData(dossier), markup: dossierMarkup(dossier) };
}

/** The dossier's page data and sections' HTML for this viewer today; null when there is no such proposal. */
export function dossierPage(proposalId: number, viewer: ActingUser, today: string, options: { allPrecedent?: boolean } = {}) {
  const allPrecedent = Boolean(options.allPrecedent);
  const key = JSON.stringify([
    proposalId,
    viewer.id,
    viewer.name,
    [...viewer.roles].sort(),
    viewer.chapterId,
    today,
    allPrecedent,
    screeningConfig().enabled,
  ]);
  return dossiers.read(key, () => buildDossierPage(proposalId, viewer, today, allPrecedent));
}

/** Drops every kept dossier (tests compare a page with and without what was kept). */
export function forgetDossierPages(): void {
  dossiers.clear();
}
