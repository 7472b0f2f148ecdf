import { Schema } from 'effect';
import {
  DvsAdditionalIdentifier,
  DvsBenefit,
  DvsFixedValue,
  DvsId,
  DvsOperator,
  DvsParty,
  DvsPartyIdentifier,
  DvsPrices,
  DvsPromotionSummary,
  DvsRates,
  DvsRegion,
  DvsStatementIdentifier,
  optionalNullable,
} from './dvs-common.schema';
import { DvsProductService } from './dvs-product.schema';

/** `{id, message, class: {id, message}}`: the detailed status and its class. */
export const DvsTransactionStatus = Schema.Struct({
  id: optionalNullable(Schema.Number),
  message: Schema.String,
  class: Schema.Struct({
    id: optionalNullable(Schema.Number),
    message: Schema.String,
  }),
});
export type DvsTransactionStatus = typeof DvsTransactionStatus.Type;

const DvsTransactionProduct = Schema.Struct({
  id: DvsId,
  name: optionalNullable(Schema.String),
  description: optionalNullable(Schema.String),
  tags: optionalNullable(Schema.Array(Schema.String)),
  service: optionalNullable(DvsProductService),
  operator: optionalNullable(DvsOperator),
  regions: optionalNullable(Schema.Array(DvsRegion)),
  type: optionalNullable(Schema.String),
});

const DvsValues = Schema.Struct({
  source: optionalNullable(DvsFixedValue),
  destination: optionalNullable(DvsFixedValue),
});

/**
 * The transaction object: returned by create, confirm, cancel and get,
 * listed by `GET /transactions`, and POSTed to the callback URL.
 */
export const DvsTransaction = Schema.Struct({
  id: DvsId,
  external_id: Schema.String,
  creation_date: optionalNullable(Schema.String),
  confirmation_expiration_date: optionalNullable(Schema.String),
  confirmation_date: optionalNullable(Schema.String),
  status: DvsTransactionStatus,
  operator_reference: optionalNullable(Schema.String),
  pin: optionalNullable(
    Schema.Struct({ code: optionalNullable(Schema.String), serial: optionalNullable(Schema.String) }),
  ),
  product: optionalNullable(DvsTransactionProduct),
  prices: optionalNullable(DvsPrices),
  rates: optionalNullable(DvsRates),
  benefits: optionalNullable(Schema.Array(DvsBenefit)),
  promotions: optionalNullable(Schema.Array(DvsPromotionSummary)),
  requested_values: optionalNullable(DvsValues),
  adjusted_values: optionalNullable(DvsValues),
  sender: optionalNullable(DvsParty),
  beneficiary: optionalNullable(DvsParty),
  debit_party_identifier: optionalNullable(DvsPartyIdentifier),
  credit_party_identifier: optionalNullable(DvsPartyIdentifier),
  statement_identifier: optionalNullable(DvsStatementIdentifier),
  additional_identifier: optionalNullable(DvsAdditionalIdentifier),
  callback_url: optionalNullable(Schema.String),
});
export type DvsTransaction = typeof DvsTransaction.Type;
