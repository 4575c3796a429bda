import { json } from '@remix-run/node';
import { refusalPageHtml } from '../http/refusal-page';

// The one mapping from a refusal to an HTTP status. Services return these kinds
// (DecisionError and the typed results built on it); only routes turn them into
// responses, through statusOf or toResponse.

export type RefusalKind = 'invalid' | 'forbidden' | 'not_found' | 'stale' | 'not_allowed' | 'signed_out' | 'gone' | 'throttled';
export type RefusalStatus = 400 | 401 | 403 | 404 | 409 | 410 | 429;

const STATUS: Record<RefusalKind, RefusalStatus> = {
  invalid: 400,
  signed_out: 401,
  forbidden: 403,
  not_found: 404,
  // Someone changed it first, or the proposal is no longer where this step is allowed.
  stale: 409,
  not_allowed: 409,
  // A partner's questionnaire link that was used, revoked or has expired.
  gone: 410,
  throttled: 429,
};

export const statusOf = (error: { kind: RefusalKind }): RefusalStatus => STATUS[error.kind];

/** A refusal as the response the error page shows: its message, with its status. */
export function toResponse(error: { kind: RefusalKind; message: string }, extra: Record<string, unknown> = {}): Response {
  return json({ message: error.message, ...extra }, { status: statusOf(error) });
}

/**
 * Whether the client asks for a page before JSON: a browser following a link sends
 * text/html first; fetch, curl and scripts send *\/* (or JSON) and keep getting JSON.
 */
export function prefersHtml(accept: string | null): boolean {
  const ranges = (accept ?? '').split(',').map((part) => {
    const [range = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const quality = q ? Number(q.slice(2)) : 1;
    return { range, quality: Number.isFinite(quality) ? quality : 0 };
  });
  // The most specific range naming a type decides its quality (RFC 9110, 12.5.1).
  const qualityOf = (type: string) => {
    const [major] = type.split('/');
    const match = ranges.find((r) => r.range === type) ?? ranges.find((r) => r.range === `${major}/*`) ?? ranges.find((r) => r.range === '*/*');
    return match?.quality ?? 0;
  };
  const html = qualityOf('text/html');
  return html > 0 && html > qualityOf('application/json');
}

const REFUSAL_HEADINGS: Partial<Record<number, string>> = {
  401: 'Please sign in',
  403: 'You do not have access to this',
  404: 'Not found',
  405: 'This address takes no form',
};

/**
 * A download's answer (a file, or a refusal thrown or returned as JSON). A refusal a browser
 * followed a link into is shown as a page with the same status and message; other clients
 * keep the JSON they can read.
 */
export async function downloadAnswer(request: Request, produce: () => Promise<Response>): Promise<Response> {
  let response: Response;
  try {
    response = await produce();
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    response = thrown;
  }
  const refusal = response.status >= 400 && response.status < 500 && /^application\/json/.test(response.headers.get('Content-Type') ?? '');
  if (!refusal || !prefersHtml(request.headers.get('Accept'))) return response;
  const { message } = (await response.json()) as { message?: string };
  const headers = new Headers(response.headers);
  headers.set('Content-Type', 'text/html; charset=utf-8');
  headers.delete('Content-Length');
  headers.set('Cache-Control', 'no-store');
  const heading = REFUSAL_HEADINGS[response.status] ?? 'This download is not available';
  return new Response(refusalPageHtml({ heading, message: message ?? response.statusText, backTo: 'the page you came from' }), {
    status: response.status,
    headers,
  });
}

/**
 * The action of a route that only serves a file (CSV, JSON, Word, a key, evidence): a post to it
 * is a wrong method, answered as one, with the methods it takes and words a person can read.
 * Without it the framework answered 405 with "Unexpected Server Error" and logged a stack trace.
 */
export const refuseWritesToDownload = ({ request }: { request: Request }) =>
  downloadAnswer(request, async () =>
    json(
      { message: 'This address serves a file to read: it does not take a form or an upload. Open it with a link instead.' },
      { status: 405, headers: { Allow: 'GET, HEAD' } },
    ),
  );
