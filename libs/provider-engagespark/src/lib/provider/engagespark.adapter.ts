import {
  AirtimeProvider,
  type AirtimeProviderService,
  InvalidProviderCallback,
  ProviderRejected,
  StatusQueryUnsupported,
  TransactionListUnsupported,
} from '@airtime/domain';
import { Effect, Layer } from 'effect';
import { ENGAGESPARK_PROVIDER_ID as PROVIDER, type EngageSparkConfig } from '../config/engagespark.config';
import { amountRangeRefusal, filterProducts, operatorMatchesFor, productsOfRanges } from '@airtime/provider-http-kit';
import { makeTopupClient, type TopupClientOptions } from '../topup/topup.client';

const PROVIDER_NAME = 'engageSPARK';

/**
 * How an unknown outcome is settled, since `statusByExternalId` cannot answer
 * (`StatusQueryUnsupported`). engageSPARK documents no query: an
 * attempt whose outcome is unknown (timeout or 5xx after sending) is never
 * resent, since engageSPARK may have delivered it (and retries failed
 * top-ups itself for hours). `None` is never claimed, since it would
 * license a new attempt. The attempt goes to manual reconciliation: our
 * external id is the top-up's `clientRef` at engageSPARK.
 */
export const ES_STATUS_QUERY_UNSUPPORTED =
  'engageSPARK has no status query: reconcile the attempt by hand, finding it at engageSPARK by its clientRef (our external id); never resend it';

/**
 * How engageSPARK's top-ups are reconciled, since `listTransactions` cannot
 * answer (`TransactionListUnsupported`): engageSPARK documents no list.
 */
export const ES_TRANSACTION_LIST_UNSUPPORTED =
  "engageSPARK documents no transaction list: reconcile its top-ups against engageSPARK's account statement " +
  'by clientRef (our external id), settling each open one by hand with its reason';

const unsupported = (providerCode: string, reason: string) =>
  Effect.fail(new ProviderRejected({ provider: PROVIDER, providerCode, reason, retryable: false }));

/**
 * The engageSPARK adapter of the `AirtimeProvider` port. engageSPARK answers
 * a top-up when it is done: a success is COMPLETED, with the amount it
 * actually sent. It picks the denomination itself: `maxAmount` and
 * `desiredAmount` are both the quoted amount, so it never sends more than
 * was held, and a smaller amount it chose comes back as `receive`. Its
 * request carries no currency, so a send is only made to a configured
 * country in that country's configured currency.
 */
export const makeEngageSparkProvider = (
  config: EngageSparkConfig,
  options: TopupClientOptions = {},
): AirtimeProviderService => {
  const client = makeTopupClient(config, options);
  const products = productsOfRanges(PROVIDER, PROVIDER_NAME, config.amountRanges);
  return {
    id: PROVIDER,
    lookupOperators: (phone) => Effect.succeed(operatorMatchesFor(PROVIDER, PROVIDER_NAME, config.amountRanges, phone)),
    listProducts: (filter) => Effect.map(Effect.orDie(products), (all) => filterProducts(all, filter)),
    send: (request) => {
      const refusal = amountRangeRefusal(PROVIDER, PROVIDER_NAME, config.amountRanges, request);
      if (refusal !== undefined) return Effect.fail(refusal);
      return Effect.map(
        client.topup({
          clientRef: request.providerExternalId,
          destination: request.destination,
          maxAmount: request.receive,
          desiredAmount: request.receive,
        }),
        (completed) => completed.transaction,
      );
    },
    statusByExternalId: () =>
      Effect.fail(new StatusQueryUnsupported({ provider: PROVIDER, howToSettle: ES_STATUS_QUERY_UNSUPPORTED })),
    listTransactions: () =>
      Effect.fail(
        new TransactionListUnsupported({ provider: PROVIDER, howToReconcile: ES_TRANSACTION_LIST_UNSUPPORTED }),
      ),
    cancel: () => unsupported('CANCEL_UNSUPPORTED', 'engageSPARK cannot cancel a top-up'),
    balances: () => unsupported('BALANCE_QUERY_UNSUPPORTED', 'engageSPARK documents no balance query'),
    parseCallback: () =>
      Effect.fail(
        new InvalidProviderCallback({
          provider: PROVIDER,
          reason: 'engageSPARK documents no status callback: a top-up is settled by the answer to its request',
        }),
      ),
  };
};

export const engageSparkProviderLayer = (config: EngageSparkConfig, options: TopupClientOptions = {}) =>
  Layer.succeed(AirtimeProvider, makeEngageSparkProvider(config, options));
