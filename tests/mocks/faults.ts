import { delay, http, HttpResponse, type HttpHandler } from 'msw';

// The ways an outside service goes wrong, as handlers a test installs with
// mockServer.use(...) in front of the happy-path ones.

type Method = 'get' | 'post';

export function faultsFor(method: Method, url: string | RegExp) {
  const on = (resolver: () => Response | Promise<Response>): HttpHandler => http[method](url, resolver);
  return {
    /** An HTTP error with a JSON body, e.g. status(500, { detail: 'Internal error' }). */
    status: (status: number, body: unknown = { detail: `Mock error ${status}` }, headers: Record<string, string> = {}) =>
      on(() => HttpResponse.json(body as Record<string, unknown>, { status, headers })),
    /** Never answers: the caller's timeout must fire. */
    timeout: () =>
      on(async () => {
        await delay('infinite');
        return HttpResponse.text('never sent');
      }),
    /** Answers 200 with a body that is not JSON at all. */
    malformed: () => on(() => new HttpResponse('{"organizations": [ {"ein": 12', { status: 200, headers: { 'Content-Type': 'application/json' } })),
    /** Answers 200 with valid JSON of the wrong shape. */
    wrongShape: () => on(() => HttpResponse.json({ unexpected: true, items: 'none' })),
    /** The connection fails (DNS, refused, reset). */
    unreachable: () => on(() => HttpResponse.error()),
  };
}
