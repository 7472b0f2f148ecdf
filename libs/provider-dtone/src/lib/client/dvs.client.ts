import {
  parsePhoneNumber,
  type PhoneNumber,
  type ProviderError,
  ProviderResponseInvalid,
  describeParseError,
} from '@airtime/domain';
import { type CallKind, providerFailures } from '@airtime/provider-http-kit';
import { Effect, Either, Schema } from 'effect';
import { type DvsHttpClient, type DvsQuery, type DvsRequest } from '../http/dvs-http.client';
import { jsonDecimalOf, type JsonValue } from '../http/dvs-json.codec';
import { DVS_MAX_PER_PAGE, followPages, type PageRead } from '../http/pagination-follower';
import { DvsBalance } from '../schemas/dvs-balance.schema';
import { DvsCountry, DvsOperator } from '../schemas/dvs-common.schema';
import {
  DvsBenefitType,
  DvsCampaign,
  DvsLookupOperator,
  DvsPromotion,
  DvsService,
} from '../schemas/dvs-discovery.schema';
import { DvsProduct } from '../schemas/dvs-product.schema';
import { DvsTransaction } from '../schemas/dvs-transaction.schema';
import type {
  DvsBalancesQuery,
  DvsCampaignsQuery,
  DvsCountriesQuery,
  DvsOperatorsQuery,
  DvsPartyIdentifierInput,
  DvsPartyInput,
  DvsProductsQuery,
  DvsPromotionsQuery,
  DvsReadOptions,
  DvsServicesQuery,
  DvsTransactionInput,
  DvsTransactionMode,
  DvsTransactionsQuery,
  DvsWriteOptions,
} from './dvs-client.input';
import { DTONE_PROVIDER_ID } from '../config/dvs.config';

type Call<A> = Effect.Effect<A, ProviderError>;

/** Every endpoint of the DVS reference the platform uses, typed both ways; lists are followed to their last page. */
export interface DvsClient {
  readonly services: (query?: DvsServicesQuery) => Call<readonly DvsService[]>;
  readonly service: (serviceId: number) => Call<DvsService>;
  readonly countries: (query?: DvsCountriesQuery) => Call<readonly DvsCountry[]>;
  readonly country: (countryIsoCode: string) => Call<DvsCountry>;
  readonly operators: (query?: DvsOperatorsQuery) => Call<readonly DvsOperator[]>;
  readonly operator: (operatorId: number) => Call<DvsOperator>;
  readonly benefitTypes: () => Call<readonly DvsBenefitType[]>;
  readonly promotions: (query?: DvsPromotionsQuery) => Call<readonly DvsPromotion[]>;
  readonly promotion: (promotionId: number, language?: string) => Call<DvsPromotion>;
  readonly campaigns: (query?: DvsCampaignsQuery) => Call<readonly DvsCampaign[]>;
  readonly campaign: (campaignId: number) => Call<DvsCampaign>;
  /** Products that do not decode are left out and reported to `onInvalidItem`, so one odd product cannot hide the catalogue. */
  readonly products: (query?: DvsProductsQuery) => Call<readonly DvsProduct[]>;
  /** `options.reference`: the attempt the product is read for (a send's read of a product it has not seen). */
  readonly product: (productId: number, language?: string, options?: DvsReadOptions) => Call<DvsProduct>;
  /** The operators a number may belong to (E.164). */
  readonly lookupMobileNumber: (mobileNumber: string) => Call<readonly DvsLookupOperator[]>;
  /**
   * Never resent: a timeout or 5xx is ProviderOutcomeUnknown; 1007001 is ExternalIdAlreadyUsed.
   * Filed in the transfer log under the input's external id. The calls by
   * transaction id (confirm, cancel, get) are filed under the `external_id`
   * their 2xx answer names, and under none without one (a refusal, no answer).
   */
  readonly createTransaction: (
    mode: DvsTransactionMode,
    input: DvsTransactionInput,
    options?: DvsWriteOptions,
  ) => Call<DvsTransaction>;
  readonly confirmTransaction: (
    mode: DvsTransactionMode,
    transactionId: number,
    options?: DvsWriteOptions,
  ) => Call<DvsTransaction>;
  readonly cancelTransaction: (transactionId: number) => Call<DvsTransaction>;
  readonly transaction: (transactionId: number) => Call<DvsTransaction>;
  /**
   * Filed under `query.externalId` when given: a status query is an exchange
   * of that attempt. Every page followed; `options.onPage` is told after each.
   */
  readonly transactions: (query?: DvsTransactionsQuery, options?: DvsListOptions) => Call<readonly DvsTransaction[]>;
  readonly balances: (query?: DvsBalancesQuery) => Call<readonly DvsBalance[]>;
}

