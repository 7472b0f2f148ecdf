// The demo account of `npm start`, through the application's admin use
// cases: the account `demo` in the directory, funded USD 1,000.00 once
// (a fixed deposit id: a second start adds nothing), and a fresh API key
// for it on every start (label `npm start`), the keys earlier starts made
// being revoked, so that only the key printed last works.
import {
  AccountDirectory,
  ApiKeyStore,
  type DepositFundsError,
  depositFunds,
  type IssueApiKeyError,
  issueApiKey,
  type OpenCustomerAccountError,
  openCustomerAccount,
  type RevokeApiKeyError,
  revokeApiKey,
} from '@airtime/application';
import { type Clock, formatMoney, type IdGenerator, type LedgerStore, money, type UnitOfWork } from '@airtime/domain';
import { Effect, Option } from 'effect';

export const DEMO_ACCOUNT = {
  id: 'demo',
  name: 'Demo account (npm start)',
  currency: 'USD',
  amount: '1000.00',
  /** The deposit id of the first start (the same as the consumer-era `npm start`'s: its deposit counts). */
  depositId: 'start-demo-usd-1',
} as const;

/** The label of the keys `npm start` makes (earlier ones with it are revoked). */
export const START_KEY_LABEL = 'npm start';

export interface DemoAccount {
  readonly accountId: string;
  readonly currency: string;
  /** Whether this start opened the account in the directory. */
  readonly opened: boolean;
  /** Whether this start made the deposit (false: an earlier start did). */
  readonly deposited: boolean;
  /** Decimal text of the deposit, e.g. "1000.00". */
  readonly funded: string;
  /** Decimal text of what the account may spend now. */
  readonly available: string;
  /** The new key's text (shown once, never stored) and its id. */
  readonly key: string;
  readonly keyId: string;
  /** Earlier `npm start` keys revoked now. */
  readonly revokedKeys: number;
}

export type DemoAccountError = OpenCustomerAccountError | DepositFundsError | IssueApiKeyError | RevokeApiKeyError;

/**
 * Opens (once) and funds (once) the demo account, issues a new key for it
 * and revokes the earlier `npm start` keys that are still valid. An account
 * `demo` opened by someone else under another name is used as it is.
 */
export const prepareDemoAccount = (): Effect.Effect<
  DemoAccount,
  DemoAccountError,
  AccountDirectory | ApiKeyStore | LedgerStore | UnitOfWork | IdGenerator | Clock
> =>
  Effect.gen(function* () {
    const opened = yield* openCustomerAccount({ id: DEMO_ACCOUNT.id, name: DEMO_ACCOUNT.name }).pipe(
      Effect.map((result) => result.created),
      Effect.catchTag('AccountAlreadyExists', () =>
        Effect.flatMap(AccountDirectory, (directory) =>
          Effect.map(directory.find(DEMO_ACCOUNT.id), (found) => Option.isNone(found)),
        ),
      ),
    );
    const deposit = yield* depositFunds({
      accountId: DEMO_ACCOUNT.id,
      currency: DEMO_ACCOUNT.currency,
      amount: DEMO_ACCOUNT.amount,
      depositId: DEMO_ACCOUNT.depositId,
    });
    const issued = yield* issueApiKey({ label: START_KEY_LABEL, accountIds: [DEMO_ACCOUNT.id] });
    const keys = yield* Effect.flatMap(ApiKeyStore, (store) => store.listFor(DEMO_ACCOUNT.id));
    const stale = keys.filter(
      (key) => key.label === START_KEY_LABEL && key.revokedAt === undefined && key.id !== issued.apiKey.id,
    );
    yield* Effect.forEach(stale, (key) => revokeApiKey(key.id), { discard: true });
    const { currency } = deposit.account;
    return {
      accountId: DEMO_ACCOUNT.id,
      currency: currency.code,
      opened,
      deposited: deposit.deposited,
      funded: formatMoney(money(deposit.entry.amountMinor, currency)),
      available: formatMoney(money(deposit.account.availableMinor, currency)),
      key: issued.key,
      keyId: issued.apiKey.id,
      revokedKeys: stale.length,
    };
  });
