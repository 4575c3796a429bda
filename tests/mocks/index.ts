import { http, passthrough } from 'msw';
import { registryHandlers } from './registry';
import { screeningHandlers } from './screening';
import { webhookHandlers } from './webhooks';

// Outside services, one handler module per service. Requests to our own app
// on the loopback address pass through; anything else unhandled fails a test.
export const loopbackPassthrough = [
  http.all(/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//, () => passthrough()),
];

export const handlers = [...loopbackPassthrough, ...registryHandlers, ...screeningHandlers, ...webhookHandlers];
