// What `npm run admin` does with a command: the application's admin use
// cases (open an account, deposit, set a credit limit, issue and revoke API
// keys, settle a top-up by hand), the key store's list of an account's
// keys, and an account's callback signing secret made and stored (the
// CallbackSecretWriter port), as one effect over the ports, so the CLI and
// its specs run the same code on any adapters.
import { randomBytes } from 'node:crypto';
import {
  type Account,
  type AccountDirectory,
  ApiKeyStore,
  CallbackDeliveryStore,
  type ApiKeyNotFound,
  type CustomerAccountNotFound,
  type DepositFundsError,
  depositFunds,
  directoryAccount,
  type InvalidInput,
  type IssueApiKeyError,
  issueApiKey,
  type OpenCustomerAccountError,
  openCustomerAccount,
  type ReconciliationStore,
  revokeApiKey,
  type SaveServices,
  type SetAccountCreditLimitError,
  setAccountCreditLimit,
  type SettlementRecord,
  type SettleTopUpByHandError,
  settleTopUpByHand,
  type StoredApiKey,
} from '@airtime/application';
import {
  type Clock,
  IdGenerator,
  type LedgerAccount,
  type LedgerStore,
  type PersistenceFailure,
  type TopUp,
  type UnitOfWork,
} from '@airtime/domain';
import { Effect, Option } from 'effect';
import type { AdminCommand } from './admin-arguments.input';
import { CallbackSecretExists } from './callback-secret.errors';
import { CallbackSecretWriter } from './callback-secret-writer.port';

/** Every port the admin commands use. */
export type AdminServices =
  | AccountDirectory
  | ApiKeyStore
  | LedgerStore
  | UnitOfWork
  | IdGenerator
  | Clock
  | ReconciliationStore
  | SaveServices
  | CallbackDeliveryStore
  | CallbackSecretWriter;

/** A command to run (not help). */
export type AdminAction = Exclude<AdminCommand, { readonly kind: 'help' }>;

export type AdminOutcome =
  | { readonly kind: 'account-created'; readonly account: Account; readonly created: boolean }
  | {
      readonly kind: 'deposited';
      readonly accountId: string;
      readonly depositId: string;
      /** The amount as given (decimal text in major units). */
      readonly amount: string;
      /** False when the deposit id was already recorded: nothing added. */
      readonly deposited: boolean;
      /** Whether the deposit id was made by this run (none was given). */
      readonly depositIdMade: boolean;
      readonly balance: LedgerAccount;
    }
  | { readonly kind: 'credit-limit-set'; readonly balance: LedgerAccount }
  | {
      readonly kind: 'callback-secret-set';
      readonly accountId: string;
      /** The secret, to be printed this once. */
      readonly secret: string;
      /** Whether it replaced a secret the account had. */
      readonly rotated: boolean;
    }
  | { readonly kind: 'key-created'; readonly key: string; readonly apiKey: StoredApiKey }
  | { readonly kind: 'key-revoked'; readonly apiKey: StoredApiKey }
  | { readonly kind: 'key-list'; readonly accountId: string; readonly keys: readonly StoredApiKey[] }
  | { readonly kind: 'top-up-settled'; readonly settlement: SettlementRecord; readonly topUp: TopUp };

export type AdminError =
  | OpenCustomerAccountError
  | DepositFundsError
  | SetAccountCreditLimitError
  | IssueApiKeyError
  | ApiKeyNotFound
  | InvalidInput
  | CustomerAccountNotFound
  | SettleTopUpByHandError
  | CallbackSecretExists
  | PersistenceFailure;

/** A deposit id for a deposit given none: unique, within the identifier rule (1..100 characters). */
const freshDepositId = (): Effect.Effect<string, never, IdGenerator> =>
  Effect.map(
    Effect.flatMap(IdGenerator, (ids) => ids.next()),
    (id) => `admin-deposit-${id}`,
  );

/** Bytes of a callback signing secret: 256 bits from the system's CSPRNG. */
export const CALLBACK_SECRET_BYTES = 32;

/** A fresh callback signing secret: 64 lowercase hex digits (within the store's 16..512 characters). */
const freshCallbackSecret = (): Effect.Effect<string> =>
  Effect.sync(() => randomBytes(CALLBACK_SECRET_BYTES).toString('hex'));

