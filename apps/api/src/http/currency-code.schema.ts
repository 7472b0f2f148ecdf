// A currency code in a request: ISO 4217 and one the platform's money
// module knows. Decoded at the edge so that an unknown code is refused
// naming the field (never quoting it), as every other bad field is.
import { CurrencyCodeField } from '@airtime/application';
import { currencyOf, ruleViolation } from '@airtime/domain';
import { Either, Schema } from 'effect';

/** An ISO 4217 code the money module knows ("USD", "PHP", "KES"); refusals never quote it. */
export const KnownCurrencyCode = CurrencyCodeField.pipe(
  Schema.filter((code, _options, ast) =>
    Either.isRight(currencyOf(code)) ? true : ruleViolation(ast, code, 'not a currency this platform knows (ISO 4217)'),
  ),
);
