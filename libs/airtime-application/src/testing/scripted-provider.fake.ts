// A scripted airtime provider for use-case specs: each send answers the next
// scripted outcome (completed, pending, declined, refused, unavailable, rate
// limited, "not now", timeout after or before arrival, a mismatching answer),
// and the fake keeps what actually arrived, as a provider would: a status
// query answers from it, a second send under the same external id is "already
// used" (DVS 1007001), and the test can move an arrived transaction on and
// get the callback the provider would send. The provider's transaction list
// (for reconciliation) holds what arrived plus what a test puts there (a
// transaction we never sent, a duplicate), each dated by the provider's
// clock; a test can amend one silently or script the listing's failures.
// Its balances are none unless a test sets them (exact, sub-cent allowed).
import {
  AirtimeProvider,
  type AirtimeProviderService,
  type DetailedStatus,
  ExternalIdAlreadyUsed,
  InvalidProviderCallback,
  type ListProgress,
  type OperatorMatch,
  type PreciseMoney,
  preciseOf,
  type Product,
  type ProviderCallback,
  ProviderAnswerMismatch,
  type ProviderBalances,
  type ProviderError,
  ProviderOutcomeUnknown,
  ProviderRateLimited,
  ProviderRejected,
  ProviderRetryLater,
  type ProviderTransaction,
  ProviderUnavailable,
  type SendRequest,
  StatusQueryUnsupported,
  TransactionListUnsupported,
  type TransactionWindow,
  transactionStatus,
} from '@airtime/domain';
import { Effect, Layer, Option } from 'effect';
import type { TransferLogService } from '../lib/ports/transfer-log.port';

/** What the next send does. */
export type SendScript =
  /** Arrives and completes. */
  | { readonly _tag: 'Complete' }
  /** Arrives; the provider holds it (CONFIRMED unless told). */
  | { readonly _tag: 'Pending'; readonly status?: 'CREATED' | 'CONFIRMED' | 'SUBMITTED' | undefined }
  /** Arrives and fails with a failure status (plain DECLINED unless told). */
  | { readonly _tag: 'Decline'; readonly status?: DetailedStatus | undefined }
  /** Refused before processing (HTTP 4xx): nothing arrives. */
  | { readonly _tag: 'Reject'; readonly retryable?: boolean | undefined }
  /** Not reached (connection refused): nothing arrives. */
  | { readonly _tag: 'Unavailable' }
  | { readonly _tag: 'RateLimited'; readonly retryAfterMs?: number | undefined }
  /** "Not now" for `afterMs` (default 5 minutes): nothing arrives. */
  | { readonly _tag: 'RetryLater'; readonly afterMs?: number | undefined }
  /** Arrives (completed unless told), but the answer is lost: an unknown outcome. */
  | { readonly _tag: 'TimeoutAfterArrival'; readonly status?: DetailedStatus | undefined }
  /** Lost on the way: nothing arrives, and the outcome is unknown to the sender. */
  | { readonly _tag: 'LostBeforeArrival' }
  /** Arrives and completes, but the answer does not hold to the request. */
  | { readonly _tag: 'Mismatch' };

/** What the next status query does (by default it answers what arrived). */
export type StatusScript = { readonly _tag: 'Unsupported' } | { readonly _tag: 'Unavailable' };

/** What the next transaction listing does (by default it answers what the provider holds in the window). */
export type ListScript =
  | { readonly _tag: 'Unsupported' }
  | { readonly _tag: 'Unavailable' }
  /** Answers exactly these, whatever the window. */
  | { readonly _tag: 'Answer'; readonly transactions: readonly ProviderTransaction[] };

/** A silent change of a transaction at the provider (no callback): any field but the external id. */
export type TransactionAmendment = Partial<Omit<ProviderTransaction, 'providerExternalId'>>;

/** A transaction that arrived at the fake provider. */
export interface ArrivedTransaction {
  readonly request: SendRequest;
  readonly transaction: ProviderTransaction;
  /** The position of the send that brought it, in `calls()`. */
  readonly callIndex: number;
}

export interface ProviderCall {
  readonly operation:
    'lookupOperators' | 'listProducts' | 'send' | 'statusByExternalId' | 'listTransactions' | 'cancel';
  readonly providerExternalId?: string | undefined;
}

