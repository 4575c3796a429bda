import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { mouExportFacts } from '../features/mou/mou.server';
import { notFound, requireProposal } from '../utils/auth.server';
import { BodyText } from '../features/mou/mou-document';
import { positiveWholeNumber } from '../utils/whole-number';

// Print-ready MOU (?version=n, default the latest): the browser's print dialog
// hides the site's header and footer (see @media print in app.css).

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `MOU ${data.reference}${data.mouVersion ? ` v${data.mouVersion}` : ''} · print` : 'MOU · print' },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { proposal } = await requireProposal(request, params.id, 'proposal.view');
  const param = new URL(request.url).searchParams.get('version');
  const version = param ? (positiveWholeNumber(param) ?? notFound('This MOU version')) : undefined;
  const facts = mouExportFacts(proposal.id, version);
  if (version !== undefined && !facts.mou) notFound(`Version ${version} of this MOU`);
  return json({
    id: proposal.id,
    reference: proposal.reference,
    mouVersion: facts.mou?.version ?? null,
    savedAt: facts.mou?.created_at ?? null,
    sections: facts.sections,
    record: facts.record,
    organization: facts.organization,
    chapterName: facts.proposal.chapter_name,
    partnerName: facts.proposal.partner_name,
    leadName: facts.proposal.proposer_name,
    eventTitle: facts.proposal.event_title,
  });
}

const isBlankLine = (p: string) => /_{5,}/.test(p);

function PrintButton() {
  return (
    <button type="button" className="button" onClick={() => window.print()}>
      Print
    </button>
  );
}

export default function MouPrint() {
  const data = useLoaderData<typeof loader>();
  const match = (testId?: string) => (
    <>
      Reference <strong>{data.reference}</strong> · {data.mouVersion ? `MOU version ${data.mouVersion}` : 'MOU draft (not saved)'} ·{' '}
      {data.record ? (
        <>
          latest decision record #{data.record.seq}, SHA-256 <code data-testid={testId}>{data.record.hash}</code>
        </>
      ) : (
        'no decision record yet'
      )}
    </>
  );
  return (
    <article className="mou-print panel" aria-labelledby="mou-print-title">
      <div className="row no-print" style={{ marginBottom: '1rem' }}>
        <Link to={`/proposals/${data.id}/steps/mou`}>Back to the MOU</Link>
        <span className="spacer" />
        <a href={`/proposals/${data.id}/mou.docx${data.mouVersion ? `?version=${data.mouVersion}` : ''}`} className="button button--secondary" download>
          Download .docx
        </a>
        <PrintButton />
      </div>
      <h1 id="mou-print-title">Memorandum of understanding</h1>
      <p>
        <strong>
          {data.organization} ({data.chapterName}) and {data.partnerName}
        </strong>
        <br />
        <em>{data.eventTitle}</em>
      </p>
      <p className="small" data-testid="mou-match-line">{match('record-hash')}</p>
      {data.sections.map((section, i) => (
        <section key={section.key} aria-labelledby={`p-${section.key}`} style={{ breakInside: 'avoid-page' }}>
          <h2 id={`p-${section.key}`}>
            {i + 1}. {section.title}
          </h2>
          <BodyText text={section.key === 'signatures' ? section.body.split(/\n{2,}/).filter((p) => !isBlankLine(p)).join('\n\n') : section.body} />
          {section.clauses.length > 0 ? (
            <ol style={{ listStyle: 'none', paddingLeft: '0.5rem' }}>
              {section.clauses.map((clause, j) => (
                <li key={clause.id} style={{ display: 'flex', gap: '0.6rem', marginBottom: '0.4rem' }}>
                  <span aria-hidden="true" style={{ minWidth: '2.5rem' }}>
                    {i + 1}.{j + 1}
                  </span>
                  <span>
                    <span className="visually-hidden">Clause {i + 1}.{j + 1}: </span>
                    {clause.text}
                  </span>
                </li>
              ))}
            </ol>
          ) : null}
          {section.key === 'signatures' ? <SignatureTable data={data} /> : null}
        </section>
      ))}
      <footer className="small muted" style={{ marginTop: '2rem', borderTop: '1px solid #999', paddingTop: '0.5rem' }}>
        {match()}
      </footer>
    </article>
  );
}

function SignatureTable({ data }: { data: { organization: string; chapterName: string; partnerName: string; leadName: string } }) {
  const rows: [string, string, string][] = [
    ['Name', data.leadName, ''],
    ['Title', 'Chapter lead', ''],
    ['Signature', '', ''],
    ['Date', '', ''],
  ];
  return (
    <table className="data" style={{ marginTop: '0.5rem' }}>
      <caption className="visually-hidden">Signatures</caption>
      <thead>
        <tr>
          <td />
          <th scope="col">
            For {data.organization}, {data.chapterName}
          </th>
          <th scope="col">For {data.partnerName}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, ours, theirs]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td style={{ height: label === 'Signature' ? '3rem' : undefined }}>{ours}</td>
            <td>{theirs}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
