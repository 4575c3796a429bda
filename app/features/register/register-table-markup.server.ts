// The register's table rendered to HTML in the loader: it only shows records, so the rows reach
// the browser once, as the page's HTML (components/server-markup.tsx), instead of a second time
// as data to hydrate from, and nothing of it is in the page's JavaScript. Written as escaped
// text (utils/html.server.ts), not rendered from components: the same markup for a quarter of
// the CPU, and the rows were most of the register's and the partner page's own work.
import { html, type SafeHtml } from '../../utils/html.server';
import { outcomeLabel, outcomeTone, roleLabel, stepLabel } from '../../utils/labels';
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
  return html`<tr data-seq="${r.seq}" data-proposal="${r.proposalId}"><td class="small"><a href="${recordHref(r.proposalId, r.seq)}" aria-label="Record ${r.seq} of ${r.reference}">#${r.seq}</a><div class="register-when"><time dateTime="${r.at}">${formatUtc(r.at)}</time></div></td><td><a href="${recordHref(r.proposalId)}" class="register-when">${r.reference}</a>${
    showEventTitle ? html`<div class="small" dir="auto">${r.eventTitle}</div>` : null
  }${
    showPartner ? html`<div class="small"><a href="/partners/${r.partnerId}" dir="auto">${r.partnerName}</a></div>` : null
  }</td><td class="small">${r.chapterName}<div class="muted">${r.campaignName}</div></td><td><div class="small">${stepLabel(r.step)}</div><span class="tag tag--${outcomeTone(r.outcome)}">${outcomeLabel(r.outcome)}</span></td><td class="small">${r.actorName}<div class="muted">${roleLabel(r.actorRole)}</div></td><td class="small register-rationale">${rationale}${match}</td></tr>`;
}

export function registerTableMarkup(rows: RegisterEntryView[], options: { caption: string; showPartner?: boolean; showEventTitle?: boolean }): string {
  const { caption, showPartner = true, showEventTitle = true } = options;
  return html`<div class="table-wrap panel register-table" style="padding:0"><table class="data" data-testid="register-rows"><caption class="visually-hidden">${caption}</caption><thead><tr><th scope="col">Record</th><th scope="col">Proposal${showPartner ? ' and partner' : ''}</th><th scope="col">Chapter and campaign</th><th scope="col">Step and outcome</th><th scope="col">Decided by</th><th scope="col">Rationale</th></tr></thead><tbody>${rows.map((r) => row(r, showPartner, showEventTitle))}</tbody></table></div>`.html;
}
