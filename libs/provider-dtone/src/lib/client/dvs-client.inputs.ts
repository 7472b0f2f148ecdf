// Typed inputs of the DVS endpoints (camelCase here, snake_case on the wire).
import type { Money, PhoneNumber } from '@airtime/domain';
import type { DvsBenefitTypeName, DvsProductType } from '../schemas/dvs-product.schema';

export interface DvsServicesQuery {
  readonly countryIsoCode?: string;
}

export interface DvsCountriesQuery {
  readonly serviceId?: number;
  readonly subserviceId?: number;
}

export interface DvsOperatorsQuery {
  /** ISO 3166-1 alpha-3 (DVS's own codes, GXX and EXX included). */
  readonly countryIsoCode?: string;
  readonly serviceId?: number;
  readonly subserviceId?: number;
}

export interface DvsPromotionsQuery {
  readonly countryIsoCode?: string;
  readonly operatorId?: number;
  readonly productId?: number;
  readonly language?: string;
}

export interface DvsCampaignsQuery {
  readonly countryIsoCode?: string;
  readonly operatorId?: number;
  readonly productId?: number;
}

/** Every filter of `GET /products`. */
export interface DvsProductsQuery {
  readonly type?: DvsProductType;
  readonly serviceId?: number;
  readonly subserviceId?: number;
  readonly countryIsoCode?: string;
  readonly operatorId?: number;
  /** ISO 3166-2 region, or a country code to include Global and Regional products. */
  readonly region?: string;
  readonly benefitTypes?: readonly DvsBenefitTypeName[];
  readonly tags?: readonly string[];
  readonly language?: string;
}

/** Every filter of `GET /transactions`. Without external id or dates DVS answers the last 24 hours. */
export interface DvsTransactionsQuery {
  readonly externalId?: string;
  readonly productType?: DvsProductType;
  readonly serviceId?: number;
  readonly subserviceId?: number;
  readonly countryIsoCode?: string;
  readonly operatorId?: number;
  readonly statusId?: number;
  /** E.164. */
  readonly creditPartyMobileNumber?: string;
  readonly creditPartyAccountNumber?: string;
  /** Creation date from (inclusive). */
  readonly fromDate?: Date | string;
  /** Creation date to (inclusive). */
  readonly toDate?: Date | string;
  /**
   * Not sent: the number the answers are expected to carry (the destination
   * of the transaction looked for), kept out of the transfer log in any form.
   */
  readonly destination?: PhoneNumber | undefined;
}

export interface DvsBalancesQuery {
  readonly unitType?: 'CURRENCY';
  /** A currency code, e.g. "USD". */
  readonly unit?: string;
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
  readonly mobileNumber?: string;
  readonly accountNumber?: string;
  readonly accountQualifier?: string;
}

export interface DvsPartyInput {
  readonly lastName?: string;
  readonly firstName?: string;
  readonly middleName?: string;
  readonly nationalityCountryIsoCode?: string;
  readonly mobileNumber?: string;
  readonly email?: string;
  readonly addressText?: string;
  readonly addressCity?: string;
  readonly addressCountryIsoCode?: string;
  readonly addressPostalCode?: string;
}

export interface DvsStatementIdentifierInput {
  readonly reference?: string;
  /** YYYY-MM-DD. */
  readonly dueDate?: string;
}

export interface DvsAdditionalIdentifierInput {
  readonly purchaserId?: string;
}

/** The body of `POST /async/transactions` and `POST /sync/transactions`. */
export interface DvsTransactionInput {
  /** 1..40 non-space characters, unique for the account. */
  readonly externalId: string;
  readonly productId: number;
  readonly calculation?: DvsCalculation;
  /** Create and confirm in one request (DVS default: false). */
  readonly autoConfirm?: boolean;
  readonly creditPartyIdentifier?: DvsPartyIdentifierInput;
  readonly debitPartyIdentifier?: DvsPartyIdentifierInput;
  readonly sender?: DvsPartyInput;
  readonly beneficiary?: DvsPartyInput;
  readonly statementIdentifier?: DvsStatementIdentifierInput;
  readonly additionalIdentifier?: DvsAdditionalIdentifierInput;
  readonly callbackUrl?: string;
}

/** `async`: the answer comes at once, the final status later; `sync`: DVS holds the answer up to 180 s for a final status. */
export type DvsTransactionMode = 'async' | 'sync';

export interface DvsWriteOptions {
  /** A longer deadline for a sync call (DVS may hold it up to 180 s). */
  readonly timeoutMs?: number;
}