/**
 * An account's callback signing secret made and stored: the account must be
 * in the directory; one that has a secret keeps it (`CallbackSecretExists`)
 * unless `rotate`. The secret is returned to be shown once, never logged.
 */
const setCallbackSecret = (
  accountId: string,
  rotate: boolean,
): Effect.Effect<
  AdminOutcome,
  CustomerAccountNotFound | CallbackSecretExists | PersistenceFailure,
  AccountDirectory | CallbackDeliveryStore | CallbackSecretWriter
> =>
  Effect.gen(function* () {
    yield* directoryAccount(accountId);
    const secret = yield* freshCallbackSecret();
    const writer = yield* CallbackSecretWriter;
    if (!rotate) {
      // stored only if the account has none, even one another run stored a moment ago: that one stays
      if (!(yield* writer.add(accountId, secret))) return yield* Effect.fail(new CallbackSecretExists({ accountId }));
      return { kind: 'callback-secret-set' as const, accountId, secret, rotated: false };
    }
    const current = yield* Effect.flatMap(CallbackDeliveryStore, (store) => store.signingSecretOf(accountId));
    yield* writer.set(accountId, secret);
    return { kind: 'callback-secret-set' as const, accountId, secret, rotated: Option.isSome(current) };
  });

/**
 * Runs one admin command. Values are decoded by the use cases
 * (`InvalidInput` naming the field); an unknown account is
 * `CustomerAccountNotFound`, an unknown key `ApiKeyNotFound`; the ledger's
 * refusals (a deposit id recorded with another amount: `IdempotencyConflict`;
 * a limit below what is drawn: `CreditLimitInUse`) are its own errors. A
 * top-up settled by hand takes `operator` when the command names none;
 * settleTopUpByHand's refusals (`TopUpNotFound`, `TopUpAlreadyFinal`,
 * `IllegalTransition`, `NoAttemptToSettle`, `NotAwaitingDecision`,
 * `SettlementRefused`) are its own.
 * A callback secret is refused for an account that has one without `rotate`
 * (`CallbackSecretExists`).
 */
export const runAdminCommand = (
  action: AdminAction,
  operator = 'operator',
): Effect.Effect<AdminOutcome, AdminError, AdminServices> => {
  switch (action.kind) {
    case 'account-create':
      return Effect.map(openCustomerAccount({ id: action.accountId, name: action.name }), (opened) => ({
        kind: 'account-created' as const,
        ...opened,
      }));
    case 'account-deposit':
      return Effect.gen(function* () {
        const depositId = action.depositId ?? (yield* freshDepositId());
        const result = yield* depositFunds({
          accountId: action.accountId,
          currency: action.currency,
          amount: action.amount,
          depositId,
        });
        return {
          kind: 'deposited' as const,
          accountId: action.accountId,
          depositId,
          amount: action.amount,
          deposited: result.deposited,
          depositIdMade: action.depositId === undefined,
          balance: result.account,
        };
      });
    case 'account-credit-limit':
      return Effect.map(
        setAccountCreditLimit({
          accountId: action.accountId,
          currency: action.currency,
          creditLimit: action.creditLimit,
        }),
        (balance) => ({ kind: 'credit-limit-set' as const, balance }),
      );
    case 'account-callback-secret':
      return setCallbackSecret(action.accountId, action.rotate);
    case 'key-create':
      return Effect.map(issueApiKey({ label: action.label, accountIds: action.accountIds }), (issued) => ({
        kind: 'key-created' as const,
        ...issued,
      }));
    case 'key-revoke':
      return Effect.map(revokeApiKey(action.keyId), (apiKey) => ({ kind: 'key-revoked' as const, apiKey }));
    case 'key-list':
      return Effect.gen(function* () {
        yield* directoryAccount(action.accountId);
        const keys = yield* Effect.flatMap(ApiKeyStore, (store) => store.listFor(action.accountId));
        return { kind: 'key-list' as const, accountId: action.accountId, keys };
      });
    case 'top-up-settle':
      return Effect.map(
        settleTopUpByHand({
          topUpId: action.topUpId,
          status: action.status,
          reason: action.reason,
          operator: action.operator ?? operator,
          force: action.force,
        }),
        (settled) => ({ kind: 'top-up-settled' as const, ...settled }),
      );
  }
};
