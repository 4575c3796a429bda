import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliverDueNotifications } from '../../app/jobs/outbox.server';
import { registryLookup } from '../../app/features/outside/registry.server';
import { screenPartner } from '../../app/features/outside/screening.server';
import { decide } from '../../app/features/vetting/vetting.server';
import { first, qb } from '../../db/connection';
import { DESIGNATED_PARTNER_NAME } from '../../db/seed-data/screening-fixtures';
import { userByEmail } from '../../db/users';
import { freshDatabase } from '../support/db';
import { webhookReceiver } from '../mocks/webhooks';

// MOCKS=true: with no other variable set, every service is on and its default
// URL is one the mock handlers answer (the same handlers startMockServer uses).

beforeEach(() => {
  freshDatabase('demo');
  process.env.MOCKS = 'true';
  webhookReceiver.reset();
});
afterEach(() => {
  delete process.env.MOCKS;
});

describe('MOCKS=true', () => {
  it('runs registry lookup, screening and both notification channels against the mocks', async () => {
    const registry = await registryLookup('Chicago Belarusian');
    expect(registry).toMatchObject({ ok: true, totalResults: 1 });

    const partner = first(qb().selectFrom('partners').select('id').where('name', '=', DESIGNATED_PARTNER_NAME))!;
    const proposal = first(qb().selectFrom('proposals').select(['id', 'version']).where('partner_id', '=', partner.id))!;
    const screening = await screenPartner({ partnerId: partner.id, proposalId: proposal.id, stage: 'decision' });
    expect(screening).toMatchObject({ status: 'hits', source: 'https://screening.mock (dataset default)' });

    const staff = userByEmail('staff@cosponsor.test')!;
    const result = decide({
      proposalId: proposal.id,
      expectedVersion: proposal.version,
      actor: { id: staff.id, name: staff.name, roles: staff.roles, chapterId: staff.chapter_id },
      command: {
        type: 'APPROVE',
        conditions: ['Media questions about the designation go to the press office.'],
        endDate: null,
        rationale: 'Approved: the talk is on arbitrary detention, at the core of the campaign.',
        screeningAcknowledgement:
          'The only listing is the 2021 Israeli Ministry of Defense designation, of the kind the organization condemned; no US listing.',
      },
    });
    if (!result.ok) throw new Error(result.error.message);
    const report = await deliverDueNotifications(new Date(Date.now() + 1000));
    expect(report).toMatchObject({ delivered: 2, retrying: 0 });
    expect(webhookReceiver.unique().map((d) => d.channel)).toEqual(['slack', 'webhook']);
  });
});
