// "I'm reviewing this": who holds a proposal in review, and the button to take it or let it go.
import { Form } from '@remix-run/react';
import type { ClaimView } from './claims.server';

export function ClaimControl({
  proposalId,
  title,
  claim,
  mayClaim,
  back,
  busy,
  since,
}: {
  proposalId: number;
  /** Names the proposal in the button's accessible name (many buttons share a table). */
  title: string;
  claim: ClaimView;
  mayClaim: boolean;
  back: 'queue' | 'dossier';
  busy: boolean;
  /** When it was taken, as the page formats dates. */
  since: string;
}) {
  const form = (intent: 'claim' | 'release', label: string) => (
    <Form method="post" action="/review?index" className="claim-form">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="proposal" value={proposalId} />
      <input type="hidden" name="back" value={back} />
      <button type="submit" className="button button--secondary button--small" disabled={busy} aria-label={`${label}: ${title}`}>
        {label}
      </button>
    </Form>
  );
  if (claim) {
    return (
      <div className="claim" data-testid="claim">
        <span>
          {claim.byMe ? 'You are reviewing this' : <>Being reviewed by <strong>{claim.by}</strong></>}
          <span className="muted"> since {since}</span>
        </span>
        {claim.byMe ? form('release', 'Let go') : null}
      </div>
    );
  }
  if (!mayClaim) return <span className="muted">Nobody yet</span>;
  return form('claim', 'I’m reviewing this');
}
