import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react';
import { proposalReference } from '../features/register/record.server';
import { Tag } from '../components/forms';
import { RegisterStyles, formatUtc } from '../features/register/register-entries';
import { lastAuditRun, recentAuditRuns, runAudit, type AuditRun } from '../features/register/register.server';
import { checkpointStatus, type CheckpointStatus } from '../features/register/log-checkpoints.server';
import { requirePermission } from '../utils/auth.server';
import { redirectWithFlash } from '../utils/session.server';

// Verifying the decision log: the same check as `npm run audit:verify`, run
// from the browser, stored with who ran it and what it found.

export const meta: MetaFunction = () => [{ title: 'Verify the decision log · Cosponsor' }];

type RunView = {
  id: number;
  at: string;
  who: string;
  ok: boolean;
  recordCount: number;
  durationMs: number;
  message: string;
  /** For a broken log: the first bad record and what is wrong with it. */
  problem: { seq: number | null; proposalId: number | null; reference: string | null; what: string } | null;
};

// verifyLog's message: "BROKEN at record 7 (proposal 3): the stored hash ...".
const BROKEN = /^BROKEN at record (\d+) \(proposal (\d+)\): ([\s\S]*)$/;

function runView(run: AuditRun, withReference: boolean): RunView {
  let problem: RunView['problem'] = null;
  if (!run.ok) {
    const m = BROKEN.exec(run.message);
    const proposalId = m ? Number(m[2]) : null;
    problem = {
      seq: run.first_bad_seq,
      proposalId,
      reference: withReference && proposalId !== null ? proposalReference(proposalId) : null,
      what: m ? m[3]! : run.message,
    };
  }
  return {
    id: run.id,
    at: run.at,
    who: run.user_name ?? 'The system',
    ok: run.ok === 1,
    recordCount: run.record_count,
    durationMs: run.duration_ms,
    message: run.message,
    problem,
  };
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'audit.run');
  const last = lastAuditRun();
  return json({
    last: last ? runView(last, true) : null,
    recent: recentAuditRuns(20).map((r) => runView(r, false)),
    checkpoint: checkpointStatus(),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'audit.run');
  const run = await runAudit(user.id);
  return redirectWithFlash('/audit', {
    kind: run.ok ? 'success' : 'error',
    message: run.ok ? `The log verifies: ${run.message}, in ${run.duration_ms} ms.` : `The log is broken: ${run.message}`,
  });
}

