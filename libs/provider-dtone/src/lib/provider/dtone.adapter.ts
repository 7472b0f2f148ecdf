import {
  AirtimeProvider,
  type AirtimeProviderService,
  checkSendAnswer,
  destinationCurrencyOf,
  InvalidProviderCallback,
  type OperatorMatch,
  type PhoneNumber,
  type Product,
  type ProductFilter,
  type ProviderBalances,
  type ProviderCallback,
  type ProviderError,
  ProviderAnswerMismatch,
  ProviderOutcomeUnknown,
  ProviderRejected,
  type ProviderTransaction,
  retryLaterOfStatus,
  type SendRequest,
  toE164,
  type UnknownOutcomeKind,
  describeParseError,
} from '@airtime/domain';
import { type TransferLogRecord } from '@airtime/provider-http-kit';
import { Effect, Either, Layer, Option, Schema } from 'effect';
import type {
  DvsCalculation,
  DvsPartyIdentifierInput,
  DvsPartyInput,
  DvsProductsQuery,
} from '../client/dvs-client.input';
import { type DvsClient, makeDvsClient, partyBody, partyIdentifierBody } from '../client/dvs.client';
import { type DvsConfig, dvsConfigFrom, type InvalidDvsConfig } from '../config/dvs.config';
import { dvsCodeImplies } from '../http/dvs-errors.table';
import { makeDvsHttpClient } from '../http/dvs-http.client';
import { alpha3Of } from '../mappers/country-code.table';
import { answeredAmongDuplicates } from './duplicate-transactions.policy';
import {
  type MappedDvsProduct,
  mapDvsProduct,
  MOBILE_SERVICE_ID,
  SUBSERVICE_OF_KIND,
} from '../mappers/dvs-product.mapper';
import { operatorMatchOf } from '../mappers/dvs-operator.mapper';
import { balancesOfDvs } from '../mappers/dvs-balance.mapper';
import { callbackOfDvs, deliveredFieldsOf, mapDvsTransaction } from '../mappers/dvs-transaction.mapper';
import type { DvsProduct, DvsProductType } from '../schemas/dvs-product.schema';
import { DvsTransaction } from '../schemas/dvs-transaction.schema';
import { type ProductCatalogueCache, makeProductCatalogueCache } from './product-catalogue-cache';
import { makeDtOneTransactionList } from './dtone-transaction-list.adapter';
import { describeRequirement, isRequired, meetsRequirement, providedFields } from './required-fields.check';
import { DTONE_PROVIDER_ID } from '../config/dvs.config';

/** Product types sold through the port: recharges of a phone (a PIN purchase would leave us a PIN to deliver). */
export const DEFAULT_PORT_PRODUCT_TYPES: readonly DvsProductType[] = ['FIXED_VALUE_RECHARGE', 'RANGED_VALUE_RECHARGE'];

export interface DtOneProviderOptions {
  /** Defaults to Node's global `fetch`. */
  readonly fetch?: typeof fetch | undefined;
  /** The transfer log: every HTTP exchange, redacted (the kit's one record type); its failures are ignored. */
  readonly onExchange?: (record: TransferLogRecord) => Effect.Effect<void>;
  /** Told about catalogue items that were left out (undecodable or not mappable to the domain). */
  readonly onInvalidItem?: (what: string, reason: string) => void;
  /** The clock of the product cache and of rate-limit waits (epoch ms). */
  readonly nowMs?: () => number;
  /** Longest rate-limit wait accepted before a throttled read fails. */
  readonly maxRateLimitWaitMs?: number | undefined;
  /** Sender details sent to products that require them (e.g. the company). */
  readonly sender?: DvsPartyInput | undefined;
  /** Beneficiary details sent (with the destination number) to products that require them. */
  readonly beneficiary?: Omit<DvsPartyInput, 'mobileNumber'> | undefined;
  readonly debitPartyIdentifier?: DvsPartyIdentifierInput | undefined;
  readonly productTypes?: readonly DvsProductType[] | undefined;
  /** `per_page` of list calls (default 100). */
  readonly perPage?: number | undefined;
  /** Longest window `listTransactions` asks DVS for at once (default a day); longer windows are split. */
  readonly maxListWindowMs?: number | undefined;
}

/** The DVS adapter: the port, plus the full client and a way to drop the product cache. */
export interface DtOneProvider extends AirtimeProviderService {
  readonly client: DvsClient;
  readonly clearProductCache: () => void;
}

