import { getFormProps, getInputProps, useForm } from '../components/form-state';
import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { loginSchema, signOnSchema } from '../features/auth/auth-forms.server';
import { signIn } from '../features/auth/sign-in.server';
import { beginSignOn, localLoginAllowed, signOnProvider, signOnRedirectUri } from '../features/auth/sign-on.server';
import { safeRedirect } from '../utils/safe-redirect';
import { clientAddress, getSessionUser, keepSignOnFlow, startSession } from '../utils/session.server';
import { FieldError } from '../components/forms';

export const meta: MetaFunction = () => [{ title: 'Sign in · Cosponsor' }];

export async function loader({ request }: LoaderFunctionArgs) {
  // Already signed in (in another tab, say): on to the page that asked for the sign-in.
  if (await getSessionUser(request)) return redirect(safeRedirect(new URL(request.url).searchParams.get('redirectTo')));
  return json({ provider: signOnProvider()?.name ?? null, localLogin: localLoginAllowed() });
}

const BAD_CREDENTIALS = 'That e-mail and password do not match an active account.';
const TEMPORARY_EXPIRED = 'This temporary password has expired. Ask an administrator to reset your password again.';

const SIGN_ON_STATUS = { refused: 400, throttled: 429, waiting: 403, unavailable: 503 } as const;

export async function action({ request }: ActionFunctionArgs) {
  const formData = await request.formData();
  const signOn = parseWithZod(formData, { schema: signOnSchema });
  if (signOn.status === 'success') {
    const started = await beginSignOn({
      redirectUri: signOnRedirectUri(request.url),
      redirectTo: safeRedirect(signOn.value.redirectTo),
      ip: clientAddress(request),
    });
    // A provider that is down is a message on this page (503), never an error page.
    if (!started.ok) return json({ signOnError: started.message }, { status: SIGN_ON_STATUS[started.kind] });
    return redirect(started.authorizationUrl, { headers: { 'Set-Cookie': await keepSignOnFlow(started.pending, request) } });
  }
  if (!localLoginAllowed()) {
    const provider = signOnProvider()?.name ?? 'single sign-on';
    return json({ signOnError: `Password sign-in is turned off here. Use “Sign in with ${provider}”.` }, { status: 403 });
  }
  const submission = parseWithZod(formData, { schema: loginSchema });
  if (submission.status !== 'success') {
    return json(submission.reply({ hideFields: ['password'] }), { status: 400 });
  }
  const { email, password, redirectTo } = submission.value;
  const result = await signIn(email, password, clientAddress(request));
  if (!result.ok && result.kind === 'throttled') {
    return json(
      submission.reply({
        formErrors: [
          `Too many failed sign-ins for this account or from your network. Sign-in is paused; try again in ${result.retryInMinutes} minute${result.retryInMinutes === 1 ? '' : 's'}.`,
        ],
        hideFields: ['password'],
      }),
      { status: 429 },
    );
  }
  if (!result.ok && result.kind === 'temporary_expired') {
    return json(submission.reply({ formErrors: [TEMPORARY_EXPIRED], hideFields: ['password'] }), { status: 400 });
  }
  if (!result.ok) return json(submission.reply({ formErrors: [BAD_CREDENTIALS], hideFields: ['password'] }), { status: 400 });
  const cookie = await startSession(result.userId, request);
  return redirect(safeRedirect(redirectTo), { headers: { 'Set-Cookie': cookie } });
}

export default function Login() {
  const { provider, localLogin } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const signOnError = actionData && 'signOnError' in actionData ? actionData.signOnError : null;
  const lastResult = actionData && !('signOnError' in actionData) ? actionData : undefined;
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const [form, fields] = useForm({ id: 'login', lastResult, shouldValidate: 'onSubmit' });
  const submittingIntent = navigation.state === 'submitting' ? navigation.formData?.get('intent') : null;
  return (
    <section className="auth panel" aria-labelledby="login-title">
      <h1 id="login-title">Sign in to Cosponsor</h1>
      <p className="muted">Vet coalition partners, step by step, with every decision on the record.</p>
      {signOnError ? (
        <div className="alert alert--bad" role="alert">
          {signOnError}
        </div>
      ) : null}
      {provider ? (
        <Form method="post" className="stack">
          <input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? ''} />
          <button type="submit" name="intent" value="sign-on" className="button" disabled={submittingIntent === 'sign-on'}>
            {submittingIntent === 'sign-on' ? `Going to ${provider}…` : `Sign in with ${provider}`}
          </button>
        </Form>
      ) : null}
      {provider && localLogin ? <p className="muted">Or with your e-mail and password:</p> : null}
      {localLogin ? (
      <Form method="post" {...getFormProps(form)} className="stack">
        {form.errors ? (
          <div className="alert alert--bad" role="alert" id={form.errorId}>
            {form.errors.join(' ')}
          </div>
        ) : null}
        <input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? ''} />
        <div className="field">
          <label htmlFor={fields.email.id}>E-mail</label>
          {/* No autofocus: a focus ring on a page nobody has touched yet reads as an error. */}
          <input {...getInputProps(fields.email, { type: 'email' })} autoComplete="email" />
          <FieldError id={fields.email.errorId} errors={fields.email.errors} />
        </div>
        <div className="field">
          <label htmlFor={fields.password.id}>Password</label>
          <input {...getInputProps(fields.password, { type: 'password' })} autoComplete="current-password" />
          <FieldError id={fields.password.errorId} errors={fields.password.errors} />
        </div>
        <div className="form-actions">
          <button type="submit" className="button" disabled={navigation.state === 'submitting'}>
            {navigation.state === 'submitting' && submittingIntent !== 'sign-on' ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
        <p className="small">
          <Link to="/forgot-password">Forgot your password?</Link>
        </p>
      </Form>
      ) : null}
    </section>
  );
}
