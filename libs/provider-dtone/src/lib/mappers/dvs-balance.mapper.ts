import {
  currencyOf,
  type PreciseMoney,
  preciseMoneyFromJsonNumber,
  type ProviderBalance,
  type ProviderBalances,
  type UnreadableBalance,
} from '@airtime/domain';
import { Either, ParseResult, Schema } from 'effect';
import { type DvsBalance, DvsBalanceFields } from '../schemas/dvs-balance.schema';

type Read<A> = Either.Either<A, UnreadableBalance>;

/** The reference's unit type of money. */
const CURRENCY_UNIT_TYPE = 'CURRENCY';

/** `balances[2].available`: the position in DVS's list and the field, as the reference names it. */
const where = (index: number, field: string): string => `balances[${index}]${field === '' ? '' : `.${field}`}`;

/** The first field a decode failure points at, by name only (never the value). */
const firstIssue = (error: ParseResult.ParseError): { readonly field: string; readonly kind: string } => {
  const [issue] = ParseResult.ArrayFormatter.formatErrorSync(error);
  const field = issue?.path.filter((key): key is string => typeof key === 'string' && /^[a-z_]{1,32}$/.test(key))[0];
  return { field: field ?? '', kind: issue?._tag === 'Missing' ? 'missing' : 'not of the type the reference gives' };
};

/**
 * One listed balance: the reference's fields, in a known currency, each
 * amount read exactly at DVS's precision (USD 3.105 stays 3.105, sub-cent
 * digits included). Left (unreadable): where and what kind of problem, never
 * the value: a field missing or not a number, a unit that is not a known
 * currency, an amount a JSON number cannot carry exactly or with more than
 * `MAX_PRECISE_SCALE` decimals.
 */
const balanceOf = (balance: DvsBalance, index: number): Read<ProviderBalance> =>
  Either.gen(function* () {
    if (typeof balance !== 'object' || balance === null || Array.isArray(balance))
      return yield* Either.left({ field: where(index, ''), reason: 'not an object' });
    const fields = yield* Either.mapLeft(Schema.decodeUnknownEither(DvsBalanceFields)(balance), (error) => {
      const { field, kind } = firstIssue(error);
      return { field: where(index, field), reason: kind };
    });
    if (fields.unit_type !== CURRENCY_UNIT_TYPE)
      return yield* Either.left({ field: where(index, 'unit_type'), reason: `not written "${CURRENCY_UNIT_TYPE}"` });
    const currency = yield* Either.mapLeft(currencyOf(fields.unit), () => ({
      field: where(index, 'unit'),
      reason: 'not a known currency',
    }));
    const read = (amount: number, field: string): Read<PreciseMoney> =>
      Either.match(preciseMoneyFromJsonNumber(amount, currency), {
        onLeft: (error) =>
          Either.left({ field: where(index, field), reason: `not an exact ${currency.code} amount: ${error.reason}` }),
        onRight: (value) => Either.right(value),
      });
    return {
      available: yield* read(fields.available, 'available'),
      holding: yield* read(fields.holding, 'holding'),
      creditLimit: yield* read(fields.credit_limit ?? 0, 'credit_limit'),
    };
  });

/**
 * Whether an item is a balance of another unit type than money (`"TIME"`,
 * `"DATA"`): left out. `"currency"` in another case is not left out: it is
 * read, and reported unreadable (the reference writes `"CURRENCY"`).
 */
const isOtherUnitType = (item: unknown): boolean => {
  if (typeof item !== 'object' || item === null || !('unit_type' in item)) return false;
  const unitType = item.unit_type;
  return typeof unitType === 'string' && unitType.trim().toUpperCase() !== CURRENCY_UNIT_TYPE;
};

/**
 * The currency balances DVS lists (other unit types are not money and are
 * left out), each item read on its own (an item that is not an object, such
 * as `null` or `"x"`, too): the readable ones, and the others with their
 * reasons.
 */
export const balancesOfDvs = (list: readonly DvsBalance[]): ProviderBalances => {
  const balances: ProviderBalance[] = [];
  const unreadableBalances: UnreadableBalance[] = [];
  list.forEach((balance, index) => {
    if (isOtherUnitType(balance)) return;
    Either.match(balanceOf(balance, index), {
      onLeft: (problem) => unreadableBalances.push(problem),
      onRight: (read) => balances.push(read),
    });
  });
  return { balances, unreadable: unreadableBalances };
};
