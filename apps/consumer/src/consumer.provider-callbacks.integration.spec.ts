// PROVIDER_CALLBACK_BASE_URL end to end, through the consumer's own wiring:
// with the API's base configured, each send carries the top-up's callback
// URL `<base>/callbacks/dtone/<its callback token>`, and the DVS simulator
// POSTs the transaction there (here a local receiver stands in for the API).
import 'reflect-metadata';
import { type CallbackReceiver, startCallbackReceiver } from '@airtime/provider-simulator/testing';
import { type ConsumerHarness, startConsumerHarness, waitUntil } from './testing';

describe('the consumer with PROVIDER_CALLBACK_BASE_URL', () => {
  let harness: ConsumerHarness;
  let receiver: CallbackReceiver;

  beforeAll(async () => {
    receiver = await startCallbackReceiver();
    const base = `${new URL(receiver.url).origin}/airtime/`;
    harness = await startConsumerHarness({ label: 'provider-callbacks', env: { PROVIDER_CALLBACK_BASE_URL: base } });
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
    await receiver?.close();
  });

  it('sends each top-up with its callback URL under the base, where the provider posts its transaction', async () => {
    await harness.publish([
      {
        messageId: 'provider-callback-1',
        body: JSON.stringify({
          version: 1,
          account_id: harness.accountId,
          external_id: 'order-provider-callback-1',
          phone_number: '+639170000100',
          currency: 'PHP',
          max_amount: '30',
        }),
      },
    ]);
    // the provider's own record, not the attempt's row: the attempt is started
    // durably before its send goes out, so the row can come first
    await waitUntil('the top-up to be sent', () => harness.simulator.engine.transactions({ fromMs: 0 }).length > 0);
    const [request] = await harness.query<{ callback_token: string }>(
      `SELECT callback_token FROM top_up_requests WHERE external_id = 'order-provider-callback-1'`,
    );
    const expectedPath = `/airtime/callbacks/dtone/${request?.callback_token ?? '?'}`;
    const [transaction] = harness.simulator.engine.transactions({ fromMs: 0 });
    expect(transaction?.callbackUrl).toBe(`${new URL(receiver.url).origin}${expectedPath}`);
    const [callback] = await receiver.waitFor(1);
    expect(callback).toMatchObject({ method: 'POST', path: expectedPath });
    expect(callback?.body).toMatchObject({ external_id: transaction?.externalId });
  }, 90_000);
});
