import { Either } from 'effect';
import { fundAccount, inMemoryLayers, sampleCatalogue, sampleRequestInput } from '../../testing';
import { requestTopUp } from '../request-top-up/request-top-up.use-case';
import { sendAttempt } from '../send-attempt/send-attempt.use-case';
import { settleUnknownAttempt } from '../settle-unknown-attempt/settle-unknown-attempt.use-case';
import { transferLogOf } from './transfer-log-of.use-case';

describe('transferLogOf', () => {
  it('gives every provider exchange of every attempt, with its attempt, oldest first', async () => {
    const world = inMemoryLayers({ products: sampleCatalogue });
    await world.run(fundAccount('account-1', 'USD', 10_000n));
    const created = await world.run(requestTopUp(sampleRequestInput()));
    const other = await world.run(requestTopUp(sampleRequestInput({ external_id: 'order-2' })));
    if (created._tag !== 'Created' || other._tag !== 'Created') throw new Error('expected new top-ups');
    world.provider.scriptSends({ _tag: 'Unavailable' }, { _tag: 'TimeoutAfterArrival' });
    await world.run(sendAttempt(created.topUp.id));
    world.clock.advance(60_000);
    await world.run(sendAttempt(created.topUp.id));
    await world.run(settleUnknownAttempt(created.topUp.id));
    await world.run(sendAttempt(other.topUp.id));
    const log = await world.run(transferLogOf(created.topUp.id));
    expect(log.map((exchange) => [exchange.attemptNumber, exchange.status, exchange.failure])).toEqual([
      [1, null, 'ProviderUnavailable'],
      [2, null, 'ProviderOutcomeUnknown'],
      [2, 200, undefined],
    ]);
    expect(JSON.stringify(log)).not.toContain('639171234100');
    expect(await world.runEither(transferLogOf('nope'))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'TopUpNotFound' })),
    );
  });
});
