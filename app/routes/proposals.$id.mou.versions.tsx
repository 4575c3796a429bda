import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { mouChangesSinceLastSeen, markMouSeen, mouDiff, mouVersion, mouVersionList } from '../features/mou/mou.server';
import { proposalView } from '../features/vetting/proposal-view.server';
import { parseWithZod } from '@conform-to/zod/v4';
import { mouSeenSchema } from '../features/mou/mou-forms.server';
import { actingUser, notFound, requireProposal } from '../utils/auth.server';
import { redirectWithFlash } from '../utils/session.server';
import { formatDateTime } from '../utils/labels';
import { MouDiff } from '../features/mou/mou-diff';
import { MouDocument, RemovedConditions } from '../features/mou/mou-document';
import { Tag } from '../components/forms';
import { isStaff } from '../../workflows/policy';
import { positiveWholeNumber } from '../utils/whole-number';

export const handle = { proposalHeader: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `MOU versions · ${data.proposal.reference} · Cosponsor` : 'MOU versions · Cosponsor' },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, proposal } = await requireProposal(request, params.id, 'proposal.view');
  const view = proposalView(proposal.id, actingUser(user))!;
  const list = mouVersionList(proposal.id);
  const latest = list[0]?.version ?? null;
  const url = new URL(request.url);
  const staff = isStaff(user);
  // For staff, by default: what changed since they last read the MOU.
  const changes = staff ? mouChangesSinceLastSeen(proposal.id, user.id) : null;
  let to = positiveWholeNumber(url.searchParams.get('to')) ?? latest;
  let from = positiveWholeNumber(url.searchParams.get('from'));
  if (!url.searchParams.has('from') && !url.searchParams.has('to')) {
    from = changes?.seenVersion && changes.seenVersion !== latest ? changes.seenVersion : latest && latest > 1 ? latest - 1 : null;
  }
  const known = new Set(list.map((v) => v.version));
  const problems: string[] = [];
  if (to !== null && !known.has(to)) {
    problems.push(`There is no version ${to}; showing the latest.`);
    to = latest;
  }
  if (from !== null && !known.has(from)) {
    problems.push(`There is no version ${from} to compare with.`);
    from = null;
  }
  const after = to ? mouVersion(proposal.id, to) : undefined;
  const before = from ? mouVersion(proposal.id, from) : undefined;
  return json({
    proposal: {
      id: proposal.id,
      reference: proposal.reference,
      state: proposal.state,
      eventTitle: proposal.event_title,
      partnerName: view.proposal.partner_name,
    },
    versions: list.map((v) => ({ ...v })),
    from,
    to,
    problems,
    seenVersion: changes?.seenVersion ?? null,
    latest,
    isStaff: staff,
    before: before ? { version: before.version, sections: before.sections } : null,
    diff: before && after ? mouDiff(before.sections, after.sections) : null,
    after: after
      ? {
          version: after.version,
          sections: after.sections,
          removed: after.removed_conditions,
          note: after.note,
          createdByName: after.created_by_name,
          createdAt: after.created_at,
        }
      : null,
  });
}

