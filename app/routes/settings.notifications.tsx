import { getFormProps, getInputProps, useForm } from '../components/form-state';
import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { FieldError } from '../components/forms';
import { notificationSettingsSchema } from '../features/settings/settings-forms.server';
import { notificationSettingsOf, saveNotificationSettings } from '../features/settings/notification-settings.server';
import { actingUser, requireUser } from '../utils/auth.server';
import { redirectWithFlash } from '../utils/session.server';

// Each signed-in person chooses which e-mails they get. The form is plain HTML: it works
// without JavaScript, and saving redirects back here with a confirmation.

export const meta: MetaFunction = () => [{ title: 'Notification settings · Cosponsor' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json(notificationSettingsOf({ ...actingUser(user), email: user.email }));
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const submission = parseWithZod(await request.formData(), { schema: notificationSettingsSchema });
  if (submission.status !== 'success') return json({ result: submission.reply() }, { status: 400 });
  const result = saveNotificationSettings(actingUser(user), submission.value);
  return redirectWithFlash('/settings/notifications', { kind: 'success', message: result.message });
}

export default function NotificationSettings() {
  const { settings, address, emailOn } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: 'notification-settings',
    lastResult: actionData?.result,
    defaultValue: Object.fromEntries(settings.map((s) => [s.kind, s.email ? 'on' : ''])),
    shouldValidate: 'onSubmit',
  });
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Notification settings</h1>
          {settings.length === 0 ? null : (
            // Only for roles that get notifications: the others have nothing to choose, and nothing in their inbox.
            <p>
              Choose which e-mails you get. They go to <strong>{address}</strong> and carry the facts and a link, never the
              reasoning: that stays in Cosponsor, behind your sign-in. Your inbox in Cosponsor shows everything either way.
            </p>
          )}
        </div>
      </div>
      {emailOn || settings.length === 0 ? null : (
        <p className="alert alert--warn" data-testid="email-off">
          This server sends no e-mail yet (an administrator sets it up). Your choices are kept for when it does.
        </p>
      )}
      <section className="panel" aria-labelledby="email-title">
        <h2 id="email-title">E-mail</h2>
        {settings.length === 0 ? (
          <p data-testid="no-kinds">Your roles receive no e-mail notifications.</p>
        ) : (
          <Form method="post" {...getFormProps(form)}>
            {form.errors ? (
              <div className="alert alert--bad" role="alert" id={form.errorId}>
                {form.errors.join(' ')}
              </div>
            ) : null}
            <fieldset>
              <legend>E-mail me about</legend>
              <div className="stack">
                {settings.map((s) => {
                  const field = fields[s.kind];
                  const hintId = `${field.id}-hint`;
                  return (
                    <div className="field" key={s.kind}>
                      <label htmlFor={field.id}>
                        <input {...getInputProps(field, { type: 'checkbox' })} aria-describedby={field.errors ? `${hintId} ${field.errorId}` : hintId} /> {s.label}
                      </label>
                      <p id={hintId} className="hint small muted">
                        {s.hint}
                      </p>
                      <FieldError id={field.errorId} errors={field.errors} />
                    </div>
                  );
                })}
              </div>
            </fieldset>
            <div className="form-actions">
              <button type="submit" className="button">
                Save notification settings
              </button>
            </div>
          </Form>
        )}
      </section>
    </>
  );
}
