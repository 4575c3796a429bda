// Ask the partner to answer for itself: the lead makes a link for the partner's contact (shown
// once: only its hash is kept), sees each link's state, revokes one, and reads the answers.
import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { FieldError, Tag, USER_TEXT_DIRECTION } from '../components/forms';
import { PartnerAnswersPanel } from '../features/questionnaire/partner-answers';
import { createPartnerLink, partnerEvidenceOf, partnerLinksPage, questionnairePath, revokePartnerLink } from '../features/questionnaire/partner-links.server';
import { DEFAULT_LINK_DAYS, MAX_LINK_DAYS, partnerLinkFormSchema } from '../features/questionnaire/questionnaire-forms.server';
import { actingUser, requireProposal } from '../utils/auth.server';
import { env } from '../utils/env.server';
import { statusOf } from '../utils/errors.server';
import { formatDateTime } from '../utils/labels';
import { redirectWithFlash } from '../utils/session.server';

export const handle = { proposalHeader: true };
export const meta: MetaFunction = () => [{ title: 'The partner’s own answers · Cosponsor' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, proposal } = await requireProposal(request, params.id);
  return json({ ...partnerLinksPage(actingUser(user), proposal), evidence: partnerEvidenceOf(proposal.id), days: DEFAULT_LINK_DAYS, maxDays: MAX_LINK_DAYS });
}

type Typed = { contactName?: string; contactEmail?: string; days?: string };

/** The fields the link form shows, each with its own error. */
const FORM_FIELDS = new Set(['contactName', 'contactEmail', 'days', 'passcode']);

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, proposal } = await requireProposal(request, params.id);
  const submission = parseWithZod(await request.formData(), { schema: partnerLinkFormSchema });
  if (submission.status !== 'success') {
    // Errors on fields the form does not show (the link to revoke, the action) are said at the top of the form.
    const errors: Record<string, string[] | null> = {};
    for (const [name, messages] of Object.entries(submission.error ?? {})) {
      const key = FORM_FIELDS.has(name) ? name : '';
      errors[key] = [...(errors[key] ?? []), ...(messages ?? [])];
    }
    return json({ errors, typed: (submission.payload ?? {}) as Typed }, { status: 400 });
  }
  const form = submission.value;
  if (form.intent === 'revoke') {
    const revoked = revokePartnerLink(actingUser(user), proposal.id, form.link);
    if (!revoked.ok) return json({ errors: { '': [revoked.message] }, typed: {} as Typed }, { status: statusOf(revoked) });
    return redirectWithFlash(`/proposals/${proposal.id}/partner`, { kind: 'success', message: 'The link was revoked: it no longer opens the questionnaire.' });
  }
  const created = await createPartnerLink(actingUser(user), proposal.id, form);
  if (!created.ok) return json({ errors: { '': [created.message] }, typed: submission.payload as Typed }, { status: statusOf(created) });
  // Shown once, in this answer only: the token is not stored, so it cannot be shown again.
  const base = env().APP_URL ?? new URL(request.url).origin;
  return json({ created: { url: `${base.replace(/\/$/, '')}${questionnairePath(created.token)}`, expiresAt: created.expiresAt, contactName: form.contactName } });
}

type ActionData = { errors?: Record<string, string[] | null>; typed?: Typed; created?: { url: string; expiresAt: string; contactName: string } };

const STATUS = {
  open: { text: 'Open', tone: 'good' },
  answered: { text: 'Answered', tone: 'good' },
  revoked: { text: 'Revoked', tone: 'neutral' },
  expired: { text: 'Expired', tone: 'neutral' },
} as const;

