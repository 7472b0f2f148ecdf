// The DVS API subset of the reference, on the engine.
import { Either } from 'effect';
import {
  benefitTypesOf,
  campaignById,
  countryByIso,
  filterCampaigns,
  filterCountries,
  filterOperators,
  filterPromotions,
  type OfferQuery,
  operatorById,
  productById,
  promotionById,
} from '../engine/catalogue.queries';
import { type PageRequest, paginate, paginationHeaders } from '../engine/pagination';
import type { SimulatorEngine } from '../engine/simulator-engine';
import { dvsError, type DvsError } from '../engine/simulator.errors';
import type { SimTransaction } from '../engine/transaction.types';
import {
  balanceJson,
  benefitTypeJson,
  campaignJson,
  countryJson,
  type Json,
  lookupJson,
  operatorJson,
  productJson,
  promotionJson,
  serviceJson,
  transactionJson,
} from '../json/dvs-json.mapper';
import { decodeCreateTransaction, decodeLookupBody, QueryReader } from './dvs-request.schema';
import { dvsErrorReply, json, type Reply } from './http-io';

export interface RouteRequest {
  readonly params: readonly string[];
  readonly query: URLSearchParams;
  /** The parsed JSON body (undefined when there was none). */
  readonly body: unknown;
}

export interface Route {
  readonly method: 'GET' | 'POST';
  readonly path: RegExp;
  /** A send (create or confirm): subject to the timeout-after-accept fault. */
  readonly send?: boolean | undefined;
  readonly handle: (request: RouteRequest) => Reply | Promise<Reply>;
}

const page = <T>(items: readonly T[], request: PageRequest, render: (item: T) => Json): Reply => {
  const result = paginate(items, request);
  return json(200, result.items.map(render), paginationHeaders(result));
};

const listOf =
  <T>(read: (query: QueryReader) => readonly T[], render: (item: T) => Json) =>
  ({ query }: RouteRequest): Reply => {
    const reader = new QueryReader(query);
    const paging = reader.page();
    const items = read(reader);
    return reader.error ? dvsErrorReply(reader.error) : page(items, paging, render);
  };

const param = (request: RouteRequest, index = 0): string => decodeURIComponent(request.params[index] ?? '');

/** The filters of `GET /promotions` and `GET /campaigns`. */
const offerQuery = (query: QueryReader): OfferQuery => {
  const countryIsoCode = query.iso3('country_iso_code');
  const operatorId = query.positiveInt('operator_id');
  const productId = query.positiveInt('product_id');
  return {
    countryIsoCode,
    operatorId,
    productId,
  };
};

const found = <T>(value: T | undefined, notFound: DvsError, render: (value: T) => Json): Reply =>
  value === undefined ? dvsErrorReply(notFound) : json(200, render(value));

