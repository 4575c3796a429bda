import { execFile } from 'node:child_process';
import path from 'node:path';
import { z } from 'zod';
import { databaseEnvironment, nowIso } from '../../../db/connection';
import { formatVerifyResult, type VerifyResult } from '../../../db/decision-log';
import { partnerById } from '../../../db/partners';
import {
  auditRunById,
  eachDecisionBatch,
  lastAuditRun as lastAuditRunRow,
  lastVerifiedHead,
  partnerHistory,
  recentAuditRuns,
  registerFilterChoices,
  insertAuditRun,
  searchDecisions,
  SNIPPET_END,
  SNIPPET_START,
  DEFAULT_PAGE_SIZE,
  type AuditRun,
  type PartnerHistory,
  type RegisterFilter,
  type RegisterPage,
  type RegisterRow,
  type RegisterScope,
} from '../../../db/register';
import {
  AGENDA_OUTCOMES,
  PERCEPTION_OUTCOMES,
  RISK_OUTCOMES,
  STEPS,
  VALUES_OUTCOMES,
} from '../../../workflows/types';
import { toCsv, type CsvColumn } from './csv';
import { outcomeLabel, roleLabel, stateLabel, stepLabel } from '../../utils/labels';
import { can, seesEveryChapter, type ActingUser } from '../../../workflows/policy';
import { DecisionError } from '../vetting/vetting.server';
import { isRealDay } from '../../utils/calendar-day';
import { wholeNumber } from '../../utils/whole-number.server';

// The decision register as the pages use it: who sees what, the filter as it
// travels in the URL, snippets as safe parts, the CSV export and audit runs.

export type { AuditRun, RegisterFilter, RegisterPage, RegisterScope };

export type Refused = { ok: false; error: DecisionError };

/** Steps a record can be about, in workflow order. */
const REGISTER_STEPS = ['proposal', ...STEPS, 'decision'] as const;

/** Every outcome a record can carry, for the filter form. */
const REGISTER_OUTCOMES = [
  'created',
  'submitted',
  ...VALUES_OUTCOMES,
  ...AGENDA_OUTCOMES,
  'classified',
  ...RISK_OUTCOMES,
  ...PERCEPTION_OUTCOMES,
  'not_applicable',
  'skipped',
  'mou_not_needed',
  'overridden',
  'approved',
  'rejected',
  'changes_requested',
  'withdrawn',
  'reopened',
  'expired',
] as const;

/**
 * Whose records this person may read: staff, reviewers and admins every
 * chapter; a chapter lead only their own chapter.
 */
export function registerScopeFor(actor: ActingUser): { ok: true; scope: RegisterScope } | Refused {
  const permission = can(actor, 'register.view');
  if (!permission.ok) return { ok: false, error: new DecisionError('forbidden', permission.reason) };
  if (seesEveryChapter(actor)) {
    return { ok: true, scope: { chapterId: null } };
  }
  if (actor.chapterId === null) {
    return { ok: false, error: new DecisionError('forbidden', 'A chapter lead without a chapter has no register to see.') };
  }
  return { ok: true, scope: { chapterId: actor.chapterId } };
}

// ---- The filter in the URL ----

const id = wholeNumber('Give a record number in digits (like 12).');
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date as YYYY-MM-DD.')
  .refine(isRealDay, {
    message: 'This date does not exist.',
  });

const FIELDS = {
  partner: id,
  partner_name: z.string().trim().max(200, 'Type at most 200 characters of a partner’s name.'),
  chapter: id,
  campaign: id,
  proposal: id,
  actor: id,
  step: z.enum(REGISTER_STEPS),
  outcome: z.enum(REGISTER_OUTCOMES),
  from: day,
  to: day,
  q: z.string().trim().max(200, 'Search for at most 200 characters.'),
  after: id,
  before: id,
} as const;
type FieldName = keyof typeof FIELDS;

export type RegisterQuery = {
  filter: RegisterFilter;
  page: RegisterPage;
  /** Parameters that could not be used, by name: they are left out, not fatal. */
  errors: Partial<Record<FieldName, string>>;
};

/**
 * Reads a register URL (?partner=3&step=values&q=...&after=120). Invalid
 * parameters are dropped and reported, so an old bookmark still opens.
 */
/** Why a chapter, campaign or decider number was left out of the filter. */
export const NOT_A_CHOICE = 'it is not one of those in the list.';

