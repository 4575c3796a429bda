import { getFormProps, getInputProps, useForm } from '../components/form-state';
import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { FieldError } from '../components/forms';
import { forgotPasswordSchema } from '../features/auth/auth-forms.server';
import { forgotPasswordAvailable, requestPasswordReset } from '../features/auth/forgot-password.server';
import { clientAddress, getSessionUser } from '../utils/session.server';

// "Forgot your password?" (docs/decisions/0410-forgotten-password-by-e-mail.md): the address to
// send a single-use link to. The answer is the same whether or not the address has an account.

export const meta: MetaFunction = () => [{ title: 'Forgot your password? · Cosponsor' }];

const UNAVAILABLE = 'Links by e-mail are not set up on this server. Ask an administrator to reset your password: they give you a temporary one.';

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getSessionUser(request)) return redirect('/account');
  return json({ available: forgotPasswordAvailable() });
}

export async function action({ request }: ActionFunctionArgs) {
  // A signed-in person changes their password on their account page, with the current one.
  if (await getSessionUser(request)) return redirect('/account');
  const submission = parseWithZod(await request.formData(), { schema: forgotPasswordSchema });
  if (!forgotPasswordAvailable()) return json({ result: submission.reply({ formErrors: [UNAVAILABLE] }), sentTo: null }, { status: 403 });
  if (submission.status !== 'success') return json({ result: submission.reply(), sentTo: null }, { status: 400 });
  const { email } = submission.value;
  const outcome = await requestPasswordReset(email, clientAddress(request));
  if (!outcome.ok) {
    const minutes = `${outcome.retryInMinutes} minute${outcome.retryInMinutes === 1 ? '' : 's'}`;
    return json(
      { result: submission.reply({ formErrors: [`Too many requests for this address or from your network. Try again in ${minutes}.`] }), sentTo: null },
      { status: 429 },
    );
  }
  return json({ result: submission.reply(), sentTo: email }, { headers: { 'Cache-Control': 'no-store' } });
}

export default function ForgotPassword() {
  const { available } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({ id: 'forgot-password', lastResult: data?.result, shouldValidate: 'onSubmit' });
  return (
    <section className="auth panel" aria-labelledby="forgot-title">
      <h1 id="forgot-title">Forgot your password?</h1>
      {!available ? (
        <p>{UNAVAILABLE}</p>
      ) : (
        <>
          {data?.sentTo ? (
            <div className="alert alert--good" role="status">
              If {data.sentTo} belongs to an active account that signs in with a password, we have sent it a link to choose a new password. The
              link works once, for one hour. Nothing arrived within a few minutes? Check the spam folder, or ask an administrator.
            </div>
          ) : (
            <p className="muted">Enter the e-mail address of your account. We send it a link to choose a new password.</p>
          )}
          <Form method="post" {...getFormProps(form)} className="stack">
            {form.errors ? (
              <div className="alert alert--bad" role="alert" id={form.errorId}>
                {form.errors.join(' ')}
              </div>
            ) : null}
            <div className="field">
              <label htmlFor={fields.email.id}>E-mail</label>
              <input {...getInputProps(fields.email, { type: 'email' })} autoComplete="email" />
              <FieldError id={fields.email.errorId} errors={fields.email.errors} />
            </div>
            <div className="form-actions">
              <button type="submit" className="button" disabled={navigation.state === 'submitting'}>
                {navigation.state === 'submitting' ? 'Sending…' : 'Send me a link'}
              </button>
            </div>
          </Form>
        </>
      )}
      <p>
        <Link to="/login">Back to sign in</Link>
      </p>
    </section>
  );
}