/** Staff mark what they have read; reading the page itself writes nothing. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { user, proposal } = await requireProposal(request, params.id, 'mou.mark_seen');
  const here = `/proposals/${proposal.id}/mou/versions`;
  const submission = parseWithZod(await request.formData(), { schema: mouSeenSchema });
  const version = submission.status === 'success' ? submission.value.version : null;
  if (version === null || !mouVersion(proposal.id, version)) notFound('This MOU version');
  markMouSeen(proposal.id, user.id, version);
  return redirectWithFlash(here, { kind: 'success', message: `Marked MOU version ${version} as read.` });
}

export default function MouVersions() {
  const data = useLoaderData<typeof loader>();
  const { proposal, versions } = data;
  return (
    <section aria-labelledby="versions-page-title">
      <div className="page-head">
        <div>
          <h2 id="versions-page-title">MOU versions and changes</h2>
          <p>
            {proposal.reference} · every saved version of the MOU with {proposal.partnerName}, who saved it and when.
          </p>
        </div>
        <nav aria-label="MOU documents" className="row no-print">
          <Link to={`/proposals/${proposal.id}/steps/mou`} className="button button--secondary button--small">
            MOU step
          </Link>
          {data.to ? (
            <>
              <a href={`/proposals/${proposal.id}/mou.docx?version=${data.to}`} className="button button--secondary button--small" download>
                Download version {data.to} (.docx)
              </a>
              <Link to={`/proposals/${proposal.id}/mou/print?version=${data.to}`} className="button button--secondary button--small">
                Print version {data.to}
              </Link>
            </>
          ) : null}
        </nav>
      </div>

      {versions.length === 0 ? (
        <p className="panel muted">No version of this MOU has been saved yet.</p>
      ) : (
        <>
          <section className="panel" aria-labelledby="versions-title">
            <h3 id="versions-title">Versions</h3>
            <div className="table-wrap">
              <table className="data data--stack">
                <caption className="visually-hidden">Saved versions of the MOU, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Version</th>
                    <th scope="col">Saved by</th>
                    <th scope="col">When</th>
                    <th scope="col">Note</th>
                    <th scope="col">Compare</th>
                  </tr>
                </thead>
                <tbody>
                  {versions.map((v) => (
                    <tr key={v.version} data-version={v.version}>
                      <td data-label="Version">
                        {v.version}
                        {data.isStaff && data.seenVersion === v.version ? (
                          <>
                            {' '}
                            <Tag tone="neutral">last read by you</Tag>
                          </>
                        ) : null}
                      </td>
                      <td data-label="Saved by">{v.created_by_name}</td>
                      <td data-label="When">
                        <time dateTime={v.created_at}>{formatDateTime(v.created_at)}</time>
                      </td>
                      <td className="cell--wide" data-label="Note">
                        {v.note || <span className="muted">—</span>}
                      </td>
                      <td className="cell--wide" data-label="Compare">
                        {v.version > 1 ? (
                          <Link to={`?from=${v.version - 1}&to=${v.version}`}>Changes in version {v.version}</Link>
                        ) : (
                          <Link to={`?to=${v.version}`}>Read version 1</Link>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>

            <Form method="get" className="row" aria-label="Compare two versions">
              <label htmlFor="compare-from">Compare version</label>
              <select id="compare-from" name="from" defaultValue={data.from ?? ''} style={{ width: 'auto' }}>
                <option value="">(none: read one version)</option>
                {versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    {v.version}
                  </option>
                ))}
              </select>
              <label htmlFor="compare-to">with version</label>
              <select id="compare-to" name="to" defaultValue={data.to ?? ''} style={{ width: 'auto' }}>
                {versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    {v.version}
                  </option>
                ))}
              </select>
              <button type="submit" className="button button--small">
                Compare
              </button>
            </Form>
            {data.problems.map((p) => (
              <p key={p} className="field-error" role="alert">
                {p}
              </p>
            ))}
          </section>

          {data.after ? (
            <section className="panel" aria-labelledby="diff-title">
              <h3 id="diff-title">
                {data.before ? `Changes from version ${data.before.version} to version ${data.after.version}` : `Version ${data.after.version}`}
              </h3>
              <p className="small muted">
                Version {data.after.version}, saved by {data.after.createdByName} on {formatDateTime(data.after.createdAt)}
                {data.after.note ? ` · “${data.after.note}”` : ''}
              </p>
              {data.isStaff && data.seenVersion && data.before?.version === data.seenVersion ? (
                <p className="alert alert--info">These are the changes since you last read this MOU (version {data.seenVersion}).</p>
              ) : null}
              {data.isStaff && data.latest && data.seenVersion !== data.latest && data.after.version === data.latest ? (
                <Form method="post" className="row">
                  <input type="hidden" name="version" value={data.latest} />
                  <button type="submit" className="button button--secondary">
                    {`Mark version ${data.latest} as read`}
                  </button>
                </Form>
              ) : null}
              <RemovedConditions removed={data.after.removed} headingLevel={4} />
              {data.diff ? (
                <MouDiff diff={data.diff} headingLevel={4} />
              ) : (
                <MouDocument proposalId={proposal.id} sections={data.after.sections} headingLevel={4} />
              )}
            </section>
          ) : null}
        </>
      )}
    </section>
  );
}