const rejected = (providerCode: string, reason: string) =>
  new ProviderRejected({ provider: DTONE_PROVIDER_ID, providerCode, reason, retryable: false });

const unknownOutcome = (kind: UnknownOutcomeKind, reason: string) =>
  new ProviderOutcomeUnknown({ provider: DTONE_PROVIDER_ID, reason, kind });

const positiveInteger = (text: string): number | undefined => (/^[1-9]\d{0,15}$/.test(text) ? Number(text) : undefined);

/** The DVS query for a port filter; `undefined` when the filter cannot match any DVS product. */
export const productsQueryOf = (filter: ProductFilter): DvsProductsQuery | undefined => {
  const countryIsoCode =
    filter.countryIso === undefined
      ? undefined
      : filter.countryIso.length === 3
        ? filter.countryIso.toUpperCase()
        : alpha3Of(filter.countryIso);
  if (filter.countryIso !== undefined && countryIsoCode === undefined) return undefined;
  const operatorId = filter.operatorId === undefined ? undefined : positiveInteger(filter.operatorId);
  if (filter.operatorId !== undefined && operatorId === undefined) return undefined;
  return {
    serviceId: MOBILE_SERVICE_ID,
    ...(filter.kind === undefined ? {} : { subserviceId: SUBSERVICE_OF_KIND[filter.kind] }),
    countryIsoCode,
    operatorId,
  };
};

/** The message of the warning logged when DVS holds several transactions under one external id. */
export const DUPLICATE_AT_PROVIDER_WARNING = 'duplicate transactions at the provider for one external id';

/**
 * Logs `DUPLICATE_AT_PROVIDER_WARNING` (annotated: provider, external id,
 * count, the DVS ids ascending as `7,9`, the one answered) when DVS lists more than one
 * transaction under exactly `providerExternalId`; nothing otherwise.
 */
const warnOfDuplicates = (providerExternalId: string, transactions: readonly DvsTransaction[]): Effect.Effect<void> => {
  const ours = transactions.filter((transaction) => transaction.external_id === providerExternalId);
  if (ours.length < 2) return Effect.void;
  return Effect.logWarning(DUPLICATE_AT_PROVIDER_WARNING).pipe(
    Effect.annotateLogs({
      provider: DTONE_PROVIDER_ID,
      providerExternalId,
      count: ours.length,
      dvsTransactionIds: ours
        .map((transaction) => transaction.id)
        .sort((a, b) => a - b)
        .join(','),
      answeredDvsTransactionId: answeredAmongDuplicates(ours)?.id,
    }),
  );
};

/** A DVS transaction of a read, as the port reports it. */
const transactionOfRead = (transaction: DvsTransaction): Effect.Effect<ProviderTransaction, ProviderError> =>
  mapDvsTransaction(transaction);

/**
 * A DVS transaction answered to a write: one we cannot read is an unknown
 * outcome, settled by a status query (a mismatch already says so).
 */
const transactionOfWrite = (
  transaction: DvsTransaction,
  askedCurrency?: string,
): Effect.Effect<ProviderTransaction, ProviderError> =>
  Either.match(mapDvsTransaction(transaction, askedCurrency), {
    onLeft: (error) =>
      Effect.fail(
        error._tag === 'ProviderAnswerMismatch'
          ? error
          : unknownOutcome('UNREADABLE_ANSWER', `the transaction answered cannot be read: ${error.reason}`),
      ),
    onRight: Effect.succeed,
  });

/**
 * The answer about one of our sends, held to the request: the same external
 * id, the requested currency, a positive amount no greater than asked
 * (`ProviderAnswerMismatch` otherwise). A send refused "for now" (a
 * duplicate, the limits on the beneficiary's number) is `ProviderRetryLater`.
 */
const answerToSend = (
  request: SendRequest,
  transaction: DvsTransaction,
  nowMs: () => number,
): Effect.Effect<ProviderTransaction, ProviderError> =>
  Effect.flatMap(transactionOfWrite(transaction, request.receive.currency.code), (mapped) =>
    Either.match(
      checkSendAnswer(DTONE_PROVIDER_ID, request, mapped, {
        externalId: 'external_id',
        ...deliveredFieldsOf(transaction),
      }),
      {
        onLeft: (mismatch): Effect.Effect<ProviderTransaction, ProviderError> => Effect.fail(mismatch),
        onRight: (checked) => {
          const later = retryLaterOfStatus(DTONE_PROVIDER_ID, checked.status, new Date(nowMs()));
          return later === undefined ? Effect.succeed(checked) : Effect.fail(later);
        },
      },
    ),
  );

