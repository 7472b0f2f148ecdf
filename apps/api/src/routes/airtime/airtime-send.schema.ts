// The query string of GET /airtime/invoke-send-airtime (reference:
// airtime-service-endpoints.txt) and its answer: the number in international
// digits (no "+"), a positive decimal amount, the currency, the idempotency
// key, and the account when the API key has several. Refusals name the
// parameter, never its value.
import { AccountIdField, ExternalIdField } from '@airtime/application';
import { parseInternationalDigits, ruleViolation } from '@airtime/domain';
import { Either, Schema } from 'effect';
import { KnownCurrencyCode } from '../../http/currency-code.schema';
import { TopUpView } from '../../views/top-up-view.schema';

const DECIMAL = /^[0-9]{1,15}(\.[0-9]{1,12})?$/;

/** International digits of a valid mobile number, without "+" ("254711000111"). */
export const PhoneDigits = Schema.String.pipe(
  Schema.filter((text, _options, ast) => {
    const parsed = parseInternationalDigits(text);
    return Either.isRight(parsed) ? true : ruleViolation(ast, text, `not a phone number: ${parsed.left.reason}`);
  }),
).annotations({
  description: 'the number in international digits without the + prefix, e.g. 254711000111',
  jsonSchema: { pattern: '^[0-9]{7,15}$' },
});

/** A decimal amount in major units, more than zero ("100", "100.50"). */
export const PositiveAmount = Schema.String.pipe(
  Schema.filter((text, _options, ast) => {
    if (!DECIMAL.test(text)) return ruleViolation(ast, text, 'must be a positive number such as 100 or 100.50');
    return /[1-9]/.test(text) ? true : ruleViolation(ast, text, 'must be a positive number (more than zero)');
  }),
).annotations({
  description: 'the amount to send, in major units, more than zero',
  jsonSchema: { pattern: DECIMAL.source },
});

export const AirtimeSendQuery = Schema.Struct({
  phone: PhoneDigits,
  amount: PositiveAmount,
  currency: KnownCurrencyCode.annotations({ description: 'ISO 4217, e.g. KES, UGX, USD' }),
  idempotencyKey: ExternalIdField.annotations({
    description:
      'your key of this send (1..40 characters): the same key again answers the same top-up, never a second send',
  }),
  accountId: Schema.optional(
    AccountIdField.annotations({ description: 'the account charged; required when the API key has several' }),
  ),
});
export type AirtimeSendQuery = typeof AirtimeSendQuery.Type;

export const AirtimeSendAnswer = Schema.Struct({
  message: Schema.String,
  top_up: TopUpView,
}).annotations({ identifier: 'AirtimeSendAnswer' });

export const AirtimeServiceStatus = Schema.Struct({
  service: Schema.Literal('airtime'),
  status: Schema.Literal('ready'),
}).annotations({ identifier: 'AirtimeServiceStatus' });
