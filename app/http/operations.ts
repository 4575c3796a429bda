import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { databaseReadiness } from '../../db/health';
import { storageFailureOf } from '../../db/storage-errors';
import { isPartnerPath, PARTNER_PATH_PREFIX } from './partner-paths';
import { storageFailureStatus, storageReadFailureMessage } from './storage-failures';
import { env } from '../utils/env.server';

// Probes and request logs for whoever runs Cosponsor (docs/operations.md).

/**
 * /healthz: the process is up and serving (no database, so a slow disk never gets
 * a healthy process restarted). /readyz: the database answers and its migrations
 * match this code; 503 with a short reason otherwise, so a load balancer stops
 * sending people to an instance that would fail them. Neither reads a session or a body.
 */
export function probes(req: Request, res: Response, next: NextFunction) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return next();
  if (req.path === '/healthz') {
    res.setHeader('Cache-Control', 'no-store');
    res.status(200).json({ status: 'ok' });
    return;
  }
  if (req.path === '/readyz') {
    res.setHeader('Cache-Control', 'no-store');
    const readiness = databaseReadiness();
    if (readiness.ok) res.status(200).json({ status: 'ready' });
    else res.status(503).json({ status: 'not ready', reason: readiness.reason });
    return;
  }
  next();
}

/** An incoming id is kept if it is short and plain (it ends up in logs and a header); otherwise a new one. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestIdOf(incoming: string | undefined): string {
  return incoming && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** LOG_FORMAT, or JSON lines in production and plain text elsewhere. */
export function logsAsJson(): boolean {
  const { LOG_FORMAT, NODE_ENV } = env();
  return LOG_FORMAT ? LOG_FORMAT === 'json' : NODE_ENV === 'production';
}

type LogWriter = (line: string) => void;
const stdoutWriter: LogWriter = (line) => process.stdout.write(`${line}\n`);

/** One JSON object per line, the shape log collectors parse without configuration. */
export function logJson(fields: Record<string, unknown>, write: LogWriter = stdoutWriter): void {
  write(JSON.stringify({ time: new Date().toISOString(), ...fields }));
}

/**
 * The path as logged: a partner questionnaire's token is the whole credential to its page
 * (whoever holds it may answer as the partner), so it never reaches the log.
 */
function loggedPath(pathname: string): string {
  return isPartnerPath(pathname) ? `${PARTNER_PATH_PREFIX}…` : pathname;
}

/**
 * Gives every request an id (X-Request-Id, sent back on the answer) and, when
 * `json` is on, writes one line per finished request. The path is logged without
 * its query: a sign-in callback's query carries an authorization code and state.
 */
export function requestLog({ json, write = stdoutWriter }: { json: boolean; write?: LogWriter }) {
  return (req: Request, res: Response, next: NextFunction) => {
    const requestId = requestIdOf(req.get('x-request-id'));
    req.headers['x-request-id'] = requestId;
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    if (!json) return next();
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // Probes every few seconds would drown the rest; a failing probe is still logged.
      if ((req.path === '/healthz' || req.path === '/readyz') && res.statusCode < 400) return;
      logJson(
        {
          level: res.statusCode >= 500 ? 'error' : 'info',
          msg: 'request',
          requestId,
          method: req.method,
          path: loggedPath(req.path),
          status: res.statusCode,
          ms: Number((Number(process.hrtime.bigint() - started) / 1e6).toFixed(1)),
        },
        write,
      );
    });
    next();
  };
}

/** The last error handler: the error on one line with its request id, a plain message to the visitor. */
export function errorLog({ json, write = stdoutWriter }: { json: boolean; write?: LogWriter }) {
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    const err = error instanceof Error ? error : new Error(String(error));
    if (json) logJson({ level: 'error', msg: 'unhandled error', requestId: res.locals.requestId, method: req.method, path: loggedPath(req.path), error: err.message, stack: err.stack }, write);
    else console.error(err);
    if (res.headersSent) return next(error);
    // The database failing before Remix ran (the session read of every request): an answer that says so.
    const failure = storageFailureOf(error);
    if (failure) {
      res.status(storageFailureStatus(failure)).type('text/plain').send(storageReadFailureMessage(failure));
      return;
    }
    res.status(500).type('text/plain').send(`Something went wrong on our side. Reference: ${String(res.locals.requestId ?? '')}`);
  };
}
