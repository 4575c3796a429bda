import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  latestScreening,
  screenPartner,
  screeningInputsFor,
  screeningsOfProposal,
} from '../../app/features/outside/screening.server';
import type { ActingUser } from '../../workflows/policy';
import { decide } from '../../app/features/vetting/vetting.server';
import { refreshDueScreenings } from '../../app/features/review/review.server';
import { countRecords, recordsOfProposal } from '../../db/decision-log';
import { first, qb } from '../../db/connection';
import { proposalRow } from '../../db/proposals';
import { DESIGNATED_PARTNER_NAME } from '../../db/seed-data/screening-fixtures';
import { userByEmail } from '../../db/users';
import { freshDatabase } from '../support/db';
import { mockServer } from '../support/setup';
import { MOCK_SCREENING_KEY, SCREENING_BASE, receivedScreeningQueries, screeningFaults } from '../mocks/screening';

const ENV = ['SCREENING_URL', 'SCREENING_API_KEY', 'SCREENING_DATASET', 'OUTSIDE_TIMEOUT_MS', 'MOCKS'] as const;

function actor(email: string): ActingUser {
  const u = userByEmail(email)!;
  return { id: u.id, name: u.name, roles: u.roles, chapterId: u.chapter_id };
}

function partnerId(name: string): number {
  return first(qb().selectFrom('partners').select('id').where('name', '=', name))!.id;
}

/** The proposal of example case 5, left in review by the seed. */
function case5(): { id: number; partnerId: number; version: number } {
  const row = first(
    qb()
      .selectFrom('proposals as p')
      .innerJoin('partners as pa', 'pa.id', 'p.partner_id')
      .select(['p.id', 'p.partner_id', 'p.version'])
      .where('pa.name', '=', DESIGNATED_PARTNER_NAME),
  )!;
  return { id: row.id, partnerId: row.partner_id, version: row.version };
}

/** A demo proposal in review whose partner has never been screened. */
function vaccineForum(): { id: number; version: number } {
  const row = first(qb().selectFrom('proposals').select(['id', 'version']).where('event_title', 'like', 'A Fair Shot%'))!;
  return row;
}

beforeEach(() => {
  freshDatabase('demo');
  for (const key of ENV) delete process.env[key];
  receivedScreeningQueries.length = 0;
});
afterEach(() => {
  for (const key of ENV) delete process.env[key];
});

describe('screening: the demo seed', () => {
  it('stores the case-5 designation from a fixture, labelled as such', () => {
    const { id } = case5();
    expect(proposalRow(id)!.state).toBe('review');
    const s = latestScreening(id)!;
    expect(s).toMatchObject({ status: 'hits', stage: 'creation', source: 'demo fixture', error: null });
    expect(s.hits).toHaveLength(1);
    expect(s.hits[0]).toMatchObject({
      caption: 'Al-Bayyina Center for Human Rights and Legal Defence',
      datasets: ['il_mod_terrorists'],
      lists: ['Israel Terrorist Organization Designations (NBCTF)'],
      authority: 'Minister of Defense of Israel',
      program: 'Declaration of a terrorist organization under the Counter-Terrorism Law, 5776-2016',
      listedOn: '2021-10-22',
      score: 0.87,
      match: true,
    });
  });
});

describe('screening: off', () => {
  it('stores an "off" screening and calls nothing', async () => {
    const { id, partnerId: pid } = case5();
    const outcome = await screenPartner({ partnerId: pid, proposalId: id, stage: 'decision' });
    expect(outcome.status).toBe('off');
    expect(outcome.failure).toMatchObject({ kind: 'off' });
    expect(receivedScreeningQueries).toEqual([]);
    expect(latestScreening(id)!.status).toBe('off');
    expect(screeningsOfProposal(id).map((s) => s.status)).toEqual(['off', 'hits']);
  });
});

