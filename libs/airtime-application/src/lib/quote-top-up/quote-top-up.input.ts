// The input of "quote a top-up" (a dry run): the fields of a request that
// choose what is sent, as the HTTP API and the request input spell them.
import { RequestTopUpInput } from '../request-top-up/request-top-up.input';

/** What to quote: a number, a currency, a maximum and optionally a desired amount or a product. */
export const QuoteTopUpInput = RequestTopUpInput.pick(
  'phone_number',
  'currency',
  'max_amount',
  'desired_amount',
  'product_id',
  'exact_amount',
).annotations({ identifier: 'QuoteTopUpInput' });

export type QuoteTopUpInput = typeof QuoteTopUpInput.Type;
export type QuoteTopUpInputJson = typeof QuoteTopUpInput.Encoded;
