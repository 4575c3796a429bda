// Starting a proposal, in two stages that work without JavaScript:
// 1. find the partner among known ones (GET ?q=), see likely duplicates with their history;
// 2. choose one (?partnerId=) or create a new one (?new=1), and describe the event.
import { randomUUID } from 'node:crypto';
import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { CandidateCard, RegistryLookup } from '../features/vetting/partner-choice';
import { EventFields } from '../features/vetting/event-fields';
import { FormAlerts, TextArea } from '../features/vetting/proposal-form';
import { TextField } from '../features/vetting/text-field';
import { newProposalSchema, partnerSearchSchema } from '../features/vetting/proposal-forms.server';
import {
  campaignOptions,
  partnerCandidates,
  partnerSummary,
  registryPanel,
  startProposalWithChecks,
  type RegistryPanel,
} from '../features/vetting/proposals.server';
import { actingUser, requirePermission } from '../utils/auth.server';
import { redirectWithFlash } from '../utils/session.server';
import { positiveWholeNumber } from '../utils/whole-number';
import { RECORDED_MOVEMENTS, supportedMovements, supportsTag, type RecordedMovement } from '../../workflows/rules/agenda';

// What each movement a partner can be recorded as supporting stands for, on the new-partner form.
const MOVEMENT_IN_FULL: Record<RecordedMovement, string> = { BDS: 'boycott, divestment, sanctions' };

export const meta: MetaFunction = () => [{ title: 'New proposal · Cosponsor' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'proposal.create');
  const url = new URL(request.url);
  const q = (url.searchParams.get('q') ?? '').trim();
  const partnerId = positiveWholeNumber(url.searchParams.get('partnerId'));
  const creating = url.searchParams.get('new') === '1';
  const partner = partnerId === null ? null : partnerSummary(partnerId);
  // The registry lookup belongs to the new-partner form; it stays silent when the registry is off.
  const registry: RegistryPanel = creating && !partner ? await registryPanel(url.searchParams) : { enabled: false };
  // A search the form would refuse (one character) is answered beside the field: "no known
  // partner, create one" would lead to a name the new-partner form refuses.
  const searched = q && !partner && !creating ? partnerSearchSchema.safeParse({ q }) : null;
  const searchError = searched && !searched.success ? (searched.error.issues[0]?.message ?? null) : null;
  return json({
    registry,
    q,
    searchError,
    stage: partner ? ('event' as const) : creating ? ('new' as const) : searched?.success ? ('results' as const) : ('search' as const),
    partner,
    candidates: searched?.success ? partnerCandidates(q, actingUser(user)) : [],
    campaigns: campaignOptions(),
    // One per page load: a repeated post of this form answers with the proposal it created.
    creationToken: randomUUID(),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'proposal.create');
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: newProposalSchema });
  const values = submission.payload as Record<string, unknown>;
  if (submission.status !== 'success') {
    return json({ values, errors: submission.error ?? {}, formError: null as string | null, duplicates: [] as ReturnType<typeof partnerCandidates> }, { status: 400 });
  }
  // Registry data is kept with a new partner, and the partner is screened (never failing the creation).
  const result = await startProposalWithChecks(actingUser(user), submission.value);
  if (!result.ok) {
    return json({ values, errors: result.fieldErrors, formError: result.formError, duplicates: result.duplicates ?? [] }, { status: 400 });
  }
  return redirectWithFlash(`/proposals/${result.id}`, {
    kind: 'success',
    message: `Proposal ${result.reference} created as a draft with ${result.partnerName}. Check it, then submit it for vetting.`,
  });
}