export interface DvsClientOptions {
  /** Told about each list item that did not decode (and was left out). */
  readonly onInvalidItem?: ((what: string, reason: string) => void) | undefined;
  /** `per_page` of list calls, 1..100 (default 100: the fewest calls). */
  readonly perPage?: number | undefined;
}

export interface DvsListOptions {
  /** Told about each page once it is read (its number, item count and pagination headers). */
  readonly onPage?: ((read: PageRead) => void) | undefined;
}

const { unreadable } = providerFailures(DTONE_PROVIDER_ID);

// a send's answer that cannot be read is an unknown outcome (the transaction may exist: settle it by a status
// query); a read's is an invalid answer. Where and what kind of problem only: never the values.
const decodeAs =
  <A, I>(schema: Schema.Schema<A, I>, kind: CallKind, what: string) =>
  (body: unknown): Call<A> =>
    Either.match(Schema.decodeUnknownEither(schema)(body), {
      onLeft: (error) => Effect.fail(unreadable(kind, `${what}: ${describeParseError(error)}`)),
      onRight: Effect.succeed,
    });

/** The number a request carries, for the transport to keep it out of the transfer log. */
const phoneOf = (text: string | undefined): PhoneNumber | undefined =>
  text === undefined ? undefined : Either.getOrUndefined(parsePhoneNumber(text));

const isoDate = (value: Date | string | undefined): string | undefined =>
  value instanceof Date ? value.toISOString() : value;

/** The snake_case body part of a party identifier. */
export const partyIdentifierBody = (
  input: DvsPartyIdentifierInput | undefined,
): Readonly<Record<string, string | undefined>> | undefined =>
  input && {
    mobile_number: input.mobileNumber,
    account_number: input.accountNumber,
    account_qualifier: input.accountQualifier,
  };

/** The snake_case body part of a sender or beneficiary. */
export const partyBody = (input: DvsPartyInput | undefined): Readonly<Record<string, string | undefined>> | undefined =>
  input && {
    last_name: input.lastName,
    first_name: input.firstName,
    middle_name: input.middleName,
    nationality_country_iso_code: input.nationalityCountryIsoCode,
    mobile_number: input.mobileNumber,
    email: input.email,
    address_text: input.addressText,
    address_city: input.addressCity,
    address_country_iso_code: input.addressCountryIsoCode,
    address_postal_code: input.addressPostalCode,
  };

/** The JSON body of a create; amounts go out as exact decimals. */
export const transactionBody = (input: DvsTransactionInput): JsonValue => {
  const calculation = input.calculation;
  return {
    external_id: input.externalId,
    product_id: input.productId,
    auto_confirm: input.autoConfirm ?? false,
    ...(calculation === undefined
      ? {}
      : calculation.calculationMode === 'SOURCE_AMOUNT'
        ? {
            calculation_mode: 'SOURCE_AMOUNT',
            source: {
              unit_type: 'CURRENCY',
              unit: calculation.source.currency.code,
              amount: jsonDecimalOf(calculation.source),
            },
          }
        : {
            calculation_mode: 'DESTINATION_AMOUNT',
            destination: {
              unit_type: 'CURRENCY',
              unit: calculation.destination.currency.code,
              amount: jsonDecimalOf(calculation.destination),
            },
          }),
    credit_party_identifier: partyIdentifierBody(input.creditPartyIdentifier),
    debit_party_identifier: partyIdentifierBody(input.debitPartyIdentifier),
    sender: partyBody(input.sender),
    beneficiary: partyBody(input.beneficiary),
    statement_identifier: input.statementIdentifier && {
      reference: input.statementIdentifier.reference,
      due_date: input.statementIdentifier.dueDate,
    },
    additional_identifier: input.additionalIdentifier && { purchaser_id: input.additionalIdentifier.purchaserId },
    callback_url: input.callbackUrl,
  };
};

