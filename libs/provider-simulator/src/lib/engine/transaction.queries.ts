import { countryOfProduct, productById } from './catalogue.queries';
import type { Catalogue, ProductType } from './catalogue.types';
import { statusIdOf } from './dvs-status.table';
import type { SimTransaction } from './transaction.types';

/** The filters of GET /v1/transactions. */
export interface TransactionQuery {
  readonly externalId?: string | undefined;
  readonly productType?: ProductType | undefined;
  readonly serviceId?: number | undefined;
  readonly subserviceId?: number | undefined;
  readonly countryIsoCode?: string | undefined;
  readonly operatorId?: number | undefined;
  readonly statusId?: number | undefined;
  readonly creditPartyMobileNumber?: string | undefined;
  readonly creditPartyAccountNumber?: string | undefined;
  /** Inclusive creation-date bounds (epoch ms); without them and without an external id: the last 24 hours. */
  readonly fromMs?: number | undefined;
  readonly toMs?: number | undefined;
}

/** Whether `transaction` passes every filter of `query` (dates as given: the default window is the caller's). */
export const matchesTransactionQuery = (
  catalogue: Catalogue,
  transaction: SimTransaction,
  query: TransactionQuery,
): boolean => {
  const product = productById(catalogue, transaction.productId);
  const credit = transaction.creditPartyIdentifier;
  const checks: readonly (readonly [unknown, () => boolean])[] = [
    [query.externalId, () => transaction.externalId === query.externalId],
    [query.fromMs, () => transaction.createdAtMs >= (query.fromMs ?? 0)],
    [query.toMs, () => transaction.createdAtMs <= (query.toMs ?? 0)],
    [query.statusId, () => statusIdOf(transaction.status) === query.statusId],
    [query.productType, () => product?.type === query.productType],
    [query.serviceId, () => product?.serviceId === query.serviceId],
    [query.subserviceId, () => product?.subserviceId === query.subserviceId],
    [query.operatorId, () => product?.operatorId === query.operatorId],
    [
      query.countryIsoCode,
      () => product !== undefined && countryOfProduct(catalogue, product)?.isoCode === query.countryIsoCode,
    ],
    [query.creditPartyMobileNumber, () => credit?.['mobile_number'] === query.creditPartyMobileNumber],
    [query.creditPartyAccountNumber, () => credit?.['account_number'] === query.creditPartyAccountNumber],
  ];
  return checks.every(([filter, passes]) => filter === undefined || passes());
};
