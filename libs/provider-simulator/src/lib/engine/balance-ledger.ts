// The simulated account's balances, one per currency, moved after the
// reference's table: CREATED authorizes (available -> holding), CANCELLED,
// REJECTED and DECLINED void (holding -> available), COMPLETED captures (the
// hold is debited), REVERSED reverses (the captured amount back to
// available). Movements are keyed by transaction id and idempotent. Test
// seeding restates a transaction's hold directly (any state, any amount),
// moving the balance by the difference.
import { type Currency, formatMoney, type Money, money } from '@airtime/domain';
import { Either } from 'effect';
import { dvsError, type DvsError } from './simulator.errors';

export interface Balance {
  /** 1, 2, ...: DVS's balance id. */
  readonly id: number;
  readonly currency: Currency;
  readonly availableMinor: bigint;
  readonly holdingMinor: bigint;
  readonly creditLimitMinor: bigint;
}

export type HoldState = 'HELD' | 'VOIDED' | 'CAPTURED' | 'REVERSED';

interface Hold {
  readonly currency: string;
  readonly amountMinor: bigint;
  state: HoldState;
}

export interface BalanceSeed {
  readonly available: Money;
  readonly creditLimitMinor?: bigint | undefined;
}

export class BalanceLedger {
  private readonly balances = new Map<string, Balance>();
  private readonly holds = new Map<number, Hold>();
  private nextId = 1;

  constructor(seeds: readonly BalanceSeed[] = []) {
    this.reset(seeds);
  }

  /** Forgets every balance and hold and opens the seeded balances again. */
  reset(seeds: readonly BalanceSeed[]): void {
    this.balances.clear();
    this.holds.clear();
    this.nextId = 1;
    for (const seed of seeds)
      this.set(seed.available.currency, {
        availableMinor: seed.available.amountMinor,
        creditLimitMinor: seed.creditLimitMinor ?? 0n,
      });
  }

  list(): readonly Balance[] {
    return [...this.balances.values()].sort((a, b) => a.id - b.id);
  }

  find(currencyCode: string): Balance | undefined {
    return this.balances.get(currencyCode);
  }

  holdOf(
    transactionId: number,
  ): { readonly currency: string; readonly amountMinor: bigint; readonly state: HoldState } | undefined {
    const hold = this.holds.get(transactionId);
    return hold && { ...hold };
  }

  /** Sets (or opens) a balance; omitted fields keep their value. */
  set(
    currency: Currency,
    values: {
      readonly availableMinor?: bigint | undefined;
      readonly holdingMinor?: bigint | undefined;
      readonly creditLimitMinor?: bigint | undefined;
    },
  ): Balance {
    const current = this.balances.get(currency.code);
    const next: Balance = {
      id: current?.id ?? this.nextId++,
      currency,
      availableMinor: values.availableMinor ?? current?.availableMinor ?? 0n,
      holdingMinor: values.holdingMinor ?? current?.holdingMinor ?? 0n,
      creditLimitMinor: values.creditLimitMinor ?? current?.creditLimitMinor ?? 0n,
    };
    this.balances.set(currency.code, next);
    return next;
  }

  /** Moves `amount` from available to holding; refused (1006001) when available + credit limit < amount. */
  authorize(transactionId: number, amount: Money): Either.Either<Balance, DvsError> {
    const existing = this.holds.get(transactionId);
    const balance = this.balances.get(amount.currency.code);
    if (existing) return balance ? Either.right(balance) : Either.left(dvsError(1006009, amount.currency.code));
    if (!balance) return Either.left(dvsError(1006009, `no ${amount.currency.code} balance`));
    if (balance.availableMinor + balance.creditLimitMinor < amount.amountMinor) {
      return Either.left(
        dvsError(
          1006001,
          `${formatMoney(amount)} ${amount.currency.code} needed, ${formatMoney(money(balance.availableMinor, balance.currency))} available`,
        ),
      );
    }
    this.holds.set(transactionId, { currency: amount.currency.code, amountMinor: amount.amountMinor, state: 'HELD' });
    return Either.right(this.move(amount.currency.code, -amount.amountMinor, amount.amountMinor));
  }

  /** Holding -> available (CANCELLED, REJECTED, DECLINED); a no-op unless the hold is HELD. */
  void(transactionId: number): void {
    this.settle(transactionId, 'HELD', 'VOIDED', (hold) => [hold.amountMinor, -hold.amountMinor]);
  }

  /** The hold is debited (COMPLETED); a no-op unless the hold is HELD. */
  capture(transactionId: number): void {
    this.settle(transactionId, 'HELD', 'CAPTURED', (hold) => [0n, -hold.amountMinor]);
  }

  /** The captured amount back to available (REVERSED); a no-op unless the hold was CAPTURED. */
  reverse(transactionId: number): void {
    this.settle(transactionId, 'CAPTURED', 'REVERSED', (hold) => [hold.amountMinor, 0n]);
  }

  /**
   * Test seeding: makes the transaction's hold `amount` in `state` (`NONE`:
   * no hold) whatever it was, moving the balance by the difference, so the
   * balance is what the transaction would have left had it always been so
   * (HELD: available - amount, holding + amount; CAPTURED: available -
   * amount; VOIDED, REVERSED, NONE: nothing). Funds are not checked: it
   * records what happened. 1006009 when there is no balance in the currency.
   */
  restate(transactionId: number, amount: Money, state: HoldState | 'NONE'): Either.Either<void, DvsError> {
    const code = amount.currency.code;
    if (!this.balances.has(code)) return Either.left(dvsError(1006009, `no ${code} balance`));
    const before = this.holds.get(transactionId);
    if (before) {
      const [available, holding] = contribution(before.state, before.amountMinor);
      this.move(before.currency, -available, -holding);
    }
    const [available, holding] = contribution(state, amount.amountMinor);
    this.move(code, available, holding);
    if (state === 'NONE') this.holds.delete(transactionId);
    else this.holds.set(transactionId, { currency: code, amountMinor: amount.amountMinor, state });
    return Either.right(undefined);
  }

  private settle(
    transactionId: number,
    from: HoldState,
    to: HoldState,
    deltas: (hold: Hold) => readonly [bigint, bigint],
  ): void {
    const hold = this.holds.get(transactionId);
    if (!hold || hold.state !== from) return;
    const [availableDelta, holdingDelta] = deltas(hold);
    hold.state = to;
    this.move(hold.currency, availableDelta, holdingDelta);
  }

  private move(currencyCode: string, availableDelta: bigint, holdingDelta: bigint): Balance {
    const balance = this.balances.get(currencyCode);
    if (!balance) throw new RangeError(`no ${currencyCode} balance`);
    const next = {
      ...balance,
      availableMinor: balance.availableMinor + availableDelta,
      holdingMinor: balance.holdingMinor + holdingDelta,
    };
    this.balances.set(currencyCode, next);
    return next;
  }
}

/** What a hold in `state` has moved (available, holding) from a balance with no hold. */
const contribution = (state: HoldState | 'NONE', amountMinor: bigint): readonly [bigint, bigint] => {
  switch (state) {
    case 'HELD':
      return [-amountMinor, amountMinor];
    case 'CAPTURED':
      return [-amountMinor, 0n];
    default:
      return [0n, 0n];
  }
};
