import { getFormProps, getInputProps, useForm, type SubmissionResult } from '../components/form-state';
import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { AdminChanges } from '../features/admin/admin-changes';
import { AdminNav } from '../features/admin/admin-nav';
import { FieldError, Tag } from '../components/forms';
import { chaptersPageSchema } from '../features/admin/admin-forms.server';
import { addChapter, chaptersPageData, editChapter, setChapterStatus, type AdminResult } from '../features/admin/admin.server';
import { actingUser, requirePermission } from '../utils/auth.server';
import { statusOf } from '../utils/errors.server';
import { placeErrors } from '../utils/form-errors.server';
import { redirectWithFlash } from '../utils/session.server';

export const meta: MetaFunction = () => [{ title: 'Chapters · Admin · Cosponsor' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'admin.manage');
  return json(chaptersPageData());
}

// Several forms on one page: `intent` says which, and the reply names the form
// it belongs to, so its errors appear beside the right fields.
export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, 'admin.manage');
  const actor = actingUser(admin);
  const submission = parseWithZod(await request.formData(), { schema: chaptersPageSchema });
  const { intent, chapterId } = submission.payload;
  const formName = intent === 'create' ? 'create' : `${intent === 'rename' ? 'rename' : 'status'}-${String(chapterId ?? '')}`;
  if (submission.status !== 'success') {
    // The create and rename forms show their name and region; any other error (only a hand-made post's) goes in the alert.
    const shown = intent === 'create' || intent === 'rename' ? ['name', 'region'] : [];
    return json({ form: formName, result: submission.reply(placeErrors(submission.error, shown)) }, { status: 400 });
  }

  const v = submission.value;
  let result: AdminResult;
  if (v.intent === 'create') result = addChapter(actor, v);
  else if (v.intent === 'rename') result = editChapter(actor, v.chapterId, v);
  else result = setChapterStatus(actor, v.chapterId, v.intent === 'reactivate');

  if (!result.ok) {
    const reply = submission.reply({ formErrors: result.formError ? [result.formError] : undefined, fieldErrors: result.fieldErrors });
    return json({ form: formName, result: reply }, { status: statusOf(result) });
  }
  return redirectWithFlash('/admin/chapters', { kind: 'success', message: result.message });
}

type Chapter = ReturnType<typeof chaptersPageData>['chapters'][number];

function ChapterRow({ chapter, lastResult }: { chapter: Chapter; lastResult?: SubmissionResult<string[]> }) {
  const [form, fields] = useForm({
    id: `rename-${chapter.id}`,
    lastResult,
    defaultValue: { name: chapter.name, region: chapter.region },
    shouldValidate: 'onSubmit',
  });
  return (
    <tr>
      <td>
        <Form method="post" {...getFormProps(form)} className="row" aria-label={`Rename ${chapter.name}`}>
          <input type="hidden" name="intent" value="rename" />
          <input type="hidden" name="chapterId" value={chapter.id} />
          {/* Keyed by what they name, so a refused rename's page starts from the chapter as it is now. */}
          <input key={`n-${chapter.name}`} type="hidden" name="seenName" value={chapter.name} />
          <input key={`r-${chapter.region}`} type="hidden" name="seenRegion" value={chapter.region} />
          <div className="field">
            <label htmlFor={fields.name.id}>Name</label>
            <input {...getInputProps(fields.name, { type: 'text' })} dir="auto" />
            <FieldError id={fields.name.errorId} errors={fields.name.errors} />
          </div>
          <div className="field">
            <label htmlFor={fields.region.id}>Region</label>
            <input {...getInputProps(fields.region, { type: 'text' })} dir="auto" />
            <FieldError id={fields.region.errorId} errors={fields.region.errors} />
          </div>
          <button type="submit" className="button button--secondary button--small">Save</button>
          {form.errors ? <FieldError id={form.errorId} errors={form.errors} /> : null}
        </Form>
      </td>
      <td>{chapter.members}</td>
      <td>{chapter.active ? <Tag tone="good">Active</Tag> : <Tag tone="neutral">Deactivated</Tag>}</td>
      <td>
        <Form method="post">
          <input type="hidden" name="chapterId" value={chapter.id} />
          {chapter.active ? (
            <button type="submit" name="intent" value="deactivate" className="button button--danger button--small">
              Deactivate<span className="visually-hidden"> {chapter.name}</span>
            </button>
          ) : (
            <button type="submit" name="intent" value="reactivate" className="button button--small">
              Reactivate<span className="visually-hidden"> {chapter.name}</span>
            </button>
          )}
        </Form>
      </td>
    </tr>
  );
}

export default function AdminChapters() {
  const { chapters, changes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const resultFor = (name: string) => (actionData?.form === name ? actionData.result : undefined);
  const [form, fields] = useForm({ id: 'create-chapter', lastResult: resultFor('create'), shouldValidate: 'onSubmit' });
  // The create and rename forms show their own errors. A status button's, and a refused post for a
  // form this page does not have (a chapter it does not list), are shown above the table.
  const formsWithAlerts = new Set(['create', ...chapters.map((c) => `rename-${c.id}`)]);
  const pageErrors =
    actionData && !formsWithAlerts.has(actionData.form)
      ? [...new Set(Object.values(actionData.result.error ?? {}).flatMap((messages) => messages ?? []))]
      : [];
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Chapters</h1>
          <p>
            A deactivated chapter keeps its members and its proposals on record; nobody new can be placed in it.
          </p>
        </div>
        <AdminNav />
      </div>

      {pageErrors.length ? (
        <div className="alert alert--bad" role="alert">
          {pageErrors.join(' ')}
        </div>
      ) : null}

      <div className="table-wrap panel" style={{ padding: 0 }}>
        <table className="data">
          <caption className="visually-hidden">All chapters</caption>
          <thead>
            <tr>
              <th scope="col">Name and region</th>
              <th scope="col">Active members</th>
              <th scope="col">Status</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {chapters.map((c) => (
              <ChapterRow key={c.id} chapter={c} lastResult={resultFor(`rename-${c.id}`)} />
            ))}
          </tbody>
        </table>
      </div>

      <section className="panel" aria-labelledby="create-chapter-title">
        <h2 id="create-chapter-title">Create a chapter</h2>
        <Form method="post" {...getFormProps(form)} className="stack">
          {form.errors ? (
            <div className="alert alert--bad" role="alert" id={form.errorId}>
              {form.errors.join(' ')}
            </div>
          ) : null}
          <input type="hidden" name="intent" value="create" />
          <div className="field">
            <label htmlFor={fields.name.id}>Name</label>
            <input {...getInputProps(fields.name, { type: 'text' })} dir="auto" />
            <FieldError id={fields.name.errorId} errors={fields.name.errors} />
          </div>
          <div className="field">
            <label htmlFor={fields.region.id}>Region</label>
            <input {...getInputProps(fields.region, { type: 'text' })} dir="auto" />
            <FieldError id={fields.region.errorId} errors={fields.region.errors} />
          </div>
          <div className="form-actions">
            <button type="submit" className="button">Create the chapter</button>
          </div>
        </Form>
      </section>

      <AdminChanges id="chapter-changes-title" title="Recent changes to chapters" changes={changes} />
    </>
  );
}