describe('screening: answers', () => {
  beforeEach(() => {
    process.env.SCREENING_URL = `${SCREENING_BASE}/`;
  });

  it('a partner on no list is clear, and the query has the documented shape', async () => {
    const pid = partnerId('Northside Film Collective');
    const outcome = await screenPartner({ partnerId: pid, proposalId: null, stage: 'creation' });
    expect(outcome).toMatchObject({ status: 'clear', results: [], hits: [], error: null, failure: null });
    expect(outcome.source).toBe('https://screening.mock (dataset default)');
    expect(receivedScreeningQueries).toEqual([
      {
        dataset: 'default',
        authorization: null,
        body: { queries: { q1: { schema: 'Organization', properties: { name: ['Northside Film Collective'], country: ['us'] } } } },
      },
    ]);
  });

  it('a designated partner has hits with list, authority, date and score', async () => {
    const { id, partnerId: pid } = case5();
    const outcome = await screenPartner({ partnerId: pid, proposalId: id, stage: 'decision' });
    expect(outcome.status).toBe('hits');
    expect(outcome.hits[0]).toMatchObject({
      entityId: 'il-mod-terror-7f3a1c9e0b24d6e5',
      authority: 'Minister of Defense of Israel',
      listedOn: '2021-10-22',
      firstSeen: '2021-10-24T06:12:44',
      topics: ['sanction', 'crime.terror'],
      countries: ['ps'],
      explanations: ['name_match 0.93: Names match after transliteration: "Legal Defense" ~ "Legal Defence"'],
    });
    expect(latestScreening(id)!.id).toBe(outcome.id);
    expect(latestScreening(id)!.source).toBe('https://screening.mock (dataset default)');
  });

  it('sends the API key and the dataset', async () => {
    process.env.SCREENING_API_KEY = MOCK_SCREENING_KEY;
    process.env.SCREENING_DATASET = 'us_ofac_sdn';
    const { id, partnerId: pid } = case5();
    const outcome = await screenPartner({ partnerId: pid, proposalId: id, stage: 'decision' });
    // The Israeli designation is not on the US list.
    expect(outcome.status).toBe('clear');
    expect(receivedScreeningQueries[0]).toMatchObject({ dataset: 'us_ofac_sdn', authorization: `ApiKey ${MOCK_SCREENING_KEY}` });
  });

  it('builds the compact inputs a decision record keeps', async () => {
    const { id } = case5();
    const inputs = screeningInputsFor(id)!;
    expect(inputs).toMatchObject({ status: 'hits', stage: 'creation', source: 'demo fixture', error: null });
    expect(inputs.hits).toEqual([
      {
        entityId: 'il-mod-terror-7f3a1c9e0b24d6e5',
        caption: 'Al-Bayyina Center for Human Rights and Legal Defence',
        lists: ['Israel Terrorist Organization Designations (NBCTF)'],
        datasets: ['il_mod_terrorists'],
        authority: 'Minister of Defense of Israel',
        program: 'Declaration of a terrorist organization under the Counter-Terrorism Law, 5776-2016',
        listedOn: '2021-10-22',
        score: 0.87,
      },
    ]);
    expect(screeningInputsFor(vaccineForum().id)).toBeNull();
  });
});

