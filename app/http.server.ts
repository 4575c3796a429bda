import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ServerBuild } from '@remix-run/node';
import express, { type NextFunction, type Request, type Response } from 'express';
import { readAdmission } from './http/read-admission';
import { refuseMalformedAddress } from './http/malformed-address';
import { formBodyProblem, formContentType, readFormBody, sendRefusal } from './http/request-body';
import { errorLog, logsAsJson, probes, requestLog } from './http/operations';
import { remixHandler } from './http/remix-handler';
import { withStorageFailureAnswers } from './http/storage-failures';
import { trustProxySetting } from './http/trust-proxy';
import { partnerRateLimit } from './http/partner-rate-limit';
import { isPartnerPath } from './http/partner-paths';
import { hasLiveSession } from './utils/session.server';
import { env } from './utils/env.server';

/** serverHtml: on a document request, the parts rendered to HTML by loaders (components/server-markup.server.ts). */
export type AppLoadContext = { cspNonce: string; requestId: string; serverHtml?: Map<string, string> };

/** Posts that need no session (everything else is read only for a signed-in visitor). */
const PUBLIC_POST_PATHS = new Set(['/login', '/forgot-password']);

/** A "Forgot your password?" link's page (docs/decisions/0410): its holder is not signed in. */
const isResetLinkPath = (path: string) => /^\/reset-password\/[^/]{1,200}$/.test(path);

/**
 * The HTTP application around the Remix build: security headers with a
 * per-request script nonce, the same-origin check on every POST, bounded and
 * checked form bodies, static files. The server and the route tests both use it.
 */
/**
 * The request handler's mode for the built server. Remix's development mode sends an error's
 * stack to the browser, so only `npm run dev` (remix dev sets NODE_ENV=development) gets it;
 * `npm start` without NODE_ENV serves as production does.
 */
export function serverMode(nodeEnv: string | undefined): 'production' | 'development' {
  return nodeEnv === 'development' ? 'development' : 'production';
}