const decodeCallback = Schema.decodeUnknownEither(DvsTransaction);

/**
 * A product serves one country (its operator's) in one destination currency:
 * a send to a number of another country, or in another currency, is refused
 * before anything reaches DVS.
 */
const destinationAgrees = (product: Product, request: SendRequest): Effect.Effect<void, ProviderRejected> => {
  const currency = destinationCurrencyOf(product);
  if (product.operator.countryIso !== request.destination.countryIso)
    return Effect.fail(
      rejected('DESTINATION_COUNTRY_MISMATCH', `product ${product.id} serves another country than the destination's`),
    );
  if (currency.code !== request.receive.currency.code)
    return Effect.fail(
      rejected(
        'INVALID_REQUEST',
        `product ${product.id} delivers ${currency.code}, not ${request.receive.currency.code}`,
      ),
    );
  return Effect.void;
};

/**
 * The DT One DVS adapter of the `AirtimeProvider` port (id `dtone`).
 * - `send`: an async transaction with `auto_confirm` and the callback URL;
 *   "external id already used" answers with the existing transaction; a
 *   timeout or 5xx fails with ProviderOutcomeUnknown, never a failure;
 * - `statusByExternalId`: `GET /transactions?external_id=`, None when empty;
 * - `listTransactions`: `GET /transactions?from_date&to_date`, every page
 *   (dtone-transaction-list.adapter.ts);
 * - every exchange of an attempt is filed in the transfer log under its
 *   external id (the send, its product read, a status query); a cancel, by
 *   DVS transaction id, under the `external_id` DVS answers, else none;
 * - `listProducts`: Mobile recharge products, cached for the configured TTL;
 * - `parseCallback`: the transaction object DVS POSTs, as a status event.
 */
