// The few parts of an Express response the error handler (app/http/operations.ts) uses,
// recording what it sent, for tests that call the handler directly.
export function fakeResponse(requestId: string) {
  const sent: { status?: number; body?: string } = {};
  const res = {
    headersSent: false,
    locals: { requestId },
    status(code: number) {
      sent.status = code;
      return this;
    },
    type() {
      return this;
    },
    send(body: string) {
      sent.body = body;
      return this;
    },
  };
  return { res, sent };
}
