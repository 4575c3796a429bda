import { http, passthrough } from 'msw';

// Outside services, one handler module per service. Requests to our own app
// on the loopback address pass through; anything else unhandled fails a test.
export const loopbackPassthrough = [
  http.all(/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//, () => passthrough()),
];

export const handlers = [...loopbackPassthrough];