describe('screening: failures are stored as errors, with a clear message', () => {
  beforeEach(() => {
    process.env.SCREENING_URL = SCREENING_BASE;
  });

  const screen = async () => {
    const { id, partnerId: pid } = case5();
    const outcome = await screenPartner({ partnerId: pid, proposalId: id, stage: 'decision' });
    expect(outcome.status).toBe('error');
    expect(latestScreening(id)).toMatchObject({ status: 'error', error: outcome.error, results: [] });
    return outcome;
  };

  it('401: a wrong key', async () => {
    process.env.SCREENING_API_KEY = 'wrong-key';
    const outcome = await screen();
    expect(outcome.failure).toMatchObject({ kind: 'http_error', status: 401 });
    expect(outcome.error).toBe(
      'The screening service answered with an error (401: Invalid API key. Check your credentials at opensanctions.org/account.). Check SCREENING_API_KEY.',
    );
  });

  it('404: an unknown dataset', async () => {
    process.env.SCREENING_DATASET = 'no_such_list';
    const outcome = await screen();
    expect(outcome.failure).toMatchObject({ kind: 'not_found', status: 404 });
    expect(outcome.error).toBe('The screening service does not know the dataset “no_such_list” (404). Check SCREENING_DATASET and SCREENING_URL.');
  });

  it('400 and 422: the service refuses the query', async () => {
    mockServer.use(screeningFaults.status(400, { detail: 'Invalid schema for query q1' }));
    expect((await screen()).error).toBe('The screening service answered with an error (400: Invalid schema for query q1).');
    mockServer.resetHandlers();
    mockServer.use(screeningFaults.status(422, { detail: [{ loc: ['body', 'queries'], msg: 'Field required' }] }));
    const outcome = await screen();
    expect(outcome.failure).toMatchObject({ kind: 'http_error', status: 422 });
    expect(outcome.error).toContain('Field required');
  });

  it('500: the service fails', async () => {
    mockServer.use(screeningFaults.status(500, { detail: 'Internal Server Error' }));
    expect((await screen()).failure).toMatchObject({ kind: 'http_error', status: 500 });
  });

  it('a timeout', async () => {
    process.env.OUTSIDE_TIMEOUT_MS = '150';
    mockServer.use(screeningFaults.timeout());
    const outcome = await screen();
    expect(outcome.failure).toEqual({ ok: false, kind: 'timeout', message: 'The screening service did not answer within 150 ms.' });
  });

  it('an unreachable service', async () => {
    mockServer.use(screeningFaults.unreachable());
    expect((await screen()).failure).toMatchObject({ kind: 'unreachable' });
  });

  it('malformed JSON, and JSON of the wrong shape', async () => {
    mockServer.use(screeningFaults.malformed());
    expect((await screen()).failure).toMatchObject({ kind: 'malformed', message: 'The screening service sent an answer that is not valid JSON.' });
    mockServer.resetHandlers();
    mockServer.use(screeningFaults.wrongShape());
    expect((await screen()).failure).toMatchObject({ kind: 'malformed', message: 'The screening service sent an answer in an unexpected shape.' });
  });
});

