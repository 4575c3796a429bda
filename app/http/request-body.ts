import type { Request, Response } from 'express';
import { refusalPageHtml } from './refusal-page';
import { bodyLimitBytes, formNamesProblem, listIntentProblem, multipartBodyLimitBytes, takesFiles, uploadMaxBytes } from './form-limits';

// Every POST body is read here, bounded, and its field names checked, before
// Remix sees it; Remix then gets the bytes we already hold. Refusals are 4xx
// with a sentence: an HTML page for a browser, a caught JSON answer for Remix's
// own data requests (so the route's error boundary shows the message).

export type BodyVerdict = { ok: true; body: Buffer } | { ok: false; status: number; message: string; unread: boolean };

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

export function formContentType(req: Request): string | null {
  const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  return FORM_TYPES.includes(type) ? type : null;
}

/** Reads the body up to the limit; refuses before reading when Content-Length already says too much. */
export async function readFormBody(req: Request): Promise<BodyVerdict> {
  const withFiles = formContentType(req) === 'multipart/form-data' && takesFiles(req.path);
  const limit = withFiles ? multipartBodyLimitBytes() : bodyLimitBytes();
  const sizeWords = (n: number) => (n >= 1024 * 1024 ? `${Math.round((n / 1024 / 1024) * 10) / 10} MB` : `${Math.round(n / 1024)} KB`);
  const tooLarge = (unread: boolean): BodyVerdict => ({
    ok: false,
    status: 413,
    message: withFiles
      ? `The form and its files are too large to accept (over ${sizeWords(limit)}). A file may be at most ${sizeWords(uploadMaxBytes())}: attach fewer or smaller files at a time.`
      : `The form is too large to accept (over ${Math.round(limit / 1024 / 1024)} MB). Shorten the longest texts and send it again.`,
    unread,
  });
  const declared = Number(req.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) return tooLarge(true);
  const chunks: Buffer[] = [];
  let size = 0;
  const outcome = await new Promise<'done' | 'too-large' | 'broken'>((resolve) => {
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve('done');
    };
    const onError = () => {
      cleanup();
      resolve('broken');
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onError);
  });
  if (outcome === 'too-large') return tooLarge(true);
  if (outcome === 'broken') return { ok: false, status: 400, message: 'The form did not arrive completely. Send it again.', unread: true };
  return { ok: true, body: Buffer.concat(chunks) };
}

/** Why the fields of this body cannot be one of our forms, or null. */
export async function formBodyProblem(body: Buffer, contentType: string, header: string = contentType): Promise<string | null> {
  if (contentType === 'application/x-www-form-urlencoded') {
    const params = new URLSearchParams(body.toString('utf8'));
    return formNamesProblem(params.keys()) ?? listIntentProblem(params.entries()) ?? nulProblem(params.entries());
  }
  let fields: [string, unknown][];
  try {
    // Node's own multipart parser (undici), on bytes already bounded in size.
    // The whole header: a multipart body is read by its boundary parameter.
    const parsed = await new globalThis.Response(new Uint8Array(body), { headers: { 'Content-Type': header } }).formData();
    fields = [...parsed.entries()];
  } catch {
    return 'The form arrived incomplete or malformed. Send it again.';
  }
  return formNamesProblem(fields.map(([name]) => name)) ?? listIntentProblem(fields) ?? nulProblem(fields);
}

/**
 * A NUL character in a field: no form of ours lets one be typed, and no text column can hold
 * one on PostgreSQL (the insert failed there with a 500, and `db:move` could not copy a SQLite
 * row that held one), so it is refused before anything reads the form.
 */
function nulProblem(fields: Iterable<[string, unknown]>): string | null {
  for (const [name, value] of fields) {
    if (name.includes('\u0000') || (typeof value === 'string' && value.includes('\u0000'))) {
      return 'A field holds a NUL character (U+0000), which text cannot hold. Remove it (it can come with text pasted from another program) and send the form again.';
    }
  }
  return null;
}

export function isRemixDataRequest(req: Request): boolean {
  return typeof req.query._data === 'string';
}

/** A refusal, shaped for whoever asked. `close` when the body was not read: the connection cannot be reused. */
export function sendRefusal(req: Request, res: Response, status: number, message: string, close: boolean) {
  if (close) res.setHeader('Connection', 'close');
  res.setHeader('Cache-Control', 'no-store');
  if (isRemixDataRequest(req)) {
    res.status(status).setHeader('X-Remix-Catch', 'yes');
    res.json({ message });
  } else {
    res.status(status).type('html').send(refusalPageHtml({ heading: 'This form was not accepted', message, backTo: 'the form' }));
  }
  if (close) res.on('finish', () => req.socket.destroySoon?.());
}
