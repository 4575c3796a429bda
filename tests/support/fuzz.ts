// A seeded campaign of malformed posts across every POST route of the built app.
// The route list comes from the build's own route manifest, so a new form is
// fuzzed without anyone adding it here. Used by tests/routes/fuzz.test.ts (a few
// hundred posts) and bench/fuzz.ts (10,000).
import type { ServerBuild } from '@remix-run/node';
import { rowCounts } from './sql';
import { userByEmail } from '../../db/users';
import { startSession } from '../../app/utils/session.server';

/** A small, fast, seedable generator (mulberry32): the same seed gives the same campaign. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}
export type Random = ReturnType<typeof seededRandom>;

export type PostRoute = { id: string; pattern: string };

/** Every route with an action, as a URL pattern (":id" params, "?index" for index routes). */
export function postRoutes(build: Pick<ServerBuild, 'routes'>): PostRoute[] {
  const fullPath = (id: string): string => {
    const route = build.routes[id]!;
    const parent = route.parentId ? fullPath(route.parentId) : '';
    const own = route.path ?? '';
    return [parent, own].filter(Boolean).join('/').replace(/\/+/g, '/');
  };
  return Object.entries(build.routes)
    .filter(([, route]) => typeof route.module.action === 'function')
    .map(([id, route]) => ({ id, pattern: `/${fullPath(id)}${route.index ? '?index' : ''}`.replace(/^\/\//, '/') }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

const ID_VALUES = ['1', '2', '3', '6', '7', '8', '10', '0', '-1', 'x', '999999', '1e3', '%00'];

function fillParams(pattern: string, rnd: Random): string {
  return pattern.replace(/:[A-Za-z]+/g, () => rnd.pick(ID_VALUES));
}

const NAMES = [
  'email', 'password', 'redirectTo', 'intent', 'version', 'baseVersion', 'note', 'reason', 'rationale', 'eventTitle', 'eventDate',
  'eventPlace', 'eventDescription', 'kind', 'campaignId', 'partnerId', 'partnerName', 'partnerCountry', 'partnerDescription',
  'partnerWebsite', 'partnerEin', 'registryEin', 'creationToken', 'confirmNew', 'publicPositions', 'name', 'roles', 'chapterId', 'id',
  'active', 'region', 'screeningAcknowledgement', 'decision', 'q', 'positionSearch', 'confirmVoid', 'newPositionStatement',
  'ratings.independence.rating', 'ratings.independence.evidence', 'ratings.transparency.links', 'answers.no_bds_signup.answer',
  'answers.no_bds_signup.note', 'mouRequired', 'conditions',
];
const ITEM_FIELDS = ['text', 'scope', 'classification', 'positionKey', 'kind', 'category', 'description', 'likelihood', 'impact', 'mitigation', 'residualLikelihood', 'residualImpact'];
const INTENTS = [
  'submit', 'save-draft', 'add-item', 'add-risk', 'add-benefit', 'remove-item-0', 'remove-item-3', 'remove-item-99999', 'check',
  'search-positions', 'approve', 'reject', 'request-changes', 'create', 'update', 'read', 'read-all', 'save', 'add:0', 'add:99',
  'remove:0:0', 'restore:0:0', 'not-needed', 'deactivate', 'reactivate', 'rename', 'rescreen', 'run', 'withdraw', '', 'x',
];
const INDICES = ['0', '0', '1', '2', '49', '50', '61', '300', '301', '99999', '2147483648', '-1', 'x', '01', ''];
const VALUES = [
  '', 'x', 'a reasonably normal sentence about the event', '1', '3', '5', '6', '0', '-1', '1e309', 'NaN', 'on', 'true',
  'aligned', 'unknown', 'risk', 'benefit', 'event', 'general', 'meets', 'concern', 'met', 'condition', 'cannot_meet',
  'lead@cosponsor.test', 'admin@cosponsor.test', 'cosponsor-demo', '2027-02-30', '2027-01-15', '/\u3000\u2215x', '//evil.example',
  '<script>alert(1)</script>', '<!channel>', "' OR 1=1 --", '\u0000', '\uD800', '😀'.repeat(20), 'é'.repeat(300),
];

function fieldName(rnd: Random): string {
  const roll = rnd.int(10);
  if (roll < 4) return rnd.pick(NAMES);
  if (roll < 7) return `items[${rnd.pick(INDICES)}].${rnd.pick(ITEM_FIELDS)}`;
  if (roll < 8) return `sections[${rnd.pick(INDICES)}].${rnd.pick(['key', 'body', `clauses[${rnd.pick(INDICES)}].text`, `clauses[${rnd.pick(INDICES)}].id`, `clauses[${rnd.pick(INDICES)}].removed`])}`;
  if (roll < 9) return `conditions[${rnd.pick(INDICES)}]`;
  return rnd.pick(['', '__proto__[x]', 'constructor.prototype.x', 'items[', 'items[]', 'a'.repeat(300), 'items[0]]', '[0]']);
}

function fieldValue(rnd: Random): string {
  if (rnd.chance(0.03)) return 'z'.repeat(rnd.pick([5001, 20001, 100_000]));
  return rnd.pick(VALUES);
}

// A lone surrogate cannot be percent-encoded: it travels as U+FFFD, as a browser sends it.
const wellFormed = (s: string) => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

function urlencoded(fields: [string, string][]): string {
  return fields
    .map(([k, v]) => `${encodeURIComponent(wellFormed(k)).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(wellFormed(v))}`)
    .join('&');
}

function multipart(fields: [string, string][], boundary: string): string {
  return `${fields.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('')}--${boundary}--\r\n`;
}

export type MalformedPost = { kind: string; contentType: string | null; body: string | Uint8Array };

/** One malformed (or merely unusual) form post. */
export function malformedPost(rnd: Random, pattern: string): MalformedPost {
  const fields: [string, string][] = [];
  if (rnd.chance(0.7)) fields.push(['intent', rnd.pick(INTENTS)]);
  const n = 1 + rnd.int(8);
  for (let i = 0; i < n; i++) fields.push([fieldName(rnd), fieldValue(rnd)]);
  if (pattern === '/login' && rnd.chance(0.5)) fields.push(['email', 'lead@cosponsor.test'], ['password', rnd.pick(['cosponsor-demo', 'wrong', 'x'.repeat(2000)])], ['redirectTo', rnd.pick(VALUES)]);
  const form = 'application/x-www-form-urlencoded';
  const roll = rnd.int(100);
  if (roll < 45) return { kind: 'urlencoded', contentType: form, body: urlencoded(fields) };
  if (roll < 52) return { kind: 'text/plain', contentType: 'text/plain', body: urlencoded(fields) };
  if (roll < 58) return { kind: 'json', contentType: 'application/json', body: JSON.stringify(Object.fromEntries(fields)) };
  if (roll < 63) return { kind: 'no content type', contentType: null, body: new TextEncoder().encode(urlencoded(fields)) };
  if (roll < 73) return { kind: 'multipart', contentType: 'multipart/form-data; boundary=FuZz', body: multipart(fields, 'FuZz') };
  if (roll < 78) {
    const whole = multipart(fields, 'FuZz');
    return { kind: 'truncated multipart', contentType: 'multipart/form-data; boundary=FuZz', body: whole.slice(0, Math.max(5, rnd.int(whole.length - 5))) };
  }
  if (roll < 81) return { kind: 'multipart, empty name', contentType: 'multipart/form-data; boundary=FuZz', body: multipart([['', 'x'], ...fields], 'FuZz') };
  if (roll < 83) return { kind: 'multipart, no boundary', contentType: 'multipart/form-data', body: multipart(fields, 'FuZz') };
  if (roll < 87) return { kind: 'bad percent-encoding', contentType: form, body: `${urlencoded(fields)}&%ZZ=%E0%A4%A&items[0].text=%` };
  if (roll < 90) {
    const bytes = new Uint8Array(50 + rnd.int(500));
    for (let i = 0; i < bytes.length; i++) bytes[i] = rnd.int(256);
    return { kind: 'binary', contentType: form, body: bytes };
  }
  if (roll < 95) {
    // A dense list far longer than any form allows, or one huge index.
    const list: [string, string][] = [['intent', rnd.pick(['save-draft', 'add-item', 'submit'])]];
    if (rnd.chance(0.5)) for (let i = 0; i < 400; i++) list.push([`items[${i}].text`, 'x']);
    else list.push([`items[${rnd.pick(['99999', '2147483648', '100000000'])}].text`, 'x']);
    return { kind: 'long or sparse list', contentType: form, body: urlencoded(list) };
  }
  if (roll < 97) return { kind: 'oversized', contentType: form, body: `note=${'x'.repeat(2 * 1024 * 1024 + 10)}` };
  return { kind: 'many fields', contentType: form, body: Array.from({ length: 6000 }, (_, i) => `f${i}=x`).join('&') };
}

// ---- Rows: a refused request writes nothing ----

/**
 * Tables a refused post may still write to. login_attempts: a failed sign-in is
 * counted for throttling, by design.
 */
const MAY_WRITE_WHEN_REFUSED = new Set(['login_attempts']);

// The search index is derived data, filled after commit: not a write of the request's own.
const DERIVED = new Set(['decision_search']);

export function countRows(): Record<string, number> {
  return Object.fromEntries(Object.entries(rowCounts()).filter(([name]) => !MAY_WRITE_WHEN_REFUSED.has(name) && !DERIVED.has(name)));
}

function changedTables(before: Record<string, number>, after: Record<string, number>): string[] {
  return Object.keys(after).filter((t) => after[t] !== before[t]);
}

// ---- The campaign ----

export type FuzzApp = { url: string };
export type FuzzReport = {
  posts: number;
  statuses: Record<string, number>;
  byKind: Record<string, Record<string, number>>;
  serverErrors: { route: string; kind: string; status: number; body: string }[];
  writesOnRefusal: { route: string; kind: string; status: number; tables: string[] }[];
  durationMs: number;
};

const ACCOUNTS = ['lead@cosponsor.test', 'lead2@cosponsor.test', 'staff@cosponsor.test', 'admin@cosponsor.test'];

/** A session minted directly (as sign-in does), so the campaign spends no time hashing passwords. */
async function sessionCookie(email: string): Promise<string> {
  const user = userByEmail(email);
  if (!user) throw new Error(`No account ${email}`);
  const setCookie = await startSession(user.id, new Request('http://127.0.0.1/login'));
  return setCookie.split(';')[0]!;
}

export async function runFuzzCampaign(app: FuzzApp, build: Pick<ServerBuild, 'routes'>, options: { posts: number; seed: number; checkRows?: boolean }): Promise<FuzzReport> {
  const rnd = seededRandom(options.seed);
  const routes = postRoutes(build);
  const cookies = new Map<string, string>();
  for (const email of ACCOUNTS) cookies.set(email, await sessionCookie(email));
  const report: FuzzReport = { posts: 0, statuses: {}, byKind: {}, serverErrors: [], writesOnRefusal: [], durationMs: 0 };
  const started = performance.now();
  for (let i = 0; i < options.posts; i++) {
    const route = rnd.pick(routes);
    const path = fillParams(route.pattern, rnd);
    const account = rnd.chance(0.2) ? null : rnd.pick(ACCOUNTS);
    const post = malformedPost(rnd, route.pattern);
    const headers: Record<string, string> = { Origin: app.url };
    if (post.contentType) headers['Content-Type'] = post.contentType;
    if (account) headers.Cookie = cookies.get(account)!;
    const data = rnd.chance(0.15) ? `${path.includes('?') ? '&' : '?'}_data=${encodeURIComponent(route.id)}` : '';
    const before = options.checkRows === false ? null : countRows();
    let status: number;
    let text: string;
    try {
      const response = await fetch(`${app.url}${path}${data}`, {
        method: 'POST',
        headers,
        body: typeof post.body === 'string' ? post.body : new Blob([post.body as Uint8Array<ArrayBuffer>]),
        redirect: 'manual',
        signal: AbortSignal.timeout(30_000),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      // An oversized body may be cut off once the 413 is sent: the answer still counts.
      status = -1;
      text = String(error);
    }
    report.posts++;
    report.statuses[status] = (report.statuses[status] ?? 0) + 1;
    const kindCounts = (report.byKind[post.kind] ??= {});
    kindCounts[status] = (kindCounts[status] ?? 0) + 1;
    if (status >= 500 || status === -1) report.serverErrors.push({ route: `${route.id} ${path}`, kind: post.kind, status, body: text.slice(0, 300) });
    if (before && status >= 400) {
      const changed = changedTables(before, countRows());
      if (changed.length) report.writesOnRefusal.push({ route: `${route.id} ${path}`, kind: post.kind, status, tables: changed });
    }
    // Signing out ends the session: start a new one for the next posts.
    if (account && route.id === 'routes/logout') cookies.set(account, await sessionCookie(account));
  }
  report.durationMs = Math.round(performance.now() - started);
  return report;
}

/** Whether the server still answers. */
export async function stillServing(app: FuzzApp): Promise<boolean> {
  try {
    return (await fetch(`${app.url}/login`, { signal: AbortSignal.timeout(5_000) })).status === 200;
  } catch {
    return false;
  }
}
