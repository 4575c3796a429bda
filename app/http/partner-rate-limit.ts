import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { sendRefusal } from './request-body';
import { isPartnerPath, PARTNER_PATH_PREFIX } from './partner-paths';

// Rate limits on the partner's questionnaire pages (/q/<token>), the only pages a stranger
// may load and post to without signing in: so many requests per token and per client address
// in a window, before the body is read or the database asked. Counted in this process's
// memory, because reading a page must not write (the wrong-passcode throttle, which must hold
// across processes and restarts, is kept in the database: partner_link_failures).

type Window = { start: number; count: number };

/** Fixed-window counters with a bounded number of keys: the oldest are dropped first. */
class WindowCounter {
  private readonly windows = new Map<string, Window>();
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 50_000,
  ) {}

  /** Counts one request; how many seconds until the key may ask again, or 0 when it may now. */
  hit(key: string, now: number): number {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      this.windows.delete(key);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
      if (this.windows.size > this.maxKeys) this.windows.delete(this.windows.keys().next().value!);
    }
    w.count += 1;
    return w.count > this.limit ? Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000)) : 0;
  }
}

export function partnerRateLimit(options: { perToken: number; perAddress: number; windowMs: number; now?: () => number }) {
  const byToken = new WindowCounter(options.perToken, options.windowMs);
  const byAddress = new WindowCounter(options.perAddress, options.windowMs);
  const now = options.now ?? Date.now;
  return (req: Request, res: Response, next: NextFunction) => {
    if (!isPartnerPath(req.path)) return next();
    const t = now();
    const token = req.path.slice(PARTNER_PATH_PREFIX.length).split('/')[0] ?? '';
    // Keyed by the token's hash: the token itself is not kept, even in memory.
    const wait = Math.max(
      byAddress.hit(req.ip ?? req.socket.remoteAddress ?? 'unknown', t),
      byToken.hit(createHash('sha256').update(token).digest('hex'), t),
    );
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      sendRefusal(req, res, 429, `Too many requests for this questionnaire. Wait ${Math.ceil(wait / 60)} minute${wait > 60 ? 's' : ''} and try again.`, req.method !== 'GET' && req.method !== 'HEAD');
      return;
    }
    // The link is the credential: it must not leave in a Referer to another site, nor stay in a cache.
    // (same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on the form's post,
    // which the same-origin check then refuses.)
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Robots-Tag', 'noindex');
    next();
  };
}
