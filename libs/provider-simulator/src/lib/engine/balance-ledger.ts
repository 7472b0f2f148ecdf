// The simulated account's balances, one per currency, moved after the
// reference's table: CREATED authorizes (available -> holding), CANCELLED,
// REJECTED and DECLINED void (holding -> available), COMPLETED captures (the
// hold is debited), REVERSED reverses (the captured amount back to
// available). Movements are keyed by transaction id and idempotent.
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
