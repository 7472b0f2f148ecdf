// Typed inputs of the DVS endpoints (camelCase here, snake_case on the wire).
import type { Money, PhoneNumber } from '@airtime/domain';
import type { DvsBenefitTypeName, DvsProductType } from '../schemas/dvs-product.schema';

export interface DvsServicesQuery {
  readonly countryIsoCode?: string | undefined;
}

export interface DvsCountriesQuery {
  readonly serviceId?: number | undefined;
  readonly subserviceId?: number | undefined;
}

export interface DvsOperatorsQuery {
  /** ISO 3166-1 alpha-3 (DVS's own codes, GXX and EXX included). */
  readonly countryIsoCode?: string | undefined;
  readonly serviceId?: number | undefined;
  readonly subserviceId?: number | undefined;
}

export interface DvsPromotionsQuery {
  readonly countryIsoCode?: string | undefined;
  readonly operatorId?: number | undefined;
  readonly productId?: number | undefined;
  readonly language?: string | undefined;
}

export interface DvsCampaignsQuery {
  readonly countryIsoCode?: string | undefined;
  readonly operatorId?: number | undefined;
  readonly productId?: number | undefined;
}

/** Every filter of `GET /products`. */
export interface DvsProductsQuery {
  readonly type?: DvsProductType | undefined;
  readonly serviceId?: number | undefined;
  readonly subserviceId?: number | undefined;
  readonly countryIsoCode?: string | undefined;
  readonly operatorId?: number | undefined;
  /** ISO 3166-2 region, or a country code to include Global and Regional products. */
  readonly region?: string | undefined;
  readonly benefitTypes?: readonly DvsBenefitTypeName[] | undefined;
  readonly tags?: readonly string[] | undefined;
  readonly language?: string | undefined;
}

/** Every filter of `GET /transactions`. Without external id or dates DVS answers the last 24 hours. */
export interface DvsTransactionsQuery {
  readonly externalId?: string | undefined;
  readonly productType?: DvsProductType | undefined;
  readonly serviceId?: number | undefined;
  readonly subserviceId?: number | undefined;
  readonly countryIsoCode?: string | undefined;
  readonly operatorId?: number | undefined;
  readonly statusId?: number | undefined;
  /** E.164. */
  readonly creditPartyMobileNumber?: string | undefined;
  readonly creditPartyAccountNumber?: string | undefined;
  /** Creation date from (inclusive). */
  readonly fromDate?: Date | string | undefined;
  /** Creation date to (inclusive). */
  readonly toDate?: Date | string | undefined;
  /**
   * Not sent: the number the answers are expected to carry (the destination
   * of the transaction looked for), kept out of the transfer log in any form.
   */
  readonly destination?: PhoneNumber | undefined;
}

export interface DvsBalancesQuery {
  readonly unitType?: 'CURRENCY' | undefined;
  /** A currency code, e.g. "USD". */
  readonly unit?: string | undefined;
}

/**
 * How a ranged product's amount is given: the source amount we pay
 * (`SOURCE_AMOUNT`) or the destination amount the beneficiary receives
 * (`DESTINATION_AMOUNT`). Fixed products take none.
 */
export type DvsCalculation =
  | { readonly calculationMode: 'SOURCE_AMOUNT'; readonly source: Money }
  | { readonly calculationMode: 'DESTINATION_AMOUNT'; readonly destination: Money };

export interface DvsPartyIdentifierInput {
  readonly mobileNumber?: string | undefined;
  readonly accountNumber?: string | undefined;
  readonly accountQualifier?: string | undefined;
}

export interface DvsPartyInput {
  readonly lastName?: string | undefined;
  readonly firstName?: string | undefined;
  readonly middleName?: string | undefined;
  readonly nationalityCountryIsoCode?: string | undefined;
  readonly mobileNumber?: string | undefined;
  readonly email?: string | undefined;
  readonly addressText?: string | undefined;
  readonly addressCity?: string | undefined;
  readonly addressCountryIsoCode?: string | undefined;
  readonly addressPostalCode?: string | undefined;
}

export interface DvsStatementIdentifierInput {
  readonly reference?: string | undefined;
  /** YYYY-MM-DD. */
  readonly dueDate?: string | undefined;
}

export interface DvsAdditionalIdentifierInput {
  readonly purchaserId?: string | undefined;
}

/** The body of `POST /async/transactions` and `POST /sync/transactions`. */
export interface DvsTransactionInput {
  /** 1..40 non-space characters, unique for the account. */
  readonly externalId: string;
  readonly productId: number;
  readonly calculation?: DvsCalculation | undefined;
  /** Create and confirm in one request (DVS default: false). */
  readonly autoConfirm?: boolean | undefined;
  readonly creditPartyIdentifier?: DvsPartyIdentifierInput | undefined;
  readonly debitPartyIdentifier?: DvsPartyIdentifierInput | undefined;
  readonly sender?: DvsPartyInput | undefined;
  readonly beneficiary?: DvsPartyInput | undefined;
  readonly statementIdentifier?: DvsStatementIdentifierInput | undefined;
  readonly additionalIdentifier?: DvsAdditionalIdentifierInput | undefined;
  readonly callbackUrl?: string | undefined;
}

/** `async`: the answer comes at once, the final status later; `sync`: DVS holds the answer up to 180 s for a final status. */
export type DvsTransactionMode = 'async' | 'sync';

export interface DvsWriteOptions {
  /** A longer deadline for a sync call (DVS may hold it up to 180 s). */
  readonly timeoutMs?: number | undefined;
}

export interface DvsReadOptions {
  /** Not sent: the external id of the attempt the read is made for, to file it in that attempt's transfer log. */
  readonly reference?: string | undefined;
}
