import { randomBytes } from 'node:crypto';
import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import express, { type NextFunction, type Request, type Response } from 'express';
import { env } from './utils/env.server';

export type AppLoadContext = { cspNonce: string };

/**
 * The HTTP application around the Remix build: security headers with a
 * per-request script nonce, the same-origin check on every POST, static files.
 * The server and the route tests both use it.
 */
export function createApp({ build, mode }: { build: ServerBuild; mode: 'production' | 'development' }) {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', env().TRUST_PROXY);

  app.use((req: Request, res: Response, next: NextFunction) => {
    // Overwrite whatever the client sent: sign-in throttling trusts this header.
    req.headers['x-cosponsor-client-ip'] = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const nonce = randomBytes(16).toString('base64');
    res.locals.cspNonce = nonce;
    const devSocket = mode === 'development' ? ' ws://127.0.0.1:* ws://localhost:*' : '';
    res.setHeader(
      'Content-Security-Policy',
      [
        "default-src 'self'",
        `script-src 'self' 'nonce-${nonce}'`,
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        `connect-src 'self'${devSocket}`,
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ].join('; '),
    );
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    if (mode === 'production') res.setHeader('Strict-Transport-Security', 'max-age=31536000');
    next();
  });

  // Cross-site request forgery: a state-changing request must come from our own
  // pages (docs/decisions/0006-csrf-origin-check.md).
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const origin = req.get('origin') ?? refererOrigin(req.get('referer'));
    const expected = `${req.protocol}://${req.get('host')}`;
    if (origin !== expected) {
      res.status(403).type('text/plain').send('This form was sent from another site, so it was refused. Reload the page and try again.');
      return;
    }
    next();
  });

  app.use('/build', express.static('public/build', { immutable: true, maxAge: '1y' }));
  app.use(express.static('public', { maxAge: '1h' }));

  app.all(
    '*',
    createRequestHandler({
      build,
      mode,
      getLoadContext: (_req, res): AppLoadContext => ({ cspNonce: res.locals.cspNonce as string }),
    }),
  );
  return app;
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}