function LastRun({ run }: { run: RunView | null }) {
  if (!run) {
    return (
      <p className="muted" data-testid="audit-last">
        The log has not been verified from here yet.
      </p>
    );
  }
  return (
    <div data-testid="audit-last">
      {run.ok ? (
        <p className="audit-result">
          <Tag tone="good">OK</Tag> <strong>{run.recordCount.toLocaleString('en-US')}</strong> records verified in {run.durationMs} ms.
        </p>
      ) : (
        <div className="alert alert--bad" data-testid="audit-broken">
          <p className="audit-result">
            <Tag tone="bad">Broken</Tag> The chain breaks{run.problem?.seq ? ` at record #${run.problem.seq}` : ''}.
          </p>
          <dl className="facts">
            <dt>First broken record</dt>
            <dd>{run.problem?.seq ? `#${run.problem.seq}` : 'none: a proposal lacks its record'}</dd>
            <dt>Proposal</dt>
            <dd>
              {run.problem?.proposalId ? (
                <Link to={`/proposals/${run.problem.proposalId}/record${run.problem.seq ? `#record-${run.problem.seq}` : ''}`}>
                  {run.problem.reference ?? `Proposal ${run.problem.proposalId}`}
                </Link>
              ) : (
                '—'
              )}
            </dd>
            <dt>What is wrong</dt>
            <dd>{run.problem?.what}</dd>
            <dt>Records read</dt>
            <dd>{run.recordCount.toLocaleString('en-US')}</dd>
          </dl>
        </div>
      )}
      <p className="small muted">
        Run by {run.who}, <time dateTime={run.at}>{formatUtc(run.at, true)}</time>.
      </p>
    </div>
  );
}

function Checkpoint({ status }: { status: CheckpointStatus }) {
  const latest = status.latest;
  return (
    <section className="panel" aria-labelledby="checkpoint-heading" data-testid="audit-checkpoint">
      <h2 id="checkpoint-heading">Signed checkpoint</h2>
      <p>
        Cosponsor signs the log’s Merkle tree head with its own key after decisions (at most once a minute) and keeps each signed checkpoint
        outside the database. Verification fails if the log is shorter than, or differs from, any checkpoint it signed.
      </p>
      {latest ? (
        <dl className="facts">
          <dt>Records covered</dt>
          <dd>{latest.size.toLocaleString('en-US')}</dd>
          <dt>Root hash</dt>
          <dd>
            <code>{latest.root}</code>
          </dd>
          <dt>Signed</dt>
          <dd>{latest.time ? <time dateTime={latest.time}>{formatUtc(latest.time, true)}</time> : '—'}</dd>
          <dt>Signer</dt>
          <dd>
            {latest.signer} {latest.verified ? <Tag tone="good">signature valid</Tag> : <Tag tone="bad">not signed by the log’s key</Tag>}
          </dd>
          <dt>Checkpoints stored</dt>
          <dd>{status.count.toLocaleString('en-US')}</dd>
        </dl>
      ) : (
        <p className="muted">No checkpoint has been signed yet.</p>
      )}
      <p>
        Public key (keep a copy elsewhere; also at <a href="/audit/public-key">/audit/public-key</a>):
      </p>
      <p>
        <code data-testid="audit-public-key" style={{ overflowWrap: 'anywhere' }}>
          {status.publicKey ?? 'not created yet'}
        </code>
      </p>
    </section>
  );
}

export default function Audit() {
  const { last, recent, checkpoint } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const running = navigation.state !== 'idle' && navigation.formAction === '/audit' && navigation.formMethod === 'POST';
  return (
    <>
      <RegisterStyles />
      <div className="page-head">
        <div>
          <h1>Verify the decision log</h1>
          <p>
            Recomputes every record’s SHA-256 hash and the log’s Merkle tree, checks that each record links to the one before it, that the log
            still holds every signed checkpoint, that what the pages show matches the records, and that every proposal is in the state its last
            record moved it to.
          </p>
        </div>
      </div>

      <section className="panel" aria-labelledby="run-heading">
        <h2 id="run-heading">Last verification</h2>
        <LastRun run={last} />
        <Form method="post" action="/audit" className="no-print">
          <button type="submit" className="button" disabled={running} aria-describedby="run-hint">
            {running ? 'Verifying…' : 'Verify the log now'}
          </button>
          <p className="small muted" id="run-hint" style={{ marginTop: '0.4rem' }}>
            It reads the whole log and records the result here, with your name.
          </p>
        </Form>
      </section>

      <Checkpoint status={checkpoint} />

      <section className="panel" aria-labelledby="recent-heading">
        <h2 id="recent-heading">Recent verifications</h2>
        {recent.length === 0 ? (
          <p className="muted">None yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="data" data-testid="audit-runs">
              <caption className="visually-hidden">The last {recent.length} verifications, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When (UTC)</th>
                  <th scope="col">Who</th>
                  <th scope="col">Result</th>
                  <th scope="col">Records</th>
                  <th scope="col">Time</th>
                </tr>
              </thead>
              <tbody>
                {recent.map((run) => (
                  <tr key={run.id} data-run={run.id}>
                    <td className="small">
                      <time dateTime={run.at}>{formatUtc(run.at, true)}</time>
                    </td>
                    <td className="small">{run.who}</td>
                    <td>
                      <Tag tone={run.ok ? 'good' : 'bad'}>{run.ok ? 'OK' : 'Broken'}</Tag>
                      {run.problem ? (
                        <div className="small">
                          {run.problem.seq ? `#${run.problem.seq}: ` : ''}
                          {run.problem.what}
                        </div>
                      ) : null}
                    </td>
                    <td className="small">{run.recordCount.toLocaleString('en-US')}</td>
                    <td className="small">{run.durationMs} ms</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="offline-heading">
        <h2 id="offline-heading">Verify offline</h2>
        <p>Anyone can check a proposal’s records without access to Cosponsor:</p>
        <ol>
          <li>
            Open the proposal’s decision record (from the <Link to="/decisions">register</Link>, the proposal reference) and choose{' '}
            <strong>Download verifiable bundle (JSON)</strong>.
          </li>
          <li>
            In a copy of the Cosponsor code, run <code>npm run audit:verify -- --bundle &lt;file&gt; --public-key &lt;key file&gt;</code>, with
            the public key above saved to a file you obtained independently.
          </li>
          <li>
            It prints <code>OK n records of &lt;reference&gt;</code> and exits with 0, or says what is wrong and exits with 1. A single
            changed character breaks a hash; a missing record, a bundle from another instance or one not signed by that key fails too.
          </li>
        </ol>
        <p className="small muted">
          On the server, <code>npm run audit:verify</code> without a bundle checks the whole log in the database, as this page does.
        </p>
      </section>
    </>
  );
}
