import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { riskMatrixSchema } from '../features/admin/config-forms.server';
import { ConfigPageHead, ConfigVersions } from '../features/admin/config-pages';
import { RiskMatrixEditor } from '../features/admin/risk-editor';
import { configPageData } from '../features/admin/config.server';
import { configEditorAction } from '../features/admin/config-action.server';
import { requirePermission } from '../utils/auth.server';

// The risk matrix: bands over the 1–25 scores, the close margin, the names of the
// five likelihood and impact levels, and the categories. Each save is a new version;
// records already made keep naming the version they used.

export const meta: MetaFunction = () => [{ title: 'Risk matrix · Admin · Cosponsor' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'admin.manage');
  const url = new URL(request.url);
  const page = configPageData('risk_matrix', url.searchParams);
  return json({ ...page, defaultValue: { note: '', ...page.doc } });
}

export const action = ({ request }: ActionFunctionArgs) => configEditorAction(request, 'risk_matrix', riskMatrixSchema, '/admin/config/risk');

export default function RiskMatrixAdmin() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div>
      <ConfigPageHead title="Risk matrix">
        Version {data.version}. The risk step scores each item as likelihood × impact and places it in a band. Saving makes a new version;
        records already made keep naming the version they used.
      </ConfigPageHead>
      <RiskMatrixEditor
        // A new version remounts the form: what was typed before a successful save is gone with it.
        key={`v${data.version}`}
        defaultValue={data.defaultValue}
        lastResult={actionData?.result}
        baseVersion={actionData?.stale?.current ?? data.version}
        formError={actionData?.formError ?? null}
        stale={actionData?.stale ?? null}
      />
      <ConfigVersions what="the risk matrix" history={data.history} version={data.version} comparison={data.comparison} />
    </div>
  );
}
