// What ledger:fund prints: what the run did and the balances after it, in
// the currency's major units.
import { makeInMemoryDatabase, makeInMemoryLedgerStore } from '@airtime/application/testing';
import { currencyOf, InsufficientFunds, type LedgerAccount, LedgerStore } from '@airtime/domain';
import { Effect, Either } from 'effect';
import { fundAccount, type FundAccountInput } from './fund-account.use-case';
import { fundReport, refusalText } from './fund-report.format';

const USD = Either.getOrThrow(currencyOf('USD'));
const input: FundAccountInput = { accountId: 'acme', currency: USD, amountMinor: 10_000n, depositId: 'acme-1' };
const account: LedgerAccount = {
  accountId: 'acme',
  currency: USD,
  creditLimitMinor: 5_000n,
  availableMinor: 7_500n,
  holdingMinor: 2_500n,
  capturedMinor: 0n,
  reversedMinor: 0n,
  fundedMinor: 10_000n,
};

describe('fundReport', () => {
  it('says the account was opened and funded, then lists the balances aligned', () => {
    expect(fundReport(input, { opened: true, deposited: true, creditLimitChanged: false, account })).toBe(
      [
        'opened account acme in USD (credit limit USD 50.00)',
        'deposited USD 100.00 under deposit id acme-1',
        'account acme (USD) now:',
        '  available:    USD  75.00',
        '  holding:      USD  25.00',
        '  credit limit: USD  50.00',
        '  funded:       USD 100.00',
        '  captured:     USD   0.00',
        '  reversed:     USD   0.00',
      ].join('\n'),
    );
  });

  it('says when the deposit id was already recorded, and when the credit limit changed', () => {
    const report = fundReport(input, { opened: false, deposited: false, creditLimitChanged: true, account });
    expect(report.split('\n').slice(0, 2)).toEqual([
      'deposit id acme-1 was already recorded: nothing added',
      'credit limit set to USD 50.00',
    ]);
  });

  it('ends with how to make the account record when the account has none (the admin CLI refuses it until then)', () => {
    const result = { opened: true, deposited: true, creditLimitChanged: false, account };
    const report = fundReport(input, result, { accountRecord: false });
    expect(report.startsWith(fundReport(input, result))).toBe(true);
    expect(report.split('\n').slice(-2)).toEqual([
      'note: acme has no account record, so npm run admin refuses its API keys, credit limits and callback secret',
      '  (exit 3 "no such account"); make it first: npm run admin -- account create --id acme --name "<name>"',
    ]);
    expect(fundReport(input, result, { accountRecord: true })).toBe(fundReport(input, result));
    expect(fundReport({ ...input, accountId: 'a b' }, result, { accountRecord: false })).toContain(
      `account create --id 'a b' --name "<name>"`,
    );
  });

  it('shows a balance drawn on credit as negative', () => {
    const drawn = { ...account, availableMinor: -1_250n, fundedMinor: 1_250n, holdingMinor: 2_500n };
    expect(fundReport(input, { opened: false, deposited: true, creditLimitChanged: false, account: drawn })).toContain(
      '  available:    USD -12.50\n  holding:      USD  25.00',
    );
  });
});

describe('refusalText', () => {
  it('tells the amounts of a deposit id recorded with another amount in major units', async () => {
    const ledger = makeInMemoryLedgerStore(makeInMemoryDatabase());
    const run = (amountMinor: bigint) =>
      Effect.runPromise(
        Effect.either(fundAccount({ ...input, amountMinor }).pipe(Effect.provideService(LedgerStore, ledger))),
      );
    await run(10_000n);
    const conflict = await run(5_000n);
    if (Either.isRight(conflict)) throw new Error('expected a conflict');
    expect(refusalText(conflict.left)).toBe(
      'DEPOSIT "acme-1" was already recorded with other arguments: recorded as USD 100.00 to "acme", now USD 50.00 to "acme"',
    );
  });

  it('leaves other refusals, and ids that look like amounts, as the ledger tells them', () => {
    const funds = new InsufficientFunds({
      accountId: 'acme',
      currency: 'USD',
      requestedMinor: 1n,
      availableMinor: 0n,
      creditLimitMinor: 0n,
    });
    expect(refusalText(funds)).toBe(funds.message);
    const odd = {
      _tag: 'IdempotencyConflict',
      message: 'DEPOSIT "10000 USD" was already recorded: recorded as 7 XYZ to "a"',
    };
    expect(refusalText(odd)).toBe(odd.message);
  });
});
