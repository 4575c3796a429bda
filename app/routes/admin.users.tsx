import { getCollectionProps, getFieldsetProps, getFormProps, getInputProps, getSelectProps, useForm } from '../components/form-state';
import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { AdminChanges } from '../features/admin/admin-changes';
import { AdminNav } from '../features/admin/admin-nav';
import { FieldError, Tag } from '../components/forms';
import { createUserSchema } from '../features/admin/admin-forms.server';
import { createAccount, usersPageData } from '../features/admin/admin.server';
import { actingUser, requirePermission } from '../utils/auth.server';
import { statusOf } from '../utils/errors.server';
import { placeErrors } from '../utils/form-errors.server';
import { roleLabel } from '../utils/labels';
import { redirectWithFlash } from '../utils/session.server';

export const meta: MetaFunction = () => [{ title: 'Users · Admin · Cosponsor' }];

const ROLE_OPTIONS = ['chapter_lead', 'staff', 'reviewer', 'admin'];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'admin.manage');
  return json(usersPageData());
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'admin.manage');
  const submission = parseWithZod(await request.formData(), { schema: createUserSchema });
  // The password is never sent back into the page.
  if (submission.status !== 'success') {
    // An error the form has no field for (an unknown intent, only a hand-made post's) goes in its alert.
    const placed = placeErrors(submission.error, ['name', 'email', 'password', 'roles', 'chapterId']);
    return json(submission.reply({ ...placed, hideFields: ['password'] }), { status: 400 });
  }
  const result = await createAccount(actingUser(user), submission.value);
  if (!result.ok) {
    return json(
      submission.reply({ formErrors: result.formError ? [result.formError] : undefined, fieldErrors: result.fieldErrors, hideFields: ['password'] }),
      { status: statusOf(result) },
    );
  }
  return redirectWithFlash('/admin/users', { kind: 'success', message: result.message });
}

export default function AdminUsers() {
  const { users, chapters, changes } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({ id: 'create-user', lastResult, shouldValidate: 'onSubmit' });
  const waiting = users.filter((u) => u.awaitingAdmin).length;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Users</h1>
          <p>Accounts are never deleted: deactivate them instead. Every change is recorded below.</p>
        </div>
        <AdminNav />
      </div>

      {waiting > 0 ? (
        <p className="alert alert--warn">
          {waiting === 1 ? 'One person' : `${waiting} people`} signed in with single sign-on and {waiting === 1 ? 'waits' : 'wait'} for
          an administrator: open the account, give a role (and a chapter for a chapter lead), then activate it.
        </p>
      ) : null}

      <div className="table-wrap panel" style={{ padding: 0 }}>
        <table className="data">
          <caption className="visually-hidden">All accounts</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">E-mail</th>
              <th scope="col">Roles</th>
              <th scope="col">Chapter</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>
                  <Link to={`/admin/users/${u.id}`}>{u.name}</Link>
                </td>
                <td>{u.email}</td>
                <td>{u.roles.length ? u.roles.map(roleLabel).join(', ') : <span className="muted">none</span>}</td>
                <td>{u.chapter ?? <span className="muted">none</span>}</td>
                <td>
                  {u.awaitingAdmin ? (
                    <Tag tone="warn">Waiting for an administrator</Tag>
                  ) : u.active ? (
                    <Tag tone="good">Active</Tag>
                  ) : (
                    <Tag tone="neutral">Deactivated</Tag>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <section className="panel" aria-labelledby="create-user-title">
        <h2 id="create-user-title">Create an account</h2>
        <Form method="post" {...getFormProps(form)} className="stack">
          {form.errors ? (
            <div className="alert alert--bad" role="alert" id={form.errorId}>
              {form.errors.join(' ')}
            </div>
          ) : null}
          <input type="hidden" name="intent" value="create" />
          <div className="field">
            <label htmlFor={fields.name.id}>Name</label>
            <input {...getInputProps(fields.name, { type: 'text' })} dir="auto" autoComplete="off" />
            <FieldError id={fields.name.errorId} errors={fields.name.errors} />
          </div>
          <div className="field">
            <label htmlFor={fields.email.id}>E-mail</label>
            <input {...getInputProps(fields.email, { type: 'email' })} autoComplete="off" />
            <FieldError id={fields.email.errorId} errors={fields.email.errors} />
          </div>
          <div className="field">
            <label htmlFor={fields.password.id}>Initial password</label>
            <p className="hint" id={`${fields.password.id}-hint`}>
              At least 12 characters. Give it to the person by a separate channel.
            </p>
            <input
              {...getInputProps(fields.password, { type: 'password' })}
              autoComplete="new-password"
              aria-describedby={[`${fields.password.id}-hint`, fields.password.errors ? fields.password.errorId : null].filter(Boolean).join(' ')}
            />
            <FieldError id={fields.password.errorId} errors={fields.password.errors} />
          </div>
          <fieldset className="field" {...getFieldsetProps(fields.roles)}>
            <legend>Roles</legend>
            <div className="choices">
              {getCollectionProps(fields.roles, { type: 'checkbox', options: ROLE_OPTIONS }).map(({ key, ...props }) => (
                <label key={key} htmlFor={props.id}>
                  <input {...props} />
                  {roleLabel(props.value)}
                </label>
              ))}
            </div>
            <FieldError id={fields.roles.errorId} errors={fields.roles.errors} />
          </fieldset>
          <div className="field">
            <label htmlFor={fields.chapterId.id}>Chapter</label>
            <p className="hint" id={`${fields.chapterId.id}-hint`}>Required for chapter leads.</p>
            <select
              {...getSelectProps(fields.chapterId)}
              aria-describedby={[`${fields.chapterId.id}-hint`, fields.chapterId.errors ? fields.chapterId.errorId : null].filter(Boolean).join(' ')}
            >
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
            <button type="submit" className="button" disabled={navigation.state === 'submitting'}>
              Create the account
            </button>
          </div>
        </Form>
      </section>

      <AdminChanges id="user-changes-title" title="Recent changes to accounts" changes={changes} />
    </>
  );
}
