// The demo account of `npm start`, through the application's admin use
// cases: the account `demo` (START_DEMO_ACCOUNT) in the directory, funded
// USD 1,000.00 once (a fixed deposit id: a second start adds nothing), and
// a fresh API key for it on every start (label `npm start`), the keys
// earlier starts made being revoked, so that only the key printed last
// works. An account with that id that npm start did not open (another
// name) is left alone: the start stops, asking for another id.
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
import { DemoAccountTaken } from './demo-account.errors';

export const DEMO_ACCOUNT = {
  id: 'demo',
  name: 'Demo account (npm start)',
  currency: 'USD',
  amount: '1000.00',
  /** The deposit id of the first start (the same as the consumer-era `npm start`'s: its deposit counts). */
  depositId: 'start-demo-usd-1',
} as const;

/** The longest START_DEMO_ACCOUNT: its deposit id (`depositIdOf`) stays within the 100 characters of a deposit id. */
export const DEMO_ACCOUNT_ID_MAX_LENGTH = 80;

/** The deposit id of the demo account `accountId`: DEMO_ACCOUNT.depositId for `demo`, else with the id appended. */
export const depositIdOf = (accountId: string): string =>
  accountId === DEMO_ACCOUNT.id ? DEMO_ACCOUNT.depositId : `${DEMO_ACCOUNT.depositId}:${accountId}`;

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

export type DemoAccountError =
  OpenCustomerAccountError | DepositFundsError | IssueApiKeyError | RevokeApiKeyError | DemoAccountTaken;

/**
 * Opens (once) and funds (once) the demo account `accountId` (1..80
 * characters, the account id rule; default `demo`), issues a new key for it
 * and revokes the earlier `npm start` keys that are still valid. The account
 * is npm start's own when this or an earlier start opened it (its name is
 * DEMO_ACCOUNT.name); an account with that id under another name fails with
 * `DemoAccountTaken`, nothing funded, no key issued or revoked.
 */
export const prepareDemoAccount = (
  accountId: string = DEMO_ACCOUNT.id,
): Effect.Effect<
  DemoAccount,
  DemoAccountError,
  AccountDirectory | ApiKeyStore | LedgerStore | UnitOfWork | IdGenerator | Clock
> =>
  Effect.gen(function* () {
    const opened = yield* openCustomerAccount({ id: accountId, name: DEMO_ACCOUNT.name }).pipe(
      Effect.map((result) => result.created),
      Effect.catchTag('AccountAlreadyExists', () =>
        Effect.flatMap(AccountDirectory, (directory) =>
          Effect.flatMap(directory.find(accountId), (found) =>
            Option.isSome(found) && found.value.name === DEMO_ACCOUNT.name
              ? Effect.succeed(false)
              : Effect.fail(new DemoAccountTaken()),
          ),
        ),
      ),
    );
    const deposit = yield* depositFunds({
      accountId,
      currency: DEMO_ACCOUNT.currency,
      amount: DEMO_ACCOUNT.amount,
      depositId: depositIdOf(accountId),
    });
    const issued = yield* issueApiKey({ label: START_KEY_LABEL, accountIds: [accountId] });
    const keys = yield* Effect.flatMap(ApiKeyStore, (store) => store.listFor(accountId));
    const stale = keys.filter(
      (key) => key.label === START_KEY_LABEL && key.revokedAt === undefined && key.id !== issued.apiKey.id,
    );
    yield* Effect.forEach(stale, (key) => revokeApiKey(key.id), { discard: true });
    const { currency } = deposit.account;
    return {
      accountId,
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
