import { installGlobals } from '@remix-run/node';

// The web globals (fetch, Request, Response, Headers, FormData, File) for the
// server and for everything that runs the built app. Node's own fetch (undici):
// Remix's older polyfill crashes the process when a POST to an outside service
// is aborted on its deadline ("Cannot cancel a stream that already has a
// reader"), and fails every second POST to a receiver that closes connections.
export function installFetchGlobals(): void {
  installGlobals({ nativeFetch: true });
}
