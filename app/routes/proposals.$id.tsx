// Layout of one proposal: its heading, the change request (when staff sent it back)
// and the stepper, above the page of the moment (home or a step). Pages opt in to
// this header with handle.proposalHeader; other pages under /proposals/:id render bare.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Outlet, useLoaderData, useMatches } from '@remix-run/react';
import { ServerMarkup } from '../components/server-markup';
// One server module: each one a route imports costs every proposal page a file of JavaScript.
import { proposalLayoutLoader } from '../features/vetting/proposal-layout.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.view.proposal.event_title} · ${data.view.proposal.reference} · Cosponsor` : 'Proposal · Cosponsor' },
];

export async function loader(args: LoaderFunctionArgs) {
  return proposalLayoutLoader(args);
}

export type ProposalLayoutData = typeof loader;
export const PROPOSAL_LAYOUT_ID = 'routes/proposals.$id';

export default function ProposalLayout() {
  const { markup } = useLoaderData<typeof loader>();
  const matches = useMatches();
  const handles = matches.map((m) => m.handle as { proposalHeader?: boolean; partnerPrecedent?: boolean } | undefined);
  const withHeader = handles.some((h) => h?.proposalHeader);
  // The home and the values step show what became of earlier proposals with this partner.
  const withPrecedent = handles.some((h) => h?.partnerPrecedent) && markup.precedent !== '';
  if (!withHeader) return <Outlet />;
  return (
    <>
      <ServerMarkup html={markup.header} />
      {withPrecedent ? <ServerMarkup html={markup.precedent} /> : null}
      <Outlet />
    </>
  );
}
