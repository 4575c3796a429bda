import type { NextFunction, Request, Response } from 'express';
import { refusalPageHtml } from './refusal-page';

// Express decodes the path while matching routes (and express.static while finding a file):
// a broken percent-escape (%ZZ, a cut-off UTF-8 sequence) threw a URIError there, which the last
// error handler answered as a 500. Such an address names nothing: it is refused here, first.

const MESSAGE = 'This address is not valid: it has a broken %-escape. Check the link, or go back and follow it again.';

function decodes(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

export function refuseMalformedAddress(req: Request, res: Response, next: NextFunction) {
  if (decodes(req.path)) return next();
  res.setHeader('Cache-Control', 'no-store');
  res.status(400).type('html').send(refusalPageHtml({ heading: 'This address is not valid', message: MESSAGE }));
}
