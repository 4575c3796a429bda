// The decision register's filter form (plain GET, so a search is a URL) and its pager.
import type { SerializeFrom } from '@remix-run/node';
import { Form, Link, useLocation } from '@remix-run/react';
// Types only: erased from the browser bundle.
import type { RegisterFilter, registerChoices } from './register.server';
import { outcomeLabel, stepLabel } from '../../utils/labels';

type Choices = Extract<ReturnType<typeof registerChoices>, { ok: true }>;
/** The lists the filter form offers, as the loader sends them. */
export type RegisterChoices = Pick<Choices, 'chapters' | 'campaigns' | 'actors'> & {
  steps: Choices['steps'][number][];
  outcomes: Choices['outcomes'][number][];
};

function Select({
  id,
  name,
  label,
  value,
  any,
  options,
}: {
  id: string;
  name: string;
  label: string;
  value: string | number | null | undefined;
  any: string;
  options: { value: string | number; label: string }[];
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={value ?? ''}>
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Filters({
  filter,
  choices,
  scoped,
  everyProposalHref,
  onePartner,
  everyPartnerHref,
}: {
  filter: RegisterFilter;
  choices: SerializeFrom<RegisterChoices>;
  scoped: boolean;
  everyProposalHref: string;
  /** The name of the partner a link filtered on (?partner=id), or null. */
  onePartner: string | null;
  everyPartnerHref: string;
}) {
  const location = useLocation();
  return (
    // Keyed by the URL so the fields show the search in the address bar after each navigation.
    <Form method="get" action="/decisions" className="panel register-filters" aria-labelledby="filter-heading" key={location.search}>
      <h2 id="filter-heading" className="visually-hidden">
        Search and filter the register
      </h2>
      <div className="row" style={{ alignItems: 'flex-end', gap: '0.5rem 1rem', marginBottom: '0.6rem' }}>
        <div className="field grow" style={{ marginBottom: 0 }}>
          <label htmlFor="register-q">Search rationale, evidence, agenda items and partner names</label>
          <input id="register-q" type="search" name="q" dir="auto" defaultValue={filter.q ?? ''} maxLength={200} aria-describedby="register-q-hint" />
          <span className="hint" id="register-q-hint">
            Every word must match; accents and case are ignored; “quotes” search for an exact phrase.
          </span>
        </div>
      </div>
      <div className="grid-filters">
        <div className="field">
          <label htmlFor="register-partner">Partner name</label>
          <input
            id="register-partner"
            type="search"
            name="partner_name"
            dir="auto"
            defaultValue={filter.partnerName ?? ''}
            maxLength={200}
            aria-describedby="register-partner-hint"
          />
          <span className="hint" id="register-partner-hint">
            Words of the name; any partner whose name holds them.
          </span>
        </div>
        <Select
          id="register-chapter"
          name="chapter"
          label="Chapter"
          value={filter.chapterId}
          any={scoped ? 'Your chapter' : 'All chapters'}
          options={choices.chapters.map((c) => ({ value: c.id, label: c.name }))}
        />
        <Select id="register-campaign" name="campaign" label="Campaign" value={filter.campaignId} any="All campaigns" options={choices.campaigns.map((c) => ({ value: c.id, label: c.name }))} />
        <Select id="register-step" name="step" label="Step" value={filter.step} any="Every step" options={choices.steps.map((s) => ({ value: s, label: stepLabel(s) }))} />
        <Select
          id="register-outcome"
          name="outcome"
          label="Outcome"
          value={filter.outcome}
          any="Any outcome"
          options={choices.outcomes.map((o) => ({ value: o, label: outcomeLabel(o) }))}
        />
        <Select id="register-actor" name="actor" label="Decided by" value={filter.actorId} any="Anyone" options={choices.actors.map((a) => ({ value: a.id, label: a.name }))} />
        <div className="field">
          <label htmlFor="register-from">From (UTC day)</label>
          <input id="register-from" type="date" name="from" defaultValue={filter.from ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="register-to">To (UTC day, inclusive)</label>
          <input id="register-to" type="date" name="to" defaultValue={filter.to ?? ''} />
        </div>
      </div>
      {filter.partnerId ? (
        // From a partner's page: that one partner, kept as it came, with a way out.
        <p className="small" data-testid="register-partner-filter">
          <input type="hidden" name="partner" value={filter.partnerId} />
          Only the records about <strong dir="auto">{onePartner}</strong> are shown.{' '}
          <Link to={everyPartnerHref}>Show every partner’s records</Link>
        </p>
      ) : null}
      {filter.proposalId ? (
        // Not a field of the form: kept as it came (from a proposal's record), with a way out.
        <p className="small" data-testid="register-proposal-filter">
          <input type="hidden" name="proposal" value={filter.proposalId} />
          Only the records of one proposal are shown.{' '}
          <Link to={everyProposalHref}>Show every proposal’s records</Link>
        </p>
      ) : null}
      <div className="form-actions" style={{ marginTop: '0.25rem' }}>
        <button type="submit" className="button">
          Search
        </button>
        <Link to="/decisions">Clear all</Link>
      </div>
    </Form>
  );
}

export function Pager({ newerHref, olderHref, newestHref }: { newerHref: string | null; olderHref: string | null; newestHref: string | null }) {
  if (!newerHref && !olderHref && !newestHref) return null;
  return (
    <nav aria-label="Register pages" className="register-pager">
      {newestHref && newerHref ? <Link to={newestHref}>Newest</Link> : null}
      {newerHref ? (
        <Link to={newerHref} rel="prev">
          ← Newer
        </Link>
      ) : null}
      {olderHref ? (
        <Link to={olderHref} rel="next">
          Older →
        </Link>
      ) : null}
    </nav>
  );
}
