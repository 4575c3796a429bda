import type { LoaderFunctionArgs } from '@remix-run/node';
import { mouExportFacts } from '../features/mou/mou.server';
import { mouDocx } from '../features/mou/mou-docx.server';
import { notFound, requireProposal } from '../utils/auth.server';
import { downloadAnswer, refuseWritesToDownload } from '../utils/errors.server';
import { positiveWholeNumber } from '../utils/whole-number';

// The MOU as a .docx download (?version=n, default the latest saved version).
// A refusal a browser followed the link into is shown as a page; other clients get JSON.
export const loader = (args: LoaderFunctionArgs) => downloadAnswer(args.request, () => download(args));

async function download({ request, params }: LoaderFunctionArgs) {
  const { proposal } = await requireProposal(request, params.id, 'proposal.view');
  const param = new URL(request.url).searchParams.get('version');
  const version = param ? (positiveWholeNumber(param) ?? notFound('This MOU version')) : undefined;
  const facts = mouExportFacts(proposal.id, version);
  if (version !== undefined && !facts.mou) notFound(`Version ${version} of this MOU`);
  const buffer = await mouDocx({
    reference: proposal.reference,
    mouVersion: facts.mou?.version ?? null,
    sections: facts.sections,
    record: facts.record,
    organization: facts.organization,
    chapterName: facts.proposal.chapter_name,
    partnerName: facts.proposal.partner_name,
    leadName: facts.proposal.proposer_name,
    eventTitle: facts.proposal.event_title,
  });
  const filename = facts.mou ? `${proposal.reference}-MOU-v${facts.mou.version}.docx` : `${proposal.reference}-MOU-draft.docx`;
  return new Response(new Uint8Array(buffer), {
    status: 200,
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Content-Length': String(buffer.length),
      'Cache-Control': 'private, no-store',
    },
  });
}

// A file to read: a post here is refused as a wrong method.
export const action = refuseWritesToDownload;
