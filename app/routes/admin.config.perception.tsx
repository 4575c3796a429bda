import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { perceptionChecklistSchema } from '../features/admin/config-forms.server';
import { ConfigPageHead, ConfigVersions } from '../features/admin/config-pages';
import { PerceptionChecklistEditor } from '../features/admin/perception-editor';
import { configPageData } from '../features/admin/config.server';
import { configEditorAction } from '../features/admin/config-action.server';
import { MOU_PLACEHOLDERS } from '../features/mou/mou.server';
import { requirePermission } from '../utils/auth.server';

// The BDS-perception checklist: the questions of the perception step and the MOU
// clause each becomes as a condition. Each save is a new version; records already
// made keep naming the version they used.

export const meta: MetaFunction = () => [{ title: 'Perception checklist · Admin · Cosponsor' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'admin.manage');
  const url = new URL(request.url);
  const page = configPageData('perception_checklist', url.searchParams);
  return json({ ...page, defaultValue: { note: '', movement: page.doc.movement, items: page.doc.items }, placeholders: MOU_PLACEHOLDERS });
}

export const action = ({ request }: ActionFunctionArgs) => configEditorAction(request, 'perception_checklist', perceptionChecklistSchema, '/admin/config/perception');

export default function PerceptionChecklistAdmin() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div>
      <ConfigPageHead title="Perception checklist">
        Version {data.version}, {data.doc.items.length} items on {data.doc.movement}. The perception step asks each question; an item
        made a condition becomes its MOU clause. Saving makes a new version; records already made keep naming the version they used.
      </ConfigPageHead>
      <PerceptionChecklistEditor
        // A new version remounts the form: what was typed before a successful save is gone with it.
        key={`v${data.version}`}
        defaultValue={data.defaultValue}
        lastResult={actionData?.result}
        baseVersion={actionData?.stale?.current ?? data.version}
        formError={actionData?.formError ?? null}
        stale={actionData?.stale ?? null}
        placeholders={data.placeholders}
      />
      <ConfigVersions what="the perception checklist" history={data.history} version={data.version} comparison={data.comparison} />
    </div>
  );
}
