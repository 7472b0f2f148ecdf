// What `npm run topup:status` shows of a top-up, read from PostgreSQL: the
// top-up through the TopUpRepository adapter, its provider exchanges through
// the TransferLog adapter, and with plain SQL where no port reads them: its
// ledger journal rows (reference = the top-up id), its events (the outbox,
// aggregate id = the top-up id, in publishing order), its callback
// deliveries, and its account's balances now.
import type { StoredExchange } from '@airtime/application';
import { type PersistenceFailure, type TopUp } from '@airtime/domain';
import { makeTopUpRepository, makeTransferLog, sql } from '@airtime/persistence-postgres';
import { Effect, Option } from 'effect';
import type { DataSource } from 'typeorm';
import type { TopUpLookup } from './status-arguments.input';

/** One movement of the top-up's money (`ledger_journal`); amounts in minor units of `currency`. */
export interface JournalMovement {
  readonly sequence: bigint;
  readonly kind: string;
  readonly currency: string;
  readonly amountMinor: bigint;
  readonly availableDeltaMinor: bigint;
  readonly holdingDeltaMinor: bigint;
  readonly createdAt: Date;
}

/** One event of the top-up in the outbox; `sentAt` once the broker confirmed it. */
export interface OutboxEvent {
  readonly id: string;
  readonly type: string;
  readonly occurredAt: Date;
  readonly sentAt: Date | undefined;
  readonly publishAttempts: number;
}

/** One callback owed to the caller (when the request had a callback URL). */
export interface CallbackDelivery {
  readonly eventType: string;
  readonly state: string;
  readonly tries: number;
  readonly lastStatus: number | undefined;
  /** Why the last try failed (our own text: no signing secret, no answer in time, the answer's status). */
  readonly lastError: string | undefined;
}

/** The account's balances now, in minor units of `currency`. */
export interface AccountBalances {
  readonly currency: string;
  readonly availableMinor: bigint;
  readonly holdingMinor: bigint;
  readonly capturedMinor: bigint;
  readonly fundedMinor: bigint;
}

export interface StatusView {
  readonly topUp: TopUp;
  readonly version: number;
  readonly exchanges: readonly StoredExchange[];
  readonly journal: readonly JournalMovement[];
  readonly events: readonly OutboxEvent[];
  readonly callbacks: readonly CallbackDelivery[];
  readonly account: AccountBalances | undefined;
}

interface JournalRow {
  readonly sequence: string;
  readonly kind: string;
  readonly currency: string;
  readonly amount_minor: string;
  readonly available_delta_minor: string;
  readonly holding_delta_minor: string;
  readonly created_at: Date;
}

interface EventRow {
  readonly id: string;
  readonly type: string;
  readonly occurred_at: Date;
  readonly sent_at: Date | null;
  readonly publish_attempts: number;
}

interface CallbackRow {
  readonly event_type: string;
  readonly state: string;
  readonly tries: number;
  readonly last_status: number | null;
  readonly last_error: string | null;
}

interface AccountRow {
  readonly currency: string;
  readonly available_minor: string;
  readonly holding_minor: string;
  readonly captured_minor: string;
  readonly funded_minor: string;
}

export const JOURNAL_OF_TOP_UP = `
  SELECT sequence::text, kind, currency, amount_minor::text, available_delta_minor::text,
         holding_delta_minor::text, created_at
    FROM ledger_journal WHERE reference = $1 ORDER BY sequence`;

/** The top-up's events in the order they were appended, which is the order they are published (`sequence`). */
export const EVENTS_OF_TOP_UP = `
  SELECT id, type, occurred_at, sent_at, publish_attempts
    FROM outbox WHERE aggregate_id = $1 ORDER BY sequence`;

/** The callbacks owed to the caller for the top-up's events (`callback_deliveries`). */
export const CALLBACKS_OF_TOP_UP = `
  SELECT coalesce(o.type, 'unknown event') AS event_type,
         CASE WHEN d.delivered_at IS NOT NULL THEN 'delivered'
              WHEN d.abandoned_at IS NOT NULL THEN 'abandoned'
              ELSE 'pending' END AS state,
         d.attempts AS tries, d.last_status, CASE WHEN d.delivered_at IS NULL THEN d.last_error END AS last_error
    FROM callback_deliveries d LEFT JOIN outbox o ON o.id = d.event_id
   WHERE d.top_up_id = $1 ORDER BY d.created_at, d.id`;

export const ACCOUNT_BALANCES = `
  SELECT currency, available_minor::text, holding_minor::text, captured_minor::text, funded_minor::text
    FROM ledger_accounts WHERE account_id = $1 AND currency = $2`;

const movementOf = (row: JournalRow): JournalMovement => ({
  sequence: BigInt(row.sequence),
  kind: row.kind,
  currency: row.currency.trim(),
  amountMinor: BigInt(row.amount_minor),
  availableDeltaMinor: BigInt(row.available_delta_minor),
  holdingDeltaMinor: BigInt(row.holding_delta_minor),
  createdAt: row.created_at,
});

const eventOf = (row: EventRow): OutboxEvent => ({
  id: row.id,
  type: row.type,
  occurredAt: row.occurred_at,
  sentAt: row.sent_at ?? undefined,
  publishAttempts: row.publish_attempts,
});

/** Finds the top-up; only its status and version (for --watch polls). */
export const findTopUp = (
  dataSource: DataSource,
  lookup: TopUpLookup,
): Effect.Effect<Option.Option<{ topUp: TopUp; version: number }>, PersistenceFailure> => {
  const repository = makeTopUpRepository(dataSource);
  return lookup.by === 'id'
    ? repository.findById(lookup.topUpId)
    : repository.findByExternalId(lookup.accountId, lookup.externalId);
};

/** Everything the report shows, or none when no such top-up exists. */
export const loadStatusView = (
  dataSource: DataSource,
  lookup: TopUpLookup,
): Effect.Effect<Option.Option<StatusView>, PersistenceFailure> =>
  Effect.gen(function* () {
    const found = yield* findTopUp(dataSource, lookup);
    if (Option.isNone(found)) return Option.none();
    const { topUp, version } = found.value;
    const [exchanges, journal, events, callbacks, accounts] = yield* Effect.all(
      [
        makeTransferLog(dataSource).forTopUp(topUp.id),
        sql<JournalRow>(dataSource, JOURNAL_OF_TOP_UP, [topUp.id]),
        sql<EventRow>(dataSource, EVENTS_OF_TOP_UP, [topUp.id]),
        sql<CallbackRow>(dataSource, CALLBACKS_OF_TOP_UP, [topUp.id]),
        sql<AccountRow>(dataSource, ACCOUNT_BALANCES, [topUp.accountId, topUp.quote.cost.currency.code]),
      ],
      { concurrency: 'unbounded' },
    );
    const [account] = accounts;
    return Option.some({
      topUp,
      version,
      exchanges,
      journal: journal.map(movementOf),
      events: events.map(eventOf),
      callbacks: callbacks.map((row) => ({
        eventType: row.event_type,
        state: row.state,
        tries: row.tries,
        lastStatus: row.last_status ?? undefined,
        lastError: row.last_error ?? undefined,
      })),
      account:
        account === undefined
          ? undefined
          : {
              currency: account.currency.trim(),
              availableMinor: BigInt(account.available_minor),
              holdingMinor: BigInt(account.holding_minor),
              capturedMinor: BigInt(account.captured_minor),
              fundedMinor: BigInt(account.funded_minor),
            },
    });
  });
