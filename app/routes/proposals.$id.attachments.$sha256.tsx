import type { LoaderFunctionArgs } from '@remix-run/node';
import { createReadableStreamFromReadable } from '@remix-run/node';
import { attachmentDownload, downloadHeaders } from '../features/attachments/attachments.server';
import { actingUser, notFound, requireProposal } from '../utils/auth.server';

// An evidence file, for whoever may view the proposal that cites it (docs/decisions/0170).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, proposal } = await requireProposal(request, params.id, 'proposal.view');
  const file = attachmentDownload(actingUser(user), proposal, params.sha256 ?? '');
  if (!file) notFound('This file');
  return new Response(createReadableStreamFromReadable(file.stream), { status: 200, headers: downloadHeaders(file.ref, file.size) });
}
