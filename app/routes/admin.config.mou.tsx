import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { mouTemplateSchema } from '../features/mou/mou-forms.server';
import { currentMouTemplate, MOU_PLACEHOLDERS, mouDiff, mouTemplateProblems, mouTemplateHistory, mouTemplateVersion, newEditorKey, saveMouTemplate } from '../features/mou/mou.server';
import { DecisionError } from '../features/vetting/vetting.server';
import { actingUser, requirePermission } from '../utils/auth.server';
import { statusOf } from '../utils/errors.server';
import { redirectWithFlash } from '../utils/session.server';
import { AdminNav } from '../features/admin/admin-nav';
import { ConfigHistory } from '../features/admin/config-pages';
import { MouDiff } from '../features/mou/mou-diff';
import { TemplateForm, type TemplateSection, type TemplateState } from '../features/mou/mou-template-form';
import { positiveWholeNumber } from '../utils/whole-number';

// The MOU template, kept by admins. Each save is a new configuration version;
// MOUs already saved keep their text, new drafts use the newest template.

export const meta: MetaFunction = () => [{ title: 'MOU template · Admin · Cosponsor' }];


export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'admin.manage');
  const template = currentMouTemplate();
  const compareParam = positiveWholeNumber(new URL(request.url).searchParams.get('compare'));
  const compare = compareParam === null ? undefined : mouTemplateVersion(compareParam);
  return json({
    version: template.version,
    sections: template.sections,
    history: mouTemplateHistory(),
    placeholders: MOU_PLACEHOLDERS,
    compare: compare
      ? {
          version: compareParam,
          diff: mouDiff(
            compare.sections.map((s) => ({ ...s, clauses: [] })),
            template.sections.map((s) => ({ ...s, clauses: [] })),
          ),
        }
      : null,
  });
}

type Reply = { key: string; state: TemplateState; errors: Record<string, string[]>; formError: string | null };

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, 'admin.manage');
  const submission = parseWithZod(await request.formData(), { schema: mouTemplateSchema });
  const payload = submission.payload as { baseVersion?: string; note?: string; sections?: Partial<TemplateSection>[] };
  const state: TemplateState = {
    baseVersion: positiveWholeNumber(payload.baseVersion) ?? currentMouTemplate().version,
    note: payload.note ?? '',
    sections: (payload.sections ?? []).map((s) => ({ key: s.key ?? '', title: s.title ?? '', body: s.body ?? '' })),
  };
  const reply = (data: Partial<Reply>, status = 200) =>
    json({ key: newEditorKey(), state, errors: {}, formError: null, ...data } satisfies Reply, { status });

  // A section added or removed (conform's list intents, already applied to what was sent): shown again, nothing saved.
  if (submission.status === undefined) return reply({});
  if (submission.status !== 'success') {
    const errors = Object.fromEntries(
      Object.entries(submission.reply().error ?? {}).filter((e): e is [string, string[]] => Array.isArray(e[1])),
    );
    // The list of sections is no field: its problem (none left) is said at the top.
    const aboutSections = errors.sections?.join(' ');
    return reply({ errors, formError: aboutSections ? `${aboutSections} Nothing was saved.` : 'Some fields need attention. Nothing was saved.' }, 400);
  }
  const errors = mouTemplateProblems(submission.value.sections);
  if (Object.keys(errors).length) return reply({ errors, formError: errors['']?.join(' ') ?? 'Some fields need attention. Nothing was saved.' }, 400);

  try {
    const version = saveMouTemplate(
      actingUser(admin),
      { sections: submission.value.sections },
      submission.value.note,
      submission.value.baseVersion,
    );
    return redirectWithFlash('/admin/config/mou', {
      kind: 'success',
      message: `MOU template version ${version} saved. New drafts use it; MOUs already saved keep their text.`,
    });
  } catch (error) {
    if (!(error instanceof DecisionError)) throw error;
    const current = currentMouTemplate().version;
    return reply({ formError: error.message, state: { ...state, baseVersion: current } }, statusOf(error));
  }
}

export default function MouTemplateAdmin() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const state: TemplateState = actionData?.state ?? { baseVersion: data.version, note: '', sections: data.sections };
  return (
    <div>
      <div className="page-head">
        <div>
          <h1>MOU template</h1>
          <p>
            Version {data.version}. Saving makes a new version; earlier versions stay in the history and in the MOUs drafted from them.
          </p>
        </div>
        <AdminNav />
      </div>

      <section className="panel" aria-labelledby="placeholders-title">
        <h2 id="placeholders-title">Placeholders</h2>
        <p className="small">Filled from each proposal when its MOU is drafted:</p>
        <p className="row">
          {data.placeholders.map((p) => (
            <code key={p}>{`{{${p}}}`}</code>
          ))}
        </p>
        <p className="small muted">
          The “Conditions” and “Risk mitigations” sections receive one clause per perception condition and per risk mitigation; their text
          comes from the perception checklist and the risk register.
        </p>
      </section>

      <TemplateForm
        key={actionData?.key ?? `v${data.version}`}
        state={state}
        errors={actionData?.errors ?? {}}
        formError={actionData?.formError ?? null}
      />

      <ConfigHistory
        what="the MOU template"
        history={data.history}
        current={data.version}
        compareLink={(v) => (v !== data.version ? { to: `?compare=${v}#compare-title`, label: `Compare with version ${data.version}` } : null)}
      />

      {data.compare ? (
        <section className="panel" aria-labelledby="compare-title">
          <h2 id="compare-title">
            Changes from version {data.compare.version} to version {data.version}
          </h2>
          <MouDiff diff={data.compare.diff} headingLevel={3} />
        </section>
      ) : null}
    </div>
  );
}
