import { json } from '@remix-run/node';

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
