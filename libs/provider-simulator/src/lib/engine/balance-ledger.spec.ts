import { currencyOf, money } from '@airtime/domain';
import { Either } from 'effect';
import fc from 'fast-check';
import { BalanceLedger, type HoldState } from './balance-ledger';

const USD = Either.getOrThrow(currencyOf('USD'));
const usd = (minor: bigint) => money(minor, USD);

const balances = (ledger: BalanceLedger) => {
  const balance = ledger.find('USD');
  return { available: balance?.availableMinor, holding: balance?.holdingMinor };
};

describe('balance ledger (reference: authorize / void / capture / reverse)', () => {
  const open = () => new BalanceLedger([{ available: usd(10_000n) }]);

  it('CREATED authorizes: available -> holding', () => {
    const ledger = open();
    expect(Either.isRight(ledger.authorize(1, usd(1_500n)))).toBe(true);
    expect(balances(ledger)).toEqual({ available: 8_500n, holding: 1_500n });
    expect(ledger.holdOf(1)).toEqual({ currency: 'USD', amountMinor: 1_500n, state: 'HELD' });
  });

  it.each(['CANCELLED', 'REJECTED', 'DECLINED'])('%s voids: holding -> available', () => {
    const ledger = open();
    ledger.authorize(1, usd(1_500n));
    ledger.void(1);
    expect(balances(ledger)).toEqual({ available: 10_000n, holding: 0n });
    expect(ledger.holdOf(1)?.state).toBe('VOIDED');
  });

  it('COMPLETED captures: the hold is debited', () => {
    const ledger = open();
    ledger.authorize(1, usd(1_500n));
    ledger.capture(1);
    expect(balances(ledger)).toEqual({ available: 8_500n, holding: 0n });
  });

  it('REVERSED reverses: the captured amount back to available', () => {
    const ledger = open();
    ledger.authorize(1, usd(1_500n));
    ledger.capture(1);
    ledger.reverse(1);
    expect(balances(ledger)).toEqual({ available: 10_000n, holding: 0n });
    expect(ledger.holdOf(1)?.state).toBe('REVERSED');
  });

  it('movements are idempotent and follow the order authorize, then void or capture, then reverse', () => {
    const ledger = open();
    ledger.authorize(1, usd(1_000n));
    ledger.authorize(1, usd(1_000n));
    expect(balances(ledger)).toEqual({ available: 9_000n, holding: 1_000n });
    ledger.reverse(1); // not captured: nothing
    expect(balances(ledger)).toEqual({ available: 9_000n, holding: 1_000n });
    ledger.capture(1);
    ledger.capture(1);
    ledger.void(1); // already captured: nothing
    expect(balances(ledger)).toEqual({ available: 9_000n, holding: 0n });
    ledger.reverse(1);
    ledger.reverse(1);
    expect(balances(ledger)).toEqual({ available: 10_000n, holding: 0n });
  });

  it('refuses an authorization beyond available + credit limit with 1006001', () => {
    const ledger = new BalanceLedger([{ available: usd(1_000n), creditLimitMinor: 500n }]);
    expect(Either.isRight(ledger.authorize(1, usd(1_500n)))).toBe(true);
    expect(balances(ledger)).toEqual({ available: -500n, holding: 1_500n });
    const refused = ledger.authorize(2, usd(1n));
    expect(Either.isLeft(refused) && refused.left.code).toBe(1006001);
    expect(balances(ledger)).toEqual({ available: -500n, holding: 1_500n });
  });

  it('an authorization in a currency without a balance is 1006009', () => {
    const ledger = open();
    const eur = money(1n, Either.getOrThrow(currencyOf('EUR')));
    const refused = ledger.authorize(1, eur);
    expect(Either.isLeft(refused) && refused.left.code).toBe(1006009);
  });

  it('set keeps unspecified fields and reset restores the seeds', () => {
    const ledger = open();
    ledger.authorize(1, usd(100n));
    ledger.set(USD, { creditLimitMinor: 700n });
    expect(ledger.find('USD')).toMatchObject({
      availableMinor: 9_900n,
      holdingMinor: 100n,
      creditLimitMinor: 700n,
      id: 1,
    });
    ledger.reset([{ available: usd(5n) }]);
    expect(ledger.list()).toEqual([
      { id: 1, currency: USD, availableMinor: 5n, holdingMinor: 0n, creditLimitMinor: 0n },
    ]);
    expect(ledger.holdOf(1)).toBeUndefined();
  });
});

describe('balance ledger: restating a hold (test seeding)', () => {
  const open = () => new BalanceLedger([{ available: usd(10_000n) }]);
  const states: readonly (HoldState | 'NONE')[] = ['NONE', 'HELD', 'CAPTURED', 'VOIDED', 'REVERSED'];

  it('leaves the balance as if each transaction had always been in its last state, whatever came before', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            id: fc.integer({ min: 1, max: 4 }),
            amount: fc.bigInt({ min: 0n, max: 50_000n }),
            state: fc.constantFrom(...states),
          }),
          { maxLength: 30 },
        ),
        (restatements) => {
          const ledger = open();
          const last = new Map<number, { amount: bigint; state: HoldState | 'NONE' }>();
          for (const { id, amount, state } of restatements) {
            expect(Either.isRight(ledger.restate(id, usd(amount), state))).toBe(true);
            last.set(id, { amount, state });
          }
          let available = 10_000n;
          let holding = 0n;
          for (const { amount, state } of last.values()) {
            if (state === 'HELD' || state === 'CAPTURED') available -= amount;
            if (state === 'HELD') holding += amount;
          }
          expect(balances(ledger)).toEqual({ available, holding });
          for (const [id, { amount, state }] of last)
            expect(ledger.holdOf(id)).toEqual(
              state === 'NONE' ? undefined : { currency: 'USD', amountMinor: amount, state },
            );
        },
      ),
    );
  });

  it('a restated hold moves on as any other: HELD then captured, CAPTURED then reversed', () => {
    const ledger = open();
    ledger.restate(1, usd(700n), 'HELD');
    ledger.capture(1);
    expect(balances(ledger)).toEqual({ available: 9_300n, holding: 0n });
    ledger.restate(2, usd(300n), 'CAPTURED');
    ledger.reverse(2);
    expect(balances(ledger)).toEqual({ available: 9_300n, holding: 0n });
  });

  it('refuses a currency without a balance (1006009), moving nothing', () => {
    const ledger = open();
    const refused = ledger.restate(1, money(100n, Either.getOrThrow(currencyOf('EUR'))), 'HELD');
    expect(Either.isLeft(refused) && refused.left.code).toBe(1006009);
    expect(balances(ledger)).toEqual({ available: 10_000n, holding: 0n });
  });
});
