// The README's usage example, run as a test against the public API only.
import { Either } from 'effect';
import {
  attemptSucceeded,
  authorize,
  capture,
  checkInvariants,
  createTopUp,
  currencyOf,
  deposit,
  emptyLedger,
  findAccount,
  makeFixedProduct,
  money,
  openAccount,
  parseExternalId,
  parseMoney,
  parsePhoneNumber,
  preciseOf,
  recordAttemptOutcome,
  selectDenomination,
  startAttempt,
} from './index';

describe('the public API, end to end (README example)', () => {
  it('quotes, holds, sends and captures a top-up', () => {
    const PHP = Either.getOrThrow(currencyOf('PHP'));
    const USD = Either.getOrThrow(currencyOf('USD'));
    const smart = { id: '2', name: 'Smart', countryIso: 'PH' };
    const products = [10, 15, 20, 30].map((pesos, i) =>
      Either.getOrThrow(
        makeFixedProduct({
          id: String(20 + i),
          name: `Smart ${pesos}`,
          kind: 'AIRTIME',
          operator: smart,
          destination: money(BigInt(pesos) * 100n, PHP),
          wholesale: preciseOf(money(BigInt(pesos) * 2n, USD)), // 0.02 USD a peso
          fee: preciseOf(money(1n, USD)),
        }),
      ),
    );

    // 1. the quote: at most 25 pesos -> Smart 20
    const quote = Either.getOrThrow(
      selectDenomination(products, { maxAmount: Either.getOrThrow(parseMoney('25', PHP)) }),
    );
    expect(quote.receive).toEqual(money(2000n, PHP));
    expect(quote.cost).toEqual(money(41n, USD));

    // 2. the top-up, and the hold its creation implies
    const now = new Date('2026-11-23T10:00:00Z');
    const created = Either.getOrThrow(
      createTopUp({
        id: 'tu-1',
        accountId: 'team-growth',
        externalId: Either.getOrThrow(parseExternalId('order-42')),
        destination: Either.getOrThrow(parsePhoneNumber('+639171234567')),
        quote,
        now,
      }),
    );
    expect(created.movements).toEqual(['AUTHORIZE']);
    let ledger = Either.getOrThrow(
      openAccount(emptyLedger, { accountId: 'team-growth', currency: USD, creditLimitMinor: 0n }),
    ).ledger;
    ledger = Either.getOrThrow(
      deposit(ledger, { accountId: 'team-growth', currency: USD, depositId: 'dep-1', amountMinor: 10_000n }),
    ).ledger;
    ledger = Either.getOrThrow(
      authorize(ledger, {
        accountId: 'team-growth',
        currency: USD,
        transactionId: 'tu-1',
        amountMinor: quote.cost.amountMinor,
      }),
    ).ledger;

    // 3. one attempt at the provider, which delivers
    const started = Either.getOrThrow(startAttempt(created.topUp, now, 'dtone'));
    expect(started.attempt.providerExternalId).toMatch(/^order-42-[0-9a-z]{8}-1$/);
    const completed = Either.getOrThrow(recordAttemptOutcome(started.topUp, attemptSucceeded('dvs-9001'), now));
    expect(completed.topUp.status).toEqual({ class: 'COMPLETED', status: 'COMPLETED' });
    expect(completed.movements).toEqual(['CAPTURE']);
    ledger = Either.getOrThrow(capture(ledger, { transactionId: 'tu-1', amountMinor: quote.cost.amountMinor })).ledger;

    // 4. the books
    expect(findAccount(ledger, 'team-growth', 'USD')).toMatchObject({
      availableMinor: 9_959n,
      holdingMinor: 0n,
      capturedMinor: 41n,
    });
    expect(checkInvariants(ledger)).toEqual([]);
  });
});
