import type { LoaderFunctionArgs } from '@remix-run/node';
import { insightsCsv, isTableName, parseInsightsQuery, TABLE_NAMES } from '../features/insights/insights.server';
import { todayUtc } from '../jobs/expiry.server';
import { actingUser, forbidden, requirePermission } from '../utils/auth.server';
import { downloadAnswer, toResponse, refuseWritesToDownload } from '../utils/errors.server';

// One table of /insights as CSV: ?table=<name> and the page's own filters.
// A refusal a browser followed the link into is shown as a page; other clients get JSON.
export const loader = (args: LoaderFunctionArgs) => downloadAnswer(args.request, () => download(args));

async function download({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'insights.view');
  const params = new URL(request.url).searchParams;
  const table = params.get('table');
  if (!isTableName(table)) {
    throw toResponse({ kind: 'invalid', message: `Name a table: ?table= one of ${TABLE_NAMES.join(', ')}.` });
  }
  // A filter value that cannot be used is left out, as on the page.
  const { filter } = parseInsightsQuery(params);
  const exported = insightsCsv(actingUser(user), filter, table, todayUtc());
  if (!exported.ok) forbidden(exported.error.message);
  return new Response(exported.text, {
    status: 200,
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${exported.filename}"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

// A file to read: a post here is refused as a wrong method.
export const action = refuseWritesToDownload;