type ChoiceLists = Pick<Extract<ReturnType<typeof registerChoices>, { ok: true }>, 'chapters' | 'campaigns' | 'actors'>;

/**
 * The filter and page of a register URL. With the form's choices, a chapter, campaign or decider
 * number that names none of them is left out with a reason, as a word is: used, it showed no
 * records while the form's select said "All chapters".
 */
export function parseRegisterQuery(params: URLSearchParams, choices?: ChoiceLists): RegisterQuery {
  const values: Partial<Record<FieldName, unknown>> = {};
  const errors: RegisterQuery['errors'] = {};
  const known: Partial<Record<FieldName, ReadonlySet<number>>> = choices
    ? {
        chapter: new Set(choices.chapters.map((c) => c.id)),
        campaign: new Set(choices.campaigns.map((c) => c.id)),
        actor: new Set(choices.actors.map((c) => c.id)),
      }
    : {};
  for (const name of Object.keys(FIELDS) as FieldName[]) {
    const raw = params.get(name);
    if (raw === null || raw.trim() === '') continue;
    const parsed = FIELDS[name].safeParse(raw);
    if (!parsed.success) errors[name] = parsed.error.issues[0]?.message ?? 'Invalid value.';
    else if (known[name] && !known[name].has(parsed.data as number)) errors[name] = NOT_A_CHOICE;
    else values[name] = parsed.data;
  }
  if (typeof values.from === 'string' && typeof values.to === 'string' && values.from > values.to) {
    errors.to = 'The end date is before the start date.';
    delete values.to;
  }
  const filter: RegisterFilter = {
    partnerId: (values.partner as number | undefined) ?? null,
    partnerName: (values.partner_name as string | undefined) || null,
    chapterId: (values.chapter as number | undefined) ?? null,
    campaignId: (values.campaign as number | undefined) ?? null,
    proposalId: (values.proposal as number | undefined) ?? null,
    actorId: (values.actor as number | undefined) ?? null,
    step: (values.step as string | undefined) ?? null,
    outcome: (values.outcome as string | undefined) ?? null,
    from: (values.from as string | undefined) ?? null,
    to: (values.to as string | undefined) ?? null,
    q: (values.q as string | undefined) || null,
  };
  const page: RegisterPage = {
    after: (values.after as number | undefined) ?? null,
    before: values.after === undefined ? ((values.before as number | undefined) ?? null) : null,
  };
  return { filter, page, errors };
}

/** The URL parameters of a filter (and page), empty ones left out: for links, bookmarks and the export. */
export function registerSearchParams(filter: RegisterFilter, page: RegisterPage = {}): URLSearchParams {
  const params = new URLSearchParams();
  const put = (name: string, value: string | number | null | undefined) => {
    if (value !== null && value !== undefined && value !== '') params.set(name, String(value));
  };
  put('q', filter.q);
  put('partner', filter.partnerId);
  put('partner_name', filter.partnerName);
  put('chapter', filter.chapterId);
  put('campaign', filter.campaignId);
  put('proposal', filter.proposalId);
  put('step', filter.step);
  put('outcome', filter.outcome);
  put('actor', filter.actorId);
  put('from', filter.from);
  put('to', filter.to);
  put('after', page.after);
  if (page.after == null) put('before', page.before);
  return params;
}

// ---- Snippets ----

export type SnippetPart = { text: string; hit: boolean };

/**
 * The snippet as plain-text parts; a page renders hits as <mark>{text}</mark>
 * through React, so nothing stored is ever interpreted as HTML.
 */
export function snippetParts(snippet: string | null): SnippetPart[] | null {
  if (snippet === null) return null;
  const parts: SnippetPart[] = [];
  // The text between markers, a piece at a time (not a character at a time: a page has 25 snippets).
  const push = (text: string, hit: boolean) => {
    if (!text) return;
    const last = parts[parts.length - 1];
    if (last && last.hit === hit) last.text += text;
    else parts.push({ text, hit });
  };
  let hit = false;
  let from = 0;
  for (;;) {
    const start = snippet.indexOf(SNIPPET_START, from);
    const end = snippet.indexOf(SNIPPET_END, from);
    const next = start < 0 ? end : end < 0 ? start : Math.min(start, end);
    if (next < 0) break;
    push(snippet.slice(from, next), hit);
    hit = next === start;
    from = next + 1;
  }
  push(snippet.slice(from), hit);
  return parts;
}

