// What the ledger store specs share: both stores behind the port, one
// operation of the domain's testing vocabulary run on a store, and the part
// of an answer the pure ledger and a store must agree on.
import { type LedgerError, type LedgerStoreService, type PersistenceFailure, settleHold } from '@airtime/domain';
import type { LedgerOperation } from '@airtime/domain/testing';
import type { Effect } from 'effect';
import { Either } from 'effect';
import type { DataSource } from 'typeorm';
import { makeBatchedLedgerStore } from '../lib/ledger/batched/batched-ledger-store.adapter';
import { makeLedgerStore } from '../lib/ledger/ledger-store.adapter';

/** Both stores behind the port: the direct one and the batched one (group commit). */
export const LEDGER_STORES = [
  ['direct', makeLedgerStore],
  ['batched', (dataSource: DataSource) => makeBatchedLedgerStore(dataSource)],
] as const;

/** Runs one operation on a store. */
export const onStore = (
  store: LedgerStoreService,
  operation: LedgerOperation,
): Effect.Effect<unknown, LedgerError | PersistenceFailure> => {
  switch (operation.kind) {
    case 'openAccount':
      return store.openAccount(operation.input);
    case 'setCreditLimit':
      return store.setCreditLimit(operation.input);
    case 'deposit':
      return store.deposit(operation.input);
    case 'authorize':
      return store.authorize(operation.input);
    case 'voidHold':
    case 'capture':
    case 'reverse':
      return settleHold(store, operation);
  }
};

/** What both sides must agree on: the error (tag and fields) or the movement (without its sequence). */
export const outcomeOf = (result: Either.Either<unknown, { _tag: string }>): unknown =>
  Either.match(result, {
    onLeft: (error) => ({ ...error, _tag: error._tag }),
    onRight: (value) => {
      const movement = value as { entry?: { sequence: number }; applied?: boolean };
      if (movement.entry) {
        const { sequence: _sequence, ...entry } = movement.entry;
        return { entry, applied: movement.applied };
      }
      // the pure ledger answers account changes with { account, ... }, the store with the account
      const account = ((value as { account?: unknown }).account ?? value) as {
        accountId: string;
        creditLimitMinor: bigint;
      };
      return { accountId: account.accountId, creditLimitMinor: account.creditLimitMinor };
    },
  });
