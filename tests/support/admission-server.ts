// Run as its own process by tests/unit/read-admission.test.ts, so that its synchronous renders do
// not also hold up the test's client: pages that render synchronously (as ours do) behind
// readAdmission (or none, with "none"), a write that answers at once, a read waiting on something else.
import type { AddressInfo } from 'node:net';
import express from 'express';
import { readAdmission } from '../../app/http/read-admission';

const [limit, holdMs, renderMs] = process.argv.slice(2);

function busy(ms: number) {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // a synchronous render
  }
}

const app = express();
if (limit !== 'none') app.use(readAdmission({ limit: Number(limit), holdMs: Number(holdMs) }));
app.get('/slow-outside', (_req, res) => void setTimeout(() => res.send('late'), 1_500));
app.get('/page', (_req, res) => {
  // An await first (the session check), then the synchronous render.
  setImmediate(() => {
    busy(Number(renderMs));
    res.send('page');
  });
});
app.post('/decide', (_req, res) => {
  setImmediate(() => res.status(302).setHeader('Location', '/').end());
});
const server = app.listen(0, '127.0.0.1', () => console.log(`port ${(server.address() as AddressInfo).port}`));