export interface ScriptedProviderOptions {
  readonly id?: string | undefined;
  /** The catalogue; operators are those of its products unless given. */
  readonly products: readonly Product[];
  readonly operators?: readonly OperatorMatch[] | undefined;
  /** What a send does when nothing is scripted (default Complete). */
  readonly defaultSend?: SendScript | undefined;
  /** Where each send and status query is logged (as the adapters' onExchange hook would). */
  readonly transferLog?: TransferLogService | undefined;
  /** The provider's clock (for the time a "not now" names); the epoch unless given. */
  readonly now?: (() => Date) | undefined;
  /** What the provider charges for a send that arrives (its `charged`); none unless given. */
  readonly chargedOf?: ((request: SendRequest) => PreciseMoney | undefined) | undefined;
  /** Runs before a send or status query reaches the provider (e.g. to let a scheduler order it). */
  readonly gate?: ((call: ProviderCall) => Effect.Effect<void>) | undefined;
  /** Runs once a send has arrived, before its answer returns (e.g. to let a callback overtake the answer). */
  readonly afterArrival?: ((arrived: ArrivedTransaction) => Effect.Effect<void>) | undefined;
}

export interface ScriptedProvider extends AirtimeProviderService {
  /** Queues outcomes for the next sends, in order. */
  readonly scriptSends: (...scripts: readonly SendScript[]) => void;
  readonly scriptStatusQueries: (...scripts: readonly StatusScript[]) => void;
  /** Queues outcomes for the next transaction listings, in order. */
  readonly scriptListings: (...scripts: readonly ListScript[]) => void;
  /**
   * Puts a transaction at the provider that no send of ours brought: one we
   * never sent, or a second one under an external id that arrived (a
   * duplicate). Listed when its `createdAt` (the provider's now unless given)
   * is in the window; a status query answers the arrived one first, else the
   * last one put under that id. Answers it as stored.
   */
  readonly putAtProvider: (transaction: ProviderTransaction) => ProviderTransaction;
  /** Changes the arrived transaction under this external id silently (no callback); answers it. */
  readonly amend: (providerExternalId: string, amendment: TransactionAmendment) => ProviderTransaction;
  /** Every transaction the provider holds: arrived, then put there, in order. */
  readonly atProvider: () => readonly ProviderTransaction[];
  /** Drops the outcomes scripted and not used yet. */
  readonly resetScripts: () => void;
  /**
   * What `balances()` answers from now on (readable ones exact at the
   * provider's precision, e.g. holding USD 3.105, and unreadable ones);
   * `{ balances: [], unreadable: [] }` until set.
   */
  readonly setBalances: (answer: ProviderBalances) => void;
  /** Makes catalogue calls fail (ProviderUnavailable) the next `count` times. */
  readonly failCatalogue: (count: number) => void;
  readonly calls: () => readonly ProviderCall[];
  readonly arrived: () => readonly ArrivedTransaction[];
  /** Moves an arrived transaction to `status` at the provider; answers the callback the provider would send. */
  readonly settle: (providerExternalId: string, status: DetailedStatus) => ProviderCallback;
}

