import { env } from '../../utils/env.server';
// The one way we talk to outside services: a fetch with a deadline whose
// failures come back as typed values, never as throws, so a caller can show a
// clear sentence and carry on without the service.

export type OutsideFailureKind = 'off' | 'timeout' | 'unreachable' | 'http_error' | 'malformed' | 'not_found';

export type OutsideFailure = {
  ok: false;
  kind: OutsideFailureKind;
  message: string;
  /** HTTP status when the service answered. */
  status?: number;
  /** The service's Retry-After, in milliseconds, when it sent one with an error. */
  retryAfterMs?: number;
};

type OutsideResponse = {
  ok: true;
  status: number;
  /** The parsed JSON body, or undefined when the body was not asked to be JSON. */
  json: unknown;
  text: string;
  headers: Headers;
  durationMs: number;
};

export type OutsideResult = OutsideResponse | OutsideFailure;

/** Where the services live in MOCKS=true mode (the msw handlers answer these hosts). */
export const MOCK_URLS = {
  registry: 'https://registry.mock/nonprofits/api/v2',
  screening: 'https://screening.mock',
  slack: 'https://slack.mock/services/T0000MOCK/B0000MOCK/cosponsor',
  webhook: 'https://webhook.mock/cosponsor',
  webhookSecret: 'mock-webhook-secret-not-for-production',
} as const;


export function mocksEnabled(): boolean {
  return env().MOCKS;
}

/** OUTSIDE_TIMEOUT_MS, read at call time so an operator (or a test) can change it. */
export function outsideTimeoutMs(): number {
  return env().OUTSIDE_TIMEOUT_MS;
}

export function failure(kind: OutsideFailureKind, message: string, status?: number): OutsideFailure {
  return status === undefined ? { ok: false, kind, message } : { ok: false, kind, message, status };
}

/**
 * Addresses and URLs of our own network never reach a person's screen: a
 * service's error text may name its upstreams, and a network error names the
 * address we tried.
 */
export function withoutAddresses(text: string): string {
  return text
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>)]+/gi, '[address]')
    .replace(/\[?\b(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}\]?(?::\d+)?/gi, (m) => (/\d/.test(m) && m.includes(':') ? '[address]' : m))
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, '[address]');
}

/** The text of an error body, short enough to show and to store, without addresses. */
export function errorDetail(text: string): string {
  return withoutAddresses(rawErrorDetail(text));
}

function rawErrorDetail(text: string): string {
  try {
    const body = JSON.parse(text) as unknown;
    if (body && typeof body === 'object') {
      const detail = (body as Record<string, unknown>).detail ?? (body as Record<string, unknown>).error;
      if (typeof detail === 'string') return detail.slice(0, 300);
      if (detail !== undefined) return JSON.stringify(detail).slice(0, 300);
    }
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return text.trim().slice(0, 300);
}

/**
 * Calls an outside service. `service` names it in messages ("The nonprofit
 * registry did not answer within 5 s."). With `expectJson`, a 2xx body that is
 * not JSON is a 'malformed' failure. A 404 is 'not_found'; other non-2xx
 * answers are 'http_error' with the service's own detail when it gives one.
 */
export async function outsideFetch(args: {
  service: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  expectJson?: boolean;
  timeoutMs?: number;
}): Promise<OutsideResult> {
  const timeoutMs = args.timeoutMs ?? outsideTimeoutMs();
  const controller = new AbortController();
  let timedOut = false;
  // The deadline covers the whole exchange, body included, not only the headers.
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const started = performance.now();
  const seconds = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 100) / 10} s` : `${timeoutMs} ms`;
  try {
    let response: Response;
    try {
      response = await fetch(args.url, {
        method: args.method ?? 'GET',
        headers: args.headers,
        body: args.body,
        signal: controller.signal,
        redirect: 'follow',
      });
    } catch (error) {
      if (timedOut) return failure('timeout', `${args.service} did not answer within ${seconds}.`);
      return failure('unreachable', `${args.service} could not be reached (${describeNetworkError(error)}).`);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      if (timedOut) return failure('timeout', `${args.service} did not finish answering within ${seconds}.`);
      return failure('unreachable', `${args.service} broke off its answer (${describeNetworkError(error)}).`);
    }
    const durationMs = Math.round(performance.now() - started);
    if (response.status === 404) {
      return failure('not_found', `${args.service} found nothing there (404).`, 404);
    }
    if (!response.ok) {
      const detail = errorDetail(text);
      const problem = failure(
        'http_error',
        `${args.service} answered with an error (${response.status}${detail ? `: ${detail}` : ''}).`,
        response.status,
      );
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      return retryAfterMs === null ? problem : { ...problem, retryAfterMs };
    }
    let json: unknown = undefined;
    if (args.expectJson) {
      try {
        json = JSON.parse(text);
      } catch {
        return failure('malformed', `${args.service} sent an answer that is not valid JSON.`, response.status);
      }
    }
    return { ok: true, status: response.status, json, text, headers: response.headers, durationMs };
  } finally {
    clearTimeout(timer);
  }
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now; null when absent or unreadable. */
function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : null;
}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'connection closed',
  CERT_HAS_EXPIRED: 'certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'untrusted certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted certificate',
};

/** A few plain words for a network failure: its kind, never the address tried (that goes to the server log). */
function describeNetworkError(error: unknown): string {
  const cause = error instanceof Error ? (error as Error & { cause?: unknown }).cause : undefined;
  const code =
    (cause && typeof cause === 'object' && 'code' in cause ? String((cause as { code: unknown }).code) : undefined) ??
    (error && typeof error === 'object' && 'code' in error ? String((error as { code: unknown }).code) : undefined);
  console.warn('Outside call failed:', cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error));
  if (code && NETWORK_ERRORS[code]) return NETWORK_ERRORS[code];
  return withoutAddresses(cause instanceof Error && cause.message ? cause.message : error instanceof Error ? error.message || error.name : 'network error');
}