export function createApp({ build, mode }: { build: ServerBuild; mode: 'production' | 'development' }) {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxySetting(env().TRUST_PROXY));
  // Request ids and JSON-line logs (production), then the probes: before sessions and bodies.
  const jsonLogs = logsAsJson();
  app.use(requestLog({ json: jsonLogs }));
  app.use(probes);

  app.use((req: Request, res: Response, next: NextFunction) => {
    res.locals.startedAt = performance.now();
    // Overwrite whatever the client sent: sign-in throttling trusts this header.
    req.headers['x-cosponsor-client-ip'] = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const nonce = randomBytes(16).toString('base64');
    res.locals.cspNonce = nonce;
    const devSocket = mode === 'development' ? ' ws://127.0.0.1:* ws://localhost:*' : '';
    // The sign-in form's answer redirects to the sign-on provider, and browsers apply
    // form-action to that redirect too (docs/decisions/0130-single-sign-on.md).
    const signOnIssuer = env().OIDC_ISSUER;
    const formTargets = signOnIssuer ? ` ${new URL(signOnIssuer).origin}` : '';
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
        `form-action 'self'${formTargets}`,
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

  app.use(refuseMalformedAddress);

  // Cross-site request forgery: a state-changing request must come from our own
  // pages (docs/decisions/0006-csrf-origin-check.md).
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    // Remix would run a route's action for any other method: only POST, what our forms send, may.
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'GET, HEAD, POST');
      sendRefusal(req, res, 405, `A ${req.method} request is not accepted here: pages are read with GET and forms are sent with POST.`, true);
      return;
    }
    const origin = req.get('origin') ?? refererOrigin(req.get('referer'));
    const expected = `${req.protocol}://${req.get('host')}`;
    if (origin !== expected) {
      // A page, like every other refusal a browser may land on; the body is never read.
      sendRefusal(req, res, 403, 'This form was sent from another site, so it was refused. Reload the page and try again.', true);
      return;
    }
    next();
  });

  app.use('/build', express.static('public/build', { immutable: true, maxAge: '1y' }));
  // Only a path with a file extension can name a file in public/ (favicon.svg): a page's path
  // costs no look at the disk (a stat per request was about 3% of a web worker's time).
  const publicFiles = express.static('public', { maxAge: '1h' });
  app.use((req: Request, res: Response, next: NextFunction) => (path.extname(req.path) ? publicFiles(req, res, next) : next()));

  // Page reads take turns, a few at a time; a decision is never queued behind them (app/http/read-admission.ts).
  app.use(readAdmission({ limit: env().READ_CONCURRENCY }));

  // The partner's questionnaire pages: rate-limited per token and per address before anything is read.
  app.use(
    partnerRateLimit({ perToken: env().PARTNER_LINK_REQUESTS_PER_TOKEN, perAddress: env().PARTNER_LINK_REQUESTS_PER_ADDRESS, windowMs: 10 * 60_000 }),
  );

  // A "Forgot your password?" link is a credential, like a partner's: never in a Referer to another
  // site nor in a cache (same-origin, not no-referrer, which would make the form's post come from "null").
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (isResetLinkPath(req.path)) {
      res.setHeader('Referrer-Policy', 'same-origin');
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Robots-Tag', 'noindex');
    }
    next();
  });

  // Every post is bounded before Remix reads it (docs/decisions/0032-bounded-requests.md):
  // a form content type, the session first on signed-in pages, a size limit, and
  // field names a form of ours could have sent.
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    try {
      res.locals.signedIn = await hasLiveSession(req.get('cookie') ?? null);
      if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
      // A post with no body at all (a bare sign-out button from a script) is an empty form.
      if (!req.get('content-type') && Number(req.get('content-length') ?? 0) === 0 && !req.get('transfer-encoding')) {
        req.headers['content-type'] = 'application/x-www-form-urlencoded';
      }
      const contentType = formContentType(req);
      if (!contentType) {
        sendRefusal(req, res, 415, 'Only web forms are accepted here (application/x-www-form-urlencoded or multipart/form-data).', true);
        return;
      }
      // The partner's questionnaire is answered without an account: its posts are read (and bounded) too.
      if (!res.locals.signedIn && !PUBLIC_POST_PATHS.has(req.path) && !isResetLinkPath(req.path) && !isPartnerPath(req.path)) {
        // The page answers "sign in again" without reading what was sent.
        res.setHeader('Connection', 'close');
        res.on('finish', () => req.socket.destroySoon?.());
        return next();
      }
      const read = await readFormBody(req);
      if (!read.ok) {
        sendRefusal(req, res, read.status, read.message, read.unread);
        return;
      }
      const problem = await formBodyProblem(read.body, contentType, req.get('content-type') ?? contentType);
      if (problem) {
        sendRefusal(req, res, 400, `${problem} Nothing was saved.`, false);
        return;
      }
      res.locals.formBody = read.body;
      next();
    } catch (error) {
      next(error);
    }
  });

  app.all(
    '*',
    remixHandler({
      build: withStorageFailureAnswers(build),
      mode,
      getLoadContext: (req, res): AppLoadContext => ({
        cspNonce: res.locals.cspNonce as string,
        requestId: res.locals.requestId as string,
        // A document request (not a client navigation's ?_data= request) renders a page its parts' HTML goes into.
        ...(req.query._data === undefined ? { serverHtml: new Map<string, string>() } : {}),
      }),
      // A signed-in page or data answer is for that person only: never kept by a browser or proxy cache.
      afterResponse: (_req, res) => {
        if (res.locals.signedIn) res.setHeader('Cache-Control', 'private, no-store');
        // The server's own time for the page, loaders and the whole render (the document is
        // rendered before its headers go out): what the pages benchmark reports as server time.
        res.setHeader('Server-Timing', `app;dur=${(performance.now() - (res.locals.startedAt as number)).toFixed(1)}`);
      },
    }),
  );
  app.use(errorLog({ json: jsonLogs }));
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
