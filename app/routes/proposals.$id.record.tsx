import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useEffect } from 'react';
import { Tag } from '../components/forms';
import { RecordEntry, humanize, type RecordView } from '../features/register/register-record';
import { RegisterStyles, formatUtc } from '../features/register/register-entries';
import { recordPageSources } from '../features/register/record.server';
import { notFound, requireProposal } from '../utils/auth.server';
import { formatDate, kindLabel, stateLabel, stateTone } from '../utils/labels';
import { isApproved } from '../../workflows/policy';
import { attachmentsIn } from '../../workflows/attachments';
import { attachmentHref } from '../features/attachments/attachment-list';

// The printable record of one proposal: every decision record in order, whole,
// with its hashes; and the same records as a bundle anyone can verify offline.

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Decision record ${data.proposal.reference} · Cosponsor` : 'Decision record · Cosponsor' },
];

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** What a record judged, for the readable rendering: the command as submitted (its input flattened in), or the rule applied. */
function submittedOf(inputs: unknown): unknown {
  if (!inputs || typeof inputs !== 'object' || Array.isArray(inputs)) return inputs;
  const i = inputs as Record<string, unknown>;
  const command = i.command;
  if (command && typeof command === 'object' && !Array.isArray(command)) {
    const { type, input, ...rest } = command as Record<string, unknown>;
    return {
      ...(typeof type === 'string' ? { action: humanize(type.toLowerCase()) } : {}),
      ...(input && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : input !== undefined ? { input } : {}),
      ...rest,
      ...(typeof i.rule === 'string' ? { rule: i.rule } : {}),
    };
  }
  if (typeof i.rule === 'string') return { rule: i.rule };
  if (i.proposal && typeof i.proposal === 'object') return i.proposal;
  return inputs;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { proposal } = await requireProposal(request, params.id, 'proposal.view');
  const { detail, records: stored, check, generatedAt } = recordPageSources(proposal.id);
  if (!detail) notFound('This proposal');
  const records: RecordView[] = stored.map((r) => {
    const inputs = parseJson(r.inputs);
    const config = parseJson(r.config_versions);
    return {
      seq: r.seq,
      at: r.at,
      step: r.step,
      outcome: r.outcome,
      actorId: r.actor_id,
      actorName: r.actor_name,
      actorRole: r.actor_role,
      rationale: r.rationale,
      fromState: r.from_state,
      toState: r.to_state,
      prevHash: r.prev_hash,
      proposalPrevHash: r.proposal_prev_hash,
      hash: r.hash,
      configVersions:
        config && typeof config === 'object' && !Array.isArray(config)
          ? Object.entries(config as Record<string, unknown>).map(([k, v]) => [k, String(v)] as [string, string])
          : [],
      submitted: submittedOf(inputs),
      inputsJson: typeof inputs === 'string' ? inputs : JSON.stringify(inputs, null, 2),
      files: attachmentsIn(inputs).map(({ ref, path }) => ({
        where: path
          .filter((p) => p !== 'command' && p !== 'input')
          .map((p) => (/^\d+$/.test(p) ? `item ${Number(p) + 1}` : humanize(p)))
          .join(' › '),
        href: attachmentHref(proposal.id, ref.sha256),
        name: ref.name,
        type: ref.type,
        size: ref.size,
        effectiveDate: ref.effectiveDate,
        sha256: ref.sha256,
      })),
    };
  });
  const d = detail!;
  return json({
    proposal: {
      id: d.id,
      reference: d.reference,
      eventTitle: d.event_title,
      eventDate: d.event_date,
      eventPlace: d.event_place,
      kind: d.kind,
      state: d.state,
      approvedUntil: d.approved_until,
      partnerId: d.partner_id,
      partnerName: d.partner_name,
      chapterName: d.chapter_name,
      campaignName: d.campaign_name,
      proposerName: d.proposer_name,
    },
    records,
    check,
    generatedAt,
  });
}

function PrintButton() {
  return (
    <button type="button" className="button" onClick={() => window.print()}>
      Print
    </button>
  );
}

export default function ProposalRecord() {
  const { proposal: p, records, check, generatedAt } = useLoaderData<typeof loader>();
  // A closed <details> prints closed: open them all for printing, then restore.
  useEffect(() => {
    let opened: HTMLDetailsElement[] = [];
    const before = () => {
      opened = [...document.querySelectorAll<HTMLDetailsElement>('details.record-details:not([open])')];
      for (const d of opened) d.open = true;
    };
    const after = () => {
      for (const d of opened) d.open = false;
      opened = [];
    };
    window.addEventListener('beforeprint', before);
    window.addEventListener('afterprint', after);
    return () => {
      window.removeEventListener('beforeprint', before);
      window.removeEventListener('afterprint', after);
    };
  }, []);
  const last = records[records.length - 1];
  return (
    <>
      <RegisterStyles />
      <div className="row no-print" style={{ marginBottom: '0.75rem' }}>
        <Link to={`/proposals/${p.id}`}>Back to the proposal</Link>
        <Link to={`/decisions?proposal=${p.id}`}>In the register</Link>
        <span className="spacer" />
        <a className="button button--secondary" href={`/proposals/${p.id}/record.json`} download data-testid="bundle-link">
          Download verifiable bundle (JSON)
        </a>
        <PrintButton />
      </div>
      <header className="panel record-head" aria-labelledby="record-title">
        <h1 id="record-title">Decision record {p.reference}</h1>
        <p style={{ fontSize: '1.1rem' }}>
          <strong dir="auto">{p.eventTitle}</strong>
        </p>
        <dl className="facts">
          <dt>Reference</dt>
          <dd>{p.reference}</dd>
          <dt>Partner</dt>
          <dd>
            <Link to={`/partners/${p.partnerId}`} dir="auto">
              {p.partnerName}
            </Link>
          </dd>
          <dt>Chapter</dt>
          <dd>{p.chapterName}</dd>
          <dt>Campaign</dt>
          <dd>{p.campaignName}</dd>
          <dt>Event</dt>
          <dd>
            {kindLabel(p.kind)} · {formatDate(p.eventDate)} · {p.eventPlace}
          </dd>
          <dt>Proposed by</dt>
          <dd>{p.proposerName}</dd>
          <dt>Current state</dt>
          <dd>
            <Tag tone={stateTone(p.state)}>{stateLabel(p.state)}</Tag>
            {isApproved(p.state) && p.approvedUntil ? <span className="small"> until {formatDate(p.approvedUntil)}</span> : null}
          </dd>
          <dt>Records</dt>
          <dd>
            {records.length}
            {last ? (
              <>
                , #{records[0]!.seq} to #{last.seq}
              </>
            ) : null}
          </dd>
          <dt>Integrity</dt>
          <dd data-testid="record-check">
            <Tag tone={check.ok ? 'good' : 'bad'}>{check.ok ? 'Verified' : 'Broken'}</Tag> <span className="small">{check.message}</span>
          </dd>
          <dt>As of</dt>
          <dd>
            <time dateTime={generatedAt}>{formatUtc(generatedAt, true)}</time>
          </dd>
        </dl>
        <p className="small muted" style={{ marginTop: '0.75rem' }}>
          Each record’s hash is SHA-256 over its fields and the hash before it, so a changed record breaks the chain. The bundle can be
          checked offline with <code>npm run audit:verify -- --bundle {p.reference}-records.json</code>.
        </p>
      </header>
      {records.length === 0 ? (
        <p className="panel">No decision is recorded on this proposal.</p>
      ) : (
        <section aria-label="Decision records, oldest first">
          {records.map((r) => (
            <RecordEntry key={r.seq} record={r} />
          ))}
        </section>
      )}
    </>
  );
}
