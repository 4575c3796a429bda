import { getCollectionProps, getFieldsetProps, getFormProps, getSelectProps, useForm } from '../components/form-state';
import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { AdminChanges } from '../features/admin/admin-changes';
import { AdminNav } from '../features/admin/admin-nav';
import { FieldError, Tag } from '../components/forms';
import { userPageSchema } from '../features/admin/admin-forms.server';
import { changeAccess, setAccountActive, userPageData } from '../features/admin/admin.server';
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
  return json({ ...data, isSelf: data.user.id === admin.id });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, 'admin.manage');
  const id = pathId(params.id);
  if (!id) notFound('This account');
  const submission = parseWithZod(await request.formData(), { schema: userPageSchema });
  // The reply names its form, so the errors appear in the right one.
  const form = submission.payload.intent === 'update' ? ('access' as const) : ('status' as const);
  if (submission.status !== 'success') {
    // An error the form has no field for (an unknown intent, only a hand-made post's) goes in its alert.
    const placed = placeErrors(submission.error, form === 'access' ? ['roles', 'chapterId'] : []);
    return json({ form, result: submission.reply(placed) }, { status: 400 });
  }
  const v = submission.value;
  const result =
    v.intent === 'update' ? changeAccess(actingUser(admin), id, v) : setAccountActive(actingUser(admin), id, v.intent === 'reactivate');
  if (!result.ok) {
    const reply = submission.reply({ formErrors: result.formError ? [result.formError] : undefined, fieldErrors: result.fieldErrors });
    return json({ form, result: reply }, { status: statusOf(result) });
  }
  return redirectWithFlash(`/admin/users/${id}`, { kind: 'success', message: result.message });
}

export default function AdminUser() {
  const { user, chapters, changes, isSelf } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: `access-${user.id}`,
    lastResult: actionData?.form === 'access' ? actionData.result : undefined,
    defaultValue: { roles: user.roles, chapterId: user.chapterId ? String(user.chapterId) : '' },
    shouldValidate: 'onSubmit',
  });
  const statusErrors = actionData?.form === 'status' ? actionData.result.error?.[''] : undefined;
  return (
    <>
      <div className="page-head">
        <div>
          <p className="small">
            <Link to="/admin/users">All users</Link>
          </p>
          <h1>
            {user.name}{' '}
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

      <AdminChanges id="history-title" title="Changes to this account" changes={changes} emptyText="No changes recorded." />
    </>
  );
}
