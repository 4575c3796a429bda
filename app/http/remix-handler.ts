import { createRequestHandler, type AppLoadContext, type ServerBuild } from '@remix-run/node';
import type { NextFunction, Request, Response } from 'express';

// The Remix request handler, fed the body our HTTP layer already read and
// checked (res.locals.formBody), instead of the socket stream: the body is
// bounded and parsed once, and nothing is left unread on a keep-alive connection.

export function remixHandler({
  build,
  mode,
  getLoadContext,
  afterResponse,
}: {
  build: ServerBuild;
  mode: string;
  getLoadContext: (req: Request, res: Response) => AppLoadContext;
  /** A last look at the headers (cache rules for signed-in pages). */
  afterResponse?: (req: Request, res: Response, response: globalThis.Response) => void;
}) {
  const handle = createRequestHandler(build, mode);
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const [, hostPort] = req.get('host')?.split(':') ?? [];
      const url = new URL(`${req.protocol}://${req.hostname}${hostPort ? `:${hostPort}` : ''}${req.originalUrl}`);
      let controller: AbortController | null = new AbortController();
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) {
        if (Array.isArray(value)) for (const v of value) headers.append(key, v);
        else if (value) headers.set(key, value);
      }
      const init: RequestInit = { method: req.method, headers, signal: controller.signal };
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        const body = res.locals.formBody as Buffer | undefined;
        // The body as read, or (a request refused its body) an empty form.
        headers.delete('content-length');
        headers.delete('transfer-encoding');
        if (!body) headers.set('content-type', 'application/x-www-form-urlencoded');
        init.body = new Uint8Array(body ?? Buffer.alloc(0));
      }
      res.on('finish', () => (controller = null));
      res.on('close', () => controller?.abort());
      const response = await handle(new globalThis.Request(url.href, init), getLoadContext(req, res));
      res.statusMessage = response.statusText;
      res.status(response.status);
      for (const [key, value] of response.headers.entries()) res.append(key, value);
      afterResponse?.(req, res, response);
      if (response.body) await writeBody(response.body, res);
      else res.end();
    } catch (error) {
      next(error);
    }
  };
}

/**
 * Streams the answer to the socket, the last piece with the end: a page (one piece, see
 * entry.server.tsx) goes out as one write with its length instead of a chunked answer and an
 * empty last chunk. Longer answers (exports, files) still stream piece by piece.
 */
async function writeBody(body: ReadableStream<Uint8Array>, res: Response): Promise<void> {
  const reader = body.getReader();
  try {
    let piece = await reader.read();
    while (!piece.done) {
      const following = await reader.read();
      if (following.done) {
        res.end(piece.value);
        return;
      }
      res.write(piece.value);
      piece = following;
    }
    res.end();
  } catch (error) {
    res.destroy(error as Error);
    throw error;
  }
}