export default function NewProposal() {
  const { q, searchError, stage, partner, candidates, campaigns, registry, creationToken } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = actionData?.errors;
  const prefill = registry.enabled && registry.chosen?.ok ? registry.chosen.prefill : null;
  const values =
    actionData?.values ??
    (stage === 'new'
      ? prefill
        ? { partnerName: prefill.name, partnerCountry: 'US', partnerEin: prefill.ein, partnerDescription: prefill.description, registryEin: prefill.ein }
        : { partnerName: q }
      : undefined);
  const v = (k: string) => (values && typeof (values as Record<string, unknown>)[k] === 'string' ? ((values as Record<string, unknown>)[k] as string) : undefined);
  // One ticked box is posted as a string, several as a list.
  const checkedPositions = [(values as Record<string, unknown> | undefined)?.publicPositions].flat();
  const duplicates = actionData?.duplicates ?? [];
  // A close match makes "Use <partner>" the main way on, and creating a new partner the secondary one.
  const closeMatch = candidates.some((c) => c.match !== 'contains');

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb small">
        <Link to="/proposals">Proposals</Link> <span aria-hidden="true">›</span> <span>New proposal</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>New proposal</h1>
          <p>First the partner group, then the event.</p>
        </div>
      </div>
      <ol className="progress-steps small" aria-label="Progress">
        <li className={stage === 'search' || stage === 'results' ? 'is-current' : 'is-done'} aria-current={stage === 'search' || stage === 'results' ? 'step' : undefined}>
          1. Partner
        </li>
        <li className={stage === 'event' || stage === 'new' ? 'is-current' : ''} aria-current={stage === 'event' || stage === 'new' ? 'step' : undefined}>
          2. Event
        </li>
      </ol>

      {actionData && (stage === 'search' || stage === 'results') ? (
        // The form and its messages are drawn at the event stage only: a post that reached this stage says why here.
        <p className="alert alert--bad" role="alert">
          Nothing was created: the form was not sent from a partner’s event step. Choose the partner again, then fill in the event.
        </p>
      ) : null}

      {stage === 'search' || stage === 'results' ? (
        <section className="panel" aria-labelledby="search-title">
          <h2 id="search-title">Who invites the chapter?</h2>
          <Form method="get" className="search-form row" role="search">
            <div className="field grow">
              <label htmlFor="partner-q">Partner group’s name</label>
              <span className="hint" id="partner-q-hint">
                We look among known partners first: case, punctuation, “The”, “Inc.” and small typos do not matter.
              </span>
              <input
                id="partner-q"
                type="search"
                name="q"
                dir="auto"
                defaultValue={q}
                aria-describedby={searchError ? 'partner-q-hint partner-q-error' : 'partner-q-hint'}
                aria-invalid={searchError ? true : undefined}
                required
                minLength={2}
                // eslint-disable-next-line jsx-a11y/no-autofocus -- the search stage is a one-field page
                autoFocus={stage === 'search'}
              />
              {searchError ? (
                <p className="field-error" id="partner-q-error" role="alert">
                  {searchError}
                </p>
              ) : null}
            </div>
            <button type="submit" className="button">
              Search partners
            </button>
          </Form>
        </section>
      ) : null}

      {stage === 'results' ? (
        <section className="panel" aria-labelledby="results-title">
          <h2 id="results-title">{candidates.length > 0 ? `Known partners like “${q}”` : `No known partner like “${q}”`}</h2>
          {candidates.length > 0 ? (
            <>
              <p className="muted">Is it one of these? Using the known partner keeps its history together, so staff see the precedent.</p>
              <ul className="cards">
                {candidates.map((c) => (
                  <CandidateCard key={c.id} c={c} q={q} primary={closeMatch && c.match !== 'contains'} />
                ))}
              </ul>
            </>
          ) : (
            <p className="muted">Nobody has proposed this group before.</p>
          )}
          <p className="form-actions">
            <Link className={closeMatch ? 'button button--secondary' : 'button'} to={`/proposals/new?q=${encodeURIComponent(q)}&new=1`}>
              {candidates.length > 0 ? 'None of these: create a new partner' : 'Create a new partner'}
            </Link>
          </p>
        </section>
      ) : null}

      {stage === 'new' && registry.enabled ? <RegistryLookup registry={registry} q={q} /> : null}

      {stage === 'event' || stage === 'new' ? (
        // Keyed on the chosen organization, so "Use this" refills the fields with JavaScript too.
        <Form key={prefill?.ein ?? 'blank'} method="post" className="stack proposal-form" noValidate>
          <FormAlerts formError={actionData?.formError} errors={errors} />
          {duplicates.length > 0 ? (
            <section className="panel" aria-labelledby="dup-title">
              <h2 id="dup-title">Known partners with a very similar name</h2>
              <ul className="cards">
                {duplicates.map((c) => (
                  <CandidateCard key={c.id} c={c} q={v('partnerName') ?? q} primary />
                ))}
              </ul>
              <label className="checkbox">
                <input type="checkbox" name="confirmNew" /> This is a different group: create it anyway
              </label>
            </section>
          ) : null}
          <input type="hidden" name="q" value={q} />
          <input type="hidden" name="creationToken" value={creationToken} />
          <section className="panel" aria-labelledby="partner-title">
            <h2 id="partner-title">Partner</h2>
            {partner ? (
              <>
                <input type="hidden" name="partnerId" value={partner.id} />
                <p>
                  <strong dir="auto">{partner.name}</strong> · {partner.country}
                  {supportedMovements(partner.publicPositions).map((m) => ` · publicly supports ${m}`)}
                </p>
                <p className="small muted" dir="auto">
                  {partner.description}
                </p>
                <Link to={`/proposals/new?q=${encodeURIComponent(q || partner.name)}`} className="small">
                  Choose another partner
                </Link>
              </>
            ) : (
              <>
                <TextField name="partnerName" label="Name" required errors={errors} defaultValue={v('partnerName')} />
                <div className="grid-2 grid-tight">
                  <TextField name="partnerWebsite" type="url" label="Website" errors={errors} defaultValue={v('partnerWebsite')} hint="Optional, e.g. https://example.org" />
                  <TextField name="partnerCountry" label="Country" required errors={errors} defaultValue={v('partnerCountry') ?? 'US'} />
                </div>
                <TextField
                  name="partnerEin"
                  label="EIN (US nonprofits)"
                  errors={errors}
                  defaultValue={v('partnerEin')}
                  hint="Optional, e.g. 12-3456789. Screening uses it to tell namesakes apart."
                />
                {v('registryEin') ? <input type="hidden" name="registryEin" value={v('registryEin')} /> : null}
                <TextArea name="partnerDescription" label="About the group" required errors={errors} defaultValue={v('partnerDescription')} hint="Who they are, what they do, who leads them." />
                <fieldset className="field">
                  <legend>Known public positions</legend>
                  <span className="hint">Tick what the group says publicly; it decides whether a perception review is needed.</span>
                  {RECORDED_MOVEMENTS.map((m) => (
                    <label key={m} className="checkbox">
                      <input type="checkbox" name="publicPositions" value={supportsTag(m)} defaultChecked={checkedPositions.includes(supportsTag(m))} />{' '}
                      {`Publicly supports ${m} (${MOVEMENT_IN_FULL[m]})`}
                    </label>
                  ))}
                </fieldset>
                <Link to={`/proposals/new?q=${encodeURIComponent(q)}`} className="small">
                  Back to the search
                </Link>
              </>
            )}
          </section>
          <section className="panel" aria-labelledby="event-title">
            <h2 id="event-title">Event</h2>
            <EventFields values={values as Record<string, unknown> | undefined} errors={errors} campaigns={campaigns} />
          </section>
          <div className="form-actions">
            <button type="submit" className="button" disabled={navigation.state === 'submitting'}>
              {navigation.state === 'submitting' ? 'Creating…' : 'Create the draft proposal'}
            </button>
            <Link to="/proposals" className="button button--secondary">
              Cancel
            </Link>
          </div>
        </Form>
      ) : null}
    </>
  );
}
