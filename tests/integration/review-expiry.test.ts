import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseEnv } from '../support/db';
import { all, database, qb } from '../../db/connection';
import { verifyLog } from '../../db/decision-log';
import { dueApprovals } from '../../db/review';
import { proposalRow } from '../../db/proposals';
import { expireDueApprovals } from '../../app/jobs/expiry.server';
import { inboxFor, markAllRead } from '../../app/features/inbox/inbox.server';
import { revettingList } from '../../app/features/review/review.server';
import { decide } from '../../app/features/vetting/vetting.server';
import { SYSTEM_ACTOR } from '../../workflows/policy';
import { actor, daysFromToday, decideAs, newPartner, proposalInReview } from './review-fixtures';

function approvedUntil(partnerName: string, days: number): number {
  const id = proposalInReview({ partnerId: newPartner(partnerName), eventInDays: days });
  const result = decideAs('staff@cosponsor.test', id, { type: 'APPROVE', conditions: [], endDate: daysFromToday(days), rationale: '' });
  if (!result.ok) throw new Error(result.error.message);
  return id;
}

const expiries = (id: number) =>
  all(qb().selectFrom('decision_records').selectAll().where('proposal_id', '=', id).where('outcome', '=', 'expired'));

type Sweep = { ready: Promise<void>; go: () => void; done: Promise<number[]> };

/**
 * Starts a process that loads the app on this test's database, says it is
 * ready, and on "go" runs expireDueApprovals(today), printing the ids it expired.
 */
function sweepInAnotherProcess(today: string): Sweep {
  const module = path.resolve('app/jobs/expiry.server.ts');
  const connection = path.resolve('db/connection.ts');
  const code = `
    const { expireDueApprovals } = await import(${JSON.stringify(module)});
    (await import(${JSON.stringify(connection)})).database();
    process.stdout.write('ready\\n');
    await new Promise((resolve) => process.stdin.once('data', resolve));
    process.stdout.write(JSON.stringify(expireDueApprovals(${JSON.stringify(today)})) + '\\n');
    process.exit(0);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    env: { ...process.env, ...databaseEnv(database().path) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (d) => {
    out += d;
    if (out.startsWith('ready\n')) markReady();
  });
  child.stderr.on('data', (d) => (err += d));
  const done = new Promise<number[]>((resolve, reject) => {
    child.on('exit', (status) => {
      if (status !== 0) reject(new Error(`The sweep exited with ${status}: ${err}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1)!) as number[]);
    });
  });
  return { ready, go: () => child.stdin.write('go\n'), done };
}

describe('expiring approvals past their end date', () => {
  it('expires an approval the day after its end date, as a system record, once', () => {
    const id = approvedUntil('Expiry One Group', 5);
    expect(expireDueApprovals(daysFromToday(5))).not.toContain(id); // the end date itself is still approved
    expect(proposalRow(id)!.state).toBe('approved');

    expect(expireDueApprovals(daysFromToday(6))).toContain(id);
    expect(proposalRow(id)!.state).toBe('expired');
    const [record] = expiries(id);
    expect(record).toMatchObject({ step: 'proposal', from_state: 'approved', to_state: 'expired', actor_role: 'system', actor_id: null });

    expect(expireDueApprovals(daysFromToday(7))).toEqual([]);
    expect(expiries(id)).toHaveLength(1);
    expect(verifyLog()).toMatchObject({ ok: true });
  });

  it('refuses a sweep that read the proposal before another sweep expired it', () => {
    const id = approvedUntil('Expiry Stale Group', 3);
    const seenBySlowSweep = dueApprovals(daysFromToday(4)).find((d) => d.id === id)!;
    expect(expireDueApprovals(daysFromToday(4))).toContain(id);
    const late = decide({ proposalId: id, expectedVersion: seenBySlowSweep.version, actor: SYSTEM_ACTOR, command: { type: 'EXPIRE' } });
    expect(late).toMatchObject({ ok: false, error: { kind: 'stale' } });
    expect(expiries(id)).toHaveLength(1);
  });

  it('records one expiry per approval when two processes sweep at the same moment', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => approvedUntil(`Concurrent Expiry Group ${i}`, 2));
    const day = daysFromToday(3);
    const sweeps = [sweepInAnotherProcess(day), sweepInAnotherProcess(day)];
    await Promise.all(sweeps.map((s) => s.ready));
    for (const s of sweeps) s.go();
    const [a, b] = await Promise.all(sweeps.map((s) => s.done));
    const mine = (list: number[]) => list.filter((id) => ids.includes(id));
    expect([...mine(a), ...mine(b)].sort((x, y) => x - y)).toEqual(ids);
    for (const id of ids) {
      expect(expiries(id)).toHaveLength(1);
      expect(proposalRow(id)!.state).toBe('expired');
    }
    expect(verifyLog()).toMatchObject({ ok: true });
  }, 60_000);

  it('tells the chapter leads that re-vetting is due, and lists the partner for re-vetting', () => {
    const lead = actor('lead@cosponsor.test');
    markAllRead(lead.id);
    const expired = approvedUntil('Revetting Expired Group', 1);
    const soon = approvedUntil('Revetting Soon Group', 20);
    const later = approvedUntil('Revetting Later Group', 60);
    expireDueApprovals(daysFromToday(2));
    expect(inboxFor(lead, { unreadOnly: true }).map((i) => [i.kind, i.proposalId])).toContainEqual(['expired', expired]);

    const list = revettingList(daysFromToday(0));
    const byProposal = (id: number) => list.find((e) => e.proposalId === id);
    expect(byProposal(expired)).toMatchObject({ status: 'expired', partnerName: 'Revetting Expired Group', newer: null });
    expect(byProposal(soon)).toMatchObject({ status: 'expiring' });
    expect(byProposal(later)).toBeUndefined();

    // A new proposal for the expired partner links back, and the list shows it.
    const again = proposalInReview({ partnerId: proposalRow(expired)!.partner_id, title: 'Second round' });
    expect(proposalRow(again)!.previous_proposal_id).toBe(expired);
    expect(revettingList(daysFromToday(0)).find((e) => e.proposalId === expired)!.newer).toMatchObject({ id: again, state: 'review' });
  });
});
