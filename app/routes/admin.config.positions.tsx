import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { positionsSchema } from '../features/admin/config-forms.server';
import { ConfigPageHead, ConfigVersions } from '../features/admin/config-pages';
import { PositionsEditor } from '../features/admin/positions-editor';
import { campaignChoices, configPageData, positionFormValue } from '../features/admin/config.server';
import { configEditorAction } from '../features/admin/config-action.server';
import { requirePermission } from '../utils/auth.server';

// The positions catalog the agenda step maps items onto. Each save is a new
// version; records already made keep naming the version they used (agenda items
// keep the position key they were classified with).

export const meta: MetaFunction = () => [{ title: 'Positions catalog · Admin · Cosponsor' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'admin.manage');
  const url = new URL(request.url);
  const page = configPageData('positions', url.searchParams);
  return json({ ...page, defaultValue: { note: '', positions: page.doc.positions.map(positionFormValue) }, campaigns: campaignChoices() });
}

export const action = ({ request }: ActionFunctionArgs) => configEditorAction(request, 'positions', positionsSchema, '/admin/config/positions');

export default function PositionsAdmin() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div>
      <ConfigPageHead title="Positions catalog">
        Version {data.version}, {data.doc.positions.length} positions. The agenda step maps each agenda item onto one. Saving makes a new
        version; records already made keep naming the version they used.
      </ConfigPageHead>
      <PositionsEditor
        // A new version remounts the form: what was typed before a successful save is gone with it.
        key={`v${data.version}`}
        defaultValue={data.defaultValue}
        lastResult={actionData?.result}
        baseVersion={actionData?.stale?.current ?? data.version}
        formError={actionData?.formError ?? null}
        stale={actionData?.stale ?? null}
        campaigns={data.campaigns}
      />
      <ConfigVersions what="the positions catalog" history={data.history} version={data.version} comparison={data.comparison} />
    </div>
  );
}
