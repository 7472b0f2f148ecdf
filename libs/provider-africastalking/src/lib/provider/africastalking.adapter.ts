import {
  AirtimeProvider,
  type AirtimeProviderService,
  ProviderRejected,
  StatusQueryUnsupported,
  TransactionListUnsupported,
} from '@airtime/domain';
import { Effect, Either, Layer } from 'effect';
import { parseAfricasTalkingStatusCallback, toProviderCallback } from '../callbacks/status-callback.mapper';
import type { SentAirtimeRegistry } from '../callbacks/sent-airtime-registry';
import { AFRICASTALKING_PROVIDER_ID as PROVIDER, type AfricasTalkingConfig } from '../config/africastalking.config';
import { amountRangeRefusal, filterProducts, operatorMatchesFor, productsOfRanges } from '@airtime/provider-http-kit';
import { type AirtimeSendClientOptions, makeAirtimeSendClient } from '../send/airtime-send.client';

const PROVIDER_NAME = "Africa's Talking";

/**
 * AT sends to the configured countries, each in its configured currency:
 * anything else is refused before any HTTP call (AT would otherwise take
 * `KES 100` for a Tanzanian number). Undefined when the request agrees.
 */
export interface AfricasTalkingProviderOptions extends AirtimeSendClientOptions {
  /** Records every accepted send, for `answerValidationCallback` to find. */
  readonly sentAirtime?: SentAirtimeRegistry | undefined;
}

/**
 * How an unknown outcome is settled, since `statusByExternalId` cannot answer
 * (`StatusQueryUnsupported`). AT offers no query by our id, and
 * the adapter never resends to find out: AT's Idempotency-Key dedup would
 * make a resend with the same key harmless only within AT's dedup window,
 * which is not documented, so a late resend could deliver twice. `None`
 * ("never received") is never claimed either, since it would license a new
 * attempt. The attempt stays unknown until AT's status callback settles it
 * or it goes to manual reconciliation against the AT dashboard.
 */
export const AT_STATUS_QUERY_UNSUPPORTED =
  "Africa's Talking has no status query by our id: leave the attempt unknown until AT's status callback settles it, " +
  'or reconcile it by hand (AT dashboard); never resend it';

/**
 * How AT's top-ups are reconciled, since `listTransactions` cannot answer
 * (`TransactionListUnsupported`): AT's API lists no transactions.
 */
export const AT_TRANSACTION_LIST_UNSUPPORTED =
  "Africa's Talking's API lists no transactions: reconcile its top-ups against the AT dashboard's airtime report " +
  '(exported for the day) by our external id, settling each open one by hand with its reason';

const unsupported = (providerCode: string, reason: string) =>
  Effect.fail(new ProviderRejected({ provider: PROVIDER, providerCode, reason, retryable: false }));

/**
 * The Africa's Talking adapter of the `AirtimeProvider` port. A send's answer
 * is an acceptance (SUBMITTED): the final status arrives by the status
 * callback. AT takes any amount in local currency, so products are the
 * configured ranges. AT has no per-request callback URL (it is set in the
 * AT dashboard), so `SendRequest.callbackUrl` is not used.
 */
export const makeAfricasTalkingProvider = (
  config: AfricasTalkingConfig,
  options: AfricasTalkingProviderOptions = {},
): AirtimeProviderService => {
  const client = makeAirtimeSendClient(config, options);
  const products = productsOfRanges(PROVIDER, PROVIDER_NAME, config.amountRanges);
  return {
    id: PROVIDER,
    lookupOperators: (phone) => Effect.succeed(operatorMatchesFor(PROVIDER, PROVIDER_NAME, config.amountRanges, phone)),
    listProducts: (filter) => Effect.map(Effect.orDie(products), (all) => filterProducts(all, filter)),
    send: (request) => {
      const refusal = amountRangeRefusal(PROVIDER, PROVIDER_NAME, config.amountRanges, request);
      if (refusal !== undefined) return Effect.fail(refusal);
      return client
        .send({
          providerExternalId: request.providerExternalId,
          destination: request.destination,
          amount: request.receive,
        })
        .pipe(
          Effect.tap((accepted) =>
            options.sentAirtime === undefined
              ? Effect.void
              : options.sentAirtime.record({
                  transactionId: accepted.requestId,
                  destination: request.destination,
                  amount: request.receive,
                }),
          ),
          Effect.map((accepted) => accepted.transaction),
        );
    },
    statusByExternalId: () =>
      Effect.fail(new StatusQueryUnsupported({ provider: PROVIDER, howToSettle: AT_STATUS_QUERY_UNSUPPORTED })),
    listTransactions: () =>
      Effect.fail(
        new TransactionListUnsupported({ provider: PROVIDER, howToReconcile: AT_TRANSACTION_LIST_UNSUPPORTED }),
      ),
    cancel: () => unsupported('CANCEL_UNSUPPORTED', "Africa's Talking cannot cancel airtime once requested"),
    balances: () =>
      unsupported('BALANCE_QUERY_UNSUPPORTED', "this adapter does not query the Africa's Talking balance"),
    parseCallback: (body) => Either.map(parseAfricasTalkingStatusCallback(body), toProviderCallback),
  };
};

export const africasTalkingProviderLayer = (
  config: AfricasTalkingConfig,
  options: AfricasTalkingProviderOptions = {},
) => Layer.succeed(AirtimeProvider, makeAfricasTalkingProvider(config, options));
