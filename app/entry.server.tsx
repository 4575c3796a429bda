import { Writable } from 'node:stream';
import type { AppLoadContext, EntryContext } from '@remix-run/node';
import { isRouteErrorResponse, RemixServer } from '@remix-run/react';
import { renderToPipeableStream } from 'react-dom/server';
import type { HandleErrorFunction } from '@remix-run/node';
import { logJson, logsAsJson } from './http/operations';
import { NonceProvider } from './utils/nonce';
import { ServerHtmlContext } from './components/server-markup';

const ABORT_DELAY = 5_000;

/** An error in a loader or action, on one log line with the request's id (Remix shows the error page). */
export const handleError: HandleErrorFunction = (error, { request, context }) => {
  if (request.signal.aborted) return;
  if (!logsAsJson()) {
    // What Remix does without this function.
    const inner = isRouteErrorResponse(error) ? (error as { error?: unknown }).error : undefined;
    console.error(inner ?? error);
    return;
  }
  // An answer with a status (a 404 for an unknown page) is not an error of ours; the request line has it.
  if (isRouteErrorResponse(error)) return;
  const err = error instanceof Error ? error : new Error(String(error));
  logJson({
    level: 'error',
    msg: 'error in loader or action',
    requestId: (context as { requestId?: string }).requestId,
    method: request.method,
    path: new URL(request.url).pathname,
    error: err.message,
    stack: err.stack,
  });
};

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = (loadContext as { cspNonce?: string }).cspNonce ?? '';
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    // Wait for the whole document: pages are small and work without JavaScript.
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <ServerHtmlContext.Provider value={(loadContext as { serverHtml?: Map<string, string> }).serverHtml ?? null}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} />
        </ServerHtmlContext.Provider>
      </NonceProvider>,
      {
        nonce,
        onAllReady() {
          shellRendered = true;
          // The whole document is ready, so it goes out as one piece: React writes it in pieces of
          // about 2 KB, and passing each through a stream, a web stream and a socket write of its
          // own cost more CPU than rendering a large page (the register, the dossier).
          const chunks: Buffer[] = [];
          const body = new Writable({
            write(chunk: Buffer, _encoding, done) {
              chunks.push(chunk);
              done();
            },
            final(done) {
              responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
              resolve(new Response(Buffer.concat(chunks), { headers: responseHeaders, status: responseStatusCode }));
              clearTimeout(deadline);
              done();
            },
          });
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    const deadline = setTimeout(abort, ABORT_DELAY);
  });
}
