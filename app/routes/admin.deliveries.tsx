import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { AdminNav } from '../features/admin/admin-nav';
import { Tag } from '../components/forms';
import { deliveriesPageData } from '../features/admin/deliveries.server';
import { requirePermission } from '../utils/auth.server';
import { formatDateTime } from '../utils/labels';

// The notification outbox as an admin sees it: what was announced where,
// whether it arrived, and every attempt with its error; plus which outside
// services the environment turns on.

export const meta: MetaFunction = () => [{ title: 'Deliveries · Admin · Cosponsor' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'admin.manage');
  return json(deliveriesPageData());
}

const CHANNEL: Record<string, string> = { slack: 'Slack', webhook: 'Webhook', email: 'E-mail' };
/** An attempt's status is an HTTP status for the webhooks and the server's reply code for e-mail. */
const statusLabel = (channel: string, status: number) => `${channel === 'email' ? 'SMTP' : 'HTTP'} ${status}`;
const channelLabel = (c: string) => CHANNEL[c] ?? c;
const when = (iso: string | null) => (iso ? <time dateTime={iso}>{formatDateTime(iso)}</time> : <span className="muted">—</span>);

export default function AdminDeliveries() {
  const { status, summary, rows, attempts } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Deliveries</h1>
          <p>
            Notifications queued by decisions and how their delivery went: {summary.pending} waiting, {summary.delivered} delivered,{' '}
            {summary.failed} given up.
          </p>
        </div>
        <AdminNav />
      </div>

      <section className="panel" aria-labelledby="services-title" data-testid="outside-status">
        <h2 id="services-title">Outside services</h2>
        <p className="small muted">
          Read from the server’s environment (see docs/outside-services.md). Each one is optional: when it is off or down, the app carries
          on without it. Calls time out after {status.timeoutMs >= 1000 ? `${status.timeoutMs / 1000} s` : `${status.timeoutMs} ms`}.
        </p>
        {status.mocks ? (
          <p className="alert alert--warn" data-testid="mocks-on">
            MOCKS=true: the outside services are answered by local mocks. Never use this in production.
          </p>
        ) : null}
        <dl className="facts">
          {status.services.map((s) => (
            <div key={s.key} style={{ display: 'contents' }} data-service={s.key}>
              <dt>{s.name}</dt>
              <dd>
                <Tag tone={s.on ? 'good' : 'neutral'}>{s.on ? 'On' : 'Off'}</Tag> <span className="small">{s.detail}</span>
                {s.problem ? <div className="small field-error">{s.problem}</div> : null}
              </dd>
            </div>
          ))}
        </dl>
      </section>

      <section aria-labelledby="outbox-title">
        <h2 id="outbox-title">Notifications</h2>
        {rows.length === 0 ? (
          <p className="panel muted" data-testid="no-deliveries">
            Nothing queued yet. A notification is queued when a proposal enters review, is approved or rejected, or is sent back, and only
            for the channels that are on; e-mail reminders are queued before approvals end and before events.
          </p>
        ) : (
          <div className="table-wrap panel" style={{ padding: 0 }}>
            <table className="data" data-testid="deliveries">
              <caption className="visually-hidden">Queued notifications, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Channel</th>
                  <th scope="col">Event</th>
                  <th scope="col">Created</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Next attempt</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Last error</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id} data-outbox={r.id}>
                    <td>{channelLabel(r.channel)}</td>
                    <td>
                      <code>{r.event}</code>
                      <div className="small">
                        {r.proposalId !== null && r.reference ? <Link to={`/proposals/${r.proposalId}/record`}>{r.reference}</Link> : null}
                        {r.decisionSeq !== null ? ` · record #${r.decisionSeq}` : ''}
                      </div>
                      {r.recipient ? <div className="small">to {r.recipient}</div> : null}
                      <div className="small muted">{r.idempotencyKey}</div>
                    </td>
                    <td className="small">{when(r.createdAt)}</td>
                    <td>{r.attempts}</td>
                    <td className="small">{when(r.nextAttemptAt)}</td>
                    <td>
                      {r.state === 'delivered' ? (
                        <>
                          <Tag tone="good">Delivered</Tag>
                          <div className="small">{when(r.deliveredAt)}</div>
                        </>
                      ) : r.state === 'failed' ? (
                        <>
                          <Tag tone="bad">Given up</Tag>
                          <div className="small">{when(r.failedAt)}</div>
                        </>
                      ) : (
                        <Tag tone={r.attempts > 0 ? 'warn' : 'neutral'}>{r.attempts > 0 ? 'Retrying' : 'Waiting'}</Tag>
                      )}
                    </td>
                    <td className="small">{r.lastError ?? <span className="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="attempts-title">
        <h2 id="attempts-title">Recent attempts</h2>
        {attempts.length === 0 ? (
          <p className="panel muted">No delivery attempted yet.</p>
        ) : (
          <div className="table-wrap panel" style={{ padding: 0 }}>
            <table className="data" data-testid="attempts">
              <caption className="visually-hidden">Delivery attempts, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Channel</th>
                  <th scope="col">Notification</th>
                  <th scope="col">Result</th>
                  <th scope="col">Took</th>
                  <th scope="col">Error</th>
                </tr>
              </thead>
              <tbody>
                {attempts.map((a) => (
                  <tr key={a.id}>
                    <td className="small">{when(a.at)}</td>
                    <td>{channelLabel(a.channel)}</td>
                    <td className="small">{a.idempotencyKey}</td>
                    <td>
                      <Tag tone={a.ok ? 'good' : 'bad'}>{a.ok ? 'OK' : 'Failed'}</Tag> {a.status !== null ? <span className="small">{statusLabel(a.channel, a.status)}</span> : null}
                    </td>
                    <td className="small">{a.durationMs} ms</td>
                    <td className="small">{a.error ?? <span className="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
