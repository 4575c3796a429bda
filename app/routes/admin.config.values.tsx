import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { valuesCriteriaSchema } from '../features/admin/config-forms.server';
import { ConfigPageHead, ConfigVersions } from '../features/admin/config-pages';
import { ValuesCriteriaEditor } from '../features/admin/values-editor';
import { configPageData } from '../features/admin/config.server';
import { configEditorAction } from '../features/admin/config-action.server';
import { requirePermission } from '../utils/auth.server';

// The values criteria the values step rates a partner against. Each save is a
// new version; records already made keep naming the version they used.

export const meta: MetaFunction = () => [{ title: 'Values criteria · Admin · Cosponsor' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'admin.manage');
  const url = new URL(request.url);
  const page = configPageData('values_criteria', url.searchParams);
  return json({ ...page, defaultValue: { note: '', criteria: page.doc.criteria } });
}

export const action = ({ request }: ActionFunctionArgs) => configEditorAction(request, 'values_criteria', valuesCriteriaSchema, '/admin/config/values');

export default function ValuesCriteriaAdmin() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div>
      <ConfigPageHead title="Values criteria">
        Version {data.version}, {data.doc.criteria.length} criteria. The values step rates each partner against them; saving makes a new
        version, and records already made keep naming the version they used.
      </ConfigPageHead>
      <ValuesCriteriaEditor
        // A new version remounts the form: what was typed before a successful save is gone with it.
        key={`v${data.version}`}
        defaultValue={data.defaultValue}
        lastResult={actionData?.result}
        baseVersion={actionData?.stale?.current ?? data.version}
        formError={actionData?.formError ?? null}
        stale={actionData?.stale ?? null}
      />
      <ConfigVersions what="the values criteria" history={data.history} version={data.version} comparison={data.comparison} />
    </div>
  );
}
