import { logPublicKey } from '../features/register/log-checkpoints.server';
import { refuseWritesToDownload } from '../utils/errors.server';

// The decision log's public key (C2SP signed-note verifier key), as plain
// text: keep a copy elsewhere and verify checkpoints and bundles with it
// (docs/verifying-the-log.md). Public by design.
export function loader() {
  return new Response(`${logPublicKey()}\n`, {
    status: 200,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'public, max-age=300', 'X-Content-Type-Options': 'nosniff' },
  });
}

// A file to read: a post here is refused as a wrong method.
export const action = refuseWritesToDownload;
