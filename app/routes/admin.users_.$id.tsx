import { getCollectionProps, getFieldsetProps, getFormProps, getInputProps, getSelectProps, useForm } from '../components/form-state';
import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { AdminChanges } from '../features/admin/admin-changes';
import { AdminNav } from '../features/admin/admin-nav';
import { FieldError, Tag } from '../components/forms';
import { userPageSchema } from '../features/admin/admin-forms.server';
import { changeAccess, passwordResetRefusal, resetPassword, setAccountActive, userPageData } from '../features/admin/admin.server';
import { actingUser, notFound, requirePermission } from '../utils/auth.server';
import { pathId } from '../utils/path-id';
import { statusOf } from '../utils/errors.server';
import { placeErrors } from '../utils/form-errors.server';
import { roleLabel } from '../utils/labels';
import { redirectWithFlash } from '../utils/session.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.user.name ?? 'Account'} · Admin · Cosponsor` }];

const ROLE_OPTIONS = ['chapter_lead', 'staff', 'reviewer', 'admin'];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, 'admin.manage');
  const id = pathId(params.id);
  const data = id ? userPageData(id) : null;
  if (!data) notFound('This account');
  return json({ ...data, isSelf: data.user.id === admin.id, resetRefusal: passwordResetRefusal(actingUser(admin), data.user.id) });
}

const FIELDS_OF = { access: ['roles', 'chapterId'], status: [], reset: ['mode', 'temporaryPassword'] } as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, 'admin.manage');
  const id = pathId(params.id);
  if (!id) notFound('This account');
  const submission = parseWithZod(await request.formData(), { schema: userPageSchema });
  // The reply names its form, so the errors appear in the right one.
  const intent = submission.payload.intent;
  const form = intent === 'update' ? ('access' as const) : intent === 'reset-password' ? ('reset' as const) : ('status' as const);
  // A typed temporary password is never sent back, whatever the outcome.
  const hideFields = ['temporaryPassword'];
  if (submission.status !== 'success') {
    // An error the form has no field for (an unknown intent, only a hand-made post's) goes in its alert.
    const placed = placeErrors(submission.error, FIELDS_OF[form]);
    return json({ form, result: submission.reply({ ...placed, hideFields }), reset: null }, { status: 400 });
  }
  const v = submission.value;
  if (v.intent === 'reset-password') {
    const reset = await resetPassword(actingUser(admin), id, v.mode === 'set' ? { mode: 'set', temporaryPassword: v.temporaryPassword ?? '' } : { mode: 'generate' });
    if (!reset.ok) {
      const reply = submission.reply({ formErrors: reset.formError ? [reset.formError] : undefined, fieldErrors: reset.fieldErrors, hideFields });
      return json({ form, result: reply, reset: null }, { status: statusOf(reset) });
    }
    if (reset.temporaryPassword === null) return redirectWithFlash(`/admin/users/${id}`, { kind: 'success', message: reset.message });
    // The generated password is shown on this answer only: never in a flash cookie, a URL or a log,
    // and never kept by a cache.
    return json(
      { form, result: submission.reply({ resetForm: true }), reset: { temporaryPassword: reset.temporaryPassword, message: reset.message, expiresAt: reset.expiresAt } },
      { headers: { 'Cache-Control': 'no-store' } },
    );
  }
  const result =
    v.intent === 'update' ? changeAccess(actingUser(admin), id, v) : setAccountActive(actingUser(admin), id, v.intent === 'reactivate');
  if (!result.ok) {
    const reply = submission.reply({ formErrors: result.formError ? [result.formError] : undefined, fieldErrors: result.fieldErrors });
    return json({ form, result: reply, reset: null }, { status: statusOf(result) });
  }
  return redirectWithFlash(`/admin/users/${id}`, { kind: 'success', message: result.message });
}

