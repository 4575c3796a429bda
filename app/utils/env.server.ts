import os from 'node:os';
import { parseDecimal } from './whole-number';
import { z } from 'zod';

// The environment Cosponsor reads, in one schema. server.ts checks it once at start and refuses to
// start with a message naming each bad variable; modules read the parsed values through env().

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const optionalUrl = optionalText.refine((v) => v === undefined || URL.canParse(v), 'must be an absolute URL, e.g. https://example.org');

/** A number from the environment in plain decimals (not 0x10 or 1e3), unset (or empty) giving the default. */
const number = (fallback: number, min: number, what: string) =>
  optionalText
    .refine((v) => v === undefined || (parseDecimal(v) ?? Number.NEGATIVE_INFINITY) >= min, `must be ${what}`)
    .transform((v) => (v === undefined ? fallback : parseDecimal(v)!));

const flag = optionalText.refine((v) => v === undefined || v === 'true' || v === 'false', 'must be "true" or "false"').transform((v) => v === 'true');

function isLoopbackHttp(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'http:' && (hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]');
}

export const envSchema = z
  .object({
    NODE_ENV: optionalText.refine((v) => v === undefined || ['production', 'development', 'test'].includes(v), 'must be production, development or test'),
    PORT: number(3000, 0, 'a port number (0-65535)').refine((n) => Number.isInteger(n) && n <= 65_535, 'must be a port number (0-65535)'),
    HOST: optionalText.transform((v) => v ?? '127.0.0.1'),
    DATABASE_PATH: optionalText,
    // When set, the app runs on PostgreSQL instead of the SQLite file (docs/decisions/0040-postgresql-path.md).
    DATABASE_URL: optionalText.refine(
      (v) => v === undefined || /^postgres(ql)?:\/\/[^\s]*$/i.test(v),
      'must be a PostgreSQL URL, e.g. postgres://cosponsor@localhost/cosponsor (or leave it unset to use the SQLite file at DATABASE_PATH)',
    ),
    SESSION_SECRET: optionalText,
    SESSION_TTL_HOURS: number(12, 0.01, 'a positive number of hours'),
    // A hop count or the proxies' addresses (app/http/trust-proxy.ts); "true" means one hop.
    TRUST_PROXY: optionalText,
    BODY_LIMIT_BYTES: number(2 * 1024 * 1024, 1024, 'a number of bytes, at least 1024'),
    SHUTDOWN_TIMEOUT_MS: number(10_000, 0, 'a number of milliseconds (0 or more)'),
    MOCKS: flag,
    APP_URL: optionalUrl,
    THROTTLE_WINDOW_MS: number(15 * 60_000, 1, 'a positive number of milliseconds'),
    THROTTLE_DELAY_STEP_MS: number(1000, 0, 'a number of milliseconds (0 or more)'),
    OUTSIDE_TIMEOUT_MS: number(5000, 1, 'a positive number of milliseconds'),
    OUTBOX_INTERVAL_MS: number(5000, 100, 'a number of milliseconds, at least 100'),
    REGISTRY_LOOKUP: optionalText.refine(
      (v) => v === undefined || ['on', 'off', 'true', 'false'].includes(v.toLowerCase()),
      'must be on, off, true or false',
    ),
    REGISTRY_BASE_URL: optionalUrl,
    REGISTRY_CACHE_TTL_HOURS: number(24, 0, 'a number of hours (0 or more)'),
    SCREENING_URL: optionalUrl,
    SCREENING_API_KEY: optionalText,
    SCREENING_DATASET: optionalText,
    // Open and approved partnerships are screened again when their last answer is this old (app/features/review/screening-memory.server.ts).
    SCREENING_RESCAN_DAYS: number(7, 1, 'a whole number of days, 1 or more').refine((n) => Number.isInteger(n), 'must be a whole number of days, 1 or more'),
    SLACK_WEBHOOK_URL: optionalUrl,
    WEBHOOK_URL: optionalUrl,
    WEBHOOK_SECRET: optionalText,
    // Read by db/checkpoints.ts (db/ imports nothing from app/); checked here so a bad value stops the start.
    SIGNING_KEY_FILE: optionalText,
    CHECKPOINT_DIR: optionalText,
    LOG_ORIGIN: optionalText.refine((v) => v === undefined || /^[^\s+]+$/.test(v), 'must have no spaces and no "+"'),
    CHECKPOINT_WITNESS_URL: optionalUrl,
    // Single sign-on with OpenID Connect (docs/decisions/0130-single-sign-on.md): the three
    // together or none. https, except http on a loopback host (a local test issuer).
    OIDC_ISSUER: optionalUrl.refine((v) => v === undefined || v.startsWith('https://') || isLoopbackHttp(v), 'must be an https:// URL (http:// only on localhost)'),
    OIDC_CLIENT_ID: optionalText,
    OIDC_CLIENT_SECRET: optionalText,
    // The name on the sign-in button ("Sign in with <name>"); unset: the issuer's host name.
    OIDC_PROVIDER_NAME: optionalText,
    // A claim holding group names; cosponsor-staff and cosponsor-reviewer give those roles to a new account.
    OIDC_ROLE_CLAIM: optionalText,
    // off: no password sign-in at all (single sign-on only).
    LOCAL_LOGIN: optionalText.refine((v) => v === undefined || v === 'on' || v === 'off', 'must be on or off').transform((v) => v !== 'off'),
    // JSON lines (one per request and per error) or plain text; unset: JSON in production.
    LOG_FORMAT: optionalText.refine((v) => v === undefined || v === 'json' || v === 'text', 'must be json or text'),
    // E-mail through the outbox (docs/outside-services.md): off unless set.
    SMTP_URL: optionalText.refine(
      (v) => v === undefined || (URL.canParse(v) && ['smtp:', 'smtps:'].includes(new URL(v).protocol) && new URL(v).hostname !== ''),
      'must be an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.org:587',
    ),
    // Checked here so no header can be smuggled in through the sender (a CR or LF would start a new header).
    MAIL_FROM: optionalText.refine(
      (v) => v === undefined || /^(?:[^<>\p{Cc}]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/u.test(v),
      'must be an e-mail address, or a name and an address like "Cosponsor <cosponsor@example.org>"',
    ),
    // Server processes sharing the port and the database file (server.ts); 1 is a single process.
    WEB_CONCURRENCY: number(os.availableParallelism(), 1, 'a whole number of processes, 1 or more').refine(
      (n) => Number.isInteger(n),
      'must be a whole number of processes, 1 or more',
    ),
    // How long the process running the background jobs holds them without renewing before another takes over.
    JOB_LEASE_MS: number(15_000, 1000, 'a number of milliseconds, at least 1000'),
    // Page reads each process answers at once; the rest wait their turn, writes never do (app/http/read-admission.ts).
    READ_CONCURRENCY: number(2, 1, 'a whole number, 1 or more').refine((n) => Number.isInteger(n), 'must be a whole number, 1 or more'),
    // Requests to a partner's questionnaire link (/q/...) per token and per client address in 10 minutes.
    PARTNER_LINK_REQUESTS_PER_TOKEN: number(60, 1, 'a whole number, 1 or more').refine((n) => Number.isInteger(n), 'must be a whole number, 1 or more'),
    PARTNER_LINK_REQUESTS_PER_ADDRESS: number(300, 1, 'a whole number, 1 or more').refine((n) => Number.isInteger(n), 'must be a whole number, 1 or more'),
    // Evidence files (docs/decisions/0170-evidence-attachments.md): read by db/attachment-store.ts, checked here.
    UPLOAD_DIR: optionalText,
    UPLOAD_MAX_BYTES: number(10 * 1024 * 1024, 1024, 'a number of bytes, at least 1024').refine((n) => Number.isInteger(n), 'must be a whole number of bytes'),
  })
  .superRefine((env, ctx) => {
    const oidc = { OIDC_ISSUER: env.OIDC_ISSUER, OIDC_CLIENT_ID: env.OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: env.OIDC_CLIENT_SECRET };
    const missing = Object.entries(oidc).filter(([, v]) => v === undefined);
    if (missing.length > 0 && missing.length < 3) {
      for (const [name] of missing) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'must be set with the other OIDC_ variables (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: all three or none)' });
      }
    }
    if (!env.LOCAL_LOGIN && missing.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['LOCAL_LOGIN'], message: 'can be off only with single sign-on set up (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET): otherwise nobody could sign in' });
    }
    if (env.NODE_ENV === 'production' && !env.SESSION_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'must be set in production (a long random string)' });
    }
  });

