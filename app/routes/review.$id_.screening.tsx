// The client half is form-state (not conform's useForm): the form validates on the server only.
import { getFormProps, getTextareaProps, useForm, type SubmissionResult } from '../components/form-state';
import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { FieldError, Tag } from '../components/forms';
import { HitFacts } from '../features/review/dossier/screening-hit';
import { judgeHitSchema, judgeScreeningHit, JUDGMENT_REASON_MAX, screeningMemory } from '../features/review/screening-memory.server';
import { actingUser, notFound, requirePermission, requireProposal } from '../utils/auth.server';
import { statusOf } from '../utils/errors.server';
import { formatDateTime } from '../utils/labels';
import { redirectWithFlash } from '../utils/session.server';

// A proposal's screening memory: the hits nobody has judged yet, each with a form to mark it
// "not a true match" (a decision record), and, on demand, the hits judged so, with who, when and why.

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Screening of ${data.partnerName} · ${data.proposal.reference} · Cosponsor` : 'Screening · Cosponsor' },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'review.queue');
  const { proposal } = await requireProposal(request, params.id);
  const memory = screeningMemory(proposal.id, actingUser(user));
  if (!memory) notFound('This proposal');
  const showJudged = new URL(request.url).searchParams.get('show') === 'judged';
  return json({
    proposal: { id: proposal.id, reference: proposal.reference, eventTitle: proposal.event_title },
    partnerName: memory.partnerName,
    memory,
    showJudged,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'review.queue');
  const { proposal } = await requireProposal(request, params.id);
  const submission = parseWithZod(await request.formData(), { schema: judgeHitSchema });
  const form = typeof submission.payload.entityId === 'string' ? submission.payload.entityId : '';
  if (submission.status !== 'success') return json({ form, result: submission.reply() }, { status: 400 });
  const result = judgeScreeningHit(actingUser(user), proposal.id, submission.value);
  if (!result.ok) {
    const reply = submission.reply({ formErrors: [result.message], fieldErrors: result.fieldErrors });
    return json({ form, result: reply }, { status: statusOf(result) });
  }
  return redirectWithFlash(`/review/${proposal.id}/screening`, { kind: 'success', message: result.message });
}

type Memory = NonNullable<ReturnType<typeof screeningMemory>>;

function JudgeForm({ hit, index, lastResult, busy }: { hit: Memory['newHits'][number]; index: number; lastResult?: SubmissionResult<string[]>; busy: boolean }) {
  const [form, fields] = useForm<{ reason: string }>({ id: `judge-${index}`, lastResult });
  return (
    <Form method="post" {...getFormProps(form)} aria-label={`Judge “${hit.caption}”`} className="stack">
      <input type="hidden" name="entityId" value={hit.entityId} />
      {form.errors ? (
        <div role="alert">
          <FieldError id={form.errorId} errors={form.errors} />
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={fields.reason.id}>Why is “{hit.caption}” not this partner? (required)</label>
        <textarea {...getTextareaProps(fields.reason)} rows={3} maxLength={JUDGMENT_REASON_MAX} dir="auto" required />
        <FieldError id={fields.reason.errorId} errors={fields.reason.errors} />
      </div>
      {/* The name says which hit: the page may list several. */}
      <button type="submit" className="button button--secondary" disabled={busy} aria-label={`Not a true match: ${hit.caption}`}>
        Not a true match
      </button>
    </Form>
  );
}

export default function ScreeningPage() {
  const { proposal, partnerName: partner, memory, showJudged } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const { weighed, newHits, judgedHits, alerts } = memory;
  const alerted = new Set(alerts.map((a) => a.entityId));
  return (
    <>
      <div className="page-head">
        <div>
          <p className="small">
            <Link to={`/review/${proposal.id}`}>← Dossier of {proposal.reference}</Link>
          </p>
          <h1 dir="auto">Screening of {partner}</h1>
          <p dir="auto">
            {proposal.reference} “{proposal.eventTitle}”.{' '}
            {weighed
              ? `Last answer ${formatDateTime(weighed.checkedAt)}${weighed.source ? ` from ${weighed.source}` : ''}.`
              : 'This partner was not screened for this proposal.'}
          </p>
        </div>
      </div>

      <p className="alert alert--info">
        A hit is information, not a verdict. When a listed entity is not this partner, say why: the judgment is kept in the decision
        record and later screenings of this partner show that entity under “judged”, not as a new hit.
      </p>

      <section className="panel" aria-labelledby="new-hits-heading" data-testid="new-hits">
        <h2 id="new-hits-heading">New hits ({newHits.length})</h2>
        {newHits.length === 0 ? (
          <p>{weighed?.status === 'hits' ? 'Every hit of the last screening has been judged.' : 'No hit to weigh.'}</p>
        ) : (
          <ul className="cards">
            {newHits.map((hit, index) => (
              <li key={hit.entityId} className="card" data-testid="new-hit">
                <span className="card__title" dir="auto">
                  {hit.caption}
                </span>{' '}
                {alerted.has(hit.entityId) ? <Tag tone="bad">New since the approval</Tag> : null}
                <HitFacts hit={hit} />
                {memory.mayJudge.ok ? (
                  <JudgeForm
                    hit={hit}
                    index={index}
                    busy={busy}
                    lastResult={actionData?.form === hit.entityId ? actionData.result : undefined}
                  />
                ) : (
                  <p className="small muted">{memory.mayJudge.reason}</p>
                )}
              </li>
            ))}
          </ul>
        )}
        {actionData && !newHits.some((h) => h.entityId === actionData.form) ? (
          <div className="alert alert--bad" role="alert">
            {Object.values(actionData.result.error ?? {})
              .flat()
              .join(' ')}
          </div>
        ) : null}
      </section>

      <section className="panel" aria-labelledby="judged-heading">
        <h2 id="judged-heading">Judged not a true match ({judgedHits.length})</h2>
        {judgedHits.length === 0 ? (
          <p>No hit of this partner has been judged not a true match.</p>
        ) : (
          <details id="judged" open={showJudged}>
            <summary>Show the {judgedHits.length === 1 ? 'judged hit' : `${judgedHits.length} judged hits`}</summary>
            <ul className="cards" data-testid="judged-hits">
              {judgedHits.map((hit) => (
                <li key={hit.entityId} className="card" data-testid="judged-hit">
                  <span className="card__title" dir="auto">
                    {hit.caption}
                  </span>
                  <p className="small">
                    Judged not a true match by <strong>{hit.judgment.by}</strong> on {formatDateTime(hit.judgment.at)} (
                    <Link to={`/proposals/${hit.judgment.proposalId}/record#record-${hit.judgment.seq}`}>record #{hit.judgment.seq}</Link>):{' '}
                    <q dir="auto">{hit.judgment.reason}</q>
                  </p>
                  <HitFacts hit={hit} />
                </li>
              ))}
            </ul>
          </details>
        )}
      </section>
    </>
  );
}