export const makeDvsClient = (http: DvsHttpClient, options: DvsClientOptions = {}): DvsClient => {
  const perPage = Math.min(DVS_MAX_PER_PAGE, Math.max(1, Math.trunc(options.perPage ?? DVS_MAX_PER_PAGE)));
  const get = <A, I>(schema: Schema.Schema<A, I>, path: string, extra: Partial<DvsRequest> = {}): Call<A> =>
    http
      .request({ method: 'GET', path, kind: 'read', ...extra })
      .pipe(Effect.flatMap((response) => decodeAs(schema, 'read', `GET ${path}`)(response.body)));

  /** Decodes a page item by item: undecodable items are reported and left out. */
  const decodePage =
    <A, I>(schema: Schema.Schema<A, I>, what: string) =>
    (body: unknown): Call<readonly A[]> => {
      if (!Array.isArray(body))
        return Effect.fail(
          new ProviderResponseInvalid({ provider: DTONE_PROVIDER_ID, reason: `${what}: expected a JSON array` }),
        );
      const items: A[] = [];
      body.forEach((item: unknown, index) => {
        Either.match(Schema.decodeUnknownEither(schema)(item), {
          onLeft: (error) => options.onInvalidItem?.(what, `item ${index}: ${describeParseError(error)}`),
          onRight: (decoded) => {
            items.push(decoded);
          },
        });
      });
      return Effect.succeed(items);
    };

  const list = <A, I>(
    schema: Schema.Schema<A, I>,
    path: string,
    query: DvsQuery = {},
    extra: {
      readonly language?: string | undefined;
      readonly tolerant?: boolean | undefined;
      readonly destination?: PhoneNumber | undefined;
      readonly reference?: string | undefined;
      readonly onPage?: ((read: PageRead) => void) | undefined;
    } = {},
  ): Call<readonly A[]> =>
    followPages(
      (page) =>
        http
          .request({
            method: 'GET',
            path,
            kind: 'read',
            query: { ...query, page, per_page: perPage },
            language: extra.language,
            destination: extra.destination,
            reference: extra.reference,
          })
          .pipe(
            Effect.flatMap((response) =>
              (extra.tolerant
                ? decodePage(schema, `GET ${path}`)
                : decodeAs(Schema.Array(schema), 'read', `GET ${path}`))(response.body).pipe(
                Effect.map((items) => ({
                  items,
                  headers: response.headers,
                  received: Array.isArray(response.body) ? response.body.length : items.length,
                })),
              ),
            ),
          ),
      { perPage, onPage: extra.onPage },
    );

  /** A create (`externalId` given) or a call by transaction id (filed under the answer's external id). */
  const send = (
    path: string,
    body: JsonValue | undefined,
    externalId: string | undefined,
    writeOptions: DvsWriteOptions = {},
    destination?: PhoneNumber,
  ) =>
    http
      .request({
        method: 'POST',
        path,
        kind: 'send',
        body,
        externalId,
        referenceFromAnswer: externalId === undefined,
        timeoutMs: writeOptions.timeoutMs,
        destination,
      })
      .pipe(Effect.flatMap((response) => decodeAs(DvsTransaction, 'send', `POST ${path}`)(response.body)));

  const id = (value: number): string => encodeURIComponent(String(value));

  return {
    services: (query = {}) => list(DvsService, '/services', { country_iso_code: query.countryIsoCode }),
    service: (serviceId) => get(DvsService, `/services/${id(serviceId)}`),
    countries: (query = {}) =>
      list(DvsCountry, '/countries', { service_id: query.serviceId, subservice_id: query.subserviceId }),
    country: (countryIsoCode) => get(DvsCountry, `/countries/${encodeURIComponent(countryIsoCode)}`),
    operators: (query = {}) =>
      list(DvsOperator, '/operators', {
        country_iso_code: query.countryIsoCode,
        service_id: query.serviceId,
        subservice_id: query.subserviceId,
      }),
    operator: (operatorId) => get(DvsOperator, `/operators/${id(operatorId)}`),
    benefitTypes: () => list(DvsBenefitType, '/benefit-types'),
    promotions: (query = {}) =>
      list(
        DvsPromotion,
        '/promotions',
        { country_iso_code: query.countryIsoCode, operator_id: query.operatorId, product_id: query.productId },
        query.language === undefined ? {} : { language: query.language },
      ),
    promotion: (promotionId, language) =>
      get(DvsPromotion, `/promotions/${id(promotionId)}`, language === undefined ? {} : { language }),
    campaigns: (query = {}) =>
      list(DvsCampaign, '/campaigns', {
        country_iso_code: query.countryIsoCode,
        operator_id: query.operatorId,
        product_id: query.productId,
      }),
    campaign: (campaignId) => get(DvsCampaign, `/campaigns/${id(campaignId)}`),
    products: (query = {}) =>
      list(
        DvsProduct,
        '/products',
        {
          type: query.type,
          service_id: query.serviceId,
          subservice_id: query.subserviceId,
          country_iso_code: query.countryIsoCode,
          operator_id: query.operatorId,
          region: query.region,
          benefit_types: query.benefitTypes,
          tags: query.tags,
        },
        { tolerant: true, language: query.language },
      ),
    product: (productId, language, readOptions = {}) =>
      get(DvsProduct, `/products/${id(productId)}`, { language, reference: readOptions.reference }),
    lookupMobileNumber: (mobileNumber) =>
      followPages(
        (page) =>
          http
            .request({
              method: 'POST',
              path: '/lookup/mobile-number',
              kind: 'read',
              body: { mobile_number: mobileNumber, page, per_page: perPage },
              destination: phoneOf(mobileNumber),
            })
            .pipe(
              Effect.flatMap((response) =>
                decodeAs(
                  Schema.Array(DvsLookupOperator),
                  'read',
                  'POST /lookup/mobile-number',
                )(response.body).pipe(Effect.map((items) => ({ items, headers: response.headers }))),
              ),
            ),
        { perPage },
      ),
    createTransaction: (mode, input, writeOptions) =>
      send(
        `/${mode}/transactions`,
        transactionBody(input),
        input.externalId,
        writeOptions,
        phoneOf(input.creditPartyIdentifier?.mobileNumber),
      ),
    confirmTransaction: (mode, transactionId, writeOptions) =>
      send(`/${mode}/transactions/${id(transactionId)}/confirm`, undefined, undefined, writeOptions),
    cancelTransaction: (transactionId) => send(`/transactions/${id(transactionId)}/cancel`, undefined, undefined),
    transaction: (transactionId) =>
      get(DvsTransaction, `/transactions/${id(transactionId)}`, { referenceFromAnswer: true }),
    transactions: (query = {}, listOptions = {}) =>
      list(
        DvsTransaction,
        '/transactions',
        {
          external_id: query.externalId,
          product_type: query.productType,
          service_id: query.serviceId,
          subservice_id: query.subserviceId,
          country_iso_code: query.countryIsoCode,
          operator_id: query.operatorId,
          status_id: query.statusId,
          credit_party_mobile_number: query.creditPartyMobileNumber,
          credit_party_account_number: query.creditPartyAccountNumber,
          from_date: isoDate(query.fromDate),
          to_date: isoDate(query.toDate),
        },
        {
          destination: query.destination ?? phoneOf(query.creditPartyMobileNumber),
          reference: query.externalId,
          onPage: listOptions.onPage,
        },
      ),
    balances: (query = {}) => list(DvsBalance, '/balances', { unit_type: query.unitType, unit: query.unit }),
  };
};
