// The input of "quote a top-up" (a dry run): the body of a top-up request,
// as the HTTP API and the request input spell it, its ids optional. The
// fields that choose what is sent make the quote; the others (external_id,
// account_id, callback_url, metadata) are checked as the request checks them.
import { Schema } from 'effect';
import { optionalOrNull, RequestTopUpInput } from '../request-top-up/request-top-up.input';

/** What to quote: a number, a currency, a maximum and optionally a desired amount or a product (and the request's other fields; `null` for an optional one is the field left out). */
export const QuoteTopUpInput = Schema.Struct({
  ...RequestTopUpInput.fields,
  external_id: optionalOrNull(RequestTopUpInput.fields.external_id),
  account_id: optionalOrNull(RequestTopUpInput.fields.account_id),
}).annotations({ identifier: 'QuoteTopUpInput' });

export type QuoteTopUpInput = typeof QuoteTopUpInput.Type;
export type QuoteTopUpInputJson = typeof QuoteTopUpInput.Encoded;
