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

export type OutsideResponse = {
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

export const DEFAULT_TIMEOUT_MS = 5000;

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

/** The text of an error body, short enough to show and to store. */
export function errorDetail(text: string): string {
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
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : null;
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    if (cause instanceof Error && cause.message) return cause.message;
    if (cause && typeof cause === 'object' && 'code' in cause) return String((cause as { code: unknown }).code);
    return error.message || error.name;
  }
  return String(error);
}
