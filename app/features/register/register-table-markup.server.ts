// The register's table (and the partner page's proposals) rendered to HTML in the loader: it only shows records, so the rows reach
// the browser once, as the page's HTML (components/server-markup.tsx), instead of a second time
// as data to hydrate from, and nothing of it is in the page's JavaScript. Written as escaped
// text (utils/html.server.ts), not rendered from components: the same markup for a quarter of
// the CPU, and the rows were most of the register's and the partner page's own work.
import { html, type SafeHtml } from '../../utils/html.server';
import { formatDate, kindLabel, outcomeLabel, outcomeTone, roleLabel, stateLabel, stateTone, stepLabel } from '../../utils/labels';
import { isApproved } from '../../../workflows/policy';
import { formatUtc, recordHref, type RegisterEntryView } from './register-entries';

type SnippetPart = NonNullable<RegisterEntryView['snippet']>[number];

/** The snippet's text, highlights as <mark>: stored text is only ever text, never HTML. */
const snippet = (parts: SnippetPart[]) => parts.map((part) => (part.hit ? html`<mark>${part.text}</mark>` : html`<span>${part.text}</span>`));

function row(r: RegisterEntryView, showPartner: boolean, showEventTitle: boolean): SafeHtml {
  const rationale =
    r.snippet && r.snippetInRationale
      ? html`<p>${snippet(r.snippet)}</p>`
      : html`<p dir="auto">${r.rationale || html`<span class="muted">No rationale written.</span>`}</p>`;
  const match = r.snippet && !r.snippetInRationale ? html`<p class="register-snippet"><span class="muted">Match: </span>${snippet(r.snippet)}</p>` : null;
  return html`<tr data-seq="${r.seq}" data-proposal="${r.proposalId}"><td class="small" data-label="Record"><a href="${recordHref(r.proposalId, r.seq)}" aria-label="Record ${r.seq} of ${r.reference}">#${r.seq}</a><div class="register-when"><time dateTime="${r.at}">${formatUtc(r.at)}</time></div></td><td class="cell--wide"><a href="${recordHref(r.proposalId)}" class="register-when">${r.reference}</a>${
    showEventTitle ? html`<div class="small" dir="auto">${r.eventTitle}</div>` : null
  }${
    showPartner ? html`<div class="small"><a href="/partners/${r.partnerId}" dir="auto">${r.partnerName}</a></div>` : null
  }</td><td class="small" data-label="Chapter and campaign">${r.chapterName}<div class="muted">${r.campaignName}</div></td><td data-label="Step and outcome"><div class="small">${stepLabel(r.step)}</div><span class="tag tag--${outcomeTone(r.outcome)}">${outcomeLabel(r.outcome)}</span></td><td class="small" data-label="Decided by">${r.actorName}<div class="muted">${roleLabel(r.actorRole)}</div></td><td class="small register-rationale cell--wide" data-label="Rationale">${rationale}${match}</td></tr>`;
}

export function registerTableMarkup(rows: RegisterEntryView[], options: { caption: string; showPartner?: boolean; showEventTitle?: boolean }): string {
  const { caption, showPartner = true, showEventTitle = true } = options;
  return html`<div class="table-wrap panel register-table" style="padding:0"><table class="data data--stack" data-testid="register-rows"><caption class="visually-hidden">${caption}</caption><thead><tr><th scope="col">Record</th><th scope="col">Proposal${showPartner ? ' and partner' : ''}</th><th scope="col">Chapter and campaign</th><th scope="col">Step and outcome</th><th scope="col">Decided by</th><th scope="col">Rationale</th></tr></thead><tbody>${rows.map((r) => row(r, showPartner, showEventTitle))}</tbody></table></div>`.html;
}

/** A proposal row of the partner page (partnerPageView). */
type PartnerProposalView = {
  id: number;
  reference: string;
  eventTitle: string;
  eventDate: string;
  kind: string;
  state: string;
  chapterName: string;
  campaignName: string;
  proposerName: string;
  decidedAt: string | null;
  approvedUntil: string | null;
};

/** The partner page's table of proposals, the same way: it only shows them, and its links are plain. */
export function partnerProposalsMarkup(proposals: PartnerProposalView[], options: { caption: string }): string {
  const rows = proposals.map(
    (p) =>
      html`<tr data-proposal="${p.id}"><td class="cell--wide"><a href="${recordHref(p.id)}">${p.reference}</a><div class="small" dir="auto">${p.eventTitle}</div><div class="small muted">${kindLabel(p.kind)} · proposed by ${p.proposerName}</div></td><td class="small" data-label="Chapter and campaign">${p.chapterName}<div class="muted">${p.campaignName}</div></td><td class="small" data-label="Event date">${formatDate(p.eventDate)}</td><td data-label="State"><span class="tag tag--${stateTone(p.state)}">${stateLabel(p.state)}</span>${
        p.approvedUntil && isApproved(p.state) ? html`<div class="small muted">until ${formatDate(p.approvedUntil)}</div>` : null
      }</td><td class="small" data-label="Decided">${p.decidedAt ? html`<time dateTime="${p.decidedAt}">${formatUtc(p.decidedAt)}</time>` : '—'}</td></tr>`,
  );
  return html`<div class="table-wrap panel" style="padding:0"><table class="data data--stack" data-testid="partner-proposals"><caption class="visually-hidden">${options.caption}</caption><thead><tr><th scope="col">Proposal</th><th scope="col">Chapter and campaign</th><th scope="col">Event date</th><th scope="col">State</th><th scope="col">Decided</th></tr></thead><tbody>${rows}</tbody></table></div>`.html;
}
