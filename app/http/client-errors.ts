import http, { type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { refusalPageHtml } from './refusal-page';

// Requests Node's HTTP parser refuses before the app sees them: an address or headers over
// its limit (16 KB by default), malformed HTTP, a request too slow to arrive. Node's own answer
// is a bare status with an empty body; these get a short page saying what happened instead.

type ParserError = Error & { code?: string };

function refusalFor(error: ParserError): { status: number; heading: string; message: string } {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        heading: 'This address is too long',
        message:
          `This address is too long, or the request carries too much in its headers (over ${Math.round(http.maxHeaderSize / 1024)} KB), so it was not read. ` +
          'Follow a link from the start page instead; if this keeps happening, clear this site’s cookies in your browser.',
      };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, heading: 'The request is too large', message: 'The request is too large to read. Nothing was saved.' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, heading: 'The request took too long', message: 'The request took too long to arrive, so it was not read. Try again.' };
    default:
      return { status: 400, heading: 'The request was malformed', message: 'The request could not be read (malformed HTTP), so it was not answered. Reload the page and try again.' };
  }
}

/** Answers the parser's refusals on this server with a page and `Connection: close`. Returns the server. */
export function answerClientErrors<S extends Server>(server: S): S {
  server.on('clientError', (error: ParserError, socket: Duplex) => {
    // A connection reset or one already answering a request gets nothing more written to it.
    const answering = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
    if (error.code === 'ECONNRESET' || !socket.writable || answering) {
      socket.destroy();
      return;
    }
    const { status, heading, message } = refusalFor(error);
    const body = refusalPageHtml({ heading, message });
    socket.end(
      [
        `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}`,
        'Content-Type: text/html; charset=utf-8',
        `Content-Length: ${Buffer.byteLength(body)}`,
        'Cache-Control: no-store',
        'X-Content-Type-Options: nosniff',
        "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'",
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    );
  });
  return server;
}