export default function AdminUser() {
  const { user, chapters, changes, isSelf, resetRefusal } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: `access-${user.id}`,
    lastResult: actionData?.form === 'access' ? actionData.result : undefined,
    defaultValue: { roles: user.roles, chapterId: user.chapterId ? String(user.chapterId) : '' },
    shouldValidate: 'onSubmit',
  });
  const statusErrors = actionData?.form === 'status' ? actionData.result.error?.[''] : undefined;
  const [resetForm, resetFields] = useForm<{ mode: string; temporaryPassword: string }>({
    id: `reset-${user.id}`,
    lastResult: actionData?.form === 'reset' ? actionData.result : undefined,
    defaultValue: { mode: 'generate' },
    shouldValidate: 'onSubmit',
  });
  const shownPassword = actionData?.form === 'reset' ? actionData.reset : null;
  // A typed temporary password is emptied after each answer, as a page loaded without JavaScript has it.
  const temporaryPasswordRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (actionData?.form === 'reset' && temporaryPasswordRef.current) temporaryPasswordRef.current.value = '';
  }, [actionData]);
  return (
    <>
      <div className="page-head">
        <div>
          <p className="small">
            <Link to="/admin/users">All users</Link>
          </p>
          <h1>
            {user.name}{' '}
            {user.mustChoosePassword ? <Tag tone="warn">Must choose a new password</Tag> : null}{' '}
            {user.awaitingAdmin ? (
              <Tag tone="warn">Waiting for an administrator</Tag>
            ) : user.active ? (
              <Tag tone="good">Active</Tag>
            ) : (
              <Tag tone="neutral">Deactivated</Tag>
            )}
          </h1>
          <p>
            {user.email} · {user.roles.length ? user.roles.map(roleLabel).join(', ') : 'no role'}
            {user.chapter ? ` · ${user.chapter}` : ''}
          </p>
        </div>
        <AdminNav />
      </div>

      <div className="grid-2">
        <section className="panel" aria-labelledby="access-title">
          <h2 id="access-title">Roles and chapter</h2>
          <Form method="post" {...getFormProps(form)}>
            {form.errors ? (
              <div className="alert alert--bad" role="alert" id={form.errorId}>
                {form.errors.join(' ')}
              </div>
            ) : null}
            <input type="hidden" name="intent" value="update" />
            {/* Keyed by the access it names, so a refused save's page starts from the access as it is now. */}
            <input key={user.access} type="hidden" name="seenAccess" value={user.access} />
            <fieldset {...getFieldsetProps(fields.roles)}>
              <legend>Roles</legend>
              <div className="choices">
                {getCollectionProps(fields.roles, { type: 'checkbox', options: ROLE_OPTIONS }).map(({ key, ...props }) => (
                  <label key={key} htmlFor={props.id}>
                    <input {...props} />
                    {roleLabel(props.value)}
                  </label>
                ))}
              </div>
              {isSelf ? <p className="hint small muted">You cannot remove your own admin role: another admin must.</p> : null}
              <FieldError id={fields.roles.errorId} errors={fields.roles.errors} />
            </fieldset>
            <div className="field">
              <label htmlFor={fields.chapterId.id}>Chapter</label>
              <select {...getSelectProps(fields.chapterId)}>
                <option value="">No chapter</option>
                {chapters.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
              <FieldError id={fields.chapterId.errorId} errors={fields.chapterId.errors} />
            </div>
            <div className="form-actions">
              <button type="submit" className="button">Save roles and chapter</button>
            </div>
          </Form>
        </section>

        <section className="panel" aria-labelledby="status-title">
          <h2 id="status-title">Account status</h2>
          {statusErrors ? (
            <div className="alert alert--bad" role="alert">
              {statusErrors.join(' ')}
            </div>
          ) : null}
          {user.active ? (
            isSelf ? (
              <p>
                This is your own account. You cannot deactivate it yourself: another admin must, so that the organization
                always keeps an active admin.
              </p>
            ) : (
              <Form method="post">
                <p>Deactivating ends every open session of {user.name} at once. The account and its history are kept.</p>
                <button type="submit" name="intent" value="deactivate" className="button button--danger">
                  Deactivate the account
                </button>
              </Form>
            )
          ) : user.awaitingAdmin ? (
            <Form method="post">
              <p>
                {user.name} signed in with single sign-on and waits for you. Give a role (and a chapter for a chapter lead) above,
                then activate the account.
              </p>
              <button type="submit" name="intent" value="reactivate" className="button">
                Activate the account
              </button>
            </Form>
          ) : (
            <Form method="post">
              <p>This account cannot sign in. Reactivating lets {user.name} sign in again with the same password.</p>
              <button type="submit" name="intent" value="reactivate" className="button">
                Reactivate the account
              </button>
            </Form>
          )}
        </section>
      </div>

      <section className="panel" aria-labelledby="password-title">
        <h2 id="password-title">Password</h2>
        {shownPassword ? (
          <div className="alert alert--good" role="status" data-testid="temporary-password-notice">
            <p>{shownPassword.message}</p>
            <p>
              Temporary password: <code className="temporary-password" data-testid="temporary-password">{shownPassword.temporaryPassword}</code>
            </p>
            <p className="small">
              It is shown this once and stored nowhere in readable form. Give it to {user.name} in person or by phone, not by
              e-mail or chat.
            </p>
          </div>
        ) : null}
        {resetRefusal && resetForm.errors ? (
          <div className="alert alert--bad" role="alert" id={resetForm.errorId}>
            {resetForm.errors.join(' ')}
          </div>
        ) : null}
        {resetRefusal ? (
          isSelf ? (
            <p>
              This is your own account. Change your password on <Link to="/account">your account page</Link>: it asks for your current
              one, which a reset would skip.
            </p>
          ) : (
            <p>{resetRefusal}</p>
          )
        ) : (
          <Form method="post" {...getFormProps(resetForm)}>
            {resetForm.errors ? (
              <div className="alert alert--bad" role="alert" id={resetForm.errorId}>
                {resetForm.errors.join(' ')}
              </div>
            ) : null}
            <p>
              If {user.name} forgot their password: resetting ends every open session of theirs at once. The temporary password
              works for one sign-in within 72 hours, and then they must choose their own before anything else.
            </p>
            <input type="hidden" name="intent" value="reset-password" />
            <fieldset {...getFieldsetProps(resetFields.mode)}>
              <legend>Temporary password</legend>
              <div className="choices">
                {getCollectionProps(resetFields.mode, { type: 'radio', options: ['generate', 'set'] }).map(({ key, ...props }) => (
                  <label key={key} htmlFor={props.id}>
                    <input {...props} />
                    {props.value === 'generate' ? 'Generate one (shown to you once, on this page)' : 'Set one myself'}
                  </label>
                ))}
              </div>
              <FieldError id={resetFields.mode.errorId} errors={resetFields.mode.errors} />
            </fieldset>
            <div className="field">
              <label htmlFor={resetFields.temporaryPassword.id}>Temporary password, if you set one</label>
              <input
                {...getInputProps(resetFields.temporaryPassword, { type: 'password' })}
                ref={temporaryPasswordRef}
                autoComplete="new-password"
                aria-describedby={[`${resetFields.temporaryPassword.id}-hint`, resetFields.temporaryPassword.errors ? resetFields.temporaryPassword.errorId : '']
                  .filter(Boolean)
                  .join(' ')}
              />
              <p id={`${resetFields.temporaryPassword.id}-hint`} className="hint small muted">
                At least 12 characters, not {user.name}’s e-mail or name. Leave it empty to generate one.
              </p>
              <FieldError id={resetFields.temporaryPassword.errorId} errors={resetFields.temporaryPassword.errors} />
            </div>
            <div className="form-actions">
              <button type="submit" className="button button--danger">
                Reset the password
              </button>
            </div>
          </Form>
        )}
      </section>

      <AdminChanges id="history-title" title="Changes to this account" changes={changes} emptyText="No changes recorded." />
    </>
  );
}
