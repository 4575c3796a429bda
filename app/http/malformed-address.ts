import type { NextFunction, Request, Response } from 'express';
import { refusalPageHtml } from './refusal-page';

// Express decodes the path while matching routes (and express.static while finding a file):
// a broken percent-escape (%ZZ, a cut-off UTF-8 sequence) threw a URIError there, which the last
// error handler answered as a 500. Such an address names nothing: it is refused here, first.
// So is a Host header no URL can hold: the request's URL is built from it (remix-handler.ts).

const MESSAGE = 'This address is not valid: it has a broken %-escape. Check the link, or go back and follow it again.';

function decodes(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

const HOST_MESSAGE = 'This request’s Host header is not a valid address, so no page can be found for it.';

/** Whether the origin, built as remix-handler.ts builds the request's URL, is a URL. */
function hostMakesUrl(req: Request): boolean {
  try {
    const [, hostPort] = req.get('host')?.split(':') ?? [];
    new URL(`${req.protocol}://${req.hostname}${hostPort ? `:${hostPort}` : ''}/`);
    return true;
  } catch {
    return false;
  }
}

const NUL_MESSAGE = 'This address is not valid: it holds a NUL character (%00), which no page takes. Check the link, or go back and follow it again.';

/** A NUL in the path or the query, once decoded: a search for one failed on PostgreSQL with a 500 (no text can hold it). */
function holdsNul(req: Request): boolean {
  if (decodeURIComponent(req.path).includes('\u0000')) return true;
  const query = req.originalUrl.indexOf('?');
  if (query === -1) return false;
  for (const [name, value] of new URLSearchParams(req.originalUrl.slice(query + 1))) {
    if (name.includes('\u0000') || value.includes('\u0000')) return true;
  }
  return false;
}

export function refuseMalformedAddress(req: Request, res: Response, next: NextFunction) {
  const problem = !hostMakesUrl(req) ? HOST_MESSAGE : !decodes(req.path) ? MESSAGE : holdsNul(req) ? NUL_MESSAGE : null;
  if (!problem) return next();
  res.setHeader('Cache-Control', 'no-store');
  res.status(400).type('html').send(refusalPageHtml({ heading: 'This address is not valid', message: problem }));
}
