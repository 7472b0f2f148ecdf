// Africa's Talking writes amounts as "KES 100.0000": a currency code, a
// space, a decimal. Read exactly at whatever precision AT wrote them (PHP
// 99.995 stays 99.995), never rounded.
import { currencyOf, parsePreciseMoney, type PreciseMoney } from '@airtime/domain';
import { Either } from 'effect';

const AT_AMOUNT = /^([A-Z]{3}) +(-?\d+(?:\.\d+)?)$/;

/** Why an AT amount could not be read: a kind, never the text. */
export type AtAmountProblem = 'not an amount such as "KES 100.0000"' | 'not a known currency';

/** Reads "KES 100.0000" exactly; Left names the kind of problem, never the text. */
export const parseAtAmount = (text: string): Either.Either<PreciseMoney, AtAmountProblem> => {
  const match = AT_AMOUNT.exec(text.trim());
  if (!match) return Either.left('not an amount such as "KES 100.0000"');
  const [, code = '', decimal = ''] = match;
  const currency = currencyOf(code);
  if (Either.isLeft(currency)) return Either.left('not a known currency');
  return Either.mapLeft(
    parsePreciseMoney(decimal, currency.right),
    (): AtAmountProblem => 'not an amount such as "KES 100.0000"',
  );
};
