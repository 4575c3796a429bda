import { setupServer, type SetupServer } from 'msw/node';
import { handlers } from './index';

// MOCKS=true: the running app talks to these handlers instead of the real
// registry, screening service and webhooks, so it works fully offline. The
// services default to the mock hosts (MOCK_URLS) when MOCKS=true. Anything
// else (the app's own requests) passes through untouched.

let server: SetupServer | null = null;

export function startMockServer(): SetupServer {
  if (server) return server;
  const started = setupServer(...handlers);
  started.listen({ onUnhandledRequest: 'bypass' });
  server = started;
  return started;
}

export function stopMockServer(): void {
  server?.close();
  server = null;
}
