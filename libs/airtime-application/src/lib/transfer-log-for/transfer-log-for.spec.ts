import { Either } from 'effect';
import { inMemoryLayers, openFundedAccounts, principalOf, sampleCatalogue, requestedTopUp } from '../../testing';
import { sendAttempt } from '../send-attempt/send-attempt.use-case';
import { transferLogFor } from './transfer-log-for.use-case';

describe('transferLogFor', () => {
  it("answers the exchanges of a top-up of the principal's accounts, and TopUpNotFound for another's", async () => {
    const world = inMemoryLayers({ products: sampleCatalogue });
    await world.run(openFundedAccounts(['account-1', 'account-2']));
    const created = await world.run(requestedTopUp());
    world.provider.scriptSends({ _tag: 'Unavailable' });
    await world.run(sendAttempt(created.id));
    world.clock.advance(120_000);
    await world.run(sendAttempt(created.id));
    const log = await world.run(transferLogFor({ principal: principalOf('account-1'), topUpId: created.id }));
    expect(log.map((exchange) => [exchange.attemptNumber, exchange.status])).toEqual([
      [1, null],
      [2, 201],
    ]);
    expect(await world.runEither(transferLogFor({ principal: principalOf('account-2'), topUpId: created.id }))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'TopUpNotFound' })),
    );
  });
});
