import type { LoaderFunctionArgs } from '@remix-run/node';
import { exportRegisterCsv, parseRegisterQuery, registerChoices } from '../features/register/register.server';
import { actingUser, forbidden, requirePermission } from '../utils/auth.server';
import { downloadAnswer, refuseWritesToDownload } from '../utils/errors.server';

// The whole filtered register as CSV (same parameters as /decisions, paging
// ignored), streamed batch by batch so a large register never sits in memory.
// A refusal a browser followed the link into is shown as a page; other clients get JSON.
export const loader = (args: LoaderFunctionArgs) => downloadAnswer(args.request, () => download(args));

async function download({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'register.view');
  const params = new URL(request.url).searchParams;
  // The same filter the page applies: a number naming no chapter, campaign or decider is left out.
  const choices = registerChoices(actingUser(user));
  if (!choices.ok) forbidden(choices.error.message);
  const { filter } = parseRegisterQuery(params, choices);
  // ?codes=1 adds the stored codes beside the words, for integrations (see the README).
  const exported = exportRegisterCsv(actingUser(user), filter, { codes: params.get('codes') === '1' });
  if (!exported.ok) forbidden(exported.error.message);
  const chunks = exported.chunks[Symbol.iterator]();
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    // One batch per pull: the stream asks for more only as the client reads.
    pull(controller) {
      try {
        const next = chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        controller.error(error);
      }
    },
    cancel() {
      chunks.return?.();
    },
  });
  return new Response(body, {
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