export const dvsRoutes = (engine: SimulatorEngine): readonly Route[] => {
  const { catalogue } = engine;
  const transactionReply = (status: number, result: Either.Either<SimTransaction | undefined, DvsError>): Reply =>
    Either.match(result, {
      onLeft: (error) => dvsErrorReply(error),
      onRight: (transaction) =>
        transaction ? json(status, transactionJson(catalogue, transaction)) : dvsErrorReply(dvsError(1008004)),
    });

  const create =
    (sync: boolean) =>
    async ({ body }: RouteRequest): Promise<Reply> => {
      const created = Either.flatMap(decodeCreateTransaction(body), (input) => engine.createTransaction(input));
      if (Either.isLeft(created)) return dvsErrorReply(created.left);
      const transaction =
        sync && created.right.status !== 'CREATED' ? await engine.waitForFinal(created.right.id) : created.right;
      return transactionReply(201, Either.right(transaction));
    };

  const confirm =
    (sync: boolean) =>
    async (request: RouteRequest): Promise<Reply> => {
      const confirmed = engine.confirm(Number(param(request)));
      if (Either.isLeft(confirmed) || !sync) return transactionReply(202, confirmed);
      return transactionReply(200, Either.right(await engine.waitForFinal(confirmed.right.id)));
    };

  const lookup = (mobileNumber: string, paging: PageRequest): Reply =>
    Either.match(engine.lookup(mobileNumber), {
      onLeft: (error) => dvsErrorReply(error),
      onRight: (matches) => page(matches, paging, (match) => lookupJson(catalogue, match.operator, match.identified)),
    });

  return [
    {
      method: 'GET',
      path: /^\/v1\/services$/,
      handle: listOf(() => catalogue.services, serviceJson),
    },
    {
      method: 'GET',
      path: /^\/v1\/services\/(\d+)$/,
      handle: (request) =>
        found(
          catalogue.services.find((service) => service.id === Number(param(request))),
          dvsError(1005004),
          serviceJson,
        ),
    },
    {
      method: 'GET',
      path: /^\/v1\/countries$/,
      handle: listOf((query) => {
        const serviceId = query.positiveInt('service_id');
        const subserviceId = query.positiveInt('subservice_id');
        return filterCountries(catalogue, {
          serviceId,
          subserviceId,
        });
      }, countryJson),
    },
    {
      method: 'GET',
      path: /^\/v1\/countries\/([^/]+)$/,
      handle: (request) => found(countryByIso(catalogue, param(request)), dvsError(1005005), countryJson),
    },
    {
      method: 'GET',
      path: /^\/v1\/operators$/,
      handle: listOf(
        (query) => {
          const countryIsoCode = query.iso3('country_iso_code');
          const serviceId = query.positiveInt('service_id');
          const subserviceId = query.positiveInt('subservice_id');
          return filterOperators(catalogue, {
            countryIsoCode,
            serviceId,
            subserviceId,
          });
        },
        (operator) => operatorJson(catalogue, operator),
      ),
    },
    {
      method: 'GET',
      path: /^\/v1\/operators\/(\d+)$/,
      handle: (request) =>
        found(operatorById(catalogue, Number(param(request))), dvsError(1005006), (operator) =>
          operatorJson(catalogue, operator),
        ),
    },
    {
      method: 'GET',
      path: /^\/v1\/products$/,
      handle: listOf(
        (query) => {
          const filters = {
            type: query.productType('type'),
            serviceId: query.positiveInt('service_id'),
            subserviceId: query.positiveInt('subservice_id'),
            countryIsoCode: query.iso3('country_iso_code'),
            operatorId: query.positiveInt('operator_id'),
            region: query.string('region'),
            benefitTypes: query.benefitTypes('benefit_types'),
            tags: query.list('tags'),
          };
          return engine.products(
            Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined)) as Parameters<
              typeof engine.products
            >[0],
          );
        },
        (product) => productJson(catalogue, product),
      ),
    },
    {
      method: 'GET',
      path: /^\/v1\/products\/(\d+)$/,
      handle: (request) =>
        found(productById(catalogue, Number(param(request))), dvsError(1003001), (product) =>
          productJson(catalogue, product),
        ),
    },
    {
      method: 'GET',
      path: /^\/v1\/benefit-types$/,
      handle: ({ query }) => {
        const reader = new QueryReader(query);
        const paging = reader.page();
        if (reader.error) return dvsErrorReply(reader.error);
        const types = benefitTypesOf(catalogue);
        return types.length === 0 ? dvsErrorReply(dvsError(1003101)) : page(types, paging, benefitTypeJson);
      },
    },
    {
      method: 'GET',
      path: /^\/v1\/promotions$/,
      handle: listOf(
        (query) => filterPromotions(catalogue, offerQuery(query)),
        (promotion) => promotionJson(catalogue, promotion),
      ),
    },
    {
      method: 'GET',
      path: /^\/v1\/promotions\/(\d+)$/,
      handle: (request) =>
        found(promotionById(catalogue, Number(param(request))), dvsError(1003201), (promotion) =>
          promotionJson(catalogue, promotion),
        ),
    },
    {
      method: 'GET',
      path: /^\/v1\/campaigns$/,
      handle: listOf(
        (query) => filterCampaigns(catalogue, offerQuery(query)),
        (campaign) => campaignJson(catalogue, campaign),
      ),
    },
    {
      method: 'GET',
      path: /^\/v1\/campaigns\/(\d+)$/,
      handle: (request) =>
        found(campaignById(catalogue, Number(param(request))), dvsError(1003301), (campaign) =>
          campaignJson(catalogue, campaign),
        ),
    },
    {
      method: 'GET',
      path: /^\/v1\/lookup\/mobile-number\/([^/]+)$/,
      handle: (request) => {
        const reader = new QueryReader(request.query);
        const paging = reader.page();
        return reader.error ? dvsErrorReply(reader.error) : lookup(param(request), paging);
      },
    },
    {
      method: 'POST',
      path: /^\/v1\/lookup\/mobile-number$/,
      handle: ({ body }) =>
        Either.match(decodeLookupBody(body), {
          onLeft: (error) => dvsErrorReply(error),
          onRight: (decoded) =>
            lookup(decoded.mobile_number, { page: decoded.page ?? 1, perPage: decoded.per_page ?? 50 }),
        }),
    },
    { method: 'POST', path: /^\/v1\/async\/transactions$/, send: true, handle: create(false) },
    { method: 'POST', path: /^\/v1\/sync\/transactions$/, send: true, handle: create(true) },
    { method: 'POST', path: /^\/v1\/async\/transactions\/(\d+)\/confirm$/, send: true, handle: confirm(false) },
    { method: 'POST', path: /^\/v1\/sync\/transactions\/(\d+)\/confirm$/, send: true, handle: confirm(true) },
    {
      method: 'POST',
      path: /^\/v1\/transactions\/(\d+)\/cancel$/,
      handle: (request) => transactionReply(200, engine.cancel(Number(param(request)))),
    },
    {
      method: 'GET',
      path: /^\/v1\/transactions\/(\d+)$/,
      handle: (request) => transactionReply(200, engine.transaction(Number(param(request)))),
    },
    {
      method: 'GET',
      path: /^\/v1\/transactions$/,
      handle: listOf(
        (query) => {
          const filters = {
            externalId: query.string('external_id'),
            productType: query.productType('product_type'),
            serviceId: query.positiveInt('service_id'),
            subserviceId: query.positiveInt('subservice_id'),
            countryIsoCode: query.iso3('country_iso_code'),
            operatorId: query.positiveInt('operator_id'),
            statusId: query.positiveInt('status_id'),
            creditPartyMobileNumber: query.mobileNumber('credit_party_mobile_number'),
            creditPartyAccountNumber: query.string('credit_party_account_number'),
            fromMs: query.dateTime('from_date'),
            toMs: query.dateTime('to_date'),
          };
          return engine.transactions(
            Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined)) as Parameters<
              typeof engine.transactions
            >[0],
          );
        },
        (transaction) => transactionJson(catalogue, transaction),
      ),
    },
    {
      method: 'GET',
      path: /^\/v1\/balances$/,
      handle: listOf((query) => {
        const unitType = query.string('unit_type');
        const unit = query.string('unit');
        if (unitType !== undefined && unitType !== 'CURRENCY') return [];
        return engine.balances().filter((balance) => unit === undefined || balance.currency.code === unit);
      }, balanceJson),
    },
  ];
};
