import { getFormProps, useForm } from '../components/form-state';
import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { passwordChangeSchema } from '../features/auth/auth-forms.server';
import { PasswordField } from '../features/auth/password-field';
import { accountPageData, changeOwnPassword } from '../features/auth/account.server';
import { actingUser, requireUser } from '../utils/auth.server';
import { statusOf } from '../utils/errors.server';
import { placeErrors } from '../utils/form-errors.server';
import { homePathOf } from '../utils/home-page';
import { roleLabel } from '../utils/labels';
import { clientAddress, redirectWithFlash } from '../utils/session.server';

// The signed-in person's own account: who they are, and their password. After an
// administrator's reset this is the only page that opens, and it asks for a new password
// (docs/decisions/0380-password-change-and-reset.md). A plain form: works without JavaScript.

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.forced ? 'Choose a new password' : 'Your account'} · Cosponsor` }];

/** Passwords are never sent back to the page, whatever the outcome. */
const hideFields = ['currentPassword', 'newPassword', 'confirmPassword'];

function person(user: Awaited<ReturnType<typeof requireUser>>) {
  return { ...actingUser(user), email: user.email, chapterName: user.chapter_name };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json(accountPageData(person(user)), { headers: { 'Cache-Control': 'private, no-store' } });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const page = accountPageData(person(user));
  const submission = parseWithZod(await request.formData(), {
    schema: passwordChangeSchema({ email: user.email, name: user.name, forced: page.forced }),
  });
  if (submission.status !== 'success') {
    const placed = placeErrors(submission.error, page.forced ? ['newPassword', 'confirmPassword'] : hideFields);
    return json(submission.reply({ ...placed, hideFields }), { status: 400 });
  }
  const result = await changeOwnPassword({ ...actingUser(user), email: user.email, sessionIdHash: user.sessionIdHash }, submission.value, clientAddress(request));
  if (!result.ok) {
    const reply = submission.reply({ formErrors: result.formError ? [result.formError] : undefined, fieldErrors: result.fieldErrors, hideFields });
    return json(reply, { status: statusOf(result) });
  }
  // After a reset, straight on to the person's work (a redirect through "/" would lose the message); otherwise back here.
  return redirectWithFlash(page.forced ? homePathOf(user) : '/account', { kind: 'success', message: result.message });
}

export default function Account() {
  const data = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm<{ currentPassword: string; newPassword: string; confirmPassword: string }>({
    id: 'change-password',
    lastResult,
    shouldValidate: 'onSubmit',
  });
  // Each answer empties the password fields, as a page loaded without JavaScript has them.
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (lastResult) formRef.current?.reset();
  }, [lastResult]);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{data.forced ? 'Choose a new password' : 'Your account'}</h1>
          {data.forced ? (
            <p>
              An administrator reset your password, and the temporary one has now been used. Choose your own password to continue:
              no other page opens until you do.
            </p>
          ) : (
            <p>
              {data.name} · {data.email}
              {data.roles.length ? ` · ${data.roles.map(roleLabel).join(', ')}` : ''}
              {data.chapterName ? ` · ${data.chapterName}` : ''}
            </p>
          )}
        </div>
      </div>
      <section className="panel" aria-labelledby="password-title">
        <h2 id="password-title">{data.forced ? 'Your new password' : 'Change your password'}</h2>
        {data.cannotChange ? (
          <p data-testid="no-local-password">{data.cannotChange}</p>
        ) : (
          <Form method="post" {...getFormProps(form)} ref={formRef} className="stack">
            {form.errors ? (
              <div className="alert alert--bad" role="alert" id={form.errorId}>
                {form.errors.join(' ')}
              </div>
            ) : null}
            {data.forced ? null : (
              <PasswordField field={fields.currentPassword} label="Current password" autoComplete="current-password" />
            )}
            <PasswordField
              field={fields.newPassword}
              label="New password"
              autoComplete="new-password"
              hint="At least 12 characters; not your e-mail address or your name. A few unrelated words are long and easy to remember."
            />
            <PasswordField field={fields.confirmPassword} label="New password, again" autoComplete="new-password" />
            <p className="small muted">
              {data.forced
                ? 'You stay signed in here.'
                : 'You stay signed in here; every other place where you are signed in is signed out.'}{' '}
              After an error the password fields are emptied: passwords are never sent back to the page.
            </p>
            <div className="form-actions">
              <button type="submit" className="button" disabled={navigation.state === 'submitting'}>
                {data.forced ? 'Set my new password' : 'Change password'}
              </button>
            </div>
          </Form>
        )}
      </section>
    </>
  );
}
