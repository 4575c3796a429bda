// The partner's own page: reached with the link a chapter lead made, without an account. It shows
// the event and the questionnaire, and nothing else of the organization: its own bare layout (no
// navigation, no scripts), no session read, and the token opens this page only.
import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { isRouteErrorResponse, useActionData, useLoaderData, useRouteError } from '@remix-run/react';
import { answersSchema, passcodeSchema } from '../features/questionnaire/questionnaire-forms.server';
import { PasscodeForm, QuestionnaireForm, type TypedAnswers } from '../features/questionnaire/questionnaire-form';
import { openQuestionnaire, questionnairePath, submitPartnerAnswers, unlockQuestionnaire } from '../features/questionnaire/partner-links.server';
import { statusOf, toResponse } from '../utils/errors.server';
import { clientAddress, keepPartnerUnlock, readPartnerUnlock } from '../utils/session.server';
import { formatDate } from '../utils/labels';

export const handle = { bareLayout: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Questionnaire · ${data.organization}` : 'Questionnaire' },
  { name: 'robots', content: 'noindex' },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const page = openQuestionnaire(params.token ?? '', await readPartnerUnlock(request));
  if (!page.ok) throw toResponse(page);
  // What the page shows, and no more: the link's own number is the server's business.
  const { ok: _ok, linkId: _linkId, ...shown } = page;
  return json(shown);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token ?? '';
  const page = openQuestionnaire(token, await readPartnerUnlock(request));
  if (!page.ok) throw toResponse(page);
  const formData = await request.formData();
  if (page.locked) {
    const submission = parseWithZod(formData, { schema: passcodeSchema });
    if (submission.status !== 'success') return json({ passcodeError: submission.error?.passcode?.[0] ?? 'Enter the passcode you were given.' }, { status: 400 });
    const unlocked = await unlockQuestionnaire(token, submission.value.passcode, clientAddress(request));
    if (!unlocked.ok) {
      if (unlocked.kind === 'invalid' || unlocked.kind === 'throttled') {
        return json({ passcodeError: unlocked.fieldErrors?.passcode?.[0] ?? unlocked.message }, { status: statusOf(unlocked) });
      }
      throw toResponse(unlocked);
    }
    const path = questionnairePath(token);
    return redirect(path, { headers: { 'Set-Cookie': await keepPartnerUnlock(unlocked.linkId, path, request) } });
  }
  const submission = parseWithZod(formData, { schema: answersSchema(page.questions!) });
  if (submission.status !== 'success') {
    return json({ errors: submission.error ?? {}, typed: (submission.payload ?? {}) as TypedAnswers }, { status: 400 });
  }
  const { intent: _intent, ...answers } = submission.value;
  const sent = submitPartnerAnswers(token, page.linkId, answers);
  if (!sent.ok) throw toResponse(sent);
  return redirect('/q/thanks');
}

type ActionData = { passcodeError?: string; errors?: Record<string, string[] | null>; typed?: TypedAnswers };

export default function PartnerQuestionnaire() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  return (
    <article className="stack partner-page" aria-labelledby="partner-title">
      <header>
        <p className="small muted">{page.organization}</p>
        <h1 id="partner-title">Questions for a co-sponsorship</h1>
        <p>
          {page.contactName ? `This page was sent to ${page.contactName}. ` : ''}It works until {formatDate(page.expiresAt.slice(0, 10))}, and the answers can be sent once.
        </p>
      </header>
      {page.locked || !page.event || !page.questions ? (
        <PasscodeForm error={actionData?.passcodeError} />
      ) : (
        <>
          <section className="panel" aria-labelledby="event-title">
            <h2 id="event-title">The event</h2>
            <dl className="facts">
              <dt>Partner</dt>
              <dd dir="auto">{page.event.partnerName}</dd>
              <dt>Chapter</dt>
              <dd>{page.event.chapterName}</dd>
              <dt>Event</dt>
              <dd dir="auto">{page.event.title}</dd>
              <dt>Date</dt>
              <dd>{formatDate(page.event.date)}</dd>
              <dt>Place</dt>
              <dd dir="auto">{page.event.place}</dd>
            </dl>
            <p className="pre-line" dir="auto">
              {page.event.description}
            </p>
          </section>
          <QuestionnaireForm questions={page.questions} typed={actionData?.typed} errors={actionData?.errors} />
        </>
      )}
    </article>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message = isRouteErrorResponse(error) ? (error.data as { message?: string } | undefined)?.message : undefined;
  return (
    <section className="panel error-page" aria-labelledby="error-title">
      <h1 id="error-title">{status === 410 ? 'This link can no longer be used' : status === 404 ? 'Link not found' : 'This page is not available'}</h1>
      <p role="alert">{message ?? 'Ask your contact for a new link.'}</p>
    </section>
  );
}
