// The provider port implemented directly on the engine (no HTTP). The
// error-rate fault fails calls with `ProviderUnavailable`; the
// timeout-after-accept fault creates the transaction, then fails the send
// with `ProviderOutcomeUnknown`. Products that need sender or beneficiary
// details (which the port does not carry) and non-mobile products are not
// listed.
import {
  AirtimeProvider,
  type AirtimeProviderService,
  checkReportedAmount,
  checkSendAnswer,
  currencyOf,
  destinationCurrencyOf,
  ExternalIdAlreadyUsed,
  formatMoney,
  InvalidProviderCallback,
  isFailureClass,
  money,
  type OperatorMatch,
  parseTransactionStatus,
  preciseMoneyFromJsonNumber,
  preciseOf,
  type ProviderBalance,
  type ProviderCallback,
  type ProviderError,
  ProviderOutcomeUnknown,
  ProviderRateLimited,
  ProviderRejected,
  ProviderResponseInvalid,
  type ProviderTransaction,
  ProviderUnavailable,
  retryLaterOfStatus,
  type SendRequest,
  transactionStatus,
  describeParseError,
} from '@airtime/domain';
import { Effect, Either, Layer, Option, Schema } from 'effect';
import { countryByAlpha2 } from '../engine/catalogue.queries';
import { answerAmongDuplicates } from './duplicate-answer.policy';
import { SimulatorEngine, type SimulatorEngineOptions } from '../engine/simulator-engine';
import type { DvsError } from '../engine/simulator.errors';
import { chargeOf } from '../engine/transaction-pricing';
import type { CreateTransactionInput, SimTransaction } from '../engine/transaction.types';
import { KIND_SUBSERVICES, toDomainOperator, toDomainProduct } from './domain-product.mapper';

export const SIMULATOR_PROVIDER_ID = 'simulator';

export interface SimulatorProviderOptions {
  readonly providerId?: string | undefined;
  /** The clock of "not now" refusals (epoch ms); defaults to the engine's simulated wall clock. */
  readonly nowMs?: () => number;
}

const DvsCallback = Schema.Struct({
  id: Schema.Number.pipe(Schema.int(), Schema.positive()),
  external_id: Schema.optional(Schema.String),
  status: Schema.Struct({ message: Schema.String, class: Schema.Struct({ message: Schema.String }) }),
  adjusted_values: Schema.optional(
    Schema.Struct({ destination: Schema.optional(Schema.Struct({ unit: Schema.String, amount: Schema.Number })) }),
  ),
});

