// Each new signed checkpoint leaves the machine: to the webhook through the
// outbox, and to a witness URL. A witness that is slow, failing or unreachable
// never throws past the caller and never delays beyond its deadline.
import { http, HttpResponse, delay } from 'msw';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkpointAndPublish, postToWitness } from '../../app/features/register/log-checkpoints.server';
import { deliverDueNotifications } from '../../app/jobs/outbox.server';
import { all, qb } from '../../db/connection';
import { freshDatabase } from '../support/db';
import { mockServer } from '../support/setup';
import { WEBHOOK_URL, webhookReceiver } from '../mocks/webhooks';

const WITNESS = 'https://witness.example.test/add-checkpoint';
const ENV = ['WEBHOOK_URL', 'WEBHOOK_SECRET', 'CHECKPOINT_WITNESS_URL', 'MOCKS'] as const;

beforeEach(() => {
  freshDatabase('demo');
  webhookReceiver.reset();
});
afterEach(() => {
  for (const key of ENV) delete process.env[key];
});

describe('publishing checkpoints', () => {
  it('posts a new checkpoint to the witness and queues it for the webhook', async () => {
    const received: string[] = [];
    mockServer.use(
      http.post(WITNESS, async ({ request }) => {
        received.push(await request.text());
        return new HttpResponse(null, { status: 201 });
      }),
    );
    process.env.WEBHOOK_URL = WEBHOOK_URL;
    process.env.WEBHOOK_SECRET = 'test-webhook-secret';
    const outcome = await checkpointAndPublish(WITNESS);
    expect(outcome).toMatchObject({ ok: true, created: true });
    if (!outcome.ok) return;
    expect(received).toEqual([outcome.note]);

    const queued = all(qb().selectFrom('outbox').selectAll().where('idempotency_key', '=', `cosponsor-checkpoint-${outcome.file}`));
    expect(queued).toHaveLength(1);
    expect(JSON.parse(queued[0]!.payload)).toMatchObject({ type: 'log.checkpoint', size: outcome.size, root: outcome.root, checkpoint: outcome.note });
    await deliverDueNotifications(new Date());
    expect(webhookReceiver.unique().map((d) => JSON.parse(d.body).type)).toContain('log.checkpoint');

    // Nothing new: nothing sent again.
    const again = await checkpointAndPublish(WITNESS);
    expect(again).toMatchObject({ ok: true, created: false });
    expect(received).toHaveLength(1);
  });

  it('gives up on a slow witness at the deadline, and reports failures without throwing', async () => {
    mockServer.use(
      http.post(WITNESS, async () => {
        await delay(2_000);
        return new HttpResponse(null, { status: 200 });
      }),
      http.post('https://witness.example.test/broken', () => new HttpResponse('no', { status: 500 })),
      http.post('https://witness.example.test/gone', () => HttpResponse.error()),
    );
    const started = performance.now();
    const slow = await postToWitness(WITNESS, 'checkpoint\n', 200);
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(slow).toEqual({ ok: false, message: `The witness at ${WITNESS} did not answer within 200 ms.` });
    expect(await postToWitness('https://witness.example.test/broken', 'x\n')).toEqual({
      ok: false,
      message: 'The witness at https://witness.example.test/broken answered 500.',
    });
    expect(await postToWitness('https://witness.example.test/gone', 'x\n')).toMatchObject({ ok: false, message: expect.stringMatching(/could not be reached/) });
    // The checkpoint is stored even when the witness fails.
    expect(await checkpointAndPublish('https://witness.example.test/broken')).toMatchObject({ ok: true, created: true });
  });
});
