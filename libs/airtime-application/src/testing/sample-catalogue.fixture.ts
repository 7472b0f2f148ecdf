// A small catalogue and a funded account for use-case specs: Smart (PH) fixed
// denominations of PHP 50, 100 and 300 priced in USD, and Safaricom (KE) of
// KES 100, with the numbers and request inputs that go with them.
import {
  currencyOf,
  type Currency,
  LedgerStore,
  makeFixedProduct,
  money,
  preciseMoney,
  type Product,
  type FixedProduct,
} from '@airtime/domain';
import { Effect, Either } from 'effect';
import type { RequestTopUpInputJson } from '../lib/request-top-up/request-top-up.input';

const currency = (code: string): Currency => Either.getOrThrow(currencyOf(code));
export const USD = currency('USD');
export const PHP = currency('PHP');
export const KES = currency('KES');

const SMART = { id: 'smart-ph', name: 'Smart', countryIso: 'PH' };
const SAFARICOM = { id: 'safaricom-ke', name: 'Safaricom', countryIso: 'KE' };

const fixed = (fields: Omit<FixedProduct, '_tag' | 'kind' | 'fee'> & { readonly feeUnits?: bigint }): Product =>
  Either.getOrThrow(
    makeFixedProduct({
      id: fields.id,
      name: fields.name,
      kind: 'AIRTIME',
      operator: fields.operator,
      destination: fields.destination,
      wholesale: fields.wholesale,
      fee: preciseMoney(fields.feeUnits ?? 0n, 2, fields.wholesale.currency),
    }),
  );

/** Smart PHP 50 / 100 / 300 (USD 0.95 / 1.857 / 5.40), Safaricom KES 100 (USD 0.80). */
export const sampleCatalogue: readonly Product[] = [
  fixed({
    id: 'smart-50',
    name: 'Smart 50',
    operator: SMART,
    destination: money(5_000n, PHP),
    wholesale: preciseMoney(95n, 2, USD),
  }),
  fixed({
    id: 'smart-100',
    name: 'Smart 100',
    operator: SMART,
    destination: money(10_000n, PHP),
    wholesale: preciseMoney(1857n, 3, USD),
  }),
  fixed({
    id: 'smart-300',
    name: 'Smart 300',
    operator: SMART,
    destination: money(30_000n, PHP),
    wholesale: preciseMoney(540n, 2, USD),
  }),
  fixed({
    id: 'safaricom-100',
    name: 'Safaricom 100',
    operator: SAFARICOM,
    destination: money(10_000n, KES),
    wholesale: preciseMoney(80n, 2, USD),
  }),
];

/** A valid Philippine mobile number (Smart's country). */
export const SAMPLE_PH_NUMBER = '+639171234100';
export const SAMPLE_KE_NUMBER = '+254711000111';

/** A request for PHP 100 to the sample number, with fields overridden. */
export const sampleRequestInput = (overrides: Partial<RequestTopUpInputJson> = {}): RequestTopUpInputJson => ({
  external_id: 'order-1',
  account_id: 'account-1',
  phone_number: SAMPLE_PH_NUMBER,
  currency: 'PHP',
  max_amount: '100',
  ...overrides,
});

/** Opens `accountId` in `currencyCode` and deposits `amountMinor` (deposit id `fund-<accountId>-<currency>`). */
export const fundAccount = (
  accountId: string,
  currencyCode: string,
  amountMinor: bigint,
  creditLimitMinor = 0n,
): Effect.Effect<void, unknown, LedgerStore> =>
  Effect.gen(function* () {
    const ledger = yield* LedgerStore;
    const account = currency(currencyCode);
    yield* ledger.openAccount({ accountId, currency: account, creditLimitMinor });
    if (amountMinor > 0n)
      yield* ledger.deposit({
        accountId,
        currency: account,
        depositId: `fund-${accountId}-${currencyCode}`,
        amountMinor,
      });
  });
