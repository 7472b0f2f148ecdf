import { Data } from 'effect';

/** A product definition that breaks a rule of the catalogue (amounts, currencies, grid). */
export class InvalidProduct extends Data.TaggedError('InvalidProduct')<{
  readonly productId: string;
  readonly reason: string;
}> {
  readonly code = 'INVALID_PRODUCT' as const;
  override get message(): string {
    return `invalid product ${this.productId}: ${this.reason}`;
  }
}
