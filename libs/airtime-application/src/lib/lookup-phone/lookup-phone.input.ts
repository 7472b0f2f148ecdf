// The input of "look a number up" (GET /v1/lookup/{phone}) and of "the
// products for a number" (GET /v1/products?phone=).
import { Schema } from 'effect';

/** `phone`: E.164 (`+639171234567`) or international digits (`639171234567`); checked by the domain's parser. */
export const LookupPhoneInput = Schema.Struct({
  phone: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(32)),
}).annotations({ identifier: 'LookupPhoneInput' });

export type LookupPhoneInput = typeof LookupPhoneInput.Type;
export type LookupPhoneInputJson = typeof LookupPhoneInput.Encoded;