export type RegisterEntry = Omit<RegisterRow, 'snippet'> & { snippet: SnippetPart[] | null };

export type RegisterPageResult = {
  ok: true;
  scope: RegisterScope;
  rows: RegisterEntry[];
  newerCursor: number | null;
  olderCursor: number | null;
  /** URL parameters of the newer/older pages, with the filter kept. */
  newerParams: URLSearchParams | null;
  olderParams: URLSearchParams | null;
};

/** One page of the register as this person may see it. */
export function searchRegister(actor: ActingUser, filter: RegisterFilter, page: RegisterPage = {}): RegisterPageResult | Refused {
  const scoped = registerScopeFor(actor);
  if (!scoped.ok) return scoped;
  const result = searchDecisions(filter, { limit: DEFAULT_PAGE_SIZE, ...page }, scoped.scope);
  return {
    ok: true,
    scope: scoped.scope,
    rows: result.rows.map((row) => ({ ...row, snippet: snippetParts(row.snippet) })),
    newerCursor: result.newerCursor,
    olderCursor: result.olderCursor,
    newerParams: result.newerCursor === null ? null : registerSearchParams(filter, { before: result.newerCursor }),
    olderParams: result.olderCursor === null ? null : registerSearchParams(filter, { after: result.olderCursor }),
  };
}

/** The choices of the filter form, limited to what this person may see. */
export function registerChoices(actor: ActingUser) {
  const scoped = registerScopeFor(actor);
  if (!scoped.ok) return scoped;
  return { ok: true as const, steps: REGISTER_STEPS, outcomes: REGISTER_OUTCOMES, ...registerFilterChoices(scoped.scope) };
}

/** The name of the one partner a register link filters on (?partner=id), for the form to say so; null if none. */
export function filteredPartnerName(partnerId: number | null | undefined): string | null {
  return partnerId == null ? null : (partnerById(partnerId)?.name ?? null);
}

export type PartnerProfile = { ok: true } & Omit<PartnerHistory, 'decisions'> & {
  decisions: RegisterEntry[];
  /** The register, filtered on this partner: every decision about it, paged. */
  registerParams: URLSearchParams;
  /** Where the decisions shown here stop; null when they are all shown. */
  olderParams: URLSearchParams | null;
};

/** A partner's profile, proposals and decisions, within this person's scope. */
export function partnerProfile(
  actor: ActingUser,
  partnerId: number,
  options: { proposalLimit?: number; decisionLimit?: number; proposalsAfter?: number | null; proposalsBefore?: number | null } = {},
): PartnerProfile | Refused {
  const scoped = registerScopeFor(actor);
  if (!scoped.ok) return scoped;
  const history = partnerHistory(partnerId, scoped.scope, options);
  if (!history) return { ok: false, error: new DecisionError('not_found', 'There is no such partner.') };
  const filter: RegisterFilter = { partnerId };
  return {
    ok: true,
    ...history,
    decisions: history.decisions.map((row) => ({ ...row, snippet: null })),
    registerParams: registerSearchParams(filter),
    olderParams: history.olderCursor === null ? null : registerSearchParams(filter, { after: history.olderCursor }),
  };
}

// ---- CSV export ----

// People read words; integrations that need the stored codes ask for them (?codes=1),
// which appends one "... code" column per worded column (documented in the README).
const REGISTER_CSV_COLUMNS: CsvColumn<RegisterRow>[] = [
  { header: 'Seq', value: (r) => r.seq },
  { header: 'Recorded at (UTC)', value: (r) => r.at },
  { header: 'Proposal', value: (r) => r.proposal_reference },
  { header: 'Event', value: (r) => r.event_title },
  { header: 'Partner', value: (r) => r.partner_name },
  { header: 'Chapter', value: (r) => r.chapter_name },
  { header: 'Campaign', value: (r) => r.campaign_name },
  { header: 'Step', value: (r) => stepLabel(r.step) },
  { header: 'Outcome', value: (r) => outcomeLabel(r.outcome) },
  { header: 'Decided by', value: (r) => r.actor_name },
  { header: 'Role', value: (r) => roleLabel(r.actor_role) },
  { header: 'Rationale', value: (r) => r.rationale },
  { header: 'From state', value: (r) => (r.from_state ? stateLabel(r.from_state) : 'New') },
  { header: 'To state', value: (r) => stateLabel(r.to_state) },
  { header: 'Record hash', value: (r) => r.hash },
];

