import fc from 'fast-check';
import {
  type LedgerPools,
  arbitraryAccountRef,
  arbitraryCaptureShare,
  arbitraryCreditLimitMinor,
  arbitraryDepositIdRef,
  arbitraryMovementAmountMinor,
  arbitraryTransactionIdRef,
  defaultLedgerPools,
} from '../../../testing/ledger.arbitraries';
import { type AuthorizeAmount, AuthorizeCommand } from './authorize.command';
import { CaptureCommand } from './capture.command';
import { DepositCommand } from './deposit.command';
import type { RealLedger } from './ledger-agreement';
import type { LedgerModel } from './ledger.model';
import { OpenAccountCommand } from './open-account.command';
import { RepeatCommand, type RepeatSource } from './repeat.command';
import { RetryRefusedAfterFundingCommand } from './retry-refused.command';
import { ReverseCommand } from './reverse.command';
import { type CreditLimitChoice, SetCreditLimitCommand } from './set-credit-limit.command';
import { VoidHoldCommand } from './void-hold.command';

type LedgerCommand = fc.Command<LedgerModel, RealLedger>;

const arbitraryAuthorizeAmount: fc.Arbitrary<AuthorizeAmount> = fc.oneof(
  {
    weight: 4,
    arbitrary: arbitraryMovementAmountMinor(1_500n).map((amountMinor): AuthorizeAmount => ({
      kind: 'fixed',
      amountMinor,
    })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(-1n, 0n, 1n).map((offsetMinor): AuthorizeAmount => ({ kind: 'headroom', offsetMinor })),
  },
);

const arbitraryCreditLimitChoice: fc.Arbitrary<CreditLimitChoice> = fc.oneof(
  {
    weight: 3,
    arbitrary: arbitraryCreditLimitMinor().map((creditLimitMinor): CreditLimitChoice => ({
      kind: 'fixed',
      creditLimitMinor,
    })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(-1n, 0n, 1n).map((offsetMinor): CreditLimitChoice => ({ kind: 'drawn', offsetMinor })),
  },
);

/**
 * Every command over small pools of accounts, currencies, transaction and
 * deposit ids, so that repeats, conflicts and out-of-order movements happen
 * often, with now and then a hostile id or a forged currency. Weights favour
 * the movements over account changes.
 */
export const ledgerCommands = (pools: LedgerPools = defaultLedgerPools): fc.Arbitrary<LedgerCommand>[] => {
  const account = arbitraryAccountRef(pools, { hostile: true });
  const transactionId = arbitraryTransactionIdRef(pools);
  // fc.commands picks among its arbitraries uniformly: a weight is a number of copies.
  const command = <T>(arbitrary: fc.Arbitrary<T>, make: (value: T) => LedgerCommand, weight: number) =>
    Array.from({ length: weight }, () => arbitrary.map(make));
  return [
    ...command(
      fc.tuple(account, arbitraryCreditLimitMinor()),
      ([ref, limit]) => new OpenAccountCommand(ref.accountId, ref.currency, limit),
      2,
    ),
    ...command(
      fc.tuple(account, arbitraryCreditLimitChoice),
      ([ref, limit]) => new SetCreditLimitCommand(ref.accountId, ref.currency, limit),
      2,
    ),
    ...command(
      fc.tuple(account, arbitraryDepositIdRef(pools), arbitraryMovementAmountMinor()),
      ([ref, id, amount]) => new DepositCommand(ref.accountId, ref.currency, id, amount),
      2,
    ),
    ...command(
      fc.tuple(account, transactionId, arbitraryAuthorizeAmount),
      ([ref, id, amount]) => new AuthorizeCommand(ref.accountId, ref.currency, id, amount),
      4,
    ),
    ...command(transactionId, (id) => new VoidHoldCommand(id), 2),
    ...command(
      fc.tuple(transactionId, arbitraryCaptureShare(3_000n)),
      ([id, share]) => new CaptureCommand(id, share),
      3,
    ),
    ...command(transactionId, (id) => new ReverseCommand(id), 2),
    ...command(
      fc.tuple(fc.nat(), fc.constantFrom<RepeatSource>('any', 'applied', 'refused')),
      ([pick, source]) => new RepeatCommand(pick, source),
      3,
    ),
    ...command(fc.nat(), (pick) => new RetryRefusedAfterFundingCommand(pick), 1),
  ];
};