describe('a staff decision on a proposal with screening hits', () => {
  const staff = () => actor('staff@cosponsor.test');
  const ack =
    'The listing is the 2021 Israeli designation the organization condemned; no evidence was made public and the US does not list the center.';

  it('is refused without an acknowledgement, and nothing is written', () => {
    const { id, version } = case5();
    const before = countRecords();
    for (const command of [
      { type: 'APPROVE', conditions: [], endDate: null, rationale: 'Approved.' },
      { type: 'APPROVE', conditions: [], endDate: null, rationale: 'Approved.', screeningAcknowledgement: 'ok, seen' },
      { type: 'REJECT', rationale: 'Rejected for the reasons on file.' },
      { type: 'REQUEST_CHANGES', step: 'risk', rationale: 'Please add the legal review to the risk register.' },
    ]) {
      const result = decide({ proposalId: id, expectedVersion: version, actor: staff(), command });
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.error.kind).toBe('invalid');
      expect(result.error.message).toBe('This partner has screening hits: acknowledge them with your reasoning before deciding.');
      expect(result.error.fieldErrors.screeningAcknowledgement![0]).toContain('Israel Terrorist Organization Designations (NBCTF), 2021-10-22');
    }
    expect(countRecords()).toBe(before);
    expect(proposalRow(id)!.version).toBe(version);
  });

  it('is recorded with the screening and the acknowledgement in its inputs', () => {
    const { id, version } = case5();
    const result = decide({
      proposalId: id,
      expectedVersion: version,
      actor: staff(),
      command: {
        type: 'APPROVE',
        conditions: [],
        endDate: null,
        rationale: 'Approved: the talk is squarely on arbitrary detention; the listing was weighed (see the acknowledgement).',
        screeningAcknowledgement: ack,
      },
    });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.proposal.state).toBe('approved');
    const last = recordsOfProposal(id).at(-1)!;
    const inputs = JSON.parse(last.inputs) as { judged: { screening: { status: string; source: string; hits: { authority: string; listedOn: string }[] }; screeningAcknowledgement: string } };
    expect(inputs.judged.screeningAcknowledgement).toBe(ack);
    expect(inputs.judged.screening).toMatchObject({ status: 'hits', source: 'demo fixture' });
    expect(inputs.judged.screening.hits[0]).toMatchObject({ authority: 'Minister of Defense of Israel', listedOn: '2021-10-22' });
  });

  it('a rejection with an acknowledgement goes through too: a hit is weighed, not a verdict', () => {
    const { id, version } = case5();
    const result = decide({
      proposalId: id,
      expectedVersion: version,
      actor: staff(),
      command: { type: 'REJECT', rationale: 'Rejected: the legal office could not confirm in time.', screeningAcknowledgement: ack },
    });
    expect(result.ok).toBe(true);
  });

  it('needs no acknowledgement without hits, and records that there was no screening', () => {
    const { id, version } = vaccineForum();
    const result = decide({
      proposalId: id,
      expectedVersion: version,
      actor: staff(),
      command: { type: 'APPROVE', conditions: [], endDate: null, rationale: 'Approved.' },
    });
    if (!result.ok) throw new Error(result.error.message);
    const inputs = JSON.parse(recordsOfProposal(id).at(-1)!.inputs) as { judged: Record<string, unknown> };
    expect(inputs.judged).toMatchObject({ screening: null, screeningAcknowledgement: null });
  });

  it('still needs one when a later screening attempt failed: the last answer had hits', async () => {
    process.env.SCREENING_URL = SCREENING_BASE;
    mockServer.use(screeningFaults.status(500));
    const { id, partnerId: pid, version } = case5();
    const attempt = await screenPartner({ partnerId: pid, proposalId: id, stage: 'decision' });
    expect(attempt.status).toBe('error');
    const refused = decide({
      proposalId: id,
      expectedVersion: version,
      actor: staff(),
      command: { type: 'APPROVE', conditions: [], endDate: null, rationale: 'Approved.' },
    });
    expect(refused.ok).toBe(false);
    const approved = decide({
      proposalId: id,
      expectedVersion: version,
      actor: staff(),
      command: { type: 'APPROVE', conditions: [], endDate: null, rationale: 'Approved.', screeningAcknowledgement: ack },
    });
    if (!approved.ok) throw new Error(approved.error.message);
    const inputs = JSON.parse(recordsOfProposal(id).at(-1)!.inputs) as {
      judged: { screening: { status: string; latestAttempt: { status: string } | null } };
    };
    expect(inputs.judged.screening).toMatchObject({ status: 'hits', latestAttempt: { status: 'error' } });
  });

  it('needs none once a later screening is clear (the latest screening counts)', async () => {
    process.env.SCREENING_URL = SCREENING_BASE;
    process.env.SCREENING_DATASET = 'us_ofac_sdn';
    const { id, partnerId: pid, version } = case5();
    await screenPartner({ partnerId: pid, proposalId: id, stage: 'decision' });
    const result = decide({
      proposalId: id,
      expectedVersion: version,
      actor: staff(),
      command: { type: 'REQUEST_CHANGES', step: 'risk', rationale: 'Please add the legal review to the risk register.' },
    });
    expect(result.ok).toBe(true);
  });
});

describe('screening on a schedule', () => {
  it('screens every proposal in review whose last check is missing or old, once, and skips the rest', async () => {
    expect(await refreshDueScreenings()).toBe(0); // screening off: nothing to do
    process.env.SCREENING_URL = SCREENING_BASE;
    const { id } = vaccineForum();
    expect(screeningsOfProposal(id)).toEqual([]);
    const screened = await refreshDueScreenings();
    expect(screened).toBeGreaterThanOrEqual(1);
    expect(screeningsOfProposal(id).map((s) => s.stage)).toEqual(['decision']);
    // Fresh now: the next run calls nothing.
    const calls = receivedScreeningQueries.length;
    expect(await refreshDueScreenings()).toBe(0);
    expect(receivedScreeningQueries.length).toBe(calls);
  });
});
