import type { LoaderFunctionArgs } from '@remix-run/node';
import { createReadableStreamFromReadable } from '@remix-run/node';
import { attachmentDownload, downloadHeaders } from '../features/attachments/attachments.server';
import { actingUser, notFound, requireProposal } from '../utils/auth.server';
import { downloadAnswer, refuseWritesToDownload } from '../utils/errors.server';

// An evidence file, for whoever may view the proposal that cites it (docs/decisions/0170).
// A refusal a browser followed the link into is shown as a page; other clients get JSON.
export const loader = (args: LoaderFunctionArgs) => downloadAnswer(args.request, () => download(args));

async function download({ request, params }: LoaderFunctionArgs) {
  const { user, proposal } = await requireProposal(request, params.id, 'proposal.view');
  const file = attachmentDownload(actingUser(user), proposal, params.sha256 ?? '');
  if (!file) notFound('This file');
  const headers = downloadHeaders(file.ref, file.size);
  // A HEAD answer has no body and nothing would ever read the stream: it would keep the file open.
  if (request.method === 'HEAD') {
    file.stream.destroy();
    return new Response(null, { status: 200, headers });
  }
  return new Response(createReadableStreamFromReadable(file.stream), { status: 200, headers });
}

// A file to read: a post here is refused as a wrong method.
export const action = refuseWritesToDownload;
