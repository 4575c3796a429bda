// Run as its own process by tests/outside/slow-service.test.ts: the server's web
// globals, then outside calls to the URLs given, then a second of life.
import { installFetchGlobals } from '../../app/http/globals.server';
import { outsideFetch } from '../../app/features/outside/http.server';

installFetchGlobals();
const [mode, url] = process.argv.slice(2);
const calls = mode === 'twice' ? 2 : 1;
for (let i = 0; i < calls; i++) {
  const result = await outsideFetch({ service: 'The receiver', url: url!, method: 'POST', body: '{"n":1}', headers: { 'Content-Type': 'application/json' }, timeoutMs: 300 });
  console.log(JSON.stringify(result.ok ? { ok: true, status: result.status } : { ok: false, kind: result.kind, message: result.message }));
}
await new Promise((resolve) => setTimeout(resolve, 1000));
console.log('alive');
