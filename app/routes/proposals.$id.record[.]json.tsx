import { json, type LoaderFunctionArgs } from '@remix-run/node';
import { proposalBundle } from '../features/register/record.server';
import { notFound, requireProposal } from '../utils/auth.server';
import { downloadAnswer, refuseWritesToDownload } from '../utils/errors.server';

// One proposal's decision records with their hashes, as a file anyone can
// verify offline: npm run audit:verify -- --bundle <file> --public-key <key file>.
// A refusal a browser followed the link into is shown as a page; other clients get JSON.
export const loader = (args: LoaderFunctionArgs) => downloadAnswer(args.request, () => download(args));

async function download({ request, params }: LoaderFunctionArgs) {
  const { proposal } = await requireProposal(request, params.id, 'proposal.view');
  const bundle = proposalBundle(proposal.id);
  if (!bundle) notFound('This proposal');
  if ('missing' in bundle) return json({ message: bundle.missing }, { status: 409, headers: { 'Cache-Control': 'no-store' } });
  const body = `${JSON.stringify(bundle, null, 2)}\n`;
  // References are letters, digits and hyphens; anything else is replaced so the header stays valid.
  const filename = `${proposal.reference.replace(/[^A-Za-z0-9._-]/g, '_')}-records.json`;
  return new Response(body, {
    status: 200,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'private, no-store',
    },
  });
}

// A file to read: a post here is refused as a wrong method.
export const action = refuseWritesToDownload;
