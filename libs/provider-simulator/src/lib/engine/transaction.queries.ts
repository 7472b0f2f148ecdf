// The filters of GET /v1/transactions and whether a transaction passes them.
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

/**
 * Whether `transaction` passes every filter of `query` (dates as given: the
 * default window is the caller's); a filter left undefined passes everything.
 * Plain tests, cheapest first, with no allocation per call: the engine runs
 * it over every stored transaction when listing without an external id.
 */
export const matchesTransactionQuery = (
  catalogue: Catalogue,
  transaction: SimTransaction,
  query: TransactionQuery,
): boolean => {
  if (query.externalId !== undefined && transaction.externalId !== query.externalId) return false;
  // negated comparisons: a NaN bound matches nothing
  if (query.fromMs !== undefined && !(transaction.createdAtMs >= query.fromMs)) return false;
  if (query.toMs !== undefined && !(transaction.createdAtMs <= query.toMs)) return false;
  if (query.statusId !== undefined && statusIdOf(transaction.status) !== query.statusId) return false;
  const credit = transaction.creditPartyIdentifier;
  if (query.creditPartyMobileNumber !== undefined && credit?.['mobile_number'] !== query.creditPartyMobileNumber)
    return false;
  if (query.creditPartyAccountNumber !== undefined && credit?.['account_number'] !== query.creditPartyAccountNumber)
    return false;
  const byProduct =
    query.productType !== undefined ||
    query.serviceId !== undefined ||
    query.subserviceId !== undefined ||
    query.operatorId !== undefined ||
    query.countryIsoCode !== undefined;
  if (!byProduct) return true;
  const product = productById(catalogue, transaction.productId);
  if (product === undefined) return false;
  if (query.productType !== undefined && product.type !== query.productType) return false;
  if (query.serviceId !== undefined && product.serviceId !== query.serviceId) return false;
  if (query.subserviceId !== undefined && product.subserviceId !== query.subserviceId) return false;
  if (query.operatorId !== undefined && product.operatorId !== query.operatorId) return false;
  return query.countryIsoCode === undefined || countryOfProduct(catalogue, product)?.isoCode === query.countryIsoCode;
};