export default function PartnerLinksPage() {
  const page = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as ActionData | undefined;
  const busy = useNavigation().state === 'submitting';
  const errors = data?.errors ?? {};
  const typed = data?.typed ?? {};
  const field = (name: keyof Typed) => ({
    id: `link-${name}`,
    name,
    'aria-invalid': errors[name]?.length ? true : undefined,
    'aria-describedby': errors[name]?.length ? `link-${name}-error` : undefined,
  });
  return (
    <div className="stack">
      <section className="panel" aria-labelledby="partner-links-title">
        <h2 id="partner-links-title">Ask the partner to answer for itself</h2>
        <p>
          Make a link for the partner’s contact. They answer without an account: who leads and funds the group, where it stands in public on the
          agenda items, and whether it accepts the perception conditions and the use-of-name clause. Their answers are kept as the partner’s own
          evidence, beside your steps, never in place of your judgment.
        </p>
        {errors['']?.length ? (
          <p className="alert alert--bad" role="alert">
            {errors['']!.join(' ')}
          </p>
        ) : null}
        {data?.created ? (
          <div className="alert alert--info" role="status">
            <p>
              <strong>Send this link to {data.created.contactName}.</strong> It is shown only now: Cosponsor keeps no copy it could show again. It
              works until {formatDateTime(data.created.expiresAt)}, once.
            </p>
            <label htmlFor="created-link">Questionnaire link</label>
            <input id="created-link" type="text" readOnly value={data.created.url} className="mono" />
          </div>
        ) : null}
        {page.mayCreate ? (
          <Form method="post" noValidate className="stack">
            <input type="hidden" name="intent" value="create" />
            <div className="field">
              <label htmlFor="link-contactName">
                Contact’s name<span className="req" aria-hidden="true"> *</span>
              </label>
              <input type="text" {...field('contactName')} aria-required defaultValue={typed.contactName ?? ''} maxLength={200} {...USER_TEXT_DIRECTION} />
              <FieldError id="link-contactName-error" errors={errors.contactName ?? undefined} />
            </div>
            <div className="field">
              <label htmlFor="link-contactEmail">Contact’s e-mail (optional, for your reference)</label>
              <input type="email" {...field('contactEmail')} defaultValue={typed.contactEmail ?? ''} maxLength={320} />
              <FieldError id="link-contactEmail-error" errors={errors.contactEmail ?? undefined} />
            </div>
            <div className="field">
              <label htmlFor="link-days">Days the link works</label>
              <input type="number" {...field('days')} min={1} max={page.maxDays} defaultValue={typed.days ?? String(page.days)} />
              <FieldError id="link-days-error" errors={errors.days ?? undefined} />
            </div>
            <div className="field">
              <label htmlFor="link-passcode">Passcode (optional)</label>
              <span className="hint" id="link-passcode-hint">
                Give it to the contact another way (a call, a message). At least 6 characters.
              </span>
              <input
                type="password"
                id="link-passcode"
                name="passcode"
                autoComplete="new-password"
                aria-invalid={errors.passcode?.length ? true : undefined}
                aria-describedby={errors.passcode?.length ? 'link-passcode-hint link-passcode-error' : 'link-passcode-hint'}
              />
              <FieldError id="link-passcode-error" errors={errors.passcode ?? undefined} />
            </div>
            <div className="form-actions">
              <button type="submit" className="button" disabled={busy}>
                Make the link
              </button>
            </div>
          </Form>
        ) : page.createRefusal ? (
          <p className="muted">{page.createRefusal}</p>
        ) : null}
      </section>

      {page.links.length > 0 ? (
        <section className="panel" aria-labelledby="links-list-title">
          <h2 id="links-list-title">Links made</h2>
          <div className="table-wrap">
            <table className="data">
              <caption className="visually-hidden">Questionnaire links of this proposal</caption>
              <thead>
                <tr>
                  <th scope="col">Contact</th>
                  <th scope="col">Made</th>
                  <th scope="col">Works until</th>
                  <th scope="col">State</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.links.map((l) => (
                  <tr key={l.id}>
                    <th scope="row" dir="auto">
                      {l.contactName}
                      {l.contactEmail ? <span className="small muted"> · {l.contactEmail}</span> : null}
                      {l.passcode ? <span className="small muted"> · with passcode</span> : null}
                    </th>
                    <td>
                      {formatDateTime(l.createdAt)} by {l.createdBy}
                    </td>
                    <td>{formatDateTime(l.expiresAt)}</td>
                    <td>
                      <Tag tone={STATUS[l.status].tone}>{STATUS[l.status].text}</Tag>
                      {l.status === 'revoked' && l.revokedBy ? <span className="small muted"> by {l.revokedBy}</span> : null}
                    </td>
                    <td>
                      {l.mayRevoke ? (
                        <Form method="post" className="inline-form">
                          <input type="hidden" name="intent" value="revoke" />
                          <input type="hidden" name="link" value={l.id} />
                          <button type="submit" className="button button--secondary button--small" disabled={busy}>
                            Revoke<span className="visually-hidden"> the link sent to {l.contactName}</span>
                          </button>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      <PartnerAnswersPanel evidence={page.evidence} parts={['values', 'agenda', 'perception']} />
    </div>
  );
}
