import { getFormProps, useForm } from '../components/form-state';
import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { passwordChangeSchema } from '../features/auth/auth-forms.server';
import { PasswordField } from '../features/auth/password-field';
import { completePasswordReset, resetLinkState, type LinkRefusal } from '../features/auth/forgot-password.server';
import { placeErrors } from '../utils/form-errors.server';
import { clientAddress, redirectWithFlash } from '../utils/session.server';

// The page an e-mailed "Forgot your password?" link opens (docs/decisions/0410-forgotten-password-by-e-mail.md):
// the new password twice, under the same rules as /account. A plain form: works without JavaScript.

export const meta: MetaFunction = () => [{ title: 'Choose a new password · Cosponsor' }];

/** The token is in the address: never cached (app/http.server.ts sets the same on documents, with the Referrer-Policy). */
const PRIVATE = { 'Cache-Control': 'no-store' };

const STATUS: Record<LinkRefusal, number> = { invalid: 404, used: 410, superseded: 410, expired: 410, ineligible: 403 };

/** Passwords are never sent back to the page. */
const hideFields = ['newPassword', 'confirmPassword'];

export async function loader({ params }: LoaderFunctionArgs) {
  const state = resetLinkState(params.token ?? '');
  if (!state.ok) return json({ problem: state.message, name: null }, { status: STATUS[state.kind], headers: PRIVATE });
  return json({ problem: null, name: state.person.name }, { headers: PRIVATE });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token ?? '';
  const formData = await request.formData();
  const state = resetLinkState(token);
  if (!state.ok) return json({ result: null, problem: state.message }, { status: STATUS[state.kind], headers: PRIVATE });
  const submission = parseWithZod(formData, { schema: passwordChangeSchema({ email: state.person.email, name: state.person.name, forced: true }) });
  if (submission.status !== 'success') {
    return json({ result: submission.reply({ ...placeErrors(submission.error, hideFields), hideFields }), problem: null }, { status: 400, headers: PRIVATE });
  }
  const done = await completePasswordReset(token, submission.value.newPassword, clientAddress(request));
  if (!done.ok) return json({ result: null, problem: done.message }, { status: STATUS[done.kind], headers: PRIVATE });
  return redirectWithFlash('/login', { kind: 'success', message: done.message });
}

export default function ResetPassword() {
  const { problem: linkProblem, name } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm<{ newPassword: string; confirmPassword: string }>({ id: 'reset-password', lastResult: data?.result ?? undefined, shouldValidate: 'onSubmit' });
  const problem = data?.problem ?? linkProblem;
  // Each answer empties the password fields, as a page loaded without JavaScript has them.
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (data) formRef.current?.reset();
  }, [data]);
  return (
    <section className="auth panel" aria-labelledby="reset-title">
      <h1 id="reset-title">Choose a new password</h1>
      {problem ? (
        <div className="alert alert--bad" role="alert">
          {problem}
        </div>
      ) : (
        <>
          <p className="muted">For {name}. Choosing it signs you out everywhere; then you sign in with it.</p>
          <Form method="post" {...getFormProps(form)} ref={formRef} className="stack">
            {form.errors ? (
              <div className="alert alert--bad" role="alert" id={form.errorId}>
                {form.errors.join(' ')}
              </div>
            ) : null}
            <PasswordField
              field={fields.newPassword}
              label="New password"
              hint="At least 12 characters; not your e-mail or name, not a common password. A few unrelated words are easy to remember."
            />
            <PasswordField field={fields.confirmPassword} label="New password, again" />
            <div className="form-actions">
              <button type="submit" className="button" disabled={navigation.state === 'submitting'}>
                {navigation.state === 'submitting' ? 'Saving…' : 'Set the new password'}
              </button>
            </div>
          </Form>
        </>
      )}
      <p>
        {problem ? <Link to="/forgot-password">Ask for a new link</Link> : null} {problem ? '· ' : ''}
        <Link to="/login">Back to sign in</Link>
      </p>
    </section>
  );
}