export const makeSimulatorProvider = (
  engine: SimulatorEngine,
  options: SimulatorProviderOptions = {},
): AirtimeProviderService => {
  const provider = options.providerId ?? SIMULATOR_PROVIDER_ID;
  const { catalogue } = engine;

  const toProviderError = (error: DvsError, providerExternalId?: string): ProviderError => {
    switch (error.code) {
      case 1007001:
        return new ExternalIdAlreadyUsed({ provider, providerExternalId: providerExternalId ?? '' });
      case 1000429:
        return new ProviderRateLimited({ provider, retryAfterMs: 1_000 });
      case 1009001:
      case 1009503:
        return new ProviderUnavailable({ provider, reason: error.message });
      default:
        return new ProviderRejected({
          provider,
          providerCode: String(error.code),
          reason: error.message,
          retryable: false,
        });
    }
  };

  const nowMs = options.nowMs ?? (() => engine.now());

  /**
   * As DVS reports it: a failed transaction delivered nothing, so it carries
   * no amount; every one carries its creation date and what it charged
   * (wholesale price + fee, what the balance held).
   */
  const toProviderTransaction = (transaction: SimTransaction): ProviderTransaction => {
    const status = transactionStatus(transaction.status);
    return {
      providerTransactionId: String(transaction.id),
      providerExternalId: transaction.externalId,
      status,
      ...(isFailureClass(status.class) ? {} : { receive: preciseOf(transaction.pricing.destination) }),
      ...(transaction.operatorReference === undefined ? {} : { operatorReference: transaction.operatorReference }),
      createdAt: new Date(transaction.createdAtMs),
      charged: preciseOf(chargeOf(transaction.pricing)),
    };
  };

  const rejected = (providerCode: string, reason: string) =>
    new ProviderRejected({ provider, providerCode, reason, retryable: false });

  /**
   * A product serves its operator's country in its destination currency: a
   * send to another country or in another currency is refused before the
   * engine sees it.
   */
  const destinationRefusal = (request: SendRequest): ProviderRejected | undefined => {
    const currency = destinationCurrencyOf(request.product);
    if (request.product.operator.countryIso !== request.destination.countryIso)
      return rejected('DESTINATION_COUNTRY_MISMATCH', "the product serves another country than the destination's");
    if (currency.code !== request.receive.currency.code)
      return rejected('1003003', `the product delivers ${currency.code}, not ${request.receive.currency.code}`);
    return undefined;
  };

  /** The answer to a send, held to the request; a "not now" status is `ProviderRetryLater`. */
  const answerToSend = (
    request: SendRequest,
    transaction: SimTransaction,
  ): Effect.Effect<ProviderTransaction, ProviderError> =>
    Either.match(
      checkSendAnswer(provider, request, toProviderTransaction(transaction), {
        externalId: 'external_id',
        amount: 'adjusted_values.destination.amount',
        currency: 'adjusted_values.destination.unit',
      }),
      {
        onLeft: (mismatch): Effect.Effect<ProviderTransaction, ProviderError> => Effect.fail(mismatch),
        onRight: (answer) => {
          const later = retryLaterOfStatus(provider, answer.status, new Date(nowMs()));
          return later === undefined ? Effect.succeed(answer) : Effect.fail(later);
        },
      },
    );

  const guarded = <A>(work: () => Effect.Effect<A, ProviderError>): Effect.Effect<A, ProviderError> =>
    Effect.suspend(() =>
      engine.drawFailure()
        ? Effect.fail(new ProviderUnavailable({ provider, reason: 'simulated error rate' }))
        : work(),
    );

  const fromEither = <A>(result: Either.Either<A, DvsError>, externalId?: string): Effect.Effect<A, ProviderError> =>
    Either.match(result, {
      onLeft: (error) => Effect.fail(toProviderError(error, externalId)),
      onRight: Effect.succeed,
    });

  const sendInput = (request: SendRequest): CreateTransactionInput => ({
    externalId: request.providerExternalId,
    productId: /^\d+$/.test(request.product.id) ? Number(request.product.id) : 0,
    autoConfirm: true,
    creditPartyIdentifier: { mobile_number: request.destination.e164 },
    ...(request.product._tag === 'RangedProduct'
      ? {
          calculationMode: 'DESTINATION_AMOUNT' as const,
          // the exact decimal text: a money amount never goes through a float
          destination: { unit: request.receive.currency.code, amount: formatMoney(request.receive) },
        }
      : {}),
    ...(request.callbackUrl === undefined ? {} : { callbackUrl: request.callbackUrl }),
  });

  return {
    id: provider,
    lookupOperators: (phone) =>
      guarded(() =>
        Effect.map(fromEither(engine.lookup(phone.e164)), (matches): readonly OperatorMatch[] =>
          matches.map((match) => ({
            operator: toDomainOperator(catalogue, match.operator),
            identified: match.identified,
          })),
        ),
      ),
    listProducts: (filter) =>
      guarded(() => {
        const country = filter.countryIso === undefined ? undefined : countryByAlpha2(catalogue, filter.countryIso);
        if (filter.countryIso !== undefined && !country) return Effect.succeed([]);
        if (filter.operatorId !== undefined && !/^\d+$/.test(filter.operatorId)) return Effect.succeed([]);
        const products = engine
          .products({
            serviceId: 1,
            ...(country ? { countryIsoCode: country.isoCode } : {}),
            ...(filter.operatorId === undefined ? {} : { operatorId: Number(filter.operatorId) }),
            ...(filter.kind === undefined ? {} : { subserviceId: KIND_SUBSERVICES[filter.kind] }),
          })
          .filter(
            (product) => product.requiredSenderFields.length === 0 && product.requiredBeneficiaryFields.length === 0,
          );
        return Effect.forEach(products, (product) =>
          Either.match(toDomainProduct(catalogue, product), {
            onLeft: (error) => Effect.fail(new ProviderResponseInvalid({ provider, reason: error.message })),
            onRight: Effect.succeed,
          }),
        );
      }),
    send: (request) =>
      guarded(() => {
        const refusal = destinationRefusal(request);
        if (refusal !== undefined) return Effect.fail(refusal);
        const input = sendInput(request);
        if (
          request.product._tag === 'FixedProduct' &&
          request.receive.amountMinor !== request.product.destination.amountMinor
        ) {
          return Effect.fail(
            new ProviderRejected({
              provider,
              providerCode: '1003002',
              reason: 'the amount differs from the fixed product',
              retryable: false,
            }),
          );
        }
        return Effect.flatMap(fromEither(engine.createTransaction(input), request.providerExternalId), (transaction) =>
          engine.faults().timeoutAfterAccept
            ? Effect.fail(
                new ProviderOutcomeUnknown({
                  provider,
                  reason: 'simulated timeout after the send was accepted',
                  kind: 'TIMEOUT',
                }),
              )
            : answerToSend(request, transaction),
        );
      }),
    statusByExternalId: (providerExternalId) =>
      guarded(() =>
        // a duplicate (several under one external id): answered by the DT One adapter's rule, and logged
        answerAmongDuplicates(
          provider,
          providerExternalId,
          engine.transactions({ externalId: providerExternalId }).map(toProviderTransaction),
        ).pipe(Effect.map(Option.fromNullable)),
      ),
    listTransactions: (window, onPage) =>
      guarded(() =>
        Effect.sync(() => {
          // the engine's bounds are inclusive: `to` itself is left out here
          const listed = engine
            .transactions({ fromMs: window.from.getTime(), toMs: window.to.getTime() })
            .filter((transaction) => transaction.createdAtMs < window.to.getTime())
            .sort((a, b) => a.createdAtMs - b.createdAtMs || a.id - b.id)
            .map(toProviderTransaction);
          onPage?.({ fetched: listed.length, total: listed.length, page: 1, pages: 1 });
          return listed;
        }),
      ),
    cancel: (providerTransactionId) =>
      guarded(() =>
        /^\d+$/.test(providerTransactionId)
          ? Effect.map(fromEither(engine.cancel(Number(providerTransactionId))), toProviderTransaction)
          : Effect.fail(
              new ProviderRejected({
                provider,
                providerCode: '1008004',
                reason: 'Transaction not found',
                retryable: false,
              }),
            ),
      ),
    balances: () =>
      guarded(() =>
        Effect.succeed({
          balances: engine.balances().map((balance): ProviderBalance => ({
            available: preciseOf(money(balance.availableMinor, balance.currency)),
            holding: preciseOf(money(balance.holdingMinor, balance.currency)),
            creditLimit: preciseOf(money(balance.creditLimitMinor, balance.currency)),
          })),
          // the engine keeps exact minor units: every balance reads
          unreadable: [],
        }),
      ),
    parseCallback: (body) => {
      const invalid = (reason: string) => new InvalidProviderCallback({ provider, reason });
      return Effect.gen(function* () {
        // reasons name fields and kinds, never the values of the body
        const decoded = yield* Effect.mapError(Schema.decodeUnknown(DvsCallback)(body), (error) =>
          invalid(describeParseError(error)),
        );
        const status = yield* Effect.mapError(parseTransactionStatus(decoded.status.message), () =>
          invalid('status.message is not a status of the reference'),
        );
        if (status.class !== decoded.status.class.message)
          return yield* Effect.fail(invalid('status.message is not of the class status.class.message names'));
        const destination = isFailureClass(status.class) ? undefined : decoded.adjusted_values?.destination;
        // delivered: exact at the simulator's precision, positive; never rounded or dropped
        const receive = destination
          ? yield* Either.flatMap(
              Either.mapLeft(currencyOf(destination.unit), () =>
                invalid('adjusted_values.destination.unit is not a known currency'),
              ),
              (currency) =>
                Either.flatMap(
                  Either.mapLeft(preciseMoneyFromJsonNumber(destination.amount, currency), (error) =>
                    invalid(`adjusted_values.destination.amount cannot be read exactly: ${error.reason}`),
                  ),
                  (amount) =>
                    Either.mapLeft(
                      checkReportedAmount(provider, amount, 'adjusted_values.destination.amount'),
                      (mismatch) => invalid(`${mismatch.field}: ${mismatch.reason}`),
                    ),
                ),
            )
          : undefined;
        const callback: ProviderCallback = {
          providerTransactionId: String(decoded.id),
          ...(decoded.external_id === undefined ? {} : { providerExternalId: decoded.external_id }),
          status,
          ...(receive === undefined ? {} : { receive }),
        };
        return callback;
      });
    },
  };
};

/** The `AirtimeProvider` port served by an existing engine. */
export const simulatorProviderLayer = (
  engine: SimulatorEngine,
  options: SimulatorProviderOptions = {},
): Layer.Layer<AirtimeProvider> => Layer.succeed(AirtimeProvider, makeSimulatorProvider(engine, options));

/** The `AirtimeProvider` port on a fresh engine, closed when the layer's scope closes. */
export const simulatorProviderLayerFromOptions = (
  engineOptions: SimulatorEngineOptions = {},
  options: SimulatorProviderOptions = {},
): Layer.Layer<AirtimeProvider> =>
  Layer.scoped(
    AirtimeProvider,
    Effect.map(
      Effect.acquireRelease(
        Effect.sync(() => new SimulatorEngine(engineOptions)),
        (engine) => Effect.sync(() => engine.close()),
      ),
      (engine) => makeSimulatorProvider(engine, options),
    ),
  );
