import { currencyOf, type Money, parseMoney } from '@airtime/domain';
import { Either, ParseResult, Schema } from 'effect';

/**
 * The amounts the provider takes in one country: any multiple of `stepMinor`
 * from `min` to `max`, in the currency the provider sends there.
 */
export interface AmountRange {
  /** ISO 3166-1 alpha-2, e.g. "KE". */
  readonly countryIso: string;
  readonly min: Money;
  readonly max: Money;
  readonly stepMinor: bigint;
}

const isAmountRange = (input: unknown): input is AmountRange =>
  typeof input === 'object' &&
  input !== null &&
  'countryIso' in input &&
  'min' in input &&
  'max' in input &&
  'stepMinor' in input;

const parseEntry = (entry: string, position: number): Either.Either<AmountRange, string> => {
  const fail = (reason: string) => Either.left(`entry ${position} ("${entry}"): ${reason}`);
  const parts = entry.split(':').map((part) => part.trim());
  if (parts.length !== 4 && parts.length !== 5)
    return fail('expected COUNTRY:CURRENCY:MIN:MAX or COUNTRY:CURRENCY:MIN:MAX:STEP');
  const [countryIso = '', code = '', minText = '', maxText = '', stepText = '1'] = parts;
  if (!/^[A-Z]{2}$/.test(countryIso)) return fail('the country must be an ISO 3166-1 alpha-2 code such as KE');
  const currency = currencyOf(code);
  if (Either.isLeft(currency)) return fail(`unknown currency ${code}`);
  const min = parseMoney(minText, currency.right);
  const max = parseMoney(maxText, currency.right);
  const step = parseMoney(stepText, currency.right);
  if (Either.isLeft(min) || Either.isLeft(max) || Either.isLeft(step))
    return fail(`amounts must be exact ${code} amounts`);
  if (min.right.amountMinor <= 0n || max.right.amountMinor < min.right.amountMinor)
    return fail('expected 0 < MIN <= MAX');
  if (step.right.amountMinor <= 0n) return fail('the step must be positive');
  return Either.right({ countryIso, min: min.right, max: max.right, stepMinor: step.right.amountMinor });
};

/** Parses "KE:KES:10:10000,UG:UGX:50:200000:50" (STEP defaults to one major unit); "" is no range. */
export const parseAmountRanges = (text: string): Either.Either<readonly AmountRange[], string> => {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const ranges: AmountRange[] = [];
  for (const [index, entry] of entries.entries()) {
    const range = parseEntry(entry, index + 1);
    if (Either.isLeft(range)) return Either.left(range.left);
    if (ranges.some((known) => known.countryIso === range.right.countryIso)) {
      return Either.left(`entry ${index + 1}: ${range.right.countryIso} is listed twice`);
    }
    ranges.push(range.right);
  }
  return Either.right(ranges);
};

const formatRange = (range: AmountRange): string => {
  const major = (minor: bigint) => {
    const scale = 10n ** BigInt(range.min.currency.exponent);
    const fraction = (minor % scale).toString().padStart(range.min.currency.exponent, '0').replace(/0+$/, '');
    return fraction === '' ? `${minor / scale}` : `${minor / scale}.${fraction}`;
  };
  return [
    range.countryIso,
    range.min.currency.code,
    major(range.min.amountMinor),
    major(range.max.amountMinor),
    major(range.stepMinor),
  ].join(':');
};

/** The ranges of a configuration variable, decoded with their own error message (ranges hold no secret). */
export const AmountRangesFromString = Schema.transformOrFail(
  Schema.String,
  Schema.Array(Schema.declare(isAmountRange, { identifier: 'AmountRange' })),
  {
    strict: true,
    decode: (text, _options, ast) =>
      Either.match(parseAmountRanges(text), {
        onLeft: (reason) => ParseResult.fail(new ParseResult.Type(ast, text, reason)),
        onRight: (ranges) => ParseResult.succeed(ranges),
      }),
    encode: (ranges) => ParseResult.succeed(ranges.map(formatRange).join(',')),
  },
);
