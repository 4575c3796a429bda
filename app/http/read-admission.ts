import type { NextFunction, Request, Response } from 'express';

// Page reads take their turn; writes never wait behind them.
//
// A page is rendered synchronously (better-sqlite3 queries, React rendering), so a process that
// has taken 25 reads off its sockets runs all 25 renders before it looks at the socket a
// decision arrived on: the decision waits for every read ahead of it (bench/writes-under-load.ts).
// Here at most `limit` reads (GET/HEAD) are being answered at once per process; the others wait
// in arrival order. A write (any other method) is passed on at once, and while one is being
// answered no further read starts: a decision waits for at most the `limit` renders already
// under way, not for each read that arrives during its own awaits (reading the body, the session,
// the screening check). The next waiting read starts from setImmediate, after the I/O callbacks
// already due, so a write that has arrived meanwhile goes first.
//
// Slots and priority are about CPU work, so a request still unanswered after `holdMs` (waiting on
// an outside service, or a slow client) gives them up: it can never hold up the others for long.
// Wall time cannot tell waiting from rendering on a starved CPU, and with a short hold an
// overloaded process let every read in again (measured: p99 of decisions 16.7 s with 2 s, under
// bench/writes-under-load.ts); 10 s is longer than an outside call may take (OUTSIDE_TIMEOUT_MS).

export function readAdmission({ limit, holdMs = 10_000 }: { limit: number; holdMs?: number }) {
  let active = 0;
  let writes = 0;
  const waiting: { start: () => void; gone: boolean }[] = [];

  const admitNext = () => {
    while (writes === 0 && active < limit && waiting.length > 0) {
      const entry = waiting.shift()!;
      if (entry.gone) continue;
      active += 1;
      setImmediate(entry.start);
    }
  };

  /** Calls `release` once: when the answer is sent, the client has gone, or `holdMs` has passed. */
  const onDone = (res: Response, release: () => void) => {
    let released = false;
    const once = () => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      release();
    };
    res.once('finish', once);
    res.once('close', once);
    const timer = setTimeout(once, holdMs);
    timer.unref();
  };

  const middleware = (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      writes += 1;
      onDone(res, () => {
        writes -= 1;
        admitNext();
      });
      return next();
    }
    const release = () => {
      active -= 1;
      admitNext();
    };
    const start = () => {
      if (res.writableEnded || res.destroyed) {
        release();
        return;
      }
      onDone(res, release);
      next();
    };
    if (writes === 0 && active < limit && waiting.length === 0) {
      active += 1;
      start();
      return;
    }
    const entry = { start, gone: false };
    waiting.push(entry);
    // A visitor who gave up while waiting is not answered at all.
    res.once('close', () => {
      entry.gone = true;
    });
  };
  return middleware;
}