export const makeDtOneProvider = (config: DvsConfig, options: DtOneProviderOptions = {}): DtOneProvider => {
  const nowMs = options.nowMs ?? Date.now;
  const http = makeDvsHttpClient(config, {
    nowMs,
    fetch: options.fetch,
    onExchange: options.onExchange,
    maxRateLimitWaitMs: options.maxRateLimitWaitMs,
  });
  const client = makeDvsClient(http, {
    onInvalidItem: options.onInvalidItem,
    perPage: options.perPage,
  });
  const cache: ProductCatalogueCache = makeProductCatalogueCache(config.productCacheTtlMs, nowMs);
  const portTypes = new Set<string>(options.productTypes ?? DEFAULT_PORT_PRODUCT_TYPES);

  const mapProducts = (products: readonly DvsProduct[]): readonly MappedDvsProduct[] =>
    products.flatMap((product, index) => {
      if (!portTypes.has(product.type)) return [];
      return Either.match(mapDvsProduct(product), {
        onLeft: (error) => {
          options.onInvalidItem?.('GET /products', `item ${index}: ${error.reason}`);
          return [];
        },
        onRight: (mapped) => [mapped],
      });
    });

  const listProducts = (filter: ProductFilter) =>
    Effect.suspend(() => {
      const query = productsQueryOf(filter);
      if (query === undefined) return Effect.succeed([]);
      const key = JSON.stringify(query);
      const cached = cache.get(key);
      if (cached !== undefined) return Effect.succeed(cached.map((mapped) => mapped.product));
      return client.products(query).pipe(
        Effect.map(mapProducts),
        Effect.tap((mapped) => Effect.sync(() => cache.set(key, mapped))),
        Effect.map((mapped) => mapped.map((item) => item.product)),
      );
    });

  /**
   * The product as DVS defined it: from the cache, else fetched alone (a
   * read: nothing is sent yet), filed in the transfer log of the attempt.
   */
  const productForSend = (productId: number, reference: string): Effect.Effect<MappedDvsProduct, ProviderError> =>
    Effect.suspend(() => {
      const known = cache.byId(String(productId));
      if (known !== undefined) return Effect.succeed(known);
      return client.product(productId, undefined, { reference }).pipe(
        Effect.flatMap((product) => mapDvsProduct(product)),
        Effect.tap((mapped) => Effect.sync(() => cache.remember(mapped))),
      );
    });

  /**
   * The DVS transaction under exactly this external id; undefined when DVS
   * lists none. Several (a duplicate at DVS: two deliveries may have
   * happened) answer the one `answeredAmongDuplicates` picks (COMPLETED
   * first, then one still pending, then the latest), and log a warning with
   * their count and DVS ids (never a phone number). A list of only other
   * transactions is no proof that ours was never received: a mismatch, never
   * "none".
   */
  const transactionByExternalId = (
    providerExternalId: string,
    destination?: PhoneNumber,
  ): Effect.Effect<DvsTransaction | undefined, ProviderError> =>
    client.transactions({ externalId: providerExternalId, destination }).pipe(
      Effect.tap((transactions) => warnOfDuplicates(providerExternalId, transactions)),
      Effect.flatMap((transactions) => {
        const ours = answeredAmongDuplicates(
          transactions.filter((transaction) => transaction.external_id === providerExternalId),
        );
        return ours === undefined && transactions.length > 0
          ? Effect.fail(
              new ProviderAnswerMismatch({
                provider: DTONE_PROVIDER_ID,
                field: 'external_id',
                reason: 'an answer about another transaction',
              }),
            )
          : Effect.succeed(ours);
      }),
    );

  const statusByExternalId = (
    providerExternalId: string,
  ): Effect.Effect<Option.Option<ProviderTransaction>, ProviderError> =>
    transactionByExternalId(providerExternalId).pipe(
      Effect.flatMap((found) =>
        found === undefined ? Effect.succeed(Option.none()) : Effect.map(transactionOfRead(found), Option.some),
      ),
    );

  const send = (request: SendRequest): Effect.Effect<ProviderTransaction, ProviderError> =>
    Effect.gen(function* () {
      const productId = positiveInteger(request.product.id);
      if (productId === undefined)
        return yield* Effect.fail(rejected('INVALID_REQUEST', `"${request.product.id}" is not a DVS product id`));
      // before any HTTP call: the product as the caller has it must serve the destination's country in its currency
      yield* destinationAgrees(request.product, request);
      const mapped = yield* productForSend(productId, request.providerExternalId);
      const product = mapped.product;
      // and so must the product as DVS defines it
      yield* destinationAgrees(product, request);
      if (product._tag === 'FixedProduct' && product.destination.amountMinor !== request.receive.amountMinor) {
        return yield* Effect.fail(
          rejected('INVALID_REQUEST', `product ${productId} is a fixed denomination other than the amount requested`),
        );
      }
      const calculation: DvsCalculation | undefined =
        product._tag === 'RangedProduct'
          ? { calculationMode: 'DESTINATION_AMOUNT', destination: request.receive }
          : undefined;

      const mobileNumber = toE164(request.destination);
      const { requirements } = mapped;
      const creditPartyIdentifier: DvsPartyIdentifierInput = { mobileNumber };
      const beneficiary: DvsPartyInput | undefined = isRequired(requirements.beneficiary)
        ? { ...options.beneficiary, mobileNumber }
        : undefined;
      const sender = isRequired(requirements.sender) ? options.sender : undefined;
      const debitPartyIdentifier = isRequired(requirements.debitPartyIdentifier)
        ? options.debitPartyIdentifier
        : undefined;
      const unmet = [
        ['credit party identifier', requirements.creditPartyIdentifier, partyIdentifierBody(creditPartyIdentifier)],
        ['beneficiary', requirements.beneficiary, partyBody(beneficiary)],
        ['sender', requirements.sender, partyBody(sender)],
        ['debit party identifier', requirements.debitPartyIdentifier, partyIdentifierBody(debitPartyIdentifier)],
        ['statement identifier', requirements.statementIdentifier, undefined],
        ['additional identifier', requirements.additionalIdentifier, undefined],
      ] as const;
      for (const [what, required, provided] of unmet) {
        if (!meetsRequirement(required, providedFields(provided))) {
          return yield* Effect.fail(
            rejected(
              'MISSING_REQUIRED_FIELDS',
              `product ${productId} requires ${what} fields ${describeRequirement(required)}`,
            ),
          );
        }
      }

      return yield* client
        .createTransaction('async', {
          externalId: request.providerExternalId,
          productId,
          autoConfirm: true,
          creditPartyIdentifier,
          calculation,
          beneficiary,
          sender,
          debitPartyIdentifier,
          callbackUrl: request.callbackUrl,
        })
        .pipe(
          Effect.flatMap((transaction) => answerToSend(request, transaction, nowMs)),
          Effect.tapError((error) =>
            // the catalogue is stale: the next list downloads it again
            Effect.sync(() =>
              error._tag === 'ProviderRejected' && dvsCodeImplies(error.providerCode, 'stale-product-catalogue')
                ? cache.clear()
                : undefined,
            ),
          ),
          Effect.catchTag('ExternalIdAlreadyUsed', () =>
            // not a failure: the transaction exists; its answer is the send's answer, held to the request
            transactionByExternalId(request.providerExternalId, request.destination).pipe(
              Effect.catchAll((error) =>
                Effect.fail(
                  unknownOutcome('CONFLICT', `external id already used, and fetching it failed: ${error.message}`),
                ),
              ),
              Effect.flatMap((found) =>
                found === undefined
                  ? Effect.fail(
                      unknownOutcome(
                        'CONFLICT',
                        `external id ${request.providerExternalId} already used, but not found`,
                      ),
                    )
                  : answerToSend(request, found, nowMs),
              ),
            ),
          ),
        );
    });

  const cancel = (providerTransactionId: string): Effect.Effect<ProviderTransaction, ProviderError> =>
    Effect.suspend(() => {
      const id = positiveInteger(providerTransactionId);
      if (id === undefined)
        return Effect.fail(rejected('INVALID_REQUEST', `"${providerTransactionId}" is not a DVS transaction id`));
      return client.cancelTransaction(id).pipe(Effect.flatMap((transaction) => transactionOfWrite(transaction)));
    });

  const lookupOperators = (phone: Parameters<AirtimeProviderService['lookupOperators']>[0]) =>
    client.lookupMobileNumber(toE164(phone)).pipe(
      Effect.map((operators) =>
        operators.flatMap((operator): OperatorMatch[] =>
          Either.match(operatorMatchOf(operator), {
            onLeft: (error) => {
              options.onInvalidItem?.('POST /lookup/mobile-number', error.reason);
              return [];
            },
            onRight: (match) => [match],
          }),
        ),
      ),
    );

  /** Each balance read on its own: one that cannot be read is listed in `unreadable`, never hides the others. */
  const balances = (): Effect.Effect<ProviderBalances, ProviderError> => Effect.map(client.balances(), balancesOfDvs);

  const parseCallback = (body: unknown): Effect.Effect<ProviderCallback, InvalidProviderCallback> => {
    const invalid = (reason: string) => new InvalidProviderCallback({ provider: DTONE_PROVIDER_ID, reason });
    let json: unknown = body;
    if (typeof body === 'string' || ArrayBuffer.isView(body)) {
      try {
        json = JSON.parse(
          typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'),
        );
      } catch {
        return Effect.fail(invalid('the body is not JSON'));
      }
    }
    return Either.match(decodeCallback(json), {
      onLeft: (error) =>
        Effect.fail(
          // where and what kind of problem only: never the values (phone numbers...)
          invalid(`not a DVS transaction object: ${describeParseError(error)}`),
        ),
      onRight: (transaction) =>
        Either.match(callbackOfDvs(transaction), {
          onLeft: (error) =>
            Effect.fail(
              invalid(error._tag === 'ProviderAnswerMismatch' ? `${error.field}: ${error.reason}` : error.reason),
            ),
          onRight: Effect.succeed,
        }),
    });
  };

  return {
    id: DTONE_PROVIDER_ID,
    client,
    clearProductCache: () => cache.clear(),
    lookupOperators,
    listProducts,
    send,
    statusByExternalId,
    listTransactions: makeDtOneTransactionList(client, { maxWindowMs: options.maxListWindowMs }),
    cancel,
    balances,
    parseCallback,
  };
};

/** The `AirtimeProvider` port served by DT One DVS. */
export const dtOneProviderLayer = (
  config: DvsConfig,
  options: DtOneProviderOptions = {},
): Layer.Layer<AirtimeProvider> => Layer.succeed(AirtimeProvider, makeDtOneProvider(config, options));

/** The same, configured from environment variables (DTONE_*); fails with InvalidDvsConfig naming the bad variables. */
export const dtOneProviderLayerFromEnv = (
  environment: Readonly<Record<string, string | undefined>> = process.env,
  options: DtOneProviderOptions = {},
): Layer.Layer<AirtimeProvider, InvalidDvsConfig> =>
  Layer.effect(
    AirtimeProvider,
    Effect.map(
      Effect.suspend(() => dvsConfigFrom(environment)),
      (config) => makeDtOneProvider(config, options),
    ),
  );