export type Env = z.output<typeof envSchema>;

/** The secret cookies are signed with (and "Forgot your password?" links sealed with); a fixed one outside production. */
export function appSecret(): string {
  return env().SESSION_SECRET ?? 'development-only-secret-do-not-use-in-production';
}

const NAMES = Object.keys(envSchema.shape) as (keyof typeof envSchema.shape)[];

const SECRET_VALUES = new Set(['SMTP_URL', 'SESSION_SECRET', 'WEBHOOK_SECRET', 'SCREENING_API_KEY']);

/** The environment is not usable; the message names each bad variable and what it must be. */
export class EnvError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`The environment is not valid:\n${problems.map((p) => `  ${p.variable} ${p.message}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const picked = Object.fromEntries(NAMES.map((n) => [n, source[n]]));
  const result = envSchema.safeParse(picked);
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? 'environment');
      // A value that may hold a password is never repeated in the message (it ends up in logs).
      const got = SECRET_VALUES.has(variable) ? undefined : source[variable];
      return { variable, message: `${issue.message}${got !== undefined && got !== '' ? ` (got "${got}")` : ''}` };
    }),
  );
}

let cached: { key: string; env: Env } | null = null;
/** The environment the server read at start (fixEnvironment), or null in tests and scripts. */
let fixedForProcess: Env | null = null;

/**
 * Makes env() return `config` for the rest of the process. A server calls it at start with the
 * environment it checked: a server never changes its own variables, so each request, and each
 * decision's transaction, then skips comparing the 45 variables with the ones read before
 * (tests, which change variables between cases, never call it).
 */
export function fixEnvironment(config: Env | null): void {
  fixedForProcess = config;
}
/** True while withEnvReadOnce runs; pinned is the environment its first read found. */
let pinning = false;
let pinned: Env | null = null;

/**
 * The parsed environment. It is read once; it is read again only when a variable changed since
 * (which tests do), so a request never pays for more than comparing the values.
 */
export function env(): Env {
  if (fixedForProcess) return fixedForProcess;
  if (pinned) return pinned;
  const key = NAMES.map((n) => process.env[n] ?? '\u0000').join('\u0001');
  // An invalid environment throws here, and is not pinned: each read throws where it did before.
  if (!cached || cached.key !== key) cached = { key, env: parseEnv(process.env) };
  if (pinning) pinned = cached.env;
  return cached.env;
}

/**
 * Runs fn (synchronous) with the environment read at most once, at its first use: a decision
 * asks for it several times in its transaction (e-mail, channels, links), and each read compares
 * every variable (about 45 reads of process.env); a decision that announces nothing never asks.
 */
export function withEnvReadOnce<T>(fn: () => T): T {
  if (pinning) return fn();
  pinning = true;
  try {
    return fn();
  } finally {
    pinning = false;
    pinned = null;
  }
}
