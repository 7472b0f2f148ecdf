import { Effect } from 'effect';
import { topologyFor } from '../topology/topology.table';
import { PublishFailed } from '../shared/messaging.errors';
import type { ConfirmPublisher, EncodedMessage } from './confirm-publisher.client';
import { publishTopUpCommands } from './top-up-command.client';

const topology = topologyFor('unit');
const command = {
  external_id: 'order-1',
  account_id: 'acme',
  phone_number: '+639171234100',
  currency: 'PHP',
  max_amount: '100',
};

/** A broker edge that answers each publish with the next scripted failure (or a confirm once the script is done). */
const scriptedPublisher = (failures: PublishFailed[]) => {
  const sent: EncodedMessage[] = [];
  const publisher: ConfirmPublisher = {
    publish: () => Effect.die('not used'),
    publishEncoded: (message) =>
      Effect.suspend(() => {
        sent.push(message);
        const failure = failures.shift();
        return failure === undefined ? Effect.void : Effect.fail(failure);
      }),
    stats: () => ({ inFlight: 0, drainWaits: 0 }),
    close: async () => undefined,
  };
  return { publisher, sent };
};

const timeout = () => new PublishFailed({ kind: 'timeout', reason: 'no confirm arrived', retryable: true });

describe('publishTopUpCommands retries', () => {
  it('tries a retryable failure again with the same message id, and counts it published once confirmed', async () => {
    const { publisher, sent } = scriptedPublisher([timeout(), timeout()]);
    const report = await Effect.runPromise(
      publishTopUpCommands(publisher, topology, [{ command }], { newMessageId: () => 'msg-1' }),
    );
    expect(report).toMatchObject({ published: 1, failed: [] });
    expect(sent.map((m) => m.messageId)).toEqual(['msg-1', 'msg-1', 'msg-1']);
    expect(new Set(sent.map((m) => m.content.toString()))).toHaveProperty('size', 1);
  });

  it('gives up after the retries, and never retries a failure that is not retryable', async () => {
    const exhausted = scriptedPublisher([timeout(), timeout(), timeout()]);
    const report = await Effect.runPromise(
      publishTopUpCommands(exhausted.publisher, topology, [{ command, messageId: 'm' }], { retries: 2 }),
    );
    expect(report.failed).toEqual([{ index: 0, messageId: 'm', reason: 'timeout: no confirm arrived' }]);
    expect(exhausted.sent).toHaveLength(3);

    const encoding = scriptedPublisher([
      new PublishFailed({ kind: 'encoding', reason: 'too large', retryable: false }),
    ]);
    const refused = await Effect.runPromise(publishTopUpCommands(encoding.publisher, topology, [{ command }]));
    expect(refused.failed).toHaveLength(1);
    expect(encoding.sent).toHaveLength(1);
  });
});