const REGISTER_CSV_CODE_COLUMNS: CsvColumn<RegisterRow>[] = [
  { header: 'Step code', value: (r) => r.step },
  { header: 'Outcome code', value: (r) => r.outcome },
  { header: 'Role code', value: (r) => r.actor_role },
  { header: 'From state code', value: (r) => r.from_state },
  { header: 'To state code', value: (r) => r.to_state },
];

/**
 * The whole filtered register as CSV, in chunks (BOM and header first), for a
 * streamed response. The permission is checked now, not when reading starts.
 */
export function exportRegisterCsv(
  actor: ActingUser,
  filter: RegisterFilter,
  options: { codes?: boolean } = {},
): { ok: true; filename: string; chunks: Iterable<string> } | Refused {
  const columns = options.codes ? [...REGISTER_CSV_COLUMNS, ...REGISTER_CSV_CODE_COLUMNS] : REGISTER_CSV_COLUMNS;
  const scoped = registerScopeFor(actor);
  if (!scoped.ok) return scoped;
  const scope = scoped.scope;
  function* chunks() {
    yield toCsv([], columns, { bom: true, header: true });
    for (const batch of eachDecisionBatch(filter, scope)) yield toCsv(batch, columns, { bom: false, header: false });
  }
  return { ok: true, filename: `decision-register-${nowIso().slice(0, 10)}.csv`, chunks: chunks() };
}

// ---- Audit runs ----

/**
 * Verifies the whole log and stores the run: who, when, result, count, time,
 * first bad record. It runs `npm run audit:verify` itself, in a child process:
 * the same verification, and a large log does not stall other requests.
 */
let auditInFlight: Promise<AuditRun> | null = null;

/** One verification at a time: a request while one runs shares that run and its result. */
export function runAudit(userId: number | null): Promise<AuditRun> {
  auditInFlight ??= runAuditNow(userId).finally(() => {
    auditInFlight = null;
  });
  return auditInFlight;
}

async function runAuditNow(userId: number | null): Promise<AuditRun> {
  const at = nowIso();
  const result = await verifyInChildProcess(lastVerifiedHead());
  const runId = insertAuditRun({
    userId,
    at,
    ok: result.ok,
    recordCount: result.count,
    durationMs: result.durationMs,
    // seq 0 means "no record at all" (a proposal without one): there is no bad seq to name.
    firstBadSeq: result.ok ? null : result.problem.seq || null,
    message: formatVerifyResult(result),
    head: result.ok ? (result.head ?? null) : null,
  });
  return auditRunById(runId)!;
}

/**
 * How to start the verifier: a server started from the compiled entry (build/server/server.js,
 * what `npm start` runs) runs the compiled script beside it; from the TypeScript sources
 * (`npm run dev`, tests) the script's source under tsx, so it is never older than the code.
 */
function verifierCommand(): string[] {
  const entryDir = path.dirname(path.resolve(process.argv[1] ?? ''));
  if (path.basename(entryDir) === 'server' && path.basename(path.dirname(entryDir)) === 'build') return [path.join(entryDir, 'audit-verify.js')];
  return ['--import', 'tsx', path.resolve('scripts/audit-verify.ts')];
}

function verifyInChildProcess(expectHead?: { size: number; root: string }): Promise<VerifyResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      // A head verified before must still be there: a shortened or rewritten log is flagged.
      [...verifierCommand(), '--json', ...(expectHead ? ['--expect-head', `${expectHead.size}:${expectHead.root}`] : [])],
      { env: databaseEnvironment(), maxBuffer: 1 << 20, timeout: 10 * 60_000 },
      (error, stdout, stderr) => {
        const line = stdout.trim().split('\n').pop() ?? '';
        try {
          // Exit code 1 means "broken", which is a result, not a failure of the check.
          resolve(JSON.parse(line) as VerifyResult);
        } catch {
          reject(new Error(`The verification could not run: ${stderr.trim() || error?.message || 'no output'}`));
        }
      },
    );
  });
}

export function lastAuditRun(): AuditRun | undefined {
  return lastAuditRunRow();
}

export { recentAuditRuns };
