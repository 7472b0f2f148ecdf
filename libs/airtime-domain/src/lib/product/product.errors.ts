import { taggedError } from '../errors/tagged-error';

/** A product definition that breaks a rule of the catalogue (amounts, currencies, grid). */
export class InvalidProduct extends taggedError('InvalidProduct', { code: 'INVALID_PRODUCT', retryable: false })<{
  readonly productId: string;
  readonly reason: string;
}>((e) => `invalid product ${e.productId}: ${e.reason}`) {}
