// The caller's callback end to end, through the consumer's own wiring: with
// CALLBACK_ALLOW_PRIVATE_HOSTS=true (a local set-up) a command whose
// callback_url is a receiver on 127.0.0.1 is taken, its top-up completed by
// the DVS simulator, and the final event POSTed to the receiver, signed with
// the account's secret, once.
import 'reflect-metadata';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CALLBACK_EVENT_ID_HEADER, CALLBACK_SIGNATURE_HEADER, verifyCallbackSignature } from '@airtime/application';
import { setCallbackSigningSecret } from '@airtime/persistence-postgres';
import { Effect } from 'effect';
import { type ConsumerHarness, startConsumerHarness, waitUntil } from './testing';

interface Received {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

const SECRET = 'whsec-local-receiver';

describe('the consumer, callbacks to a local receiver', () => {
  let harness: ConsumerHarness;
  let receiver: Server;
  const received: Received[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          url: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    harness = await startConsumerHarness({
      label: 'consumer-callbacks',
      env: { CALLBACK_ALLOW_PRIVATE_HOSTS: 'true', STALLED_AFTER_MS: '1000' },
    });
    await Effect.runPromise(setCallbackSigningSecret(harness.db.dataSource, harness.accountId, SECRET));
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('takes a callback URL on 127.0.0.1 and POSTs the final event there, signed, once', async () => {
    const { port } = receiver.address() as AddressInfo;
    await harness.publish([
      {
        messageId: 'with-callback-1',
        body: JSON.stringify({
          version: 1,
          account_id: harness.accountId,
          external_id: 'order-callback-1',
          phone_number: '+639170000999',
          currency: 'PHP',
          max_amount: '30',
          callback_url: `http://127.0.0.1:${port}/hooks?token=t-1`,
        }),
      },
    ]);
    await waitUntil('the callback to be delivered', async () => {
      const [row] = await harness.query<{ delivered: boolean }>(
        `SELECT delivered_at IS NOT NULL AS delivered FROM callback_deliveries`,
      );
      return row?.delivered === true;
    });
    expect(received).toHaveLength(1);
    const [callback] = received;
    expect(callback?.url).toBe('/hooks?token=t-1');
    const body = JSON.parse(callback?.body ?? '{}') as { id: string; type: string; data: Record<string, unknown> };
    expect(body).toMatchObject({
      type: 'topup.completed',
      data: { accountId: harness.accountId, externalId: 'order-callback-1', statusClass: 'COMPLETED' },
    });
    expect(callback?.headers[CALLBACK_EVENT_ID_HEADER.toLowerCase()]).toBe(body.id);
    expect(
      verifyCallbackSignature(
        SECRET,
        callback?.headers[CALLBACK_SIGNATURE_HEADER.toLowerCase()],
        callback?.body ?? '',
        Date.now(),
      ),
    ).toMatchObject({ valid: true });
    const [topUp] = await harness.query<{ status_class: string }>(`SELECT status_class FROM top_ups`);
    expect(topUp?.status_class).toBe('COMPLETED');
  }, 90_000);
});
