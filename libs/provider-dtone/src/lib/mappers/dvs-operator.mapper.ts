import { type Operator, type OperatorMatch, ProviderResponseInvalid } from '@airtime/domain';
import { Either } from 'effect';
import type { DvsOperator } from '../schemas/dvs-common.schema';
import type { DvsLookupOperator } from '../schemas/dvs-discovery.schema';
import { alpha2Of } from './country-code.table';
import { DTONE_PROVIDER_ID } from '../config/dvs.config';

const invalid = (reason: string) => Either.left(new ProviderResponseInvalid({ provider: DTONE_PROVIDER_ID, reason }));

/** A DVS operator as the domain names it: string id, ISO alpha-2 country ("PHL" -> "PH"). */
export const operatorOf = (
  operator: Pick<DvsOperator, 'id' | 'name' | 'country'>,
): Either.Either<Operator, ProviderResponseInvalid> => {
  const countryIso = alpha2Of(operator.country.iso_code);
  if (countryIso === undefined) {
    // the reason names the field, never its value
    return invalid('operator.country.iso_code is not a country of ISO 3166-1 (multi-country coverage)');
  }
  return Either.right(Object.freeze({ id: String(operator.id), name: operator.name, countryIso }));
};

/** A lookup answer; `identified` false (or absent) means DVS guessed the operator from the number range. */
export const operatorMatchOf = (operator: DvsLookupOperator): Either.Either<OperatorMatch, ProviderResponseInvalid> =>
  Either.map(operatorOf(operator), (mapped) =>
    Object.freeze({ operator: mapped, identified: operator.identified === true }),
  );
