// Look a number up: the operators it may belong to, through the cached
// provider catalogue.
import {
  type OperatorMatch,
  parseInternationalDigits,
  parsePhoneNumber,
  type PhoneNumber,
  type ProviderError,
} from '@airtime/domain';
import { Effect, Either } from 'effect';
import { InvalidInput } from '../api-access/api-access.errors';
import { decodeInput } from '../api-access/api-input.check';
import { ProviderCatalogue } from '../ports/provider-catalogue.port';
import { LookupPhoneInput } from './lookup-phone.input';

/** The number of a lookup input: E.164, or international digits; `InvalidInput` (field `phone`, never the number). */
export const phoneOf = (phone: unknown): Effect.Effect<PhoneNumber, InvalidInput> =>
  Effect.flatMap(decodeInput(LookupPhoneInput)({ phone }), ({ phone: text }) =>
    Either.match(/^\d+$/.test(text) ? parseInternationalDigits(text) : parsePhoneNumber(text), {
      onLeft: (error) => Effect.fail(new InvalidInput({ field: 'phone', reason: error.reason })),
      onRight: Effect.succeed,
    }),
  );

/**
 * The operators the number may belong to, each `identified` when the
 * provider is sure (not a guess from the prefix), as the provider lists
 * them. A number no operator is known for answers an empty list (not an
 * error: the lookup worked and found nothing); `InvalidInput` for a text
 * that is not a valid number; the provider's errors as they are.
 */
export const lookupPhone = (
  phone: unknown,
): Effect.Effect<readonly OperatorMatch[], InvalidInput | ProviderError, ProviderCatalogue> =>
  Effect.flatMap(phoneOf(phone), (number) =>
    Effect.flatMap(ProviderCatalogue, (catalogue) => catalogue.operatorsOf(number)),
  );