export const makeScriptedProvider = (options: ScriptedProviderOptions): ScriptedProvider => {
  const id = options.id ?? 'scripted';
  const sends: SendScript[] = [];
  const statusQueries: StatusScript[] = [];
  const listings: ListScript[] = [];
  const putThere: ProviderTransaction[] = [];
  const providerNow = () => options.now?.() ?? new Date(0);
  const log: ProviderCall[] = [];
  const arrivals = new Map<string, ArrivedTransaction>();
  let catalogueFailures = 0;
  let transactions = 0;
  let balances: ProviderBalances = { balances: [], unreadable: [] };

  const operators =
    options.operators ??
    [...new Map(options.products.map((product) => [product.operator.id, product.operator])).values()].map(
      (operator) => ({ operator, identified: true }),
    );

  const record = (call: ProviderCall) =>
    Effect.zipRight(
      options.gate?.(call) ?? Effect.void,
      Effect.sync(() => log.push(call) - 1),
    );

  const exchange = (
    reference: string,
    requestBody: string,
    status: number | null,
    failure?: string,
  ): Effect.Effect<void> =>
    Effect.orDie(
      options.transferLog?.append({
        provider: id,
        reference,
        method: 'POST',
        url: `https://provider.test/${requestBody.includes('status') ? 'status' : 'transactions'}`,
        startedAt: new Date(0).toISOString(),
        durationMs: 1,
        status,
        requestBody,
        responseBody: null,
        ...(failure === undefined ? {} : { failure }),
      }) ?? Effect.void,
    );

  const catalogueCall = <A>(operation: ProviderCall['operation'], answer: () => A): Effect.Effect<A, ProviderError> =>
    Effect.flatMap(record({ operation }), () => {
      if (catalogueFailures > 0) {
        catalogueFailures -= 1;
        return Effect.fail(new ProviderUnavailable({ provider: id, reason: 'scripted catalogue failure' }));
      }
      return Effect.sync(answer);
    });

  const arrive = (request: SendRequest, status: DetailedStatus, callIndex: number): ProviderTransaction => {
    transactions += 1;
    const parsed = transactionStatus(status);
    const charged = options.chargedOf?.(request);
    const transaction: ProviderTransaction = {
      providerTransactionId: `ptx-${transactions}`,
      providerExternalId: request.providerExternalId,
      status: parsed,
      ...(parsed.class === 'COMPLETED' ||
      parsed.class === 'CONFIRMED' ||
      parsed.class === 'SUBMITTED' ||
      parsed.class === 'CREATED'
        ? { receive: preciseOf(request.receive) }
        : {}),
      createdAt: providerNow(),
      ...(charged === undefined ? {} : { charged }),
    };
    arrivals.set(request.providerExternalId, { request, transaction, callIndex });
    return transaction;
  };

  const sendWith = (
    request: SendRequest,
    script: SendScript,
    callIndex: number,
  ): Effect.Effect<ProviderTransaction, ProviderError> => {
    switch (script._tag) {
      case 'Complete':
        return Effect.succeed(arrive(request, 'COMPLETED', callIndex));
      case 'Pending':
        return Effect.succeed(arrive(request, script.status ?? 'CONFIRMED', callIndex));
      case 'Decline':
        return Effect.succeed(arrive(request, script.status ?? 'DECLINED', callIndex));
      case 'Reject':
        return Effect.fail(
          new ProviderRejected({
            provider: id,
            providerCode: 'SCRIPTED',
            reason: 'scripted refusal',
            retryable: script.retryable ?? false,
          }),
        );
      case 'Unavailable':
        return Effect.fail(new ProviderUnavailable({ provider: id, reason: 'connection refused' }));
      case 'RateLimited':
        return Effect.fail(new ProviderRateLimited({ provider: id, retryAfterMs: script.retryAfterMs ?? 30_000 }));
      case 'RetryLater':
        return Effect.fail(
          new ProviderRetryLater({
            provider: id,
            reason: 'a duplicate within the window',
            earliestRetryAt: new Date(providerNow().getTime() + (script.afterMs ?? 300_000)),
          }),
        );
      case 'TimeoutAfterArrival':
        arrive(request, script.status ?? 'COMPLETED', callIndex);
        return Effect.fail(
          new ProviderOutcomeUnknown({ provider: id, reason: 'no answer within the deadline', kind: 'TIMEOUT' }),
        );
      case 'LostBeforeArrival':
        return Effect.fail(
          new ProviderOutcomeUnknown({ provider: id, reason: 'the request was sent', kind: 'CONNECTION_LOST' }),
        );
      case 'Mismatch':
        arrive(request, 'COMPLETED', callIndex);
        return Effect.fail(
          new ProviderAnswerMismatch({
            provider: id,
            field: 'destination.amount',
            reason: 'above the requested amount',
          }),
        );
    }
  };

  const allAtProvider = (): readonly ProviderTransaction[] => [
    ...[...arrivals.values()].map((arrival) => arrival.transaction),
    ...putThere,
  ];

  const listWith = (
    script: ListScript | undefined,
    window: TransactionWindow,
    onPage: ((progress: ListProgress) => void) | undefined,
  ): Effect.Effect<readonly ProviderTransaction[], ProviderError> => {
    if (script?._tag === 'Unsupported')
      return Effect.fail(new TransactionListUnsupported({ provider: id, howToReconcile: 'by the statement' }));
    if (script?._tag === 'Unavailable')
      return Effect.fail(new ProviderUnavailable({ provider: id, reason: 'scripted listing failure' }));
    return Effect.sync(() => {
      const listed =
        script?._tag === 'Answer'
          ? script.transactions
          : allAtProvider().filter((transaction) => {
              const at = transaction.createdAt?.getTime();
              return at !== undefined && at >= window.from.getTime() && at < window.to.getTime();
            });
      onPage?.({ fetched: listed.length, total: listed.length, page: 1, pages: 1 });
      return listed;
    });
  };

  const service: AirtimeProviderService = {
    id,
    lookupOperators: (phone) =>
      catalogueCall('lookupOperators', () =>
        operators.filter((match) => match.operator.countryIso === phone.countryIso),
      ),
    listProducts: (filter) =>
      catalogueCall('listProducts', () =>
        options.products.filter(
          (product) =>
            (filter.countryIso === undefined || product.operator.countryIso === filter.countryIso) &&
            (filter.operatorId === undefined || product.operator.id === filter.operatorId) &&
            (filter.kind === undefined || product.kind === filter.kind),
        ),
      ),
    send: (request) =>
      Effect.flatMap(record({ operation: 'send', providerExternalId: request.providerExternalId }), (callIndex) => {
        const body = JSON.stringify({ external_id: request.providerExternalId, product_id: request.product.id });
        if (arrivals.has(request.providerExternalId)) {
          return Effect.zipRight(
            exchange(request.providerExternalId, body, 409),
            Effect.fail(new ExternalIdAlreadyUsed({ provider: id, providerExternalId: request.providerExternalId })),
          );
        }
        const script = sends.shift() ?? options.defaultSend ?? { _tag: 'Complete' };
        const answered = Effect.onExit(
          Effect.suspend(() => sendWith(request, script, callIndex)),
          () => {
            const arrival = arrivals.get(request.providerExternalId);
            return arrival?.callIndex === callIndex ? (options.afterArrival?.(arrival) ?? Effect.void) : Effect.void;
          },
        );
        return Effect.tap(
          Effect.tapError(answered, (error) => exchange(request.providerExternalId, body, null, error._tag)),
          () => exchange(request.providerExternalId, body, 201),
        );
      }),
    statusByExternalId: (providerExternalId) =>
      Effect.flatMap(
        record({ operation: 'statusByExternalId', providerExternalId }),
        (): Effect.Effect<Option.Option<ProviderTransaction>, ProviderError> => {
          const script = statusQueries.shift();
          if (script?._tag === 'Unsupported')
            return Effect.fail(new StatusQueryUnsupported({ provider: id, howToSettle: 'wait for the callback' }));
          if (script?._tag === 'Unavailable')
            return Effect.fail(new ProviderUnavailable({ provider: id, reason: 'scripted status failure' }));
          return Effect.zipRight(
            exchange(providerExternalId, JSON.stringify({ status: providerExternalId }), 200),
            Effect.succeed(
              Option.fromNullable(
                arrivals.get(providerExternalId)?.transaction ??
                  [...putThere].reverse().find((transaction) => transaction.providerExternalId === providerExternalId),
              ),
            ),
          );
        },
      ),
    listTransactions: (window, onPage) =>
      Effect.flatMap(record({ operation: 'listTransactions' }), () => listWith(listings.shift(), window, onPage)),
    cancel: (providerTransactionId) =>
      Effect.flatMap(record({ operation: 'cancel' }), () =>
        Effect.fail(
          new ProviderRejected({
            provider: id,
            providerCode: 'SCRIPTED',
            reason: `transaction ${providerTransactionId} cannot be cancelled here`,
            retryable: false,
          }),
        ),
      ),
    balances: () => Effect.sync(() => balances),
    parseCallback: () =>
      Effect.fail(
        new InvalidProviderCallback({ provider: id, reason: 'the scripted provider takes callbacks as values' }),
      ),
  };

  return {
    ...service,
    scriptSends: (...scripts) => {
      sends.push(...scripts);
    },
    scriptStatusQueries: (...scripts) => {
      statusQueries.push(...scripts);
    },
    scriptListings: (...scripts) => {
      listings.push(...scripts);
    },
    resetScripts: () => {
      sends.length = 0;
      statusQueries.length = 0;
      listings.length = 0;
    },
    setBalances: (answer) => {
      balances = answer;
    },
    putAtProvider: (transaction) => {
      const stored: ProviderTransaction = { ...transaction, createdAt: transaction.createdAt ?? providerNow() };
      putThere.push(stored);
      return stored;
    },
    amend: (providerExternalId, amendment) => {
      const found = arrivals.get(providerExternalId);
      if (found === undefined) throw new Error(`nothing arrived under ${providerExternalId}`);
      const transaction: ProviderTransaction = { ...found.transaction, ...amendment, providerExternalId };
      arrivals.set(providerExternalId, { ...found, transaction });
      return transaction;
    },
    atProvider: allAtProvider,
    failCatalogue: (count) => {
      catalogueFailures = count;
    },
    calls: () => [...log],
    arrived: () => [...arrivals.values()],
    settle: (providerExternalId, status) => {
      const found = arrivals.get(providerExternalId);
      if (found === undefined) throw new Error(`nothing arrived under ${providerExternalId}`);
      const parsed = transactionStatus(status);
      const transaction: ProviderTransaction = { ...found.transaction, status: parsed };
      arrivals.set(providerExternalId, { ...found, transaction });
      return {
        providerTransactionId: transaction.providerTransactionId,
        providerExternalId,
        status: parsed,
        ...(transaction.receive === undefined ? {} : { receive: transaction.receive }),
      };
    },
  };
};

export const scriptedProviderLayer = (provider: ScriptedProvider): Layer.Layer<AirtimeProvider> =>
  Layer.succeed(AirtimeProvider, provider);
